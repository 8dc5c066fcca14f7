package peercircle

import "testing"

// Issue 11, item 11: held of expected is rounded, and figures without a
// value are "—", never 0.
func TestHeldOfExpectedRoundsAndEmptyFiguresHaveNoValue(t *testing.T) {
	for _, tc := range []struct {
		held, expected, want int
	}{{11, 12, 92}, {1, 3, 33}, {2, 3, 67}, {1, 8, 13}, {1, 200, 1}, {12, 12, 100}, {13, 12, 108}, {0, 5, 0}} {
		f := Figures{Held: tc.held, Expected: tc.expected}
		if got := f.CompliancePercent(); got != tc.want {
			t.Errorf("%d of %d: %d%%, want %d%%", tc.held, tc.expected, got, tc.want)
		}
	}
	none := Figures{Planned: 2, Cancelled: 2}
	for _, key := range []string{"attendance_average", "compliance_percent"} {
		v, _ := none.Value(key)
		if !v.None || v.Text() != NoFigure || v.Hidden(3) {
			t.Errorf("%s of a quarter without meetings: %+v %q", key, v, v.Text())
		}
	}
	held := Figures{Held: 2, Expected: 4, Attendance: 9, People: 5}
	if v, _ := held.Value("attendance_average"); v.None || v.Text() != "4.5" {
		t.Errorf("peers per meeting = %+v", v)
	}
	if v, _ := held.Value("compliance_percent"); v.None || v.Text() != "50" {
		t.Errorf("held of expected = %+v", v)
	}
	if (TrendPoint{}).HasAverage() || !(TrendPoint{}).Empty() || (TrendPoint{Expected: 2}).Empty() {
		t.Error("trend point without meetings")
	}
}
