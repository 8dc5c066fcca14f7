package demo

import (
	"context"
	"crypto/sha256"
	"database/sql/driver"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

// Scale sizes a generated organisation.
type Scale struct {
	Name           string
	Regions        int
	AreasPerRegion int
	SitesPerArea   int
	GroupsPerSite  int
	People         int
	Years          int // of meetings up to the data set's today
	AheadWeeks     int // of planned meetings after it
}

// Scales are the sizes `peercircle demo --scale` knows. National is the
// performance work's data set: 5 regions, 300 sites, 600 groups, 10 000
// people and five years of meetings. Country is ten times it over ten
// years (50 regions, 3 000 sites, 6 000 groups, 100 000 people; issue 14,
// goal 2). Small is for tests.
var Scales = map[string]Scale{
	"national": {Name: "national", Regions: 5, AreasPerRegion: 4, SitesPerArea: 15, GroupsPerSite: 2, People: 10000, Years: 5, AheadWeeks: 13},
	"country":  {Name: "country", Regions: 50, AreasPerRegion: 4, SitesPerArea: 15, GroupsPerSite: 2, People: 100000, Years: 10, AheadWeeks: 13},
	"small":    {Name: "small", Regions: 2, AreasPerRegion: 2, SitesPerArea: 3, GroupsPerSite: 2, People: 260, Years: 1, AheadWeeks: 13},
}

// NationalOptions say what to generate.
type NationalOptions struct {
	Scale Scale
	Seed  uint64
	// AsOf is the data set's today: meetings run Years up to it and are
	// planned AheadWeeks after it. The same seed and AsOf give the same
	// rows, on either backend.
	AsOf time.Time
	// Progress, if set, hears about each step as it ends.
	Progress func(step string, rows int64, took time.Duration)
}

// NationalStats says what was generated.
type NationalStats struct {
	Rows    map[string]int64 // per table
	Total   int64
	Digest  string            // SHA-256 over every row, to prove determinism
	Digests map[string]string // the same per table, to find what differs
	Took    time.Duration
}

// NationalStep adds one part of the national data set. Each area's tables
// join it as they land (schedules, feedback, reports), in files next to
// this one.
type NationalStep struct {
	Name string
	Run  func(ctx context.Context, g *Gen) error
	// ReadsFigures says the step reads the store's figures (Sheet 3), so
	// the figures' marks, paused while the rows before it load, must be
	// current first.
	ReadsFigures bool
}

// NationalSteps run in order on an empty, migrated database.
var NationalSteps = []NationalStep{
	{Name: "organisation", Run: genOrganisation},
	{Name: "people", Run: genPeople},
	{Name: "groups", Run: genGroups},
	{Name: "group details", Run: genGroupDetails},
	{Name: "meetings", Run: genMeetings},
	{Name: "reports", Run: genReports, ReadsFigures: true},
}

// Gen is the generator's state: what was planned so far, so that later
// steps (and later areas' steps) can refer to it.
type Gen struct {
	Store *sqlstore.Store
	Opt   NationalOptions
	R     *rand.Rand
	Loc   *time.Location
	Start time.Time // the first day of meetings (AsOf minus Years)

	Regions []*GenRegion
	Areas   []*GenArea
	Sites   []*GenSite
	Groups  []*GenGroup
	People  []*GenPerson
	// Sessions lists every meeting, in id order, for later steps.
	Sessions []GenSession

	Hash    string // the one password hash every account shares
	stats   *NationalStats
	digest  hash.Hash
	digests map[string]hash.Hash
	ids     map[string]int64 // the last id given per table
}

// GenRegion, GenArea, GenSite, GenGroup, GenPerson and GenSession are the
// generator's records, with the ids they were written under.
type GenRegion struct {
	ID          int64
	Coordinator int64
	Supervisors []int64
}

type GenArea struct {
	ID, RegionID int64
	Coordinator  int64
	Sites        []*GenSite
}

type GenSite struct {
	ID, AreaID, RegionID int64
	Kind                 string
	Joined               *time.Time // nil: not yet in the programme
	Organiser            int64
	Trainer              int64
	Venue                int64
	Groups               []*GenGroup
	Host                 *GenSite // for a site not yet joined: whose group its staff visit
}

type GenGroup struct {
	ID, SiteID   int64
	Kind, Status string
	Lang         string
	Created      time.Time
	Ended        *time.Time
	PausedFrom   *time.Time
	Weekday      time.Weekday
	Hour, Minute int
	Length       time.Duration
	Members      []*GenMember
	Venue        int64
}

type GenMember struct {
	ID, PersonID int64
	Role, Status string
	Visiting     bool
	Joined       time.Time
	Left         *time.Time
}

// current reports whether the member belongs to the group on day t.
func (m *GenMember) current(t time.Time) bool {
	return !t.Before(m.Joined) && (m.Left == nil || t.Before(*m.Left)) && m.Status != peercircle.MemberOrientation
}

type GenPerson struct {
	ID     int64
	SiteID int64
	Role   string // what the generator made them: member, organiser, coordinator, ...
}

type GenSession struct {
	ID, GroupID  int64
	Start        time.Time
	Status       string
	Facilitator  int64
	Present      int // members present
	Summary      string
	SummaryState string
}

// National fills an empty, migrated database with a generated organisation
// of the given scale. Rows are written with multi-row INSERTs in a few large
// transactions, and every account shares one password hash (the demo
// password), so the national scale takes well under two minutes.
func National(ctx context.Context, s *sqlstore.Store, opt NationalOptions) (*NationalStats, error) {
	start := time.Now()
	seeded, err := Seeded(ctx, s)
	if err != nil {
		return nil, err
	}
	if seeded {
		return nil, fmt.Errorf("the database already holds an organisation; generate into an empty one")
	}
	if opt.AsOf.IsZero() {
		return nil, fmt.Errorf("national data set: AsOf is required")
	}
	loc, err := time.LoadLocation("Asia/Amman")
	if err != nil {
		loc = time.FixedZone("Asia/Amman", 3*3600)
	}
	asOf := opt.AsOf.In(loc)
	asOf = time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, loc)
	opt.AsOf = asOf
	pwHash, err := passwordHash()
	if err != nil {
		return nil, err
	}
	g := &Gen{
		Store: s, Opt: opt, Loc: loc,
		R:     rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15)),
		Start: asOf.AddDate(-opt.Scale.Years, 0, 0),
		Hash:  pwHash, stats: &NationalStats{Rows: map[string]int64{}}, digest: sha256.New(), digests: map[string]hash.Hash{}, ids: map[string]int64{},
	}
	// Rows inserted mark no figures while they load; resuming marks every
	// group's months in a few statements (a third of the time on
	// PostgreSQL, more on SQLite, where every mark was two upserts a row).
	// A generation that fails still resumes them.
	if err := s.DB.PauseFigureMarks(ctx); err != nil {
		return nil, err
	}
	defer s.DB.ResumeFigureMarks(context.WithoutCancel(ctx))
	// References are checked once, after the load (sqlstore/load.go).
	if err := s.DB.PauseForeignKeys(ctx); err != nil {
		return nil, err
	}
	defer s.DB.ResumeForeignKeys(context.WithoutCancel(ctx))
	for _, step := range NationalSteps {
		t0 := time.Now()
		before := g.stats.Total
		if step.ReadsFigures {
			if err := s.DB.ResumeFigureMarks(ctx); err != nil {
				return nil, err
			}
		}
		if err := step.Run(ctx, g); err != nil {
			return nil, fmt.Errorf("national %s: %w", step.Name, err)
		}
		if opt.Progress != nil {
			opt.Progress(step.Name, g.stats.Total-before, time.Since(t0))
		}
	}
	if err := s.DB.ResumeFigureMarks(ctx); err != nil {
		return nil, err
	}
	t0 := time.Now()
	if err := s.DB.ResumeForeignKeys(ctx); err != nil {
		return nil, err
	}
	if opt.Progress != nil {
		opt.Progress("references checked", 0, time.Since(t0))
	}
	tables := make([]string, 0, len(g.ids))
	for t := range g.ids {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	if err := s.DB.SyncIDs(ctx, tables...); err != nil {
		return nil, err
	}
	g.stats.Digest = hex.EncodeToString(g.digest.Sum(nil))
	g.stats.Digests = map[string]string{}
	for t, h := range g.digests {
		g.stats.Digests[t] = hex.EncodeToString(h.Sum(nil))
	}
	g.stats.Took = time.Since(start)
	return g.stats, nil
}

