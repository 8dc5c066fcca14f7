package demo

import (
	"context"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

// seedGrowth gives the demo's growth pages something to show: the demo
// member's GROW worksheets (one shared with the demo supervisor), three
// supervision sessions of the demo supervisor with the demo facilitator,
// and self-assessments of both, one reviewed.
func seedGrowth(ctx context.Context, s *sqlstore.Store, w *World) error {
	member, fac, sup := w.People["member"], w.People["facilitator"], w.People["supervisor"]
	now := s.Now()
	day := func(daysAgo int) string { return now.AddDate(0, 0, -daysAgo).Format(peercircle.DateLayout) }
	later := func(days int) string { return now.AddDate(0, 0, days).Format(peercircle.DateLayout) }
	// Earlier records are written with the clock turned back, so the
	// history has believable dates.
	clock := s.Now
	defer func() { s.Now = clock }()
	at := func(daysAgo int) { s.Now = func() time.Time { return now.AddDate(0, 0, -daysAgo) } }

	at(40)
	sleep := &peercircle.GrowWorksheet{OwnerID: member.ID, Title: "Sleep after night shifts",
		Goal:    "Sleep at least six hours after a night shift, within the next two months.",
		Reality: "I come home wired and scroll my phone until midday. The children are loud after school. I have tried herbal tea; it did not help much.",
		Options: []peercircle.GrowOption{{Text: "Phone stays in the kitchen after a night shift", Score: 8}, {Text: "Ear plugs and a sleep mask", Score: 7},
			{Text: "Ask my sister to take the children on Thursdays", Score: 5}, {Text: "Swap to day shifts only", Score: 3}},
		Actions:    []peercircle.GrowAction{{Text: "Buy ear plugs and a mask", Due: day(33)}, {Text: "Phone in the kitchen for two weeks, then look back", Due: later(10)}},
		Commitment: 7, RaiseCommitment: "Telling the group I am trying it, so someone asks me how it goes."}
	if err := s.SaveWorksheet(ctx, sleep); err != nil {
		return err
	}
	at(12)
	shifts := &peercircle.GrowWorksheet{OwnerID: member.ID, Title: "Saying no to extra shifts",
		Goal:    "Take no more than two extra shifts a month from now on.",
		Reality: "I am asked almost every week because I never refuse. I feel guilty when the ward is short. Last month I did six extra shifts.",
		Options: []peercircle.GrowOption{{Text: "Agree a monthly limit with the nurse in charge", Score: 9}, {Text: "Answer requests only the next day", Score: 6},
			{Text: "Practise saying no in the peer support group", Score: 7}},
		Actions:    []peercircle.GrowAction{{Text: "Ask the nurse in charge for ten minutes", Due: later(4)}, {Text: "Bring it to supervision", Due: later(20)}},
		Commitment: 6, RaiseCommitment: "Knowing the ward has a plan for short days that does not depend on me."}
	if err := s.SaveWorksheet(ctx, shifts); err != nil {
		return err
	}
	if err := s.ShareWorksheet(ctx, shifts.ID, member.ID, sup.ID); err != nil {
		return err
	}

	for _, v := range []*peercircle.SupervisionSession{
		{HeldOn: day(70), TaskNotes: "First session as standing facilitator. Kept the two-hour agenda; the case discussion ran 15 minutes over.",
			ProcessNotes: "Nervous before the meeting, relieved after. Worried about being seen as the ward's 'counsellor'.",
			FollowUps:    "Use the timer on the live page. Agree a signal with the co-facilitator for when time is short."},
		{HeldOn: day(35), TaskNotes: "Check-in round reached everyone. Signposted one member to the mental health team, as the file of support says.",
			ProcessNotes: "Carried the member's story home for several days. Talked about where her own limits are.",
			FollowUps:    "Write down one thing that helped after a hard meeting. Re-read 'When peer support is not enough'."},
		{HeldOn: day(6), TaskNotes: "Rotation is working: two members have facilitated. The co-facilitator now shares the lead.",
			ProcessNotes: "More rested. Enjoys seeing members take turns; still finds silence in the room hard.",
			FollowUps:    "Try the practitioner self-assessment before next time."},
	} {
		v.SupervisorID, v.SuperviseeID = sup.ID, fac.ID
		held, _ := time.Parse(peercircle.DateLayout, v.HeldOn)
		at(int(now.Sub(held).Hours() / 24))
		if err := s.SaveSupervision(ctx, v); err != nil {
			return err
		}
	}

	fw, err := s.Competencies(ctx)
	if err != nil {
		return err
	}
	rate := func(person int64, levels func(cluster, i int) string) (*peercircle.SelfAssessment, error) {
		a := &peercircle.SelfAssessment{PersonID: person, Levels: map[int64]string{}}
		for ci, c := range fw {
			for i, comp := range c.Competencies {
				if l := levels(ci, i); l != "" {
					a.Levels[comp.ID] = l
				}
			}
		}
		return a, s.SaveSelfAssessment(ctx, a)
	}
	at(60)
	if _, err := rate(fac.ID, func(c, i int) string { return peercircle.LevelEssential }); err != nil {
		return err
	}
	at(8)
	latest, err := rate(fac.ID, func(c, i int) string {
		if c < 2 && i < 3 {
			return peercircle.LevelPractitioner
		}
		return peercircle.LevelEssential
	})
	if err != nil {
		return err
	}
	at(6)
	if err := s.ReviewAssessment(ctx, latest.ID, sup.ID, "Engaging and supporting peers: I agree you are working at practitioner level. Next: sharing lived experience, when to share and when to listen."); err != nil {
		return err
	}
	at(20)
	if _, err = rate(member.ID, func(c, i int) string {
		if c == 2 || c == 5 {
			return ""
		}
		return peercircle.LevelEssential
	}); err != nil {
		return err
	}

	// The demo member is the buddy of the newest peer at Nuzha, and the
	// trainer's course at Al-Amal was completed by two of its people.
	s.Now = clock
	if nuzha := w.Members["nuzha"]; len(nuzha) > 0 {
		newcomer := nuzha[len(nuzha)-1]
		if newcomer.ID != member.ID {
			if err := s.CreatePairing(ctx, &peercircle.BuddyPairing{SiteID: w.Sites["nuzha"].ID, NewcomerID: newcomer.ID, BuddyID: member.ID,
				StartsOn: day(14), EndsOn: later(76), CreatedBy: w.People["organiser"].ID}); err != nil {
				return err
			}
		}
	}
	trainer := w.People["trainer"]
	course := &peercircle.TrainingCourse{SiteID: w.Sites["amal"].ID, TrainerID: trainer.ID, Name: "Peer supporter training (zero coercion)",
		StartsOn: day(90), Modules: "Core values\nSupportive communication and the GROW model\nThe six competency clusters\nRunning a self-help group"}
	if err := s.CreateCourse(ctx, course); err != nil {
		return err
	}
	for _, p := range w.Members["amal"][:min(2, len(w.Members["amal"]))] {
		if err := s.RecordCompletion(ctx, &peercircle.TrainingRecord{CourseID: course.ID, PersonID: p.ID, CompletedOn: day(30)}, trainer.ID); err != nil {
			return err
		}
	}
	return nil
}
