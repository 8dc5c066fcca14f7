package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// tree makes a small organisation: one region, one area, one site.
func tree(t *testing.T, s *sqlstore.Store) (peercircle.Region, peercircle.Area, peercircle.Site) {
	t.Helper()
	ctx := context.Background()
	if err := s.UpdateOrganisation(ctx, &peercircle.Organisation{Name: "Health Programme", QuarterStartMonth: 1}); err != nil {
		t.Fatal(err)
	}
	r := peercircle.Region{Name: "Jordan", TimeZone: "Asia/Amman"}
	if err := s.CreateRegion(ctx, &r); err != nil {
		t.Fatal(err)
	}
	a := peercircle.Area{RegionID: r.ID, Name: "Amman North"}
	if err := s.CreateArea(ctx, &a); err != nil {
		t.Fatal(err)
	}
	st := peercircle.Site{AreaID: a.ID, Name: "Jabal Hussein HC", Kind: peercircle.SiteHealthCentre, TimeZone: "Asia/Amman"}
	if err := s.CreateSite(ctx, &st); err != nil {
		t.Fatal(err)
	}
	return r, a, st
}

func TestOrganisationTree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		r, a, st := tree(t, s)

		t.Run("the tree reads back as it was written", func(t *testing.T) {
			tr, err := s.Tree(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if tr.Organisation.Name != "Health Programme" || len(tr.Regions) != 1 || len(tr.Areas) != 1 || len(tr.Sites) != 1 {
				t.Fatalf("tree = %+v", tr)
			}
			if got := tr.Sites[0]; got.Name != st.Name || got.AreaID != a.ID || got.TimeZone != "Asia/Amman" || got.JoinedProgramme != nil {
				t.Fatalf("site = %+v", got)
			}
			sc, ok := tr.SiteScope(st.ID)
			if !ok || sc.RegionID != r.ID || sc.AreaID != a.ID || sc.SiteID != st.ID {
				t.Fatalf("scope = %+v", sc)
			}
		})

		t.Run("a site's scope names its area and region", func(t *testing.T) {
			sc, err := s.SiteScope(ctx, st.ID)
			if err != nil || sc.RegionID != r.ID || sc.AreaID != a.ID {
				t.Fatalf("scope = %+v, %v", sc, err)
			}
			if _, err := s.SiteScope(ctx, 9999); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
				t.Fatalf("unknown site: %v", err)
			}
		})

		t.Run("an unknown time zone is refused and nothing is saved", func(t *testing.T) {
			bad := peercircle.Site{AreaID: a.ID, Name: "X", Kind: peercircle.SiteHealthCentre, TimeZone: "Mars/Olympus"}
			err := s.CreateSite(ctx, &bad)
			if peercircle.ErrorFields(err)["time_zone"] != "error.time_zone" {
				t.Fatalf("err = %v", err)
			}
			tr, _ := s.Tree(ctx)
			if len(tr.Sites) != 1 {
				t.Fatalf("sites = %d", len(tr.Sites))
			}
		})

		t.Run("a site in a missing area is not found", func(t *testing.T) {
			bad := peercircle.Site{AreaID: 777, Name: "X", Kind: peercircle.SiteHealthCentre, TimeZone: "Asia/Amman"}
			if err := s.CreateSite(ctx, &bad); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
				t.Fatalf("err = %v", err)
			}
		})

		t.Run("a region with areas cannot be deleted", func(t *testing.T) {
			if err := s.DeleteRegion(ctx, r.ID); peercircle.ErrorCode(err) != peercircle.ECONFLICT {
				t.Fatalf("err = %v", err)
			}
			if err := s.DeleteArea(ctx, a.ID); peercircle.ErrorCode(err) != peercircle.ECONFLICT {
				t.Fatalf("err = %v", err)
			}
		})

		t.Run("a site joins the programme and is renamed", func(t *testing.T) {
			joined := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
			st.JoinedProgramme = &joined
			st.Name = "Jabal Hussein Health Centre"
			if err := s.UpdateSite(ctx, &st); err != nil {
				t.Fatal(err)
			}
			got, err := s.Site(ctx, st.ID)
			if err != nil || got.Name != st.Name || got.JoinedProgramme == nil || !got.JoinedProgramme.Equal(joined) {
				t.Fatalf("site = %+v, %v", got, err)
			}
		})

		t.Run("an empty site, area and region can be deleted in turn", func(t *testing.T) {
			for _, del := range []func() error{
				func() error { return s.DeleteSite(ctx, st.ID) },
				func() error { return s.DeleteArea(ctx, a.ID) },
				func() error { return s.DeleteRegion(ctx, r.ID) },
			} {
				if err := del(); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.DeleteRegion(ctx, r.ID); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
				t.Fatalf("deleting twice: %v", err)
			}
		})
	})
}

