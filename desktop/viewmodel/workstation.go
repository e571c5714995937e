package viewmodel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"boucle/desktop/syncclient"
	"boucle/desktop/ui/model"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// Files of the workstation's data folder.
const (
	StoreFile    = "boucle.db"
	SettingsFile = "workstation.json"
)

// DefaultIdleMinutes signs a shared workstation out after a quarter of an
// hour without activity.
const DefaultIdleMinutes = 15

// Workstation is the app's session with this machine: its store, its
// sync client, its settings and who is signed in. The screens reach it
// through the narrow interfaces of ui/signin, ui/syncbar and ui/shell.
type Workstation struct {
	dir    string
	server string // server address from the command line, the first-run default
	store  *boltstore.Store
	sync   *syncclient.Syncer
	model  *Model

	mu       sync.Mutex
	settings model.Settings
	fresh    bool // no settings file and no enrolment: first run
}

// reportQuarantine logs each event of the store whose bytes fail their
// check: the screens leave it out, the log says so.
func reportQuarantine(st *boltstore.Store, log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	st.OnQuarantine(func(q boltstore.Quarantined) {
		log.Error("event quarantined: its stored bytes fail their check, the screens leave it out", "pos", q.Pos, "event", q.Event, "reason", q.Reason)
	})
}

// OpenWorkstation opens (or creates) the data folder: the store, the sync
// client and the settings. server is the plant server's address given on
// the command line, if any.
func OpenWorkstation(dir, server string, cfg syncclient.Config) (*Workstation, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	st, err := boltstore.Open(filepath.Join(dir, StoreFile), boltstore.Options{Now: cfg.Now})
	if domain.ErrorCode(err) == boltstore.ECorrupt {
		return nil, fmt.Errorf("%w\nThis workstation's store is damaged. Move %s aside and start again: the workstation enrols again "+
			"and pulls the plant's data from the server; changes not yet sent stay in the old file for the plant's administrator",
			err, filepath.Join(dir, StoreFile))
	}
	if err != nil {
		return nil, err
	}
	reportQuarantine(st, cfg.Logger)
	w := &Workstation{dir: dir, server: server, store: st}
	if w.sync, err = syncclient.New(st, cfg); err != nil {
		st.Close()
		return nil, err
	}
	if err := w.loadSettings(); err != nil {
		st.Close()
		return nil, err
	}
	w.model = New(st, w.settings.Station, w.sync)
	w.model.OnRecord = w.sync.Notify
	w.model.FetchBlob = func(sha string) ([]byte, error) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		return w.sync.FetchBlob(ctx, sha)
	}
	return w, nil
}

// Model is the view model of the screens.
func (w *Workstation) Model() *Model { return w.model }

// Store is the workstation's store.
func (w *Workstation) Store() *boltstore.Store { return w.store }

// Syncer is the sync client.
func (w *Workstation) Syncer() *syncclient.Syncer { return w.sync }

// Run syncs until ctx ends.
func (w *Workstation) Run(ctx context.Context) error { return w.sync.Run(ctx) }

// Close closes the store.
func (w *Workstation) Close() error { return w.store.Close() }

func (w *Workstation) loadSettings() error {
	raw, err := os.ReadFile(filepath.Join(w.dir, SettingsFile))
	switch {
	case errors.Is(err, os.ErrNotExist):
		w.settings = model.Settings{IdleMinutes: DefaultIdleMinutes}
		w.fresh = !w.enrolled()
		return nil
	case err != nil:
		return err
	}
	return json.Unmarshal(raw, &w.settings)
}

// Settings returns the workstation's settings.
func (w *Workstation) Settings() model.Settings {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.settings
}

// SaveSettings writes the settings (atomically: a crash leaves the old
// file or the new one) and applies the station.
func (w *Workstation) SaveSettings(s model.Settings) error {
	raw, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(w.dir, SettingsFile+".tmp")
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(w.dir, SettingsFile)); err != nil {
		return err
	}
	w.mu.Lock()
	w.settings, w.fresh = s, false
	w.mu.Unlock()
	w.model.SetStation(s.Station)
	return nil
}

func (w *Workstation) enrolled() bool {
	var d boltstore.Device
	_ = w.store.View(func(t *boltstore.Tx) error { d = t.Device(); return nil })
	return d.Enrolled()
}

// FirstRun reports whether the workstation is neither enrolled nor set up
// standalone yet.
func (w *Workstation) FirstRun() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.fresh
}

// DefaultServer is the server address to offer on the first run.
func (w *Workstation) DefaultServer() string {
	if w.server != "" {
		return w.server
	}
	var d boltstore.Device
	_ = w.store.View(func(t *boltstore.Tx) error { d = t.Device(); return nil })
	return d.ServerURL
}

