package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/peercircle/peercircle"
)

var _ peercircle.ReportService = (*Store)(nil)

// reportSettings reads k, the due days and the nudge days in one query,
// falling back to the defaults for missing or unreadable values.
func (s *Store) reportSettings(ctx context.Context) (k, due, nudge int, err error) {
	memo := memoOf(ctx)
	if r, ok := memo.reportSettings(); ok {
		return r.k, r.due, r.nudge, nil
	}
	keys := []any{peercircle.SettingK, peercircle.SettingDue, peercircle.SettingNudgeDays}
	values := map[string]string{}
	rows, err := s.DB.Query(ctx, "SELECT key, value FROM settings WHERE key IN (?, ?, ?)", keys...)
	if err != nil {
		return 0, 0, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var key, v string
		if err := rows.Scan(&key, &v); err != nil {
			return 0, 0, 0, err
		}
		values[key] = v
	}
	if err := rows.Err(); err != nil {
		return 0, 0, 0, err
	}
	num := func(key string, def, lo, hi int) int {
		n, err := strconv.Atoi(values[key])
		if err != nil || n < lo || n > hi {
			return def
		}
		return n
	}
	r := reportSettings{num(peercircle.SettingK, peercircle.DefaultK, peercircle.MinimumK, 100),
		num(peercircle.SettingDue, peercircle.DefaultDueDays, 0, 120),
		num(peercircle.SettingNudgeDays, peercircle.DefaultNudgeDays, 0, 60)}
	memo.keepReportSettings(r)
	return r.k, r.due, r.nudge, nil
}

// startMonth reads the organisation's first month of the year's first quarter.
func startMonth(tx *Tx) (int, error) {
	memo := memoOf(tx.ctx)
	if m, ok := memo.startMonth(); ok {
		return m, nil
	}
	var m int
	err := tx.QueryRow("SELECT quarter_start_month FROM organisation ORDER BY id LIMIT 1").Scan(&m)
	if err != nil {
		if !isCode(notFound(err, ""), peercircle.ENOTFOUND) {
			return 0, err
		}
		m = 1
	}
	memo.keepStartMonth(m)
	return m, nil
}

// siteQuery reads one site (Site, loadSite).
const siteQuery = "SELECT id, area_id, name, kind, time_zone, joined_programme FROM sites WHERE id = ?"

func scanSite(row *Row) (*peercircle.Site, error) {
	var st peercircle.Site
	if err := row.Scan(&st.ID, &st.AreaID, &st.Name, &st.Kind, &st.TimeZone, &st.JoinedProgramme); err != nil {
		return nil, notFound(err, "site")
	}
	return &st, nil
}

func loadSite(tx *Tx, id int64) (*peercircle.Site, error) {
	memo := memoOf(tx.ctx)
	if st, ok := memo.site(id); ok {
		return st, nil
	}
	st, err := scanSite(tx.QueryRow(siteQuery, id))
	if err == nil {
		memo.keepSite(st)
	}
	return st, err
}

// checkStarted refuses a quarter that has not begun in loc.
func checkStarted(q peercircle.Quarter, start int, loc *time.Location, now time.Time) error {
	if q.IsZero() {
		return peercircle.Errorf(peercircle.EINVALID, "report.bad_quarter", "no quarter given")
	}
	if now.Before(q.Start(start, loc)) {
		return peercircle.Errorf(peercircle.EINVALID, "report.future_quarter", "quarter %s has not started yet", q)
	}
	return nil
}

// CurrentQuarter is the quarter running now at the site (or in UTC for
// siteID 0).
func (s *Store) CurrentQuarter(ctx context.Context, siteID int64) (peercircle.Quarter, error) {
	var q peercircle.Quarter
	err := s.DB.Read(ctx, func(tx *Tx) error {
		start, err := startMonth(tx)
		if err != nil {
			return err
		}
		loc := time.UTC
		if siteID != 0 {
			st, err := loadSite(tx, siteID)
			if err != nil {
				return err
			}
			loc = siteLoc(st)
		}
		q = peercircle.QuarterOf(s.Now().In(loc), start)
		return nil
	})
	return q, err
}