func TestMigrations(t *testing.T) {
	for _, b := range storetest.Backends {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.OpenDB(t, b)

			t.Run("migrating a migrated database applies nothing", func(t *testing.T) {
				done, err := db.Migrate(ctx)
				if err != nil || len(done) != 0 {
					t.Fatalf("done = %v, err = %v", done, err)
				}
			})

			t.Run("a migration that fails half-way changes nothing", func(t *testing.T) {
				ms := []sqlstore.Migration{{Version: "9999_broken.sql", SQL: "CREATE TABLE half_done (x INTEGER);\nSELECT * FROM no_such_table;\n"}}
				_, err := sqlstore.MigrateWith(ctx, db, ms)
				if err == nil {
					t.Fatal("broken migration succeeded")
				}
				var n int
				if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", "9999_broken.sql").Scan(&n); err != nil || n != 0 {
					t.Fatalf("recorded = %d, %v", n, err)
				}
				err = db.Write(ctx, func(tx *sqlstore.Tx) error {
					_, err := tx.Exec("INSERT INTO half_done (x) VALUES (1)")
					return err
				})
				if err == nil {
					t.Fatal("the first statement of a failed migration was kept")
				}
			})
		})
	}
}

func TestSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		_, _, site := tree(t, s)
		g := &peercircle.Group{SiteID: site.ID, Name: "Staff group", Kind: peercircle.KindStaff, Membership: peercircle.MembershipClosed,
			Structure: peercircle.StructureFormal, Lang: "ar", Status: peercircle.GroupActive}
		if err := s.CreateGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
		fac := person(t, s, "fac")
		amman := site.Location()
		start := time.Date(2026, 12, 8, 14, 0, 0, 0, amman)
		m := &peercircle.Session{GroupID: g.ID, PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour), LocalDate: "2026-12-08",
			Status: peercircle.SessionPlanned, FacilitatorID: fac.ID}

		t.Run("a meeting is planned and read back with its facilitator in scope", func(t *testing.T) {
			if err := s.AddSession(ctx, m); err != nil {
				t.Fatal(err)
			}
			got, err := s.Session(ctx, m.ID)
			if err != nil || !got.PlannedStart.Equal(start) || got.FacilitatorID != fac.ID || got.CoFacilitatorID != 0 || got.Occurrence != nil {
				t.Fatalf("%+v %v", got, err)
			}
			sc, err := s.SessionScope(ctx, m.ID)
			if err != nil || sc.GroupID != g.ID || sc.SiteID != site.ID || len(sc.SessionFacilitators) != 1 || sc.SessionFacilitators[0] != fac.ID {
				t.Fatalf("%+v %v", sc, err)
			}
		})

		t.Run("a meeting over twelve hours is refused", func(t *testing.T) {
			long := *m
			long.ID = 0
			long.PlannedEnd = start.Add(13 * time.Hour)
			if err := s.AddSession(ctx, &long); peercircle.ErrorFields(err)["end"] != "session.too_long" {
				t.Fatalf("err = %v", err)
			}
		})

		t.Run("meetings are filtered by group, time and status", func(t *testing.T) {
			later := &peercircle.Session{GroupID: g.ID, PlannedStart: start.AddDate(0, 0, 14), PlannedEnd: start.AddDate(0, 0, 14).Add(2 * time.Hour),
				LocalDate: "2026-12-22", Status: peercircle.SessionCancelled}
			if err := s.AddSession(ctx, later); err != nil {
				t.Fatal(err)
			}
			all, err := s.Sessions(ctx, peercircle.SessionFilter{GroupID: g.ID})
			if err != nil || len(all) != 2 || all[0].ID != m.ID {
				t.Fatalf("%d %v", len(all), err)
			}
			planned, _ := s.Sessions(ctx, peercircle.SessionFilter{SiteID: site.ID, Statuses: []string{peercircle.SessionPlanned}})
			if len(planned) != 1 || planned[0].ID != m.ID {
				t.Fatalf("planned = %v", planned)
			}
			inDec, _ := s.Sessions(ctx, peercircle.SessionFilter{GroupIDs: []int64{g.ID}, From: start.Add(time.Hour), To: start.AddDate(0, 1, 0)})
			if len(inDec) != 1 || inDec[0].ID != later.ID {
				t.Fatalf("window = %v", inDec)
			}
		})
	})
}
