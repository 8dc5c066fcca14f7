package bench

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"

	"github.com/peercircle/peercircle"
)

// Scenario is one thing real people do, measured on the product and on its
// baseline.
type Scenario struct {
	Name string
	What string // for the table
	// Write scenarios change data; they run with Writers concurrent
	// clients and their own latency target.
	Write bool
	// P99Target is the latency the issue sets at half the maximum rate, in
	// milliseconds.
	P99Target float64
	// product builds the next request to the product.
	product func(c *Cast, r *rand.Rand) Request
	// baselineRequest builds the same page's request to the baseline, and
	// baseline answers it.
	baselineRequest func(c *Cast, r *rand.Rand) Request
	baselinePattern string
	baseline        func(b *Baseline, r *http.Request, out *rowWriter) error
}

// Latency targets on a 2-core machine with SQLite (issue 6).
const (
	targetPage    = 25.0  // ms, p99 at half the maximum rate
	targetRollup  = 50.0  // ms, the region roll-up
	targetWrite   = 100.0 // ms, 50 concurrent writers at half their maximum rate
	targetRatio   = 0.5   // product throughput / baseline throughput, reads
	targetStartup = 300.0 // ms, start-up to ready
	targetRSS     = 80.0  // MB, resident memory after the run
)

func get(path string, p *Person) Request {
	return Request{Method: http.MethodGet, Path: path, Cookie: p.Cookie}
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// Scenarios are the pages and actions measured, in the order they run:
// pages first, then writes. Each area's pages join as they land.
var Scenarios = scenarioList()

func scenarioList() []*Scenario {
	var reads, writes []*Scenario
	for _, list := range [][]*Scenario{pageScenarios, sessionScenarios} {
		for _, sc := range list {
			if sc.Write {
				writes = append(writes, sc)
			} else {
				reads = append(reads, sc)
			}
		}
	}
	return append(reads, writes...)
}

// pageScenarios are the foundation's pages and the reports.
var pageScenarios = []*Scenario{
	{
		Name: "member_home", What: "member home page", P99Target: targetPage,
		product: func(c *Cast, r *rand.Rand) Request { return get("/", pick(r, c.Members)) },
		baselineRequest: func(c *Cast, r *rand.Rand) Request {
			return Request{Method: http.MethodGet, Path: "/home?person=" + id(pick(r, c.Members).ID)}
		},
		baselinePattern: "GET /home",
		baseline: func(b *Baseline, r *http.Request, out *rowWriter) error {
			return b.memberHome(r.Context(), out, formID(r, "person"))
		},
	},
	{
		Name: "group_page", What: "group page (member)", P99Target: targetPage,
		product: func(c *Cast, r *rand.Rand) Request {
			p := pick(r, c.Members)
			return get("/groups/"+id(p.GroupID), p)
		},
		baselineRequest: func(c *Cast, r *rand.Rand) Request {
			p := pick(r, c.Members)
			return Request{Method: http.MethodGet, Path: "/group?id=" + id(p.GroupID) + "&person=" + id(p.ID)}
		},
		baselinePattern: "GET /group",
		baseline: func(b *Baseline, r *http.Request, out *rowWriter) error {
			return b.groupPage(r.Context(), out, formID(r, "id"), formID(r, "person"))
		},
	},
	{
		Name: "site_page", What: "organiser's site page", P99Target: targetPage,
		product: func(c *Cast, r *rand.Rand) Request {
			p := pick(r, c.Organisers)
			return get("/sites/"+id(p.SiteID), p)
		},
		baselineRequest: func(c *Cast, r *rand.Rand) Request {
			return Request{Method: http.MethodGet, Path: "/site?id=" + id(pick(r, c.Organisers).SiteID)}
		},
		baselinePattern: "GET /site",
		baseline: func(b *Baseline, r *http.Request, out *rowWriter) error {
			return b.sitePage(r.Context(), out, formID(r, "id"))
		},
	},
	{
		Name: "area_page", What: "coordinator's area dashboard", P99Target: targetPage,
		product: func(c *Cast, r *rand.Rand) Request {
			p := pick(r, c.Coordinators)
			return get("/areas/"+id(p.AreaID), p)
		},
		baselineRequest: func(c *Cast, r *rand.Rand) Request {
			return Request{Method: http.MethodGet, Path: "/area?id=" + id(pick(r, c.Coordinators).AreaID)}
		},
		baselinePattern: "GET /area",
		baseline: func(b *Baseline, r *http.Request, out *rowWriter) error {
			return b.rollUp(r.Context(), out, peercircle.LevelArea, formID(r, "id"))
		},
	},
	{
		Name: "people_list", What: "organiser's people list", P99Target: targetPage,
		product: func(c *Cast, r *rand.Rand) Request { return get("/people", pick(r, c.Organisers)) },
		baselineRequest: func(c *Cast, r *rand.Rand) Request {
			return Request{Method: http.MethodGet, Path: "/people?site=" + id(pick(r, c.Organisers).SiteID)}
		},
		baselinePattern: "GET /people",
		baseline: func(b *Baseline, r *http.Request, out *rowWriter) error {
			if err := b.tree(r.Context(), out, func(kind string, row []any) bool { return kind != "site" }); err != nil {
				return err
			}
			return b.peopleAt(r.Context(), out, formID(r, "site"))
		},
	},
	{
		Name: "sheet3", What: "Sheet 3 of a site (last quarter)", P99Target: targetPage,
		product: func(c *Cast, r *rand.Rand) Request {
			p := pick(r, c.Organisers)
			return get("/sites/"+id(p.SiteID)+"/reports/"+c.LastQuarter.String(), p)
		},
		baselineRequest: func(c *Cast, r *rand.Rand) Request {
			return Request{Method: http.MethodGet, Path: "/sheet3?site=" + id(pick(r, c.Organisers).SiteID) + "&quarter=" + c.LastQuarter.String()}
		},
		baselinePattern: "GET /sheet3",
		baseline: func(b *Baseline, r *http.Request, out *rowWriter) error {
			return b.sheet3(r.Context(), out, formID(r, "site"), r.FormValue("quarter"))
		},
	},
	{
		Name: "region_rollup", What: "region roll-up (this quarter)", P99Target: targetRollup,
		product: func(c *Cast, r *rand.Rand) Request {
			p := pick(r, c.RegionLeads)
			return get("/regions/"+id(p.Region), p)
		},
		baselineRequest: func(c *Cast, r *rand.Rand) Request {
			return Request{Method: http.MethodGet, Path: "/region?id=" + id(pick(r, c.RegionLeads).Region)}
		},
		baselinePattern: "GET /region",
		baseline: func(b *Baseline, r *http.Request, out *rowWriter) error {
			return b.rollUp(r.Context(), out, peercircle.LevelRegion, formID(r, "id"))
		},
	},
	{
		Name: "ical_feed", What: "a member's calendar feed", P99Target: targetPage,
		product: func(c *Cast, r *rand.Rand) Request {
			p := pick(r, c.Members)
			return Request{Method: http.MethodGet, Path: "/calendar/" + p.Feed + ".ics"}
		},
		baselineRequest: func(c *Cast, r *rand.Rand) Request {
			return Request{Method: http.MethodGet, Path: "/ical?token=" + pick(r, c.Members).Feed}
		},
		baselinePattern: "GET /ical",
		baseline: func(b *Baseline, r *http.Request, out *rowWriter) error {
			return b.icalFeed(r.Context(), out, r.FormValue("token"))
		},
	},
	{
		Name: "profile_save", What: "member saves their profile", Write: true, P99Target: targetWrite,
		product: func(c *Cast, r *rand.Rand) Request {
			p := pick(r, c.Writers)
			return Request{Method: http.MethodPost, Path: "/profile", Cookie: p.Cookie, OK: http.StatusSeeOther,
				Form: url.Values{"csrf": {p.CSRF}, "display_name": {displayNames[r.IntN(len(displayNames))]}, "lang": {"ar"}}}
		},
		baselineRequest: func(c *Cast, r *rand.Rand) Request {
			p := pick(r, c.Writers)
			return Request{Method: http.MethodPost, Path: "/profile?person=" + id(p.ID),
				Form: url.Values{"display_name": {displayNames[r.IntN(len(displayNames))]}, "lang": {"ar"}}}
		},
		baselinePattern: "POST /profile",
		baseline: func(b *Baseline, r *http.Request, out *rowWriter) error {
			return b.profileSave(r.Context(), out, formID(r, "person"), r.PostFormValue("display_name"), r.PostFormValue("lang"))
		},
	},
}

var displayNames = []string{"هدى", "Rana", "رنا", "Samir", "ليلى", "Omar"}

const groupCols = `g.id, g.site_id, g.name, g.purpose, g.kind, g.membership, g.structure, g.lang, g.size_limit, g.status,
	g.venue_id, g.agenda_template_id, g.listed, g.split_from_id, g.created_at, g.ended_at`

const personCols = "id, username, email, full_name, display_name, lang, home_site_id, status, created_at"

// tree is the store's Tree (the cached organisation tree, as the pages
// read it); keep chooses the rows the page shows.
func (b *Baseline) tree(ctx context.Context, out *rowWriter, keep func(kind string, row []any) bool) error {
	t, err := b.store.Tree(ctx)
	if err != nil {
		return err
	}
	for _, r := range t.Regions {
		if keep("region", []any{r.ID, r.Name}) {
			out.row(r.ID, r.Name, r.TimeZone)
		}
	}
	for _, a := range t.Areas {
		if keep("area", []any{a.ID, a.RegionID}) {
			out.row(a.ID, a.RegionID, a.Name)
		}
	}
	for _, st := range t.Sites {
		if keep("site", []any{st.ID, st.AreaID}) {
			out.row(st.ID, st.AreaID, st.Name, st.Kind)
		}
	}
	return nil
}

// sitePage is the organiser's site page: scope, site, its groups, the
// tree, and the plan of its groups (bench/groups.go).
func (b *Baseline) sitePage(ctx context.Context, out *rowWriter, site int64) error {
	if _, err := b.query(ctx, b.read, out, nil, `SELECT a.region_id, s.area_id, s.id FROM sites s JOIN areas a ON a.id = s.area_id WHERE s.id = ?`, site); err != nil {
		return err
	}
	if _, err := b.query(ctx, b.read, out, nil, "SELECT id, area_id, name, kind, time_zone, joined_programme FROM sites WHERE id = ?", site); err != nil {
		return err
	}
	groups, err := b.store.GroupsAtSite(ctx, site)
	if err != nil {
		return err
	}
	for _, g := range groups {
		out.row(g.ID, g.Name, g.Kind, g.Status)
	}
	if err := b.tree(ctx, out, func(kind string, row []any) bool { return kind == "area" }); err != nil {
		return err
	}
	return b.sitePlan(ctx, out, site, groups)
}

// peopleAt is FindPeople for one site: the count and the first 200.
func (b *Baseline) peopleAt(ctx context.Context, out *rowWriter, site int64) error {
	return b.readTx(ctx, func(tx *sql.Tx) error {
		var total int64
		if err := tx.QueryRowContext(ctx, b.sql("SELECT COUNT(*) FROM people WHERE 1 = 1 AND home_site_id = ?"), site).Scan(&total); err != nil {
			return err
		}
		out.row(total)
		_, err := b.query(ctx, tx, out, nil, `SELECT `+personCols+`
			FROM people WHERE 1 = 1 AND home_site_id = ? ORDER BY full_name, id LIMIT ? OFFSET ?`, site, 200, 0)
		return err
	})
}

// profileSave is the profile form: the person, their grants and the tree,
// then the update in a write transaction.
func (b *Baseline) profileSave(ctx context.Context, out *rowWriter, person int64, display, lang string) error {
	if _, err := b.query(ctx, b.read, out, nil, "SELECT "+personCols+" FROM people WHERE id = ?", person); err != nil {
		return err
	}
	if _, err := b.query(ctx, b.read, out, nil, "SELECT id, person_id, role, scope_kind, scope_id FROM grants WHERE person_id = ? ORDER BY id", person); err != nil {
		return err
	}
	if err := b.tree(ctx, out, func(string, []any) bool { return false }); err != nil {
		return err
	}
	return b.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, b.sql(`UPDATE people SET display_name = ?, lang = ? WHERE id = ?`), display, lang, person)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("person %d not found", person)
		}
		out.row(int64(1))
		return nil
	})
}

