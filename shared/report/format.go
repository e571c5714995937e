package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"boucle/shared/domain"
)

// Directory names the people, stations, categories, complaints and plans
// that domain values refer to by id. Every field is optional: a missing
// entry shows the raw login, code or id, so a document is never blocked by
// reference data that has not synced yet. A nil *Directory is valid.
type Directory struct {
	Users      map[string]domain.User     // by login
	Stations   map[string]domain.Station  // by code
	Categories map[string]domain.Category // by code
	Complaints map[string]string          // complaint id → number, to name an action's complaint
	Plans      map[string]string          // plan id → title, to name an action's plan
}

// NewDirectory indexes the reference data as the store lists it
// (Tx.Users, Tx.Stations, Tx.Categories).
func NewDirectory(users []domain.User, stations []domain.Station, categories []domain.Category) *Directory {
	d := &Directory{Users: map[string]domain.User{}, Stations: map[string]domain.Station{},
		Categories: map[string]domain.Category{}, Complaints: map[string]string{}, Plans: map[string]string{}}
	for _, u := range users {
		d.Users[u.Login] = u
	}
	for _, s := range stations {
		d.Stations[s.Code] = s
	}
	for _, c := range categories {
		d.Categories[c.Code] = c
	}
	return d
}

// UserName is the display name of a login, or the login itself.
func (d *Directory) UserName(login string) string {
	if d != nil {
		if u, ok := d.Users[login]; ok && u.DisplayName != "" {
			return u.DisplayName
		}
	}
	return login
}

// UserStation is the home station of a user, "" when unknown.
func (d *Directory) UserStation(login string) string {
	if d != nil {
		return d.Users[login].Station
	}
	return ""
}

// StationName is "CODE · Name", or the code alone when the name is unknown.
func (d *Directory) StationName(code string) string {
	if d != nil {
		if s, ok := d.Stations[code]; ok && s.Name != "" && s.Name != code {
			return code + " · " + s.Name
		}
	}
	return code
}

// CategoryLabel is the category's label in the language, or its code.
func (d *Directory) CategoryLabel(code string, l Lang) string {
	if d != nil {
		if c, ok := d.Categories[code]; ok {
			if l == French && c.LabelFR != "" {
				return c.LabelFR
			}
			if c.LabelEN != "" {
				return c.LabelEN
			}
		}
	}
	return code
}

// ComplaintNumber is the number of a complaint id, or the id.
func (d *Directory) ComplaintNumber(id string) string {
	if d != nil {
		if n, ok := d.Complaints[id]; ok {
			return n
		}
	}
	return id
}

// PlanTitle is the title of a plan id, or the id.
func (d *Directory) PlanTitle(id string) string {
	if d != nil {
		if t, ok := d.Plans[id]; ok {
			return t
		}
	}
	return id
}

// loc returns the zone to write dates in: the caller's, else the machine's.
func loc(l *time.Location) *time.Location {
	if l == nil {
		return time.Local
	}
	return l
}

// isoTime writes an instant as ISO 8601 with the zone's offset, which a
// spreadsheet or a script reads back unambiguously.
func isoTime(t time.Time, z *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(z).Format("2006-01-02T15:04:05-07:00")
}

// shortTime is the readable form used in the PDFs.
func shortTime(t time.Time, z *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(z).Format("2006-01-02 15:04")
}

func shortDate(t time.Time, z *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(z).Format("2006-01-02")
}

// decimal writes v with prec decimals and the language's decimal mark.
func (l Lang) decimal(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if l == French {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// pct writes a percentage; French puts a space before the sign.
func (l Lang) pct(v float64) string {
	if l == French {
		return l.decimal(v, 1) + "\u00a0%"
	}
	return l.decimal(v, 1) + "%"
}

// duration writes a handling time at the scale people think in: minutes
// under an hour, hours under two days, days beyond.
func (l Lang) duration(d time.Duration) string {
	switch {
	case d <= 0:
		return "—"
	case d < time.Hour:
		return fmt.Sprintf(l.t("unit.min"), int(math.Round(d.Minutes())))
	case d < 48*time.Hour:
		return fmt.Sprintf(l.t("unit.hour"), l.decimal(d.Hours(), 1))
	}
	return fmt.Sprintf(l.t("unit.day"), l.decimal(d.Hours()/24, 1))
}

// colon is ": ", with the space French puts before it.
func (l Lang) colon() string {
	if l == French {
		return "\u00a0: "
	}
	return ": "
}

// monthName is "March 2026" or "mars 2026".
func (l Lang) monthName(t time.Time) string {
	return l.pick(monthNames[t.Month()-1]) + " " + strconv.Itoa(t.Year())
}

// truncate cuts s to at most n runes, ending with "…" when cut, so that a
// 4,000-character message cannot make a table row taller than a page.
func truncate(s string, n int) string {
	if n <= 0 || len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// oneLine folds line breaks into spaces, for cells and chart labels.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
