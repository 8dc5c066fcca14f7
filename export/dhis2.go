package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/peercircle/peercircle"
)

// DHIS2Mapping says where PeerCircle's quarterly figures go in a national
// DHIS2: each figure to a data element (and category option combo), each
// site to an organisation unit. It is kept as JSON in the settings
// (peercircle.SettingDHIS2), for example:
//
//	{
//	  "dataSet": "PsgQuartly1",
//	  "dataElements": ["PsgSessHeld", "PsgAttendTo"],
//	  "figures": {
//	    "sessions_held":    {"dataElement": "PsgSessHeld"},
//	    "attendance_total": {"dataElement": "PsgAttendTo", "categoryOptionCombo": "HllvX50cXC0"}
//	  },
//	  "orgUnits": {"12": "DiszpKrYNg8"}
//	}
//
// dataElements, when given, lists the data elements of the programme's data
// set (copied from DHIS2's metadata); a figure mapped to any other is an
// unknown data element.
type DHIS2Mapping struct {
	DataSet              string                 `json:"dataSet,omitempty"`
	AttributeOptionCombo string                 `json:"attributeOptionCombo,omitempty"`
	DataElements         []string               `json:"dataElements,omitempty"`
	Figures              map[string]DHIS2Target `json:"figures"`
	OrgUnits             map[string]string      `json:"orgUnits"`
}

// DHIS2Target is one figure's place in DHIS2.
type DHIS2Target struct {
	DataElement         string `json:"dataElement"`
	CategoryOptionCombo string `json:"categoryOptionCombo,omitempty"`
}