// rollUp is an area's or a region's dashboard: the tree (for the scope),
// the current quarter, and the roll-up with four quarters of trend.
func (b *Baseline) rollUp(ctx context.Context, out *rowWriter, level string, id int64) error {
	if _, err := b.store.Tree(ctx); err != nil {
		return err
	}
	q, err := b.store.CurrentQuarter(ctx, 0)
	if err != nil {
		return err
	}
	ru, err := b.store.RollUp(ctx, level, id, q, 4)
	if err != nil {
		return err
	}
	if _, err := b.store.CurrentQuarter(ctx, 0); err != nil {
		return err
	}
	return out.json(ru)
}

// sheet3 is a site's quarterly report page: the scope, the site, the live
// figures, the stored report, the quarter now, the tree (for the area's
// name), the due date, and four quarters of trend per group.
func (b *Baseline) sheet3(ctx context.Context, out *rowWriter, site int64, quarter string) error {
	q, err := peercircle.ParseQuarter(quarter)
	if err != nil {
		return err
	}
	if _, err := b.store.SiteScope(ctx, site); err != nil {
		return err
	}
	if _, err := b.store.Site(ctx, site); err != nil {
		return err
	}
	sh, err := b.store.Sheet3(ctx, site, q)
	if err != nil {
		return err
	}
	rep, err := b.store.Report(ctx, site, q)
	if err != nil {
		return err
	}
	if _, err := b.store.CurrentQuarter(ctx, site); err != nil {
		return err
	}
	if _, err := b.store.Tree(ctx); err != nil {
		return err
	}
	rows, err := b.store.SiteReports(ctx, site, q, q)
	if err != nil {
		return err
	}
	trends, err := b.store.GroupTrends(ctx, site, q, 4)
	if err != nil {
		return err
	}
	return out.json(struct {
		Sheet  *peercircle.Sheet3
		Report *peercircle.Report
		Rows   []peercircle.ReportRow
		Trends map[int64][]peercircle.TrendPoint
	}{sh, rep, rows, trends})
}
