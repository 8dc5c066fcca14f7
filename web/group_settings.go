package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/peercircle/peercircle"
)

type groupFormData struct {
	Site      *peercircle.Site
	Group     *peercircle.Group // nil when creating
	Scope     peercircle.Scope
	Venues    []*peercircle.Venue
	Templates []*peercircle.AgendaTemplate
	Kinds     []string
	Statuses  []string
	Langs     []string
	Members   int
	// Reminders are the group's own reminder times ("" for the default).
	Reminders, DefaultReminders string
}

func (s *Server) groupForm(r *http.Request, site *peercircle.Site, g *peercircle.Group, sc peercircle.Scope) (*groupFormData, error) {
	d := &groupFormData{Site: site, Group: g, Scope: sc, Kinds: peercircle.GroupKinds, Statuses: peercircle.GroupStatuses[:3], Langs: peercircle.Languages}
	var err error
	if d.Venues, err = s.Store.VenuesAtSite(r.Context(), site.ID); err != nil {
		return nil, err
	}
	if d.Templates, err = s.Store.Templates(r.Context(), site.ID); err != nil {
		return nil, err
	}
	return d, nil
}

// groupFormValues fills the form from a group, for the first showing.
func groupFormValues(g *peercircle.Group) map[string][]string {
	v := map[string][]string{
		"name": {g.Name}, "purpose": {g.Purpose}, "kind": {g.Kind}, "membership": {g.Membership}, "structure": {g.Structure},
		"lang": {g.Lang}, "status": {g.Status}, "venue": {strconv.FormatInt(g.VenueID, 10)}, "agenda_template": {strconv.FormatInt(g.AgendaTemplateID, 10)},
	}
	if g.SizeLimit > 0 {
		v["size_limit"] = []string{strconv.Itoa(g.SizeLimit)}
	}
	if g.Listed {
		v["listed"] = []string{"1"}
	}
	if g.VenuePublic {
		v["venue_public"] = []string{"1"}
	}
	return v
}

// readGroupForm reads the group form into g.
func readGroupForm(r *http.Request, g *peercircle.Group) {
	g.Name = strings.TrimSpace(r.PostFormValue("name"))
	g.Purpose = strings.TrimSpace(r.PostFormValue("purpose"))
	g.Kind = r.PostFormValue("kind")
	g.Membership = r.PostFormValue("membership")
	g.Structure = r.PostFormValue("structure")
	g.Lang = r.PostFormValue("lang")
	if st := r.PostFormValue("status"); st != "" {
		g.Status = st
	}
	g.SizeLimit = 0
	if v := strings.TrimSpace(peercircleDigits(r.PostFormValue("size_limit"))); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			n = -1
		}
		g.SizeLimit = n
	}
	g.VenueID = formID(r, "venue")
	g.AgendaTemplateID = formID(r, "agenda_template")
	g.Listed = r.PostFormValue("listed") != ""
	g.VenuePublic = r.PostFormValue("venue_public") != ""
}

