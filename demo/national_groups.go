package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/schedule"
	"github.com/peercircle/peercircle/sqlstore"
)

// genGroupDetails writes what issue 3 keeps about each group: its schedule
// (the rule its meetings were planned from), the agenda it follows, its
// code of ethics with the members' acknowledgements, and the members'
// consent records.
func genGroupDetails(ctx context.Context, g *Gen) error {
	templates := map[string]int64{}
	rows, err := g.Store.DB.Query(ctx, "SELECT id, name_key FROM agenda_templates WHERE site_id IS NULL")
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			rows.Close()
			return err
		}
		templates[key] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return g.write(ctx, func(tx *sqlstore.Tx) error {
		schedules := g.Insert(tx, "schedules", "group_id", "preset", "rule", "start_date", "start_time", "minutes", "time_zone",
			"exceptions", "extras", "updated_at", "updated_by")
		ethics := g.Insert(tx, "ethics_versions", "id", "group_id", "version", "body", "author_id", "created_at")
		acks := g.Insert(tx, "ethics_acks", "version_id", "person_id", "at").After(ethics)
		consents := g.Insert(tx, "consents", "id", "membership_id", "kind", "given_at", "withdrawn_at")
		for _, st := range g.Sites {
			for _, gr := range st.Groups {
				tpl := templates["agenda.template.community"]
				if gr.Kind == peercircle.KindStaff || gr.Kind == peercircle.KindTraining {
					tpl = templates["agenda.template.staff"]
				}
				if tpl != 0 {
					if _, err := tx.Exec("UPDATE groups SET agenda_template_id = ? WHERE id = ?", tpl, gr.ID); err != nil {
						return err
					}
				}
				preset := schedule.PresetStaff
				if gr.Kind != peercircle.KindStaff || gr.Hour != 14 || gr.Minute != 0 {
					preset = schedule.PresetCustom
				}
				rule, err := schedule.PresetRule(schedule.PresetStaff, gr.Weekday, 0)
				if err != nil {
					return err
				}
				if gr.Status != peercircle.GroupForming {
					from := gr.Created
					if err := schedules.Add(gr.ID, preset, rule.String(), from.Format("2006-01-02"), fmt.Sprintf("%02d:%02d", gr.Hour, gr.Minute),
						int(gr.Length/time.Minute), "Asia/Amman", "", "", from, nullID(st.Organiser)); err != nil {
						return err
					}
				}
				version := g.NextID("ethics_versions")
				var author int64
				for _, m := range gr.Members {
					if m.Role == peercircle.RoleFacilitator {
						author = m.PersonID
						break
					}
				}
				written := gr.Created.AddDate(0, 0, 14)
				if err := ethics.Add(version, gr.ID, 1, ethicsBody, nullID(author), written); err != nil {
					return err
				}
				for _, m := range gr.Members {
					if m.Left == nil && m.Status != peercircle.MemberOrientation && g.chance(0.85) {
						at := m.Joined
						if at.Before(written) {
							at = written
						}
						if err := acks.Add(version, m.PersonID, at.AddDate(0, 0, g.R.IntN(14))); err != nil {
							return err
						}
					}
					for _, kind := range peercircle.ConsentKinds {
						p := map[string]float64{peercircle.ConsentContact: 0.9, peercircle.ConsentShareContact: 0.4, peercircle.ConsentEvaluation: 0.7}[kind]
						if !g.chance(p) {
							continue
						}
						var withdrawn any
						if m.Left != nil {
							withdrawn = *m.Left
						}
						if err := consents.Add(g.NextID("consents"), m.ID, kind, m.Joined, withdrawn); err != nil {
							return err
						}
					}
				}
			}
		}
		for _, w := range []*Writer{schedules, ethics, acks, consents} {
			if err := w.Close(); err != nil {
				return err
			}
		}
		return nil
	})
}

// ethicsBody is a code of ethics as a group might write it (000's
// members' responsibilities, in the members' words).
const ethicsBody = `What is said in the group stays in the group.
No names when we talk about cases.
We keep the door closed and our phones off.
We take turns and do not talk over each other.
We do not judge; we are kind and respectful.
We start and end on time.`