// NextID returns the next id for table; ids are assigned by the generator
// so that nothing has to be read back.
func (g *Gen) NextID(table string) int64 {
	g.ids[table]++
	return g.ids[table]
}

// Writer is a bulk insert that also counts rows and feeds the digest.
type Writer struct {
	g     *Gen
	table string
	b     *sqlstore.Bulk
	buf   []byte
}

// Insert starts writing rows into table inside tx.
func (g *Gen) Insert(tx *sqlstore.Tx, table string, cols ...string) *Writer {
	return &Writer{g: g, table: table, b: tx.Bulk(table, cols...)}
}

// Add writes one row.
func (w *Writer) Add(vals ...any) error {
	w.buf = w.buf[:0]
	w.buf = append(w.buf, w.table...)
	for _, v := range vals {
		w.buf = append(w.buf, 0)
		w.buf = appendValue(w.buf, v)
	}
	w.g.digest.Write(w.buf)
	th := w.g.digests[w.table]
	if th == nil {
		th = sha256.New()
		w.g.digests[w.table] = th
	}
	th.Write(w.buf)
	w.g.stats.Rows[w.table]++
	w.g.stats.Total++
	return w.b.Add(vals...)
}

// Close sends what is left.
func (w *Writer) Close() error { return w.b.Close() }

// After makes w send the rows of parents before each of its own
// statements, so its rows never refer to rows not yet written.
func (w *Writer) After(parents ...*Writer) *Writer {
	w.b.Before = func() error {
		for _, p := range parents {
			if err := p.b.Flush(); err != nil {
				return err
			}
		}
		return nil
	}
	return w
}

func appendValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "NULL"...)
	case string:
		return append(b, x...)
	case []byte:
		// Sealed text: random nonces make it differ on every run; the
		// plaintext it seals is deterministic.
		return append(b, "sealed"...)
	case salted:
		return append(b, "salted"...)
	case int:
		return binary.AppendVarint(b, int64(x))
	case int64:
		return binary.AppendVarint(b, x)
	case bool:
		if x {
			return append(b, 1)
		}
		return append(b, 0)
	case time.Time:
		return binary.AppendVarint(b, x.UnixMicro())
	case *time.Time:
		if x == nil {
			return append(b, "NULL"...)
		}
		return binary.AppendVarint(b, x.UnixMicro())
	case float64:
		return binary.AppendUvarint(b, math.Float64bits(x))
	}
	return fmt.Append(b, v)
}