func (s *Server) groupNew(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.siteScope(w, r, peercircle.ActManageSite)
	if !ok {
		return
	}
	site, err := s.Store.Site(r.Context(), sc.SiteID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	d, err := s.groupForm(r, site, nil, sc)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	p := s.page(r, "group.new_title", d)
	p.Form = map[string][]string{"kind": {peercircle.KindStaff}, "membership": {peercircle.MembershipClosed}, "structure": {peercircle.StructureFormal},
		"lang": {s.loc(r).Lang()}, "status": {peercircle.GroupForming}}
	for _, t := range d.Templates {
		if t.NameKey == peercircle.TemplateStaffKey {
			p.Form["agenda_template"] = []string{strconv.FormatInt(t.ID, 10)}
		}
	}
	s.render(w, r, "group_form", p)
}

// groupCreate creates a group at a site, gives it a first code of ethics
// from the guidance's principles in its language, and goes on to its
// schedule.
func (s *Server) groupCreate(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.siteScope(w, r, peercircle.ActManageSite)
	if !ok {
		return
	}
	site, err := s.Store.Site(r.Context(), sc.SiteID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	g := &peercircle.Group{SiteID: site.ID, Status: peercircle.GroupForming}
	readGroupForm(r, g)
	if err := s.Store.CreateGroup(r.Context(), g); err != nil {
		d, derr := s.groupForm(r, site, nil, sc)
		if derr != nil {
			s.renderErr(w, r, derr)
			return
		}
		s.formError(w, r, "group_form", s.page(r, "group.new_title", d), err)
		return
	}
	starter := s.I18n.Localizer(g.Lang).T(peercircle.EthicsStarter(g.Kind))
	_ = s.Store.SaveEthics(r.Context(), &peercircle.CodeOfEthics{GroupID: g.ID, Body: starter, AuthorID: principal(r).PersonID})
	_ = s.Store.Audit(r.Context(), &peercircle.AuditEvent{ActorID: principal(r).PersonID, Action: "group.create", TargetKind: "group", TargetID: g.ID})
	s.redirect(w, r, groupPath(g.ID, "/schedule"), "flash.group_created")
}

func (s *Server) groupSettings(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.groupScope(w, r, peercircle.ActManageGroup)
	if !ok {
		return
	}
	p, err := s.groupSettingsPage(r, sc)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	p.Form = groupFormValues(p.Data.(*groupFormData).Group)
	s.render(w, r, "group_form", p)
}

func (s *Server) groupSettingsPage(r *http.Request, sc peercircle.Scope) (*Page, error) {
	g, err := s.Store.Group(r.Context(), sc.GroupID)
	if err != nil {
		return nil, err
	}
	site, err := s.Store.Site(r.Context(), g.SiteID)
	if err != nil {
		return nil, err
	}
	d, err := s.groupForm(r, site, g, sc)
	if err != nil {
		return nil, err
	}
	if ms, err := s.Store.Memberships(r.Context(), g.ID); err == nil {
		for _, m := range ms {
			if m.Current() {
				d.Members++
			}
		}
	}
	d.Reminders, _ = s.Store.Setting(r.Context(), peercircle.GroupReminderSetting(g.ID), "")
	d.DefaultReminders = peercircle.ReminderHoursText(peercircle.ReminderOffsets)
	return s.page(r, "group.settings_title", d), nil
}

// groupReminders saves when a group's members are reminded of meetings:
// up to three times, in hours before; empty goes back to the default.
func (s *Server) groupReminders(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.groupScope(w, r, peercircle.ActManageGroup)
	if !ok {
		return
	}
	offsets, key := peercircle.ParseReminderHours(r.PostFormValue("hours"))
	if key != "" {
		p, err := s.groupSettingsPage(r, sc)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		d := p.Data.(*groupFormData)
		p.Form = groupFormValues(d.Group)
		d.Reminders = r.PostFormValue("hours")
		p.Errors = map[string]string{"hours": key}
		s.renderStatus(w, r, http.StatusUnprocessableEntity, "group_form", p)
		return
	}
	if err := s.Store.SetSetting(r.Context(), peercircle.GroupReminderSetting(sc.GroupID), peercircle.ReminderHoursText(offsets)); err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.redirect(w, r, groupPath(sc.GroupID, "/settings")+"#reminders", "flash.saved")
}

func (s *Server) groupSettingsSave(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.groupScope(w, r, peercircle.ActManageGroup)
	if !ok {
		return
	}
	g, err := s.Store.Group(r.Context(), sc.GroupID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	venueBefore := g.VenueID
	readGroupForm(r, g)
	if err := s.Store.UpdateGroup(r.Context(), g); err != nil {
		p, perr := s.groupSettingsPage(r, sc)
		if perr != nil {
			s.renderErr(w, r, perr)
			return
		}
		s.formError(w, r, "group_form", p, err)
		return
	}
	if g.VenueID != venueBefore || g.Status != peercircle.GroupActive {
		_, _ = s.Store.Materialise(r.Context(), g.ID, s.horizon(r))
	}
	s.redirect(w, r, groupPath(g.ID, ""), "flash.saved")
}

// horizon is how far ahead meetings are planned on this installation.
func (s *Server) horizon(r *http.Request) time.Duration {
	v, err := s.Store.Setting(r.Context(), peercircle.HorizonSetting, "")
	if err != nil || v == "" {
		return peercircle.DefaultHorizon
	}
	weeks, err := strconv.Atoi(v)
	if err != nil || weeks < 1 || weeks > 104 {
		return peercircle.DefaultHorizon
	}
	return time.Duration(weeks) * 7 * 24 * time.Hour
}

// groupEnd ends a group after the organiser ticked the confirmation.
func (s *Server) groupEnd(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.groupScope(w, r, peercircle.ActManageGroup)
	if !ok {
		return
	}
	if r.PostFormValue("confirm") == "" {
		p, err := s.groupSettingsPage(r, sc)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		p.Form = groupFormValues(p.Data.(*groupFormData).Group)
		s.formError(w, r, "group_form", p, peercircle.FieldErrors{"confirm": "group.end_confirm_needed"}.Err())
		return
	}
	if err := s.Store.EndGroup(r.Context(), sc.GroupID, principal(r).PersonID); err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.redirect(w, r, "/sites/"+strconv.FormatInt(sc.SiteID, 10), "flash.group_ended")
}

type splitData struct {
	Group   *peercircle.Group
	Members []splitMember
}

type splitMember struct {
	PersonID int64
	Name     string
}

func (s *Server) splitPage(r *http.Request, sc peercircle.Scope) (*Page, error) {
	g, err := s.Store.Group(r.Context(), sc.GroupID)
	if err != nil {
		return nil, err
	}
	ms, err := s.Store.Memberships(r.Context(), g.ID)
	if err != nil {
		return nil, err
	}
	d := &splitData{Group: g}
	nm := s.names(r.Context())
	for _, m := range ms {
		nm.want(g.ID, m.PersonID)
	}
	nm.load()
	for _, m := range ms {
		if m.Current() {
			d.Members = append(d.Members, splitMember{PersonID: m.PersonID, Name: nm.of(g.ID, m.PersonID)})
		}
	}
	return s.page(r, "group.split_title", d), nil
}

func (s *Server) groupSplit(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.groupScope(w, r, peercircle.ActManageGroup)
	if !ok {
		return
	}
	p, err := s.splitPage(r, sc)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "group_split", p)
}

// groupSplitSave splits a group that grew too large (001): a new group
// with the chosen members; both keep their histories.
func (s *Server) groupSplitSave(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.groupScope(w, r, peercircle.ActManageGroup)
	if !ok {
		return
	}
	var ids []int64
	for _, v := range r.PostForm["member"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	ng, err := s.Store.SplitGroup(r.Context(), peercircle.SplitRequest{GroupID: sc.GroupID, Name: r.PostFormValue("name"), MemberIDs: ids, By: principal(r).PersonID})
	if err != nil {
		p, perr := s.splitPage(r, sc)
		if perr != nil {
			s.renderErr(w, r, perr)
			return
		}
		s.formError(w, r, "group_split", p, err)
		return
	}
	s.redirect(w, r, groupPath(ng.ID, ""), "flash.group_split")
}
