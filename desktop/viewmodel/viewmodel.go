// Package viewmodel implements the screens' view-model interfaces over
// the workstation's store (boltstore) and its session. Every method is
// synchronous and may touch the disk: the screens call them off the UI
// goroutine (ui.Async) and swap the results in with fyne.Do.
package viewmodel

import (
	"slices"
	"strings"
	"sync"
	"time"

	"boucle/desktop/ui/model"
	"boucle/shared/authorship"
	"boucle/shared/boltstore"
	"boucle/shared/confidential"
	"boucle/shared/domain"
)

// PasswordChecker checks a user's password again, for a sign-off. The
// sync client's offline verifier (or the standalone accounts) implements it.
type PasswordChecker interface {
	CheckPassword(login, password string) error
}

// Model is the view model of the whole app: one value serves every
// screen's interface.
type Model struct {
	store    *boltstore.Store
	now      func() time.Time
	password PasswordChecker

	similar  similar
	analysis analysis
	// proposing is the dataset the filing form proposes problems from.
	proposing proposing

	mu      sync.RWMutex
	session model.Session
	// key is the signed-in user's author key on this workstation (from
	// the sync client's session, in memory only): it signs every event.
	key     authorship.Key
	keys    *confidential.Keyring // the session's confidential keys (SetKeys)
	station string                // the station this workstation serves

	// OnRecord, when set, is called after every successful command (the
	// shell counts it as activity and asks the syncer to push).
	OnRecord func()
	recorded listeners // OnRecorded

	// FetchBlob, when set, fetches evidence this workstation lacks (the
	// sync client's lazy fetch).
	FetchBlob func(sha string) ([]byte, error)
}

// New returns the view model over an open store. station is the station
// this workstation serves ("" when it serves none: an office PC).
func New(store *boltstore.Store, station string, password PasswordChecker) *Model {
	return &Model{store: store, now: time.Now, password: password, station: station}
}

// SetClock replaces the clock (tests).
func (m *Model) SetClock(now func() time.Time) { m.now = now }

// SetSession makes s the signed-in user; the zero Session signs out. It
// drops the previous session's confidential keys (SetKeys gives the new
// session its own).
func (m *Model) SetSession(s model.Session) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.key = authorship.Key{}
	if s.Station == "" {
		s.Station = m.station
	}
	m.session = s
	m.keys = nil
}

// Session returns the signed-in user.
func (m *Model) Session() model.Session {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.session
}

// SetStation changes the station this workstation serves.
func (m *Model) SetStation(code string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.station = code
}

// Station is the station this workstation serves.
func (m *Model) Station() string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.station
}

// Now is the model's clock.
func (m *Model) Now() time.Time { return m.now() }

// ErrSignedOut is returned by commands when nobody is signed in.
var ErrSignedOut = &domain.Error{Code: domain.EUnauthorized, Message: "nobody is signed in"}

// setAuthorKey gives the signed-in user's author key (after SetSession).
func (m *Model) setAuthorKey(k authorship.Key) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.key = k
}

func (m *Model) actor() (boltstore.Actor, error) {
	m.mu.RLock()
	s, key := m.session, m.key
	m.mu.RUnlock()
	if s.Login == "" {
		return boltstore.Actor{}, ErrSignedOut
	}
	return boltstore.Actor{Login: s.Login, Role: s.Role, Key: key}, nil
}

// record stores commands in one transaction, as the signed-in user.
func (m *Model) record(cmds ...boltstore.Command) ([]domain.Event, error) {
	a, err := m.actor()
	if err != nil {
		return nil, err
	}
	evs, err := m.store.Record(a, cmds...)
	if err == nil && m.OnRecord != nil {
		m.OnRecord()
	}
	if err == nil {
		m.recorded.tell()
	}
	return evs, err
}

// Reference returns the active stations, categories, severities and users.
func (m *Model) Reference() (model.Reference, error) {
	var ref model.Reference
	err := m.store.View(func(t *boltstore.Tx) error {
		stations, err := t.Stations()
		if err != nil {
			return err
		}
		for _, s := range stations {
			if !s.Retired {
				ref.Stations = append(ref.Stations, model.Station{Code: s.Code, Name: s.Name})
			}
		}
		slices.SortFunc(ref.Stations, func(a, b model.Station) int { return strings.Compare(a.Code, b.Code) })
		cats, err := t.Categories()
		if err != nil {
			return err
		}
		for _, c := range cats {
			if !c.Retired {
				ref.Categories = append(ref.Categories, c)
			}
		}
		slices.SortFunc(ref.Categories, func(a, b domain.Category) int { return categoryOrder(a.Code) - categoryOrder(b.Code) })
		if ref.Severities, err = t.Severities(); err != nil {
			return err
		}
		users, err := t.Users()
		slices.SortFunc(users, func(a, b domain.User) int { return strings.Compare(a.DisplayName, b.DisplayName) })
		ref.Users = users
		return err
	})
	return ref, err
}

// categoryOrder keeps the seeded categories in their documented order
// ("other" last) and puts added ones before "other".
func categoryOrder(code string) int {
	for i, c := range domain.DefaultCategories {
		if c.Code == code {
			if code == "other" {
				return 1000
			}
			return i
		}
	}
	return 500
}

// rowOf converts the store's list row.
func rowOf(r boltstore.ComplaintRow) model.ComplaintRow {
	return model.ComplaintRow{ID: r.ID, Number: r.Number, Status: r.Status, FilingStation: r.FilingStation,
		SupplierStation: r.SupplierStation, PartRef: r.PartRef, Lot: r.Lot, Category: r.Category,
		Severity: r.Severity, Kind: r.Kind, Assignee: r.Assignee, FiledBy: r.FiledBy, FiledAt: r.FiledAt,
		Deadline: r.Deadline, UpdatedAt: r.UpdatedAt, Summary: r.Summary, LatestUpdate: r.LatestUpdate,
		Escalated: r.Escalated, Reopens: r.Reopens, Conflicts: r.Conflicts, Flags: r.Flags}
}

// rowOfState builds a list row from a folded complaint (plans list theirs).
func rowOfState(st *domain.State) model.ComplaintRow {
	c := st.Complaint
	return model.ComplaintRow{ID: c.ID, Number: c.Number, Status: c.Status, FilingStation: c.FilingStation,
		SupplierStation: c.SupplierStation, PartRef: c.PartRef, Lot: c.Lot, Category: c.Category,
		Severity: c.Severity, Kind: c.Kind, Assignee: c.Assignee, FiledBy: c.FiledBy, FiledAt: c.FiledAt,
		Deadline: c.Deadline, UpdatedAt: st.Meta.Updated.Time(), Summary: c.Description,
		Escalated: len(c.Escalations) > 0, Reopens: c.Reopens, Conflicts: len(st.Meta.Conflicts), Flags: len(st.Meta.Flags)}
}