// Enrol connects the workstation to the plant server with a one-time
// code. From standalone it keeps every local event: they are pushed once a
// user signs in online.
func (w *Workstation) Enrol(server, code, station, name string) error {
	server = strings.TrimRight(strings.TrimSpace(server), "/")
	station = strings.ToUpper(strings.TrimSpace(station))
	switch {
	case server == "":
		return domain.FieldError("server", "is required")
	case strings.TrimSpace(code) == "":
		return domain.FieldError("enrolment_code", "is required")
	case station != "" && !domain.ValidStationCode(station):
		return domain.FieldError("station", "must be a station code")
	}
	if name = strings.TrimSpace(name); name == "" {
		name, _ = os.Hostname()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := w.sync.Enrol(ctx, server, strings.TrimSpace(code), name, station); err != nil {
		return enrolError(err)
	}
	s := w.Settings()
	s.Station, s.Name, s.Standalone = station, name, false
	if s.IdleMinutes == 0 && w.FirstRun() {
		s.IdleMinutes = DefaultIdleMinutes
	}
	return w.SaveSettings(s)
}

// RuleNoAnswer names the refusal of an address where no server answers.
const RuleNoAnswer = "enrol.no_answer"

// RuleReplicaEnrolled names the refusal of a plain enrolment code for a
// workstation whose data is already enrolled as a device.
const RuleReplicaEnrolled = "enrol.replica_enrolled"

// enrolError names the field a refusal concerns: an unreachable server is
// about the address, a refused code about the code.
func enrolError(err error) error {
	if syncclient.IsOffline(err) {
		// The transport's words (dial tcp..., connection refused) stay in
		// the message for logs; the screen says it by the rule.
		return &domain.Error{Code: domain.EInvalid, Field: "server", Rule: RuleNoAnswer, Message: "no answer from this address: " + err.Error()}
	}
	switch domain.ErrorCode(err) {
	case domain.EConflict:
		// This store's replica is enrolled as another device: only a code
		// the administrator made with --replace may take it over.
		if de := domain.AsError(err); de.Field == "replica" {
			return &domain.Error{Code: de.Code, Field: "enrolment_code", Rule: RuleReplicaEnrolled, Message: de.Message}
		}
	case domain.EUnauthorized, domain.ENotFound, domain.EInvalid:
		de := domain.AsError(err)
		if de.Field == "" || de.Field == "code" {
			return &domain.Error{Code: de.Code, Field: "enrolment_code", Message: de.Message}
		}
	}
	return err
}

// StartStandalone sets the workstation up without a server: its station,
// a local administrator with a password, and the default categories and
// severities. Everything is recorded as ordinary events, so enrolling
// later loses nothing.
func (w *Workstation) StartStandalone(station, stationName, login, displayName, password string) error {
	station = strings.ToUpper(strings.TrimSpace(station))
	login = strings.ToLower(strings.TrimSpace(login))
	if strings.TrimSpace(stationName) == "" {
		stationName = station
	}
	if strings.TrimSpace(displayName) == "" {
		displayName = login
	}
	switch {
	case !domain.ValidStationCode(station):
		return domain.FieldError("station", "must be a station code")
	case !domain.ValidLogin(login):
		return domain.FieldError("login", "must be a user id (lower-case letters, digits, '.', '_' or '-')")
	case len(password) < 8:
		return domain.FieldError("password", "must have at least 8 characters")
	}
	admin := boltstore.Actor{Login: login, Role: domain.RoleAdmin}
	user := domain.User{Login: login, DisplayName: displayName, Role: domain.RoleAdmin}
	_, err := w.store.Record(admin,
		boltstore.Command{Type: domain.StationDefined, EntityID: station, Payload: &domain.StationPayload{Name: strings.TrimSpace(stationName)}},
		boltstore.Command{Type: domain.UserRegistered, EntityID: login, Payload: &domain.UserPayload{DisplayName: displayName, Role: domain.RoleAdmin}},
	)
	if err != nil {
		return err
	}
	if _, err := w.store.SeedReference(admin); err != nil {
		return err
	}
	if err := w.sync.SetLocalPassword(user, password); err != nil {
		return err
	}
	s := w.Settings()
	s.Station, s.Standalone = station, true
	if s.IdleMinutes == 0 {
		s.IdleMinutes = DefaultIdleMinutes
	}
	return w.SaveSettings(s)
}

// AddLocalUser registers a user and gives them a password on this
// workstation (standalone): the admin's way to set up the people (see
// AddUser, which generates the password).
func (w *Workstation) AddLocalUser(u domain.User, password string) error {
	u.Login = strings.ToLower(strings.TrimSpace(u.Login))
	if len(password) < 8 {
		return domain.FieldError("password", "must have at least 8 characters")
	}
	_, err := w.model.record(boltstore.Command{Type: domain.UserRegistered, EntityID: u.Login,
		Payload: &domain.UserPayload{DisplayName: strings.TrimSpace(u.DisplayName), Role: u.Role, Station: u.Station}})
	if err != nil {
		return err
	}
	return w.sync.SetLocalPassword(u, password)
}

// KnownUsers lists who can sign in here without the network, by name:
// the quick switch of a shared workstation.
func (w *Workstation) KnownUsers() ([]domain.User, error) {
	var out []domain.User
	err := w.store.View(func(t *boltstore.Tx) error {
		for _, u := range t.OfflineUsers() {
			if st, err := t.State(domain.EntityKey{Type: domain.EntityUser, ID: u.Login}); err == nil && st.User != nil {
				u = *st.User // the directory's current name and role
			}
			if !u.Disabled {
				out = append(out, u)
			}
		}
		return nil
	})
	slices.SortFunc(out, func(a, b domain.User) int { return strings.Compare(a.DisplayName, b.DisplayName) })
	return out, err
}

// SignIn signs a user in: against the server when it answers, with this
// workstation's verifier otherwise.
func (w *Workstation) SignIn(login, password string) (model.Session, error) {
	login = strings.ToLower(strings.TrimSpace(login))
	if login == "" {
		return model.Session{}, domain.FieldError("login", "is required")
	}
	if password == "" {
		return model.Session{}, domain.FieldError("password", "is required")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := w.sync.Login(ctx, login, password)
	if err != nil {
		return model.Session{}, err
	}
	// Offline only means something when there is a server to miss.
	sess := model.Session{Login: s.User.Login, DisplayName: s.User.DisplayName, Role: s.User.Role,
		Station: w.Settings().Station, Offline: !s.Online && w.enrolled()}
	if sess.Station == "" {
		sess.Station = s.User.Station
	}
	w.model.SetSession(sess)
	w.model.setAuthorKey(s.Actor().Key)
	w.model.SetKeys(s.Keys) // the keys this sign-in unlocked; dropped at sign-out or switch
	return w.model.Session(), nil
}

// SignOut ends the session; queued events stay and sync later.
func (w *Workstation) SignOut() {
	w.model.SetSession(model.Session{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = w.sync.Logout(ctx)
}

// CheckPassword checks the signed-in user's password again (sign-off).
func (w *Workstation) CheckPassword(login, password string) error {
	return w.sync.CheckPassword(login, password)
}

// SyncNow asks for a sync cycle at once.
func (w *Workstation) SyncNow() { w.sync.SyncNow() }

// Status is the sync status for the status bar.
func (w *Workstation) Status() model.SyncStatus { return w.convert(w.sync.Status()) }

// Subscribe calls fn, on the sync client's goroutine, after every change.
func (w *Workstation) Subscribe(fn func(model.SyncStatus)) (cancel func()) {
	return w.sync.Subscribe(func(s syncclient.Status) { fn(w.convert(s)) })
}

func (w *Workstation) convert(s syncclient.Status) model.SyncStatus {
	out := model.SyncStatus{Enrolled: s.Enrolled, Online: s.Online, Syncing: s.Syncing, Pending: s.Pending,
		LastSuccess: s.LastSuccess, LastError: s.LastError, OpenConflicts: s.OpenConflicts, ClockAlerts: len(s.ClockAlerts), ClockAhead: s.ClockAhead,
		Pulled: s.Progress.Pulled, Total: s.Progress.Total, SignInNeeded: s.SignInNeeded, Stalled: s.Stalled}
	if s.Enrolled {
		out.Server = w.DefaultServer()
	}
	for _, r := range s.Rejected {
		out.Rejected = append(out.Rejected, model.Rejection{Type: r.Type, Entity: w.entityLabel(r.Entity), Reason: r.Reason, At: r.Rejected})
	}
	return out
}

// entityLabel names a refused event's entity for people: a complaint by
// its number, anything else by its id.
func (w *Workstation) entityLabel(k domain.EntityKey) string {
	label := k.ID
	if k.Type == domain.EntityComplaint {
		_ = w.store.View(func(t *boltstore.Tx) error {
			if st, err := t.Complaint(k.ID); err == nil {
				label = st.Complaint.Number
			}
			return nil
		})
	}
	return label
}

// Session is the signed-in user.
func (w *Workstation) Session() model.Session { return w.model.Session() }

// Reference is the reference data.
func (w *Workstation) Reference() (model.Reference, error) { return w.model.Reference() }
