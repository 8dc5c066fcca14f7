package schedule

import (
	"fmt"
	"time"
)

// Preset names. Staff is the rule of the staff peer support group
// guidance: twice a month, in the second and the last week, on the same
// weekday, at the end of duty hours, for two hours.
const (
	PresetStaff       = "staff"
	PresetWeekly      = "weekly"
	PresetFortnightly = "fortnightly"
	PresetMonthly     = "monthly"
	PresetCustom      = "custom"
)

// Presets lists the presets in the order the schedule editor offers them.
var Presets = []string{PresetStaff, PresetWeekly, PresetFortnightly, PresetMonthly, PresetCustom}

// StaffTime and StaffDuration are the staff preset's defaults: the last
// two hours of a health centre's duty day.
var (
	StaffTime     = Clock{14, 0}
	StaffDuration = 2 * time.Hour
)

// PresetRule returns the rule of a preset on a weekday. week is the week
// of the month for the monthly preset (1-4, or -1 for the last week).
func PresetRule(preset string, day time.Weekday, week int) (*Rule, error) {
	code := dayCodes[day%7]
	var text string
	switch preset {
	case PresetStaff:
		text = "FREQ=MONTHLY;BYDAY=2" + code + ",-1" + code
	case PresetWeekly:
		text = "FREQ=WEEKLY;BYDAY=" + code
	case PresetFortnightly:
		text = "FREQ=WEEKLY;INTERVAL=2;BYDAY=" + code
	case PresetMonthly:
		if week == 0 {
			week = 1
		}
		if week < -1 || week > 4 {
			return nil, errorf("week", "schedule.error.week", nil, "the week of the month must be 1-4 or last")
		}
		text = fmt.Sprintf("FREQ=MONTHLY;BYDAY=%d%s", week, code)
	default:
		return nil, errorf("preset", "schedule.error.preset", nil, "unknown preset %q", preset)
	}
	return ParseRule(text)
}

// PresetOf recognises a rule made by a preset, so the editor can show the
// preset again: it returns the preset, the weekday and the week of the
// month, or PresetCustom.
func PresetOf(r *Rule) (preset string, day time.Weekday, week int) {
	if r == nil || r.Count != 0 || !r.Until.IsZero() || len(r.ByMonth) > 0 || len(r.ByMonthDay) > 0 || len(r.BySetPos) > 0 {
		return PresetCustom, 0, 0
	}
	for _, p := range []string{PresetStaff, PresetWeekly, PresetFortnightly, PresetMonthly} {
		for d := time.Sunday; d <= time.Saturday; d++ {
			weeks := []int{0}
			if p == PresetMonthly {
				weeks = []int{1, 2, 3, 4, -1}
			}
			for _, w := range weeks {
				pr, _ := PresetRule(p, d, w)
				if pr != nil && pr.String() == r.String() {
					return p, d, w
				}
			}
		}
	}
	return PresetCustom, 0, 0
}
