package peercircle_test

import (
	"testing"

	"github.com/peercircle/peercircle"
)

func TestOneRuleNamesAPersonToEachReader(t *testing.T) {
	huda := &peercircle.Person{FullName: "Huda Saleh", DisplayName: "هدى"}
	sara := &peercircle.Person{FullName: "Sara Khalil"}
	inGroup := &peercircle.Membership{DisplayName: "Umm Ali"}
	plain := &peercircle.Membership{}
	erased := &peercircle.Person{FullName: peercircle.ErasedName}
	for _, tc := range []struct {
		name string
		got  string
		want string
	}{
		{"the group reads the name chosen for it", inGroup.NameFor(huda, peercircle.InGroup), "Umm Ali"},
		{"the group reads the chosen name when none was chosen for it", plain.NameFor(huda, peercircle.InGroup), "هدى"},
		{"the group reads the full name when nothing was chosen", plain.NameFor(sara, peercircle.InGroup), "Sara Khalil"},
		{"a name chosen for one group never leaves it", inGroup.NameFor(huda, peercircle.InOrganisation), "هدى"},
		{"Sheet 3 and the group page agree for a person without a group name", huda.NameFor(peercircle.InOrganisation), plain.NameFor(huda, peercircle.InGroup)},
		{"the organisation reads the full name when nothing was chosen", sara.NameFor(peercircle.InOrganisation), "Sara Khalil"},
		{"records name the full name", inGroup.NameFor(huda, peercircle.OnRecord), "Huda Saleh"},
		{"a person outside a group in group context is named as they chose", huda.NameFor(peercircle.InGroup), "هدى"},
		{"Name is the organisation's name", huda.Name(), "هدى"},
		{"a membership's Name is the group's name", inGroup.Name(huda), "Umm Ali"},
		{"an erased person stays the erased marker for every reader", plain.NameFor(erased, peercircle.InGroup), peercircle.ErasedName},
		{"names from a query follow the same rule", peercircle.Names{Full: "Huda Saleh", Chosen: "هدى", InGroup: "Umm Ali"}.For(peercircle.InOrganisation), "هدى"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}
