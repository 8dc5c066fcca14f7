package sqlstore

import (
	"context"
	"sort"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/schedule"
)

// fillRollUp folds the groups' figures into sites, areas, regions and the
// total, and decides what needs a coordinator's attention.
func fillRollUp(ru *peercircle.RollUp, c *calc, groups []*rgroup, sites []*peercircle.Site, states map[int64]string, submitted map[int64]time.Time,
	trends map[int64][]peercircle.TrendPoint, trend, dueDays, start int, now time.Time, tree *peercircle.Tree) {
	areaRegion := map[int64]int64{}
	for _, a := range tree.Areas {
		areaRegion[a.ID] = a.RegionID
	}
	bySite := map[int64][]*rgroup{}
	for _, g := range groups {
		bySite[g.SiteID] = append(bySite[g.SiteID], g)
	}
	var all []int64
	areaGroups, regionGroups := map[int64][]int64{}, map[int64][]int64{}
	areaRows, regionRows := map[int64]*peercircle.NodeRow{}, map[int64]*peercircle.NodeRow{}
	for _, a := range tree.Areas {
		areaRows[a.ID] = &peercircle.NodeRow{ID: a.ID, ParentID: a.RegionID, Name: a.Name}
	}
	for _, r := range tree.Regions {
		regionRows[r.ID] = &peercircle.NodeRow{ID: r.ID, Name: r.Name}
	}
	due := dueDate(ru.Quarter, start, dueDays)
	for _, st := range sites {
		loc := siteLoc(st)
		ended := !now.Before(ru.Quarter.End(start, loc))
		row := peercircle.SiteRow{Site: *st, AreaID: st.AreaID, RegionID: areaRegion[st.AreaID], Due: due}
		row.ReportState = states[st.ID]
		if row.ReportState == "" {
			row.ReportState = peercircle.ReviewDraft
		}

		var ids []int64
		for _, g := range bySite[st.ID] {
			f := c.figs[g.ID]
			if f.Planned == 0 && f.Postponed == 0 && f.Expected == 0 && !groupLived(g, c.first, c.last, loc) {
				continue
			}
			ids = append(ids, g.ID)
			if g.Status == peercircle.GroupActive && f.Held == 0 && (ended || f.Expected >= peercircle.MeetingsPerMonth) {
				row.FadedGroups++
			}
		}
		row.Figures = c.sumGroups(ids)
		finishFigures(&row.Figures, c.k)
		row.Late = ended && reportDue(st, &row.Figures, c.last) && lateReport(row.ReportState, due, now.In(loc).Format(time.DateOnly))
		if at, ok := submitted[st.ID]; ok && !row.Late && row.ReportState != peercircle.ReviewDraft && row.ReportState != peercircle.ReviewReturned {
			if day := at.In(loc).Format(time.DateOnly); day > due {
				row.SubmittedLate = day
			}
		}
		if trend > 0 {
			row.Trend = make([]peercircle.TrendPoint, 0, trend)
			past := trends[st.ID]
			for i := 0; i < trend-1; i++ {
				p := peercircle.TrendPoint{Quarter: quarterBack(ru.Quarter, trend-1-i)}
				if i < len(past) {
					p = past[i]
				}
				row.Trend = append(row.Trend, p)
			}
			f := &row.Figures
			row.Trend = append(row.Trend, peercircle.TrendPoint{Quarter: ru.Quarter, Planned: f.Planned, Held: f.Held, Expected: f.Expected, Attendance: f.Attendance})
		}
		row.Attention = attention(&row, ended)
		ru.Sites = append(ru.Sites, row)
		all = append(all, ids...)
		areaGroups[st.AreaID] = append(areaGroups[st.AreaID], ids...)
		regionGroups[row.RegionID] = append(regionGroups[row.RegionID], ids...)
		for _, n := range []*peercircle.NodeRow{areaRows[st.AreaID], regionRows[row.RegionID]} {
			if n == nil {
				continue
			}
			n.Sites++
			switch row.ReportState {
			case peercircle.ReviewAccepted:
				n.Accepted++
				n.Submitted++
			case peercircle.ReviewSubmitted:
				n.Submitted++
			}
			if row.Late {
				n.Late++
			}
		}
	}
	sort.SliceStable(ru.Sites, func(i, j int) bool {
		a, b := ru.Sites[i], ru.Sites[j]
		if ua, ub := urgency(a.Attention), urgency(b.Attention); ua != ub {
			return ua < ub
		}
		if len(a.Attention) != len(b.Attention) {
			return len(a.Attention) > len(b.Attention)
		}
		return a.Site.Name < b.Site.Name
	})
	ru.Total = c.sumGroups(all)
	finishFigures(&ru.Total, c.k)
	// The area or region rolled up is the total: its figures are not
	// summed a second time.
	sum := func(level string, id int64, ids []int64) peercircle.Figures {
		if ru.Level == level && ru.ID == id {
			return ru.Total
		}
		f := c.sumGroups(ids)
		finishFigures(&f, c.k)
		return f
	}
	for _, a := range tree.Areas {
		n := areaRows[a.ID]
		if (ru.Level == peercircle.LevelArea && a.ID != ru.ID) || (ru.Level == peercircle.LevelRegion && a.RegionID != ru.ID) {
			continue
		}
		n.Figures = sum(peercircle.LevelArea, a.ID, areaGroups[a.ID])
		ru.Areas = append(ru.Areas, *n)
	}
	for _, r := range tree.Regions {
		n := regionRows[r.ID]
		if ru.Level != peercircle.LevelOrganisation && !(ru.Level == peercircle.LevelRegion && r.ID == ru.ID) {
			continue
		}
		n.Figures = sum(peercircle.LevelRegion, r.ID, regionGroups[r.ID])
		ru.Regions = append(ru.Regions, *n)
	}
	if trend > 0 {
		for _, row := range ru.Sites {
			for i, p := range row.Trend {
				if i >= len(ru.Trend) {
					ru.Trend = append(ru.Trend, peercircle.TrendPoint{Quarter: p.Quarter})
				}
				t := &ru.Trend[i]
				t.Planned += p.Planned
				t.Held += p.Held
				t.Expected += p.Expected
				t.Attendance += p.Attendance
			}
		}
	}
}