// salted is a value that differs on every run by design (a password hash
// with its random salt); the digest leaves it out.
type salted string

// Value stores it as text.
func (s salted) Value() (driver.Value, error) { return string(s), nil }

// write runs fn in one write transaction.
func (g *Gen) write(ctx context.Context, fn func(tx *sqlstore.Tx) error) error {
	return g.Store.DB.Write(ctx, fn)
}

// chance returns true with probability p.
func (g *Gen) chance(p float64) bool { return g.R.Float64() < p }

// pick returns a random element.
func pick[T any](g *Gen, list []T) T { return list[g.R.IntN(len(list))] }

// day returns a random day between from and to (exclusive), at midnight.
func (g *Gen) day(from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours() / 24)
	if days <= 0 {
		return from
	}
	d := from.AddDate(0, 0, g.R.IntN(days))
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, g.Loc)
}

var (
	regionNames = []string{"North", "Amman", "Zarqa and East", "Central", "South"}
	areaNames   = []string{
		"Irbid", "Ramtha", "Jerash", "Ajloun",
		"Amman East", "Amman West", "Marka", "Sahab",
		"Zarqa", "Russeifa", "Mafraq", "Azraq",
		"Balqa", "Madaba", "Jordan Valley North", "Deir Alla",
		"Karak", "Tafilah", "Ma'an", "Aqaba",
	}
	placeNames = []string{"Al-Hashmi", "Jabal Al-Nuzha", "Marka", "Tabarbour", "Abu Nseir", "Shafa Badran", "Al-Quwaismeh",
		"Al-Yarmouk", "Hay Nazzal", "Al-Ashrafieh", "Wadi Al-Seer", "Na'ur", "Al-Jubeiha", "Sweileh", "Khalda",
		"Al-Husun", "Kufr Yuba", "Bushra", "Sal", "Hakama", "Al-Mazar", "Deir Abi Said", "Kufranjah", "Anjara",
		"Sakib", "Souf", "Burma", "Al-Hashimiyya", "Al-Dhlail", "Al-Khaldiyya", "Al-Za'atari", "Bal'ama", "Sabha",
		"Al-Salt", "Fuheis", "Mahis", "Ain Al-Basha", "Dhiban", "Mleih", "Ghor Al-Safi", "Al-Mazar Al-Janoubi",
		"Al-Qatraneh", "Busaira", "Al-Hasa", "Wadi Musa", "Al-Quwayra", "Al-Rabba", "Al-Shuna", "Al-Karama", "Kreymeh"}
	topics = []string{"Psychological first aid", "Self-care and preventing burnout", "Managing stress at work",
		"Active listening", "Safe referral pathways", "Grief and loss", "Supporting children and adolescents",
		"Gender-based violence: safe and ethical referral", "Asking about suicide and referring", "Problem Management Plus",
		"Communication with distressed clients", "Setting boundaries", "Working with families", "Depression: recognising and supporting",
		"Anxiety and panic", "Substance use: first conversations", "Caring for people with chronic conditions", "Team support after a critical incident"}
)

func genOrganisation(ctx context.Context, g *Gen) error {
	sc := g.Opt.Scale
	return g.write(ctx, func(tx *sqlstore.Tx) error {
		org := g.Insert(tx, "organisation", "id", "name", "quarter_start_month")
		if err := org.Add(g.NextID("organisation"), "National Peer Support Programme", 1); err != nil {
			return err
		}
		if err := org.Close(); err != nil {
			return err
		}
		// Generated people sign in only through the benchmark's sessions:
		// no second factor is required of them (see seedOrganisation).
		if _, err := tx.Exec("INSERT INTO settings (key, value) VALUES (?, '')", peercircle.SettingSecondFactorRoles); err != nil {
			return err
		}
		regions := g.Insert(tx, "regions", "id", "name", "time_zone")
		areas := g.Insert(tx, "areas", "id", "region_id", "name").After(regions)
		sites := g.Insert(tx, "sites", "id", "area_id", "name", "kind", "time_zone", "joined_programme").After(areas)
		venues := g.Insert(tx, "venues", "id", "site_id", "name", "virtual", "address", "meeting_link", "capacity",
			"accessible", "quiet_private", "toilets", "cost", "refreshments", "notes").After(sites)
		usedNames := map[string]int{}
		for r := range sc.Regions {
			region := &GenRegion{ID: g.NextID("regions")}
			g.Regions = append(g.Regions, region)
			if err := regions.Add(region.ID, nameAt(regionNames, r, "Region"), "Asia/Amman"); err != nil {
				return err
			}
			for a := range sc.AreasPerRegion {
				area := &GenArea{ID: g.NextID("areas"), RegionID: region.ID}
				g.Areas = append(g.Areas, area)
				if err := areas.Add(area.ID, region.ID, nameAt(areaNames, r*sc.AreasPerRegion+a, "Area")); err != nil {
					return err
				}
				for i := range sc.SitesPerArea {
					st := &GenSite{ID: g.NextID("sites"), AreaID: area.ID, RegionID: region.ID, Kind: peercircle.SiteHealthCentre}
					if i%5 == 4 {
						st.Kind = peercircle.SiteCommunityCentre
					}
					switch x := g.R.Float64(); {
					case x < 0.05 && i > 0: // not yet in the programme
					case x < 0.6:
						j := g.day(g.Start.AddDate(-4, 0, 0), g.Start)
						st.Joined = &j
					default:
						j := g.day(g.Start, g.Opt.AsOf.AddDate(0, -3, 0))
						st.Joined = &j
					}
					if st.Joined == nil {
						st.Host = area.Sites[0]
					}
					area.Sites = append(area.Sites, st)
					g.Sites = append(g.Sites, st)
					place := pick(g, placeNames)
					kind := "Health Centre"
					if st.Kind == peercircle.SiteCommunityCentre {
						kind = "Community Centre"
					} else if g.chance(0.3) {
						kind = "Comprehensive Health Centre"
					}
					name := place + " " + kind
					if n := usedNames[name]; n > 0 {
						name = fmt.Sprintf("%s %d", name, n+1)
					}
					usedNames[place+" "+kind]++
					if err := sites.Add(st.ID, area.ID, name, st.Kind, "Asia/Amman", st.Joined); err != nil {
						return err
					}
					st.Venue = g.NextID("venues")
					room := "Training room"
					if st.Kind == peercircle.SiteCommunityCentre {
						room = "Meeting hall"
					}
					if err := venues.Add(st.Venue, st.ID, room, false, place, "", 12+g.R.IntN(20),
						g.chance(0.8), g.chance(0.9), true, "", g.chance(0.7), ""); err != nil {
						return err
					}
				}
			}
		}
		for _, w := range []*Writer{regions, areas, sites, venues} {
			if err := w.Close(); err != nil {
				return err
			}
		}
		return sqlstore.BumpTreeVersion(tx)
	})
}