// Sheet3 computes a site's quarterly report from its sessions.
func (s *Store) Sheet3(ctx context.Context, siteID int64, q peercircle.Quarter) (*peercircle.Sheet3, error) {
	k, _, _, err := s.reportSettings(ctx)
	if err != nil {
		return nil, err
	}
	var sh *peercircle.Sheet3
	var pending []keptRow
	err = s.DB.Read(ctx, func(tx *Tx) (err error) {
		sh, pending, err = s.sheet3Tx(tx, siteID, q, k)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.keep(ctx, pending)
	return sh, nil
}

// sheet3Tx computes Sheet 3 in tx, and returns what it counted for the
// caller to keep (report_kept.go).
func (s *Store) sheet3Tx(tx *Tx, siteID int64, q peercircle.Quarter, k int) (*peercircle.Sheet3, []keptRow, error) {
	site, err := loadSite(tx, siteID)
	if err != nil {
		return nil, nil, err
	}
	start, err := startMonth(tx)
	if err != nil {
		return nil, nil, err
	}
	now := s.Now()
	if err := checkStarted(q, start, siteLoc(site), now); err != nil {
		return nil, nil, err
	}
	where, args, _ := scopeFilter(peercircle.LevelSite, siteID)
	groups, err := loadGroups(tx, where, args, map[int64]*peercircle.Site{site.ID: site})
	if err != nil {
		return nil, nil, err
	}
	c := newCalc(q, start, k, now, groups)
	c.keep, c.memo, c.names = !s.CountRaw, s.kept, s.namesMemo()
	if err := c.run(tx, where, args); err != nil {
		return nil, nil, err
	}
	sh := &peercircle.Sheet3{SiteID: site.ID, SiteName: site.Name, Quarter: q, First: c.first, Last: c.last, K: k,
		Running: now.Before(q.End(start, siteLoc(site))), ComputedAt: now}
	var ids []int64
	for _, g := range groups {
		f := *c.figs[g.ID]
		finishFigures(&f, k)
		// A group that did not exist in the quarter and has nothing in it
		// is left out (groups created later, groups ended before).
		if f.Planned == 0 && f.Postponed == 0 && f.Expected == 0 && !groupLived(g, c.first, c.last, siteLoc(site)) {
			continue
		}
		ids = append(ids, g.ID)
		sh.Groups = append(sh.Groups, peercircle.GroupFigures{GroupID: g.ID, Name: g.Name, Kind: g.Kind, Status: g.Status, Figures: f})
	}
	sh.Total = c.sumGroups(ids)
	finishFigures(&sh.Total, k)
	return sh, c.pending, nil
}

// groupLived reports whether a group existed during part of [first, last].
func groupLived(g *rgroup, first, last string, loc *time.Location) bool {
	if g.CreatedAt.In(loc).Format(time.DateOnly) > last {
		return false
	}
	return g.EndedAt == nil || g.EndedAt.In(loc).Format(time.DateOnly) >= first
}

// dueDate is the day a quarter's report is due: days after its last day.
func dueDate(q peercircle.Quarter, start, days int) string {
	_, last := q.Dates(start)
	t, _ := time.Parse(time.DateOnly, last)
	return t.AddDate(0, 0, days).Format(time.DateOnly)
}

// Report returns the stored report of a site and quarter, or a draft.
func (s *Store) Report(ctx context.Context, siteID int64, q peercircle.Quarter) (*peercircle.Report, error) {
	var r *peercircle.Report
	err := s.DB.Read(ctx, func(tx *Tx) (err error) {
		if _, err := loadSite(tx, siteID); err != nil {
			return err
		}
		r, err = s.reportTx(tx, siteID, q, true)
		return err
	})
	return r, err
}

const reportCols = `id, site_id, quarter, state, no_meetings, no_meetings_reason, comment, review_comment, version,
	submitted_by, submitted_at, reviewed_by, reviewed_at`

func (s *Store) reportTx(tx *Tx, siteID int64, q peercircle.Quarter, full bool) (*peercircle.Report, error) {
	r := &peercircle.Report{SiteID: siteID, Quarter: q, State: peercircle.ReviewDraft}
	var qs string
	err := tx.QueryRow("SELECT "+reportCols+" FROM reports WHERE site_id = ? AND quarter = ?", siteID, q.String()).
		Scan(&r.ID, &r.SiteID, &qs, &r.State, &r.NoMeetings, &r.NoMeetingsReason, &r.Comment, &r.ReviewComment, &r.Version,
			&r.SubmittedBy, &r.SubmittedAt, &r.ReviewedBy, &r.ReviewedAt)
	if err != nil {
		if isCode(notFound(err, ""), peercircle.ENOTFOUND) {
			return r, nil
		}
		return nil, err
	}
	if !full {
		return r, nil
	}
	rows, err := tx.Query("SELECT figures FROM report_snapshots WHERE report_id = ? ORDER BY id DESC LIMIT 2", r.ID)
	if err != nil {
		return nil, err
	}
	var snaps []*peercircle.Sheet3
	for rows.Next() {
		var text string
		if err := rows.Scan(&text); err != nil {
			rows.Close()
			return nil, err
		}
		var sh peercircle.Sheet3
		if err := json.Unmarshal([]byte(text), &sh); err != nil {
			rows.Close()
			return nil, fmt.Errorf("report %d snapshot: %w", r.ID, err)
		}
		snaps = append(snaps, &sh)
	}
	rows.Close()
	if len(snaps) > 0 {
		r.Snapshot = snaps[0]
	}
	if len(snaps) > 1 {
		r.Previous = snaps[1]
	}
	rows, err = tx.Query(`SELECT e.at, e.actor_id, COALESCE(p.full_name, ''), COALESCE(p.display_name, ''), e.state, e.comment
		FROM report_events e LEFT JOIN people p ON p.id = e.actor_id WHERE e.report_id = ? ORDER BY e.id`, r.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ev peercircle.ReportEvent
		var n peercircle.Names
		if err := rows.Scan(&ev.At, &ev.ActorID, &n.Full, &n.Chosen, &ev.State, &ev.Comment); err != nil {
			return nil, err
		}
		ev.ActorName = n.For(peercircle.InOrganisation)
		r.History = append(r.History, ev)
	}
	return r, rows.Err()
}

// SiteReports lists the quarters from..to (inclusive, newest first) with the
// state of each quarter's report, skipping quarters that have not started.
func (s *Store) SiteReports(ctx context.Context, siteID int64, from, to peercircle.Quarter) ([]peercircle.ReportRow, error) {
	_, dueDays, _, err := s.reportSettings(ctx)
	if err != nil {
		return nil, err
	}
	var out []peercircle.ReportRow
	err = s.DB.Read(ctx, func(tx *Tx) error {
		site, err := loadSite(tx, siteID)
		if err != nil {
			return err
		}
		start, err := startMonth(tx)
		if err != nil {
			return err
		}
		states := map[string]string{}
		rows, err := tx.Query("SELECT quarter, state FROM reports WHERE site_id = ?", siteID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var q, st string
			if err := rows.Scan(&q, &st); err != nil {
				rows.Close()
				return err
			}
			states[q] = st
		}
		rows.Close()
		loc := siteLoc(site)
		today := s.Now().In(loc).Format(time.DateOnly)
		for q, n := to, 0; !q.Before(from) && n < 200; q, n = q.Prev(), n+1 {
			if s.Now().Before(q.Start(start, loc)) {
				continue
			}
			row := peercircle.ReportRow{Quarter: q, State: states[q.String()], Due: dueDate(q, start, dueDays)}
			if row.State == "" {
				row.State = peercircle.ReviewDraft
			}
			_, last := q.Dates(start)
			joined := site.JoinedProgramme != nil && site.JoinedProgramme.Format(time.DateOnly) <= last
			row.Late = joined && lateReport(row.State, row.Due, today)
			out = append(out, row)
		}
		return nil
	})
	return out, err
}

func lateReport(state, due, today string) bool {
	return (state == peercircle.ReviewDraft || state == peercircle.ReviewReturned) && today > due
}

// SubmitReport freezes the site's Sheet 3 as it is now and sends it to the
// coordinators above the site.
func (s *Store) SubmitReport(ctx context.Context, in *peercircle.ReportSubmission) (*peercircle.Report, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	k, _, _, err := s.reportSettings(ctx)
	if err != nil {
		return nil, err
	}
	var out *peercircle.Report
	err = s.DB.Write(ctx, func(tx *Tx) error {
		site, err := loadSite(tx, in.SiteID)
		if err != nil {
			return err
		}
		start, err := startMonth(tx)
		if err != nil {
			return err
		}
		now := s.Now()
		if err := checkStarted(in.Quarter, start, siteLoc(site), now); err != nil {
			return err
		}
		if now.Before(in.Quarter.End(start, siteLoc(site))) {
			_, last := in.Quarter.Dates(start)
			return peercircle.Errorf(peercircle.EINVALID, "report.quarter_running", "quarter %s runs until %s", in.Quarter, last)
		}
		r, err := s.reportTx(tx, in.SiteID, in.Quarter, false)
		if err != nil {
			return err
		}
		if r.State != peercircle.ReviewDraft && r.State != peercircle.ReviewReturned {
			return peercircle.Errorf(peercircle.ECONFLICT, "report.not_open", "report %s of site %d is %s", in.Quarter, in.SiteID, r.State)
		}
		if r.Version != in.Version {
			return peercircle.Errorf(peercircle.ECONFLICT, "report.changed", "report changed (version %d, form %d)", r.Version, in.Version)
		}
		sh, pending, err := s.sheet3Tx(tx, in.SiteID, in.Quarter, k)
		if err != nil {
			return err
		}
		if err := saveKept(tx, pending); err != nil {
			return err
		}
		if in.NoMeetings && sh.Total.Held > 0 {
			return &peercircle.Error{Code: peercircle.EINVALID, Key: "error.form", Fields: map[string]string{"no_meetings": "report.meetings_held"},
				Message: "no meetings claimed but meetings were held"}
		}
		figures, err := json.Marshal(sh)
		if err != nil {
			return err
		}
		if r.ID == 0 {
			r.ID, err = tx.Insert(`INSERT INTO reports (site_id, quarter, state, no_meetings, no_meetings_reason, comment, version,
				submitted_by, submitted_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
				in.SiteID, in.Quarter.String(), peercircle.ReviewSubmitted, in.NoMeetings, in.NoMeetingsReason, in.Comment,
				in.ActorID, now, now, now)
			if err != nil {
				return err
			}
			r.Version = 1
		} else {
			r.Version++
			if _, err := tx.Exec(`UPDATE reports SET state = ?, no_meetings = ?, no_meetings_reason = ?, comment = ?, version = ?,
				submitted_by = ?, submitted_at = ?, updated_at = ? WHERE id = ?`,
				peercircle.ReviewSubmitted, in.NoMeetings, in.NoMeetingsReason, in.Comment, r.Version, in.ActorID, now, now, r.ID); err != nil {
				return err
			}
		}
		if _, err := tx.Insert("INSERT INTO report_snapshots (report_id, version, figures, created_at) VALUES (?, ?, ?, ?)",
			r.ID, r.Version, string(figures), now); err != nil {
			return err
		}
		if _, err := tx.Insert("INSERT INTO report_events (report_id, at, actor_id, state, comment) VALUES (?, ?, ?, ?, ?)",
			r.ID, now, nullID(in.ActorID), peercircle.ReviewSubmitted, in.Comment); err != nil {
			return err
		}
		if err := s.auditTx(tx, &peercircle.AuditEvent{ActorID: in.ActorID, Action: "report.submit", TargetKind: "report", TargetID: r.ID,
			Detail: fmt.Sprintf("quarter=%s held=%d no_meetings=%t", in.Quarter, sh.Total.Held, in.NoMeetings)}); err != nil {
			return err
		}
		coordinators, err := coordinatorsAbove(tx, site)
		if err != nil {
			return err
		}
		for _, p := range coordinators {
			if err := s.notifyTx(tx, &peercircle.Notification{PersonID: p, Kind: "report_submitted",
				Params: []string{site.Name, in.Quarter.String()}, Link: reportLink(site.ID, in.Quarter)}); err != nil {
				return err
			}
		}
		out, err = s.reportTx(tx, in.SiteID, in.Quarter, true)
		return err
	})
	return out, err
}

// ReviewReport accepts or returns a submitted report.
func (s *Store) ReviewReport(ctx context.Context, in *peercircle.ReportReview) (*peercircle.Report, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out *peercircle.Report
	err := s.DB.Write(ctx, func(tx *Tx) error {
		site, err := loadSite(tx, in.SiteID)
		if err != nil {
			return err
		}
		r, err := s.reportTx(tx, in.SiteID, in.Quarter, false)
		if err != nil {
			return err
		}
		if r.State != peercircle.ReviewSubmitted {
			return peercircle.Errorf(peercircle.ECONFLICT, "report.not_submitted", "report %s of site %d is %s", in.Quarter, in.SiteID, r.State)
		}
		if r.Version != in.Version {
			return peercircle.Errorf(peercircle.ECONFLICT, "report.changed", "report changed (version %d, form %d)", r.Version, in.Version)
		}
		state, kind := peercircle.ReviewReturned, "report_returned"
		if in.Accept {
			state, kind = peercircle.ReviewAccepted, "report_accepted"
		}
		now := s.Now()
		r.Version++
		if _, err := tx.Exec(`UPDATE reports SET state = ?, review_comment = ?, version = ?, reviewed_by = ?, reviewed_at = ?, updated_at = ?
			WHERE id = ?`, state, in.Comment, r.Version, in.ActorID, now, now, r.ID); err != nil {
			return err
		}
		if _, err := tx.Insert("INSERT INTO report_events (report_id, at, actor_id, state, comment) VALUES (?, ?, ?, ?, ?)",
			r.ID, now, nullID(in.ActorID), state, in.Comment); err != nil {
			return err
		}
		if err := s.auditTx(tx, &peercircle.AuditEvent{ActorID: in.ActorID, Action: "report." + map[bool]string{true: "accept", false: "return"}[in.Accept],
			TargetKind: "report", TargetID: r.ID, Detail: "quarter=" + in.Quarter.String()}); err != nil {
			return err
		}
		people, err := organisersOf(tx, site.ID)
		if err != nil {
			return err
		}
		if r.SubmittedBy != 0 && !containsID(people, r.SubmittedBy) {
			people = append(people, r.SubmittedBy)
		}
		for _, p := range people {
			if err := s.notifyTx(tx, &peercircle.Notification{PersonID: p, Kind: kind,
				Params: []string{site.Name, in.Quarter.String()}, Link: reportLink(site.ID, in.Quarter)}); err != nil {
				return err
			}
		}
		out, err = s.reportTx(tx, in.SiteID, in.Quarter, true)
		return err
	})
	return out, err
}

func reportLink(siteID int64, q peercircle.Quarter) string {
	return fmt.Sprintf("/sites/%d/reports/%s", siteID, q)
}

func containsID(list []int64, id int64) bool {
	for _, x := range list {
		if x == id {
			return true
		}
	}
	return false
}

// organisersOf lists the people who organise a site.
func organisersOf(tx *Tx, siteID int64) ([]int64, error) {
	return ids(tx, "SELECT person_id FROM grants WHERE role = ? AND scope_kind = ? AND scope_id = ? ORDER BY person_id",
		peercircle.RoleOrganiser, peercircle.ScopeSite, siteID)
}

// coordinatorsAbove lists the coordinators of a site's area and region.
func coordinatorsAbove(tx *Tx, site *peercircle.Site) ([]int64, error) {
	return ids(tx, `SELECT DISTINCT gr.person_id FROM grants gr, areas a WHERE a.id = ? AND gr.role = ?
		AND ((gr.scope_kind = ? AND gr.scope_id = a.id) OR (gr.scope_kind = ? AND gr.scope_id = a.region_id)) ORDER BY gr.person_id`,
		site.AreaID, peercircle.RoleCoordinator, peercircle.ScopeArea, peercircle.ScopeRegion)
}

func ids(tx *Tx, q string, args ...any) ([]int64, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// RollUp sums the figures of every site in an area, a region or the whole
// organisation, with each site's report state and what needs attention.
// trend is how many quarters (ending with q) the trend lines cover.
func (s *Store) RollUp(ctx context.Context, level string, id int64, q peercircle.Quarter, trend int) (*peercircle.RollUp, error) {
	return s.rollUp(ctx, level, id, q, trend, true)
}

// rollUp is RollUp; keepView says whether the roll-up computed is kept
// to be served again (report_views.go). The hourly nudges roll up last
// quarter without a trend, which no page asks for: kept, they and what
// they read were a sixth of the heap after the benchmark, to spare the
// next run's reading an hour later.
func (s *Store) rollUp(ctx context.Context, level string, id int64, q peercircle.Quarter, trend int, keepView bool) (*peercircle.RollUp, error) {
	where, args, err := scopeFilter(level, id)
	if err != nil || level == peercircle.LevelSite {
		return nil, peercircle.Errorf(peercircle.EINVALID, "report.bad_level", "cannot roll up to %q", level)
	}
	k, dueDays, _, err := s.reportSettings(ctx)
	if err != nil {
		return nil, err
	}
	tree, err := s.Tree(ctx)
	if err != nil {
		return nil, err
	}
	ru := &peercircle.RollUp{Level: level, ID: id, Quarter: q, K: k}
	start := normStartMonth(tree.Organisation.QuarterStartMonth)
	ru.First, ru.Last = q.Dates(start)
	inScope, err := scopeSites(tree, ru, level, id)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	// A quarter is refused only when it has not begun anywhere in scope.
	started := len(inScope) == 0 && !now.Before(q.Start(start, time.UTC))
	for _, st := range inScope {
		if !now.Before(q.Start(start, siteLoc(st))) {
			started = true
		}
	}
	if !started {
		return nil, peercircle.Errorf(peercircle.EINVALID, "report.future_quarter", "quarter %s has not started yet", q)
	}
	sites := map[int64]*peercircle.Site{}
	for _, st := range inScope {
		sites[st.ID] = st
	}
	// A roll-up computed before from the same state, holding now, is
	// served again (report_views.go).
	views := s.viewMemo()
	key := viewKey{level: level, id: id, q: q, trend: trend, k: k, due: dueDays, tree: tree}
	var h *horizon
	if views != nil {
		h = &horizon{}
		h.midnights(inScope, now)
	}
	var stamp viewStamp
	var kept *peercircle.RollUp
	var named map[int64]bool
	var pending []keptRow
	err = s.DB.Read(ctx, func(tx *Tx) error {
		if views != nil {
			var err error
			if stamp, err = readStamp(tx, where, args); err != nil {
				return err
			}
			if kept, err = views.get(tx, key, stamp, now); kept != nil || err != nil {
				return err
			}
		}
		groups, err := loadGroups(tx, where, args, sites)
		if err != nil {
			return err
		}
		c := newCalc(q, start, k, now, groups)
		c.keep, c.memo, c.names, c.h = !s.CountRaw, s.kept, s.namesMemo(), h
		if c.keep {
			// One read of the kept figures' state for the quarter and its trend.
			quarters := [][]string{c.months}
			if trend > 1 {
				for _, qq := range trendQuarters(q.Prev(), trend-1) {
					quarters = append(quarters, qq.Months(start))
				}
			}
			gids := make([]int64, len(groups))
			for i, g := range groups {
				gids[i] = g.ID
			}
			if c.state, err = readState(tx, where, args, gids, len(gids), quarters); err != nil {
				return err
			}
		}
		if err := c.run(tx, where, args); err != nil {
			return err
		}
		pending, named = c.pending, c.named
		if c.state != nil {
			pending = append(pending, c.state.verify...)
		}
		states := map[int64]string{}
		submitted := map[int64]time.Time{}
		rows, err := tx.Query("SELECT site_id, state, submitted_at FROM reports WHERE quarter = ?", q.String())
		if err != nil {
			return err
		}
		for rows.Next() {
			var sid int64
			var st string
			var at *time.Time
			if err := rows.Scan(&sid, &st, &at); err != nil {
				rows.Close()
				return err
			}
			states[sid] = st
			if at != nil {
				submitted[sid] = *at
			}
		}
		rows.Close()
		// The quarter itself is in c already: the trend query reads only
		// the quarters before it.
		var trends map[int64][]peercircle.TrendPoint
		if trend > 1 {
			byGroup, more, err := s.trendsTx(tx, where, args, groups, c.schedules, c.state, q.Prev(), start, trend-1, now, h)
			if err != nil {
				return err
			}
			pending = append(pending, more...)
			trends = sumBySite(groups, byGroup)
		}
		fillRollUp(ru, c, groups, inScope, states, submitted, trends, trend, dueDays, start, now, tree)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if kept != nil {
		return kept, nil
	}
	s.keep(ctx, pending)
	if keepView {
		views.put(key, stamp, now, h, ru, named)
	}
	return ru, nil
}

func normStartMonth(m int) int {
	if m < 1 || m > 12 {
		return 1
	}
	return m
}

// scopeSites lists the sites of the roll-up's scope and names it.
func scopeSites(t *peercircle.Tree, ru *peercircle.RollUp, level string, id int64) ([]*peercircle.Site, error) {
	areaRegion := map[int64]int64{}
	for _, a := range t.Areas {
		areaRegion[a.ID] = a.RegionID
	}
	found := level == peercircle.LevelOrganisation
	ru.Name = t.Organisation.Name
	for _, r := range t.Regions {
		if level == peercircle.LevelRegion && r.ID == id {
			ru.Name, found = r.Name, true
		}
	}
	for _, a := range t.Areas {
		if level == peercircle.LevelArea && a.ID == id {
			ru.Name, found = a.Name, true
		}
	}
	if !found {
		return nil, peercircle.Errorf(peercircle.ENOTFOUND, "error.notfound.body", "%s %d not found", level, id)
	}
	var out []*peercircle.Site
	for _, st := range t.Sites { // copies: the tree is shared
		switch {
		case level == peercircle.LevelArea && st.AreaID != id:
			continue
		case level == peercircle.LevelRegion && areaRegion[st.AreaID] != id:
			continue
		}
		out = append(out, &st)
	}
	return out, nil
}