// attentionOrder is the order of urgency of attention reasons.
var attentionOrder = []string{
	peercircle.AttentionReturned, peercircle.AttentionLate, peercircle.AttentionFaded, peercircle.AttentionBelow,
	peercircle.AttentionToReview, peercircle.AttentionSummaries, peercircle.AttentionNotRecorded,
}

func urgency(reasons []string) int {
	if len(reasons) == 0 {
		return len(attentionOrder)
	}
	for i, a := range attentionOrder {
		if a == reasons[0] {
			return i
		}
	}
	return len(attentionOrder)
}

// attention lists why a site needs a coordinator's eye, most urgent first.
func attention(row *peercircle.SiteRow, ended bool) []string {
	f := &row.Figures
	var out []string
	if row.ReportState == peercircle.ReviewReturned {
		out = append(out, peercircle.AttentionReturned)
	}
	if row.Late {
		out = append(out, peercircle.AttentionLate)
	}
	if row.FadedGroups > 0 {
		out = append(out, peercircle.AttentionFaded)
	}
	if ended && f.Compliance() == peercircle.ComplianceBelow {
		out = append(out, peercircle.AttentionBelow)
	}
	if row.ReportState == peercircle.ReviewSubmitted {
		out = append(out, peercircle.AttentionToReview)
	}
	if f.SummariesMissing > 0 {
		out = append(out, peercircle.AttentionSummaries)
	}
	if f.NotRecorded > 0 {
		out = append(out, peercircle.AttentionNotRecorded)
	}
	return out
}

// trendQuarters lists the n quarters ending with q (n from 1 to 20).
func trendQuarters(q peercircle.Quarter, n int) []peercircle.Quarter {
	n = max(1, min(n, 20))
	quarters := make([]peercircle.Quarter, n)
	quarters[n-1] = q
	for i := n - 2; i >= 0; i-- {
		quarters[i] = quarters[i+1].Prev()
	}
	return quarters
}