// nameAt returns list[i], or a numbered name past the list's end.
func nameAt(list []string, i int, what string) string {
	if i < len(list) {
		return list[i]
	}
	return fmt.Sprintf("%s %d", what, i+1)
}

// genPeople creates the staff roles (admins, coordinators, organisers,
// supervisors, trainers) and the peers. The first of each role gets the
// demo sign-in's username, so `peercircle demo --scale national` can be
// tried with the same logins as the small demo.
func genPeople(ctx context.Context, g *Gen) error {
	sc := g.Opt.Scale
	return g.write(ctx, func(tx *sqlstore.Tx) error {
		people := g.Insert(tx, "people", "id", "username", "email", "full_name", "display_name", "lang", "home_site_id", "status", "password_hash", "created_at")
		grants := g.Insert(tx, "grants", "id", "person_id", "role", "scope_kind", "scope_id").After(people)
		demoName := map[string]bool{}
		add := func(site int64, role string) (*GenPerson, error) {
			p := &GenPerson{ID: g.NextID("people"), SiteID: site, Role: role}
			g.People = append(g.People, p)
			first, family := pick(g, firstNames), pick(g, familyNames)
			user := fmt.Sprintf("%s.%s.%d", lower(first), lower(family), p.ID)
			switch role {
			case peercircle.RoleAdmin, peercircle.RoleCoordinator, peercircle.RoleOrganiser, peercircle.RoleSupervisor, peercircle.RoleTrainer:
				if !demoName[role] {
					demoName[role] = true
					user = role
				}
			}
			display := ""
			if a, ok := arabicNames[first]; ok && g.chance(0.3) {
				display = a
			}
			lang := ""
			switch x := g.R.Float64(); {
			case x < 0.2:
				lang = "ar"
			case x < 0.28:
				lang = "en"
			case x < 0.3:
				lang = "fr"
			}
			status, hash := peercircle.PersonActive, any(salted(g.Hash))
			if role == peercircle.RoleMember && g.chance(0.02) {
				status, hash = peercircle.PersonInvited, nil
			}
			created := g.day(g.Start.AddDate(0, -6, 0), g.Start)
			return p, people.Add(p.ID, user, user+"@national.peercircle.invalid", first+" "+family, display, lang,
				nullID(site), status, hash, created)
		}
		grant := func(p *GenPerson, role, kind string, id int64) error {
			return grants.Add(g.NextID("grants"), p.ID, role, kind, id)
		}
		for range max(1, sc.Regions/2) {
			p, err := add(0, peercircle.RoleAdmin)
			if err != nil {
				return err
			}
			if err := grant(p, peercircle.RoleAdmin, peercircle.ScopeOrganisation, 0); err != nil {
				return err
			}
		}
		for _, a := range g.Areas {
			p, err := add(0, peercircle.RoleCoordinator)
			if err != nil {
				return err
			}
			a.Coordinator = p.ID
			if err := grant(p, peercircle.RoleCoordinator, peercircle.ScopeArea, a.ID); err != nil {
				return err
			}
		}
		for _, r := range g.Regions {
			p, err := add(0, peercircle.RoleCoordinator)
			if err != nil {
				return err
			}
			r.Coordinator = p.ID
			if err := grant(p, peercircle.RoleCoordinator, peercircle.ScopeRegion, r.ID); err != nil {
				return err
			}
			for range 2 {
				p, err := add(0, peercircle.RoleSupervisor)
				if err != nil {
					return err
				}
				r.Supervisors = append(r.Supervisors, p.ID)
				if err := grant(p, peercircle.RoleSupervisor, peercircle.ScopeRegion, r.ID); err != nil {
					return err
				}
			}
		}
		trainers := 0
		for _, st := range g.Sites {
			p, err := add(st.ID, peercircle.RoleOrganiser)
			if err != nil {
				return err
			}
			st.Organiser = p.ID
			if err := grant(p, peercircle.RoleOrganiser, peercircle.ScopeSite, st.ID); err != nil {
				return err
			}
			if st.Kind == peercircle.SiteCommunityCentre && trainers < 2*sc.Regions {
				trainers++
				p, err := add(st.ID, peercircle.RoleTrainer)
				if err != nil {
					return err
				}
				st.Trainer = p.ID
				if err := grant(p, peercircle.RoleTrainer, peercircle.ScopeSite, st.ID); err != nil {
					return err
				}
			}
		}
		// The peers, spread over the sites in turn so each site's groups
		// can be filled from its own staff or community.
		for i := 0; len(g.People) < sc.People; i++ {
			st := g.Sites[i%len(g.Sites)]
			if _, err := add(st.ID, peercircle.RoleMember); err != nil {
				return err
			}
		}
		if err := people.Close(); err != nil {
			return err
		}
		return grants.Close()
	})
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// nullID stores 0 as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// groupKinds: a health centre runs its staff group and often a second one
// (a training cohort or a second staff group when the first grew too
// large); a community centre runs a peer-led group and a families group.
func groupKind(site *GenSite, i int) (kind, name string) {
	if site.Kind == peercircle.SiteCommunityCentre {
		switch i % 3 {
		case 0:
			return peercircle.KindCommunity, "Hope Circle"
		case 1:
			return peercircle.KindFamily, "Families Together"
		}
		return peercircle.KindTraining, "Peer supporter training"
	}
	switch i % 3 {
	case 0:
		return peercircle.KindStaff, "Staff peer support group"
	case 1:
		return peercircle.KindStaff, "Staff peer support group (second)"
	}
	return peercircle.KindTraining, "PAIR refresher cohort"
}

func genGroups(ctx context.Context, g *Gen) error {
	bySite := map[int64][]*GenPerson{}
	for _, p := range g.People {
		if p.Role == peercircle.RoleMember {
			bySite[p.SiteID] = append(bySite[p.SiteID], p)
		}
	}
	return g.write(ctx, func(tx *sqlstore.Tx) error {
		groups := g.Insert(tx, "groups", "id", "site_id", "name", "purpose", "kind", "membership", "structure", "lang",
			"size_limit", "status", "venue_id", "agenda_template_id", "listed", "split_from_id", "created_at", "ended_at")
		members := g.Insert(tx, "memberships", "id", "group_id", "person_id", "role", "status", "visiting", "unlisted", "joined_at", "left_at").After(groups)
		for _, st := range g.Sites {
			pool := bySite[st.ID]
			for i := range g.Opt.Scale.GroupsPerSite {
				kind, name := groupKind(st, i)
				gr := &GenGroup{ID: g.NextID("groups"), SiteID: st.ID, Kind: kind, Status: peercircle.GroupActive, Lang: "ar",
					Weekday: time.Weekday(g.R.IntN(5)), Hour: 13 + g.R.IntN(2), Length: 2 * time.Hour, Venue: st.Venue}
				if kind == peercircle.KindCommunity || kind == peercircle.KindFamily {
					gr.Hour, gr.Minute, gr.Length = 17, 30, 90*time.Minute
				}
				if g.chance(0.1) {
					gr.Lang = "en"
				}
				switch {
				case st.Joined == nil:
					gr.Created = g.day(g.Opt.AsOf.AddDate(0, -2, 0), g.Opt.AsOf)
					gr.Status = peercircle.GroupForming
				case st.Joined.Before(g.Start):
					gr.Created = g.Start
				default:
					gr.Created = st.Joined.AddDate(0, 0, 14)
				}
				if st.Joined != nil {
					switch x := g.R.Float64(); {
					case x < 0.03:
						e := g.day(gr.Created.AddDate(0, 6, 0), g.Opt.AsOf)
						if e.After(gr.Created) {
							gr.Ended, gr.Status = &e, peercircle.GroupEnded
						}
					case x < 0.05:
						p := g.Opt.AsOf.AddDate(0, -2, 0)
						if p.After(gr.Created) {
							gr.PausedFrom, gr.Status = &p, peercircle.GroupPaused
						}
					}
				}
				membership, structure, listed := peercircle.MembershipClosed, peercircle.StructureFormal, false
				purpose := "A protected space for the family health team to refresh MHPSS topics, discuss cases without names and support each other."
				switch kind {
				case peercircle.KindCommunity:
					membership, structure, listed = peercircle.MembershipOpen, peercircle.StructureInformal, true
					purpose = "A peer-led group for people with lived experience: sharing, listening, and finding our own ways forward."
				case peercircle.KindFamily:
					membership, structure, listed = peercircle.MembershipOpen, peercircle.StructureInformal, true
					purpose = "For families and care partners: information, encouragement and a place to be heard."
				case peercircle.KindTraining:
					purpose = "The peer supporter course: core values, competencies, GROW, and running a self-run group."
				}
				if err := groups.Add(gr.ID, st.ID, name, purpose, kind, membership, structure, gr.Lang, 20, gr.Status,
					gr.Venue, nil, listed, nil, gr.Created, gr.Ended); err != nil {
					return err
				}
				st.Groups = append(st.Groups, gr)
				g.Groups = append(g.Groups, gr)

				// Members: this group's share of the site's people, two of
				// them standing facilitators; some leave over the years and
				// newcomers take their place.
				share := pool[len(pool)*i/g.Opt.Scale.GroupsPerSite : len(pool)*(i+1)/g.Opt.Scale.GroupsPerSite]
				initial := len(share) * 85 / 100
				for j, p := range share {
					m := &GenMember{ID: g.NextID("memberships"), PersonID: p.ID, Role: peercircle.RoleMember, Status: peercircle.MemberActive, Joined: gr.Created}
					if j < 2 {
						m.Role = peercircle.RoleFacilitator
					}
					if j >= initial { // a newcomer
						m.Joined = g.day(gr.Created, g.Opt.AsOf)
					} else if j >= 2 && g.chance(0.12) {
						left := g.day(gr.Created.AddDate(0, 3, 0), g.Opt.AsOf)
						if left.After(gr.Created) && left.Before(g.Opt.AsOf) {
							m.Left, m.Status = &left, peercircle.MemberLeft
						}
					}
					if gr.Status == peercircle.GroupForming {
						m.Status = peercircle.MemberOrientation
					} else if m.Status == peercircle.MemberActive && g.chance(0.03) {
						m.Status = peercircle.MemberOnLeave
					}
					gr.Members = append(gr.Members, m)
				}
				if kind == peercircle.KindStaff && i == 0 && st.Organiser != 0 {
					gr.Members = append(gr.Members, &GenMember{ID: g.NextID("memberships"), PersonID: st.Organiser,
						Role: peercircle.RoleMember, Status: peercircle.MemberActive, Joined: gr.Created})
				}
				if st.Trainer != 0 && kind == peercircle.KindTraining {
					gr.Members = append(gr.Members, &GenMember{ID: g.NextID("memberships"), PersonID: st.Trainer,
						Role: peercircle.RoleFacilitator, Status: peercircle.MemberActive, Joined: gr.Created})
				}
			}
		}
		// Staff of sites not yet in the programme visit the first group of
		// their area's host site once a month (000).
		for _, st := range g.Sites {
			if st.Host == nil || len(st.Host.Groups) == 0 {
				continue
			}
			host := st.Host.Groups[0]
			for _, gr := range st.Groups {
				for _, m := range gr.Members {
					host.Members = append(host.Members, &GenMember{ID: g.NextID("memberships"), PersonID: m.PersonID,
						Role: peercircle.RoleMember, Status: peercircle.MemberActive, Visiting: true, Joined: gr.Created})
				}
			}
		}
		for _, gr := range g.Groups {
			for _, m := range gr.Members {
				if err := members.Add(m.ID, gr.ID, m.PersonID, m.Role, m.Status, m.Visiting, g.chance(0.02), m.Joined, m.Left); err != nil {
					return err
				}
			}
		}
		if err := groups.Close(); err != nil {
			return err
		}
		return members.Close()
	})
}

// meetingDays returns the group's meetings from its start: the second and
// the last week of each month on the group's weekday (000).
func (g *Gen) meetingDays(gr *GenGroup, from, to time.Time) []time.Time {
	var out []time.Time
	m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, g.Loc)
	for !m.After(to) {
		// The second <weekday> of the month.
		first := m.AddDate(0, 0, (int(gr.Weekday)-int(m.Weekday())+7)%7)
		second := first.AddDate(0, 0, 7)
		// The last <weekday> of the month.
		next := m.AddDate(0, 1, 0)
		last := next.AddDate(0, 0, -1)
		last = last.AddDate(0, 0, -((int(last.Weekday()) - int(gr.Weekday) + 7) % 7))
		for _, d := range []time.Time{second, last} {
			t := time.Date(d.Year(), d.Month(), d.Day(), gr.Hour, gr.Minute, 0, 0, g.Loc)
			if !t.Before(from) && t.Before(to) {
				out = append(out, t)
			}
		}
		m = next
	}
	return out
}