// ValidUID reports whether s is a DHIS2 identifier: 11 characters, a letter
// then letters and digits.
func ValidUID(s string) bool {
	if len(s) != 11 {
		return false
	}
	for i, r := range s {
		letter := (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return true
}

func dhis2Error(key, format string, args ...any) error {
	return &peercircle.Error{Code: peercircle.EINVALID, Key: key, Args: args, Message: "DHIS2 mapping: " + fmt.Sprintf(format, args...)}
}

// ParseDHIS2Mapping reads and validates a mapping. Unknown fields, unknown
// figures, malformed identifiers and data elements outside the listed data
// set are refused with EINVALID, naming the culprit.
func ParseDHIS2Mapping(text string) (*DHIS2Mapping, error) {
	if strings.TrimSpace(text) == "" {
		return nil, dhis2Error("dhis2.not_set", "no mapping is set")
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	var m DHIS2Mapping
	if err := dec.Decode(&m); err != nil {
		return nil, dhis2Error("dhis2.bad_json", "not valid JSON: %v", err)
	}
	if dec.More() {
		return nil, dhis2Error("dhis2.bad_json", "not valid JSON: text after the mapping")
	}
	return &m, m.Validate()
}

// Validate checks the mapping; see ParseDHIS2Mapping.
func (m *DHIS2Mapping) Validate() error {
	if m.DataSet != "" && !ValidUID(m.DataSet) {
		return dhis2Error("dhis2.bad_uid", "dataSet %q is not a DHIS2 identifier", m.DataSet)
	}
	if m.AttributeOptionCombo != "" && !ValidUID(m.AttributeOptionCombo) {
		return dhis2Error("dhis2.bad_uid", "attributeOptionCombo %q is not a DHIS2 identifier", m.AttributeOptionCombo)
	}
	known := map[string]bool{}
	for _, de := range m.DataElements {
		if !ValidUID(de) {
			return dhis2Error("dhis2.bad_uid", "data element %q is not a DHIS2 identifier", de)
		}
		known[de] = true
	}
	if len(m.Figures) == 0 {
		return dhis2Error("dhis2.no_figures", "no figure is mapped")
	}
	figures := map[string]bool{}
	for _, k := range peercircle.FigureKeys {
		figures[k] = true
	}
	for _, k := range sortedKeys(m.Figures) {
		tg := m.Figures[k]
		switch {
		case !figures[k]:
			return dhis2Error("dhis2.unknown_figure", "%q is not a PeerCircle figure (known: %s)", k, strings.Join(peercircle.FigureKeys, ", "))
		case !ValidUID(tg.DataElement):
			return dhis2Error("dhis2.bad_uid", "data element %q of %s is not a DHIS2 identifier", tg.DataElement, k)
		case len(known) > 0 && !known[tg.DataElement]:
			return dhis2Error("dhis2.unknown_data_element", "unknown data element %q for %s: it is not in the data set's dataElements", tg.DataElement, k)
		case tg.CategoryOptionCombo != "" && !ValidUID(tg.CategoryOptionCombo):
			return dhis2Error("dhis2.bad_uid", "category option combo %q of %s is not a DHIS2 identifier", tg.CategoryOptionCombo, k)
		}
	}
	for _, site := range sortedKeys(m.OrgUnits) {
		if _, err := strconv.ParseInt(site, 10, 64); err != nil {
			return dhis2Error("dhis2.bad_site", "orgUnits key %q is not a site number", site)
		}
		if !ValidUID(m.OrgUnits[site]) {
			return dhis2Error("dhis2.bad_uid", "org unit %q of site %s is not a DHIS2 identifier", m.OrgUnits[site], site)
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// DataValueSet is DHIS2's import format for aggregate data.
type DataValueSet struct {
	DataSet              string           `json:"dataSet,omitempty"`
	AttributeOptionCombo string           `json:"attributeOptionCombo,omitempty"`
	DataValues           []DHIS2DataValue `json:"dataValues"`
}

// DHIS2DataValue is one number for one org unit and period.
type DHIS2DataValue struct {
	DataElement         string `json:"dataElement"`
	Period              string `json:"period"`
	OrgUnit             string `json:"orgUnit"`
	CategoryOptionCombo string `json:"categoryOptionCombo,omitempty"`
	Value               string `json:"value"`
}

// SiteFigures is one site's quarter total, for DHIS2.
type SiteFigures struct {
	SiteID   int64
	SiteName string
	Figures  *peercircle.Figures
}

// DHIS2Period writes a quarter as a DHIS2 period. DHIS2's quarterly
// periods are calendar quarters ("2027Q1"); an organisation whose year
// starts in another month gets EINVALID, since its quarters have no DHIS2
// quarterly period.
func DHIS2Period(q peercircle.Quarter, startMonth int) (string, error) {
	if startMonth != 1 {
		return "", dhis2Error("dhis2.calendar_quarters", "DHIS2 quarterly periods are calendar quarters; this organisation's quarters start in month %d", startMonth)
	}
	return q.String(), nil
}

// BuildDataValueSet maps sites' figures to DHIS2 data values. A figure
// about fewer than k people is left out (DHIS2 would show it to everyone
// with access); a site without an org unit is EINVALID, naming the site.
func BuildDataValueSet(m *DHIS2Mapping, sites []SiteFigures, q peercircle.Quarter, startMonth, k int) (*DataValueSet, error) {
	period, err := DHIS2Period(q, startMonth)
	if err != nil {
		return nil, err
	}
	set := &DataValueSet{DataSet: m.DataSet, AttributeOptionCombo: m.AttributeOptionCombo, DataValues: []DHIS2DataValue{}}
	for _, s := range sites {
		ou, ok := m.OrgUnits[strconv.FormatInt(s.SiteID, 10)]
		if !ok {
			return nil, dhis2Error("dhis2.no_org_unit", "site %d (%s) has no org unit in the mapping", s.SiteID, s.SiteName)
		}
		for _, key := range peercircle.FigureKeys {
			tg, ok := m.Figures[key]
			if !ok {
				continue
			}
			v, _ := s.Figures.Value(key)
			if v.Hidden(k) || v.None {
				continue // nothing to report: too few people, or no value
			}
			set.DataValues = append(set.DataValues, DHIS2DataValue{DataElement: tg.DataElement, Period: period, OrgUnit: ou,
				CategoryOptionCombo: tg.CategoryOptionCombo, Value: v.Text()})
		}
	}
	return set, nil
}

// WriteDHIS2 writes a data value set as indented JSON.
func WriteDHIS2(w io.Writer, set *DataValueSet) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(set); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