// trendsTx returns, per group, the meetings planned and held, the peers
// present and the meetings expected in each of the n quarters ending with
// q. The counts come from group_figures where they are current (see
// report_kept.go; st is their state for those quarters, or nil to read
// it); the groups and quarters they are not are counted from the raw
// rows and returned to keep. A store that counts raw counts every quarter
// in one pass.
// h notes when the meetings expected next change with time.
func (s *Store) trendsTx(tx *Tx, where string, args []any, groups []*rgroup, sc schedules, st *figState, q peercircle.Quarter, start, n int, now time.Time, h *horizon) (map[int64][]peercircle.TrendPoint, []keptRow, error) {
	quarters := trendQuarters(q, n)
	n = len(quarters)
	if s.CountRaw {
		out, err := countTrends(tx, where, args, groups, sc.compiled, quarters, start, now)
		return out, nil, err
	}
	out := make(map[int64][]peercircle.TrendPoint, len(groups))
	for _, g := range groups {
		p := make([]peercircle.TrendPoint, n)
		for i := range p {
			p[i].Quarter = quarters[i]
		}
		out[g.ID] = p
	}
	months := make([][]string, n)
	firsts := make([]string, n)
	for i, qq := range quarters {
		months[i] = qq.Months(start)
		firsts[i] = months[i][0]
	}
	var pending []keptRow
	if st == nil {
		gids := make([]int64, len(groups))
		for i, g := range groups {
			gids[i] = g.ID
		}
		var err error
		if st, err = readState(tx, where, args, gids, len(gids), months); err != nil {
			return nil, nil, err
		}
		pending = st.verify
	}
	for i, qq := range quarters {
		var stale []*rgroup
		for _, g := range groups {
			r, ok := st.rows[keptKey{g.ID, firsts[i]}]
			if !ok {
				stale = append(stale, g)
				continue
			}
			out[g.ID][i].Planned, out[g.ID][i].Held, out[g.ID][i].Attendance = r.planned, r.held, r.attendance
		}
		if len(stale) == 0 {
			continue
		}
		c := newCalc(qq, start, 0, now, stale)
		ids := make([]int64, len(stale))
		for j, g := range stale {
			ids[j] = g.ID
		}
		w, a := narrow(where, args, ids, len(groups))
		if err := c.count(tx, w, a); err != nil {
			return nil, nil, err
		}
		for _, g := range stale {
			r, err := c.kept(g.ID, st.version[keptKey{g.ID, firsts[i]}], st.total[g.ID])
			if err != nil {
				return nil, nil, err
			}
			pending = append(pending, r)
			out[g.ID][i].Planned, out[g.ID][i].Held, out[g.ID][i].Attendance = r.planned, r.held, r.attendance
		}
	}
	for _, g := range groups {
		expectedTrend(g, sc.compiled[g.ID], out[g.ID], quarters, start, now, h)
	}
	return out, pending, nil
}

// sumBySite adds the groups' trend points per site.
func sumBySite(groups []*rgroup, byGroup map[int64][]peercircle.TrendPoint) map[int64][]peercircle.TrendPoint {
	out := map[int64][]peercircle.TrendPoint{}
	for _, g := range groups {
		p := byGroup[g.ID]
		acc, ok := out[g.SiteID]
		if !ok {
			acc = make([]peercircle.TrendPoint, len(p))
			for i := range acc {
				acc[i].Quarter = p[i].Quarter
			}
			out[g.SiteID] = acc
		}
		for i := range p {
			acc[i].Planned += p[i].Planned
			acc[i].Held += p[i].Held
			acc[i].Expected += p[i].Expected
			acc[i].Attendance += p[i].Attendance
		}
	}
	return out
}