// meetingWriters are the tables a meeting writes to.
type meetingWriters struct {
	sessions, attendance, summaries, summaryEvents, summarySupport *Writer
	feedbackRounds, feedbackCounts, feedbackNotes                  *Writer
}

// genMeetings writes five years of meetings: held ones with attendance, a
// summary (Sheet 2, its sealed sections, its review history) and anonymous
// feedback, some cancelled or postponed, and the planned ones of the coming
// weeks.
func genMeetings(ctx context.Context, g *Gen) error {
	ahead := g.Opt.AsOf.AddDate(0, 0, 7*g.Opt.Scale.AheadWeeks)
	// One transaction per region keeps the write-ahead log to a sensible
	// size on SQLite while still writing a few hundred thousand rows each.
	for _, region := range g.Regions {
		err := g.write(ctx, func(tx *sqlstore.Tx) error {
			w := &meetingWriters{}
			w.sessions = g.Insert(tx, "sessions", "id", "group_id", "planned_start", "planned_end", "local_date", "occurrence", "status",
				"status_reason", "edited", "venue_id", "facilitator_id", "co_facilitator_id", "topic", "speaker", "sequence", "created_at", "updated_at")
			w.attendance = g.Insert(tx, "attendance", "id", "session_id", "person_id", "guest_name", "kind", "status", "updated_at").After(w.sessions)
			w.summaries = g.Insert(tx, "summaries", "session_id", "state", "author_id", "topic", "cases_discussed", "return_comment",
				"reviewed_by", "submitted_at", "reviewed_at", "created_at", "updated_at",
				"key_issues", "decisions", "achievements", "challenges", "follow_ups", "version").After(w.sessions)
			w.summaryEvents = g.Insert(tx, "summary_events", "id", "session_id", "at", "actor_id", "state", "comment").After(w.sessions)
			w.summarySupport = g.Insert(tx, "summary_support", "session_id", "kind", "n").After(w.sessions)
			w.feedbackRounds = g.Insert(tx, "feedback_rounds", "session_id", "open", "tokens_issued", "responses").After(w.sessions)
			w.feedbackCounts = g.Insert(tx, "feedback_counts", "session_id", "question", "value", "n").After(w.sessions)
			w.feedbackNotes = g.Insert(tx, "feedback_notes", "session_id", "shuffle", "prompt", "body").After(w.sessions)
			for _, st := range g.Sites {
				if st.RegionID != region.ID {
					continue
				}
				coordinator := int64(0)
				for _, a := range g.Areas {
					if a.ID == st.AreaID {
						coordinator = a.Coordinator
					}
				}
				for _, gr := range st.Groups {
					if gr.Status == peercircle.GroupForming {
						continue
					}
					end := ahead
					if gr.Ended != nil {
						end = *gr.Ended
					}
					from := gr.Created
					if from.Before(g.Start) {
						from = g.Start
					}
					topicAt := g.R.IntN(len(topics))
					for n, day := range g.meetingDays(gr, from, end) {
						if err := g.meeting(gr, st, coordinator, n, day, &topicAt, w); err != nil {
							return err
						}
					}
				}
			}
			for _, wr := range []*Writer{w.sessions, w.attendance, w.summaries, w.summaryEvents, w.summarySupport,
				w.feedbackRounds, w.feedbackCounts, w.feedbackNotes} {
				if err := wr.Close(); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

var (
	cancelReasons = []string{"Public holiday", "Vaccination campaign", "Staff shortage", "Weather"}
	returnNotes   = []string{"Please add the topic refresher.", "The attendance count does not match the list.", "Please add the follow-ups agreed."}
)

func (g *Gen) meeting(gr *GenGroup, st *GenSite, coordinator int64, n int, start time.Time, topicAt *int, w *meetingWriters) error {
	asOf := g.Opt.AsOf
	end := start.Add(gr.Length)
	status, reason := peercircle.SessionPlanned, ""
	past := start.Before(asOf)
	if past {
		switch x := g.R.Float64(); {
		case gr.PausedFrom != nil && !start.Before(*gr.PausedFrom):
			status, reason = peercircle.SessionCancelled, "Group paused"
		case x < 0.06:
			status, reason = peercircle.SessionCancelled, pick(g, cancelReasons)
		case x < 0.09:
			status, reason = peercircle.SessionPostponed, pick(g, cancelReasons)
		default:
			status = peercircle.SessionHeld
		}
	} else if gr.PausedFrom != nil {
		status, reason = peercircle.SessionCancelled, "Group paused"
	}
	// Facilitation rotates through the current members (000); a standing
	// facilitator co-facilitates.
	var current []*GenMember
	var standing int64
	for _, m := range gr.Members {
		if m.current(start) && !m.Visiting {
			current = append(current, m)
			if m.Role == peercircle.RoleFacilitator && standing == 0 {
				standing = m.PersonID
			}
		}
	}
	var fac int64
	if len(current) > 0 {
		fac = current[n%len(current)].PersonID
	}
	co := standing
	if co == fac {
		co = 0
	}
	topic := topics[*topicAt%len(topics)]
	*topicAt++
	speaker := ""
	if g.chance(0.1) {
		speaker = "Area mental health specialist"
	}
	id := g.NextID("sessions")
	created := start.AddDate(0, -1, 0)
	updated := created
	if past {
		updated = end
	}
	occ := start
	if err := w.sessions.Add(id, gr.ID, start, end, start.Format("2006-01-02"), &occ, status, reason, false,
		gr.Venue, nullID(fac), nullID(co), topic, speaker, 0, created, updated); err != nil {
		return err
	}
	rec := GenSession{ID: id, GroupID: gr.ID, Start: start, Status: status, Facilitator: fac}
	if status == peercircle.SessionHeld {
		firstOfMonth := start.Day() <= 14
		for _, m := range gr.Members {
			if !m.current(start) || (m.Visiting && !firstOfMonth) {
				continue
			}
			att := peercircle.AttendPresent
			switch x := g.R.Float64(); {
			case m.Status == peercircle.MemberOnLeave && start.After(asOf.AddDate(0, -2, 0)):
				att = peercircle.AttendApologies
			case x < 0.10:
				att = peercircle.AttendAbsent
			case x < 0.22:
				att = peercircle.AttendApologies
			}
			if att == peercircle.AttendPresent {
				rec.Present++
			}
			kind := peercircle.AttendMember
			if m.Visiting {
				kind = peercircle.AttendVisitor
			}
			if err := w.attendance.Add(g.NextID("attendance"), id, m.PersonID, "", kind, att, end); err != nil {
				return err
			}
		}
		if coordinator != 0 && g.chance(0.04) {
			if err := w.attendance.Add(g.NextID("attendance"), id, coordinator, "", peercircle.AttendGuest, peercircle.AttendPresent, end); err != nil {
				return err
			}
		}
		// The summary (Sheet 2): accepted once the organiser reviewed it;
		// the last weeks' are still in review.
		age := asOf.Sub(start)
		state := peercircle.ReviewAccepted
		comment := ""
		switch x := g.R.Float64(); {
		case age < 3*24*time.Hour && x < 0.5:
			state = peercircle.ReviewDraft
		case age < 21*24*time.Hour && x < 0.6:
			state = peercircle.ReviewSubmitted
		case age < 21*24*time.Hour && x < 0.7:
			state, comment = peercircle.ReviewReturned, pick(g, returnNotes)
		}
		written := end.Add(time.Duration(30+g.R.IntN(120)) * time.Minute)
		var submitted, reviewed *time.Time
		var reviewer any
		if state != peercircle.ReviewDraft {
			t := written.Add(time.Duration(g.R.IntN(48)) * time.Hour)
			submitted = &t
		}
		if state == peercircle.ReviewAccepted || state == peercircle.ReviewReturned {
			t := submitted.Add(time.Duration(1+g.R.IntN(96)) * time.Hour)
			reviewed, reviewer = &t, nullID(st.Organiser)
		}
		updatedAt := written
		if reviewed != nil {
			updatedAt = *reviewed
		}
		notes := g.sealNotes(id, state)
		version := 1 + g.R.IntN(3)
		if err := w.summaries.Add(id, state, nullID(fac), topic, g.R.IntN(4), comment, reviewer, submitted, reviewed, written, updatedAt,
			notes[0], notes[1], notes[2], notes[3], notes[4], version); err != nil {
			return err
		}
		// The review history: each submission, return and acceptance.
		if submitted != nil {
			if state == peercircle.ReviewReturned || (state == peercircle.ReviewAccepted && g.chance(0.05)) {
				returned := submitted.Add(24 * time.Hour)
				if err := w.summaryEvents.Add(g.NextID("summary_events"), id, *submitted, nullID(fac), peercircle.ReviewSubmitted, ""); err != nil {
					return err
				}
				if err := w.summaryEvents.Add(g.NextID("summary_events"), id, returned, nullID(st.Organiser), peercircle.ReviewReturned, pick(g, returnNotes)); err != nil {
					return err
				}
			}
			if state != peercircle.ReviewReturned {
				if err := w.summaryEvents.Add(g.NextID("summary_events"), id, *submitted, nullID(fac), peercircle.ReviewSubmitted, ""); err != nil {
					return err
				}
			}
			if state == peercircle.ReviewAccepted {
				if err := w.summaryEvents.Add(g.NextID("summary_events"), id, *reviewed, nullID(st.Organiser), peercircle.ReviewAccepted, ""); err != nil {
					return err
				}
			}
		}
		// Support signposted during the meeting (counts only).
		if g.chance(0.2) {
			if err := w.summarySupport.Add(id, pick(g, peercircle.SupportKinds), 1+g.R.IntN(2)); err != nil {
				return err
			}
		}
		if err := g.feedback(id, rec.Present, w); err != nil {
			return err
		}
		rec.Summary, rec.SummaryState = topic, state
	}
	g.Sessions = append(g.Sessions, rec)
	return nil
}

// Sheet 2's confidential sections: ordinary words, no names (the guard
// would refuse them), sealed with the key outside the database.
var noteTexts = [][]string{
	{"Workload after the vaccination campaign", "Supporting a client who lost a child", "Difficult conversations with relatives at reception",
		"Feeling unable to help when referral services are full", "A client who disclosed violence at home"},
	{"Share the updated referral list at the next meeting", "Ask the area office about a quiet room", "Practise the PFA steps in pairs next time"},
	{"Everyone took part in the check-in", "The group used the new referral pathway twice", "Better time-keeping than last month"},
	{"Two members missed the meeting because of shift changes", "Interruptions from the clinic", "Little time for the case discussion"},
	{"Organiser to ask for a private room", "Facilitator to bring the PM+ handouts", "Check on the member who was tired"},
}

// sealNotes returns the sealed sections of a summary, in NoteFields order;
// a draft has only the first.
func (g *Gen) sealNotes(sessionID int64, state string) [5]any {
	var out [5]any
	for i, f := range peercircle.NoteFields {
		if i >= len(noteTexts) || (state == peercircle.ReviewDraft && i > 0) {
			break
		}
		text := pick(g, noteTexts[i])
		if g.Store.Keys != nil {
			out[i] = g.Store.Keys.SealString(text, fmt.Sprintf("summary:%d:%s", sessionID, f))
		}
	}
	return out
}

var feedbackWords = map[string][]string{
	"meaningful":    {"Hearing that others feel the same", "The breathing exercise", "The case discussion"},
	"grateful":      {"The facilitator kept time well", "Being listened to", "Tea and a quiet room"},
	"not_addressed": {"Night shifts", "Transport to the centre"},
	"better":        {"Start on time", "A longer topic refresher"},
}

// feedback writes the anonymous feedback of a held meeting: a closed round,
// the ratings as counts, and a few sealed words from the closing round.
func (g *Gen) feedback(sessionID int64, present int, w *meetingWriters) error {
	if present == 0 || !g.chance(0.6) {
		return nil
	}
	responses := present * (50 + g.R.IntN(50)) / 100
	if err := w.feedbackRounds.Add(sessionID, false, present, responses); err != nil {
		return err
	}
	if responses == 0 {
		return nil
	}
	for _, q := range peercircle.FeedbackQuestions {
		counts := [6]int{}
		for range responses {
			v := 5
			switch x := g.R.Float64(); {
			case x < 0.05:
				v = 2
			case x < 0.25:
				v = 3
			case x < 0.6:
				v = 4
			}
			counts[v]++
		}
		for v, n := range counts {
			if n > 0 {
				if err := w.feedbackCounts.Add(sessionID, q, v, n); err != nil {
					return err
				}
			}
		}
	}
	if g.Store.Keys == nil {
		return nil
	}
	for range min(responses, g.R.IntN(3)) {
		prompt := pick(g, peercircle.FeedbackPrompts)
		words := feedbackWords[prompt]
		if len(words) == 0 {
			continue
		}
		body := g.Store.Keys.SealString(pick(g, words), fmt.Sprintf("feedback:%d:%s", sessionID, prompt))
		if err := w.feedbackNotes.Add(sessionID, int64(g.R.Uint64()>>1), prompt, body); err != nil {
			return err
		}
	}
	return nil
}