// countTrends counts the trend points of consecutive quarters per group
// from the database.
func countTrends(tx *Tx, where string, args []any, groups []*rgroup, compiled map[int64]*schedule.Schedule, quarters []peercircle.Quarter, start int, now time.Time) (map[int64][]peercircle.TrendPoint, error) {
	n := len(quarters)
	q := quarters[n-1]
	monthIdx := map[string]int{}
	for i, qq := range quarters {
		for _, m := range qq.Months(start) {
			monthIdx[m] = i
		}
	}
	first, _ := quarters[0].Dates(start)
	_, last := q.Dates(start)
	points := make(map[int64][]peercircle.TrendPoint, len(groups))
	for _, g := range groups {
		p := make([]peercircle.TrendPoint, n)
		for i := range p {
			p[i].Quarter = quarters[i]
		}
		points[g.ID] = p
	}
	rows, err := tx.Query(`SELECT m.group_id, substr(m.local_date, 1, 7), m.status, COUNT(*) FROM sessions m`+scopeJoin+`
		WHERE `+where+` AND `+dateSpan+` GROUP BY m.group_id, substr(m.local_date, 1, 7), m.status`,
		spanArgs(args, first, last)...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var gid, cnt int64
		var month, status string
		if err := rows.Scan(&gid, &month, &status, &cnt); err != nil {
			rows.Close()
			return nil, err
		}
		i, ok := monthIdx[month]
		p := points[gid]
		if !ok || p == nil {
			continue
		}
		switch status {
		case peercircle.SessionHeld:
			p[i].Held += int(cnt)
			p[i].Planned += int(cnt)
		case peercircle.SessionPostponed:
		default:
			p[i].Planned += int(cnt)
		}
	}
	rows.Close()
	rows, err = tx.Query(`SELECT m.group_id, substr(m.local_date, 1, 7), COUNT(*) FROM attendance at JOIN sessions m ON m.id = at.session_id`+scopeJoin+`
		WHERE `+where+` AND `+dateSpan+` AND m.status = 'held' AND at.status = 'present'
		AND at.kind IN ('member', 'visitor') GROUP BY m.group_id, substr(m.local_date, 1, 7)`,
		spanArgs(args, first, last)...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var gid, cnt int64
		var month string
		if err := rows.Scan(&gid, &month, &cnt); err != nil {
			rows.Close()
			return nil, err
		}
		if i, ok := monthIdx[month]; ok && points[gid] != nil {
			points[gid][i].Attendance += int(cnt)
		}
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, err
	}
	rows.Close()
	for _, g := range groups {
		expectedTrend(g, compiled[g.ID], points[g.ID], quarters, start, now, nil)
	}
	return points, nil
}

// GroupTrends returns, for each group of a site, the n quarters ending
// with q: meetings planned, expected and held, and peers present.
func (s *Store) GroupTrends(ctx context.Context, siteID int64, q peercircle.Quarter, n int) (map[int64][]peercircle.TrendPoint, error) {
	var out map[int64][]peercircle.TrendPoint
	var pending []keptRow
	err := s.DB.Read(ctx, func(tx *Tx) error {
		site, err := loadSite(tx, siteID)
		if err != nil {
			return err
		}
		start, err := startMonth(tx)
		if err != nil {
			return err
		}
		where, args, _ := scopeFilter(peercircle.LevelSite, siteID)
		groups, err := loadGroups(tx, where, args, map[int64]*peercircle.Site{site.ID: site})
		if err != nil {
			return err
		}
		sc, err := loadSchedules(tx, where, args)
		if err != nil {
			return err
		}
		out, pending, err = s.trendsTx(tx, where, args, groups, sc, nil, q, start, n, s.Now(), nil)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.keep(ctx, pending)
	return out, nil
}

// expectedTrend sets Expected of each point as expectedMeetings does,
// whose expansions of a schedule over a quarter are kept (schedule_memo.go).
func expectedTrend(g *rgroup, sc *schedule.Schedule, p []peercircle.TrendPoint, quarters []peercircle.Quarter, start int, now time.Time, h *horizon) {
	for i, q := range quarters {
		p[i].Expected = expectedMeetings(g, sc, p[i].Planned, q, start, now, h)
	}
}

// quarterBack is the quarter n before q.
func quarterBack(q peercircle.Quarter, n int) peercircle.Quarter {
	for range n {
		q = q.Prev()
	}
	return q
}

// reportDue reports whether a site owes a Sheet 3 for a quarter: it had
// joined the programme by the quarter's last day, or had meetings in it. A
// site not yet in the programme (its staff visit a host site's group, 000)
// is never late.
func reportDue(st *peercircle.Site, f *peercircle.Figures, last string) bool {
	return (st.JoinedProgramme != nil && st.JoinedProgramme.Format(time.DateOnly) <= last) || f.Planned+f.Postponed > 0
}
