package syncclient_test

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"boucle/shared/authorship"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
)

// fakeServer is a small, protocol-faithful server for the unit tests: it
// keeps a real store, checks device and bearer credentials, rotates
// refresh tokens, refuses another replica's events (403), answers gaps
// with 409 and stamps every answer with its
// clock. Faults are injected with hooks. The end-to-end tests run the real
// server instead.
type fakeServer struct {
	tb    testing.TB
	srv   *httptest.Server
	dir   string
	store *boltstore.Store

	mu        sync.Mutex
	epoch     string
	hwm       map[string]uint64                // highest contiguous sequence per replica, refusals included
	refused   map[string]syncproto.EventResult // event id → stored refusal
	access    map[string]time.Time             // access token → expiry
	refresh   map[string]domain.User           // live refresh tokens
	blobs     map[string][]byte
	accessTTL time.Duration
	reject    func(e *domain.Event) (domain.Code, string, bool) // refuses an event for good
	hook      func(w http.ResponseWriter, r *http.Request) bool // handles a request first when it returns true
	counts    map[string]int                                    // requests per route
	refreshes int
}

var fakeUsers = map[string]struct {
	password string
	user     domain.User
}{
	"op1":   {"op1-secret", domain.User{Login: "op1", DisplayName: "Olive Operator", Role: domain.RoleOperator, Station: "PRESS2"}},
	"eng1":  {"eng1-secret", domain.User{Login: "eng1", DisplayName: "Eric Engineer", Role: domain.RoleEngineer}},
	"admin": {"admin-secret", domain.User{Login: "admin", DisplayName: "Ada Admin", Role: domain.RoleAdmin}},
}

var admin = boltstore.Actor{Login: "admin", Role: domain.RoleAdmin}

// newFakeServer starts a fake with a seeded plant: stations, the users
// above in the directory, categories and severities.
func newFakeServer(tb testing.TB) *fakeServer {
	tb.Helper()
	dir := tb.TempDir()
	s := openStore(tb, filepath.Join(dir, "server.db"), "server")
	seedReference(tb, s)
	return newFakeServerOn(tb, s, dir)
}

// newFakeServerOn serves an existing store; dir receives backups.
func newFakeServerOn(tb testing.TB, s *boltstore.Store, dir string) *fakeServer {
	f := &fakeServer{tb: tb, dir: dir, store: s, epoch: "e1", refused: map[string]syncproto.EventResult{}, access: map[string]time.Time{},
		refresh: map[string]domain.User{}, blobs: map[string][]byte{}, accessTTL: time.Hour, counts: map[string]int{}}
	f.hwm = replicas(f.store)
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	tb.Cleanup(f.srv.Close)
	return f
}

func seedReference(tb testing.TB, s *boltstore.Store) {
	tb.Helper()
	cmds := []boltstore.Command{}
	for _, code := range []string{"PRESS2", "CUT1", "PAINT"} {
		cmds = append(cmds, boltstore.Command{Type: domain.StationDefined, EntityID: code, Payload: &domain.StationPayload{Name: "Station " + code}})
	}
	for _, login := range []string{"admin", "eng1", "op1"} {
		u := fakeUsers[login].user
		cmds = append(cmds, boltstore.Command{Type: domain.UserRegistered, EntityID: login, Payload: &domain.UserPayload{DisplayName: u.DisplayName, Role: u.Role, Station: u.Station}})
	}
	if _, err := s.Record(admin, cmds...); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.SeedReference(admin); err != nil {
		tb.Fatal(err)
	}
}

func replicas(s *boltstore.Store) map[string]uint64 {
	var out map[string]uint64
	_ = s.View(func(tx *boltstore.Tx) error { out = tx.Replicas(); return nil })
	return out
}

func (f *fakeServer) URL() string { return f.srv.URL }

func (f *fakeServer) count(route string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[route]
}

func (f *fakeServer) setHook(h func(w http.ResponseWriter, r *http.Request) bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hook = h
}

// enrolmentCode is the one code the fake accepts.
const enrolmentCode = "ENROL-1234"

func (f *fakeServer) serve(w http.ResponseWriter, r *http.Request) {
	route := strings.TrimPrefix(r.URL.Path, syncproto.Prefix)
	if strings.HasPrefix(route, syncproto.RouteBlob) {
		route = syncproto.RouteBlob
	}
	f.mu.Lock()
	f.counts[route]++
	hook := f.hook
	f.mu.Unlock()
	w.Header().Set(syncproto.HeaderServerTime, strconv.FormatUint(uint64(f.db().Clock().Now()), 10))
	if hook != nil && hook(w, r) {
		return
	}
	switch route {
	case syncproto.RouteEnrol:
		f.enrol(w, r)
	case syncproto.RouteLogin:
		f.login(w, r)
	case syncproto.RouteRefresh:
		f.refreshTokens(w, r)
	case syncproto.RouteLogout:
		f.logout(w, r)
	default:
		if !f.authorised(w, r) {
			return
		}
		f.syncRoute(w, r, route)
	}
}

func (f *fakeServer) syncRoute(w http.ResponseWriter, r *http.Request, route string) {
	switch route {
	case syncproto.RoutePush:
		f.push(w, r)
	case syncproto.RoutePull:
		f.pull(w, r)
	case syncproto.RouteState:
		f.state(w)
	case syncproto.RouteBlob:
		f.blob(w, r)
	default:
		writeErr(w, http.StatusNotFound, domain.ENotFound, "no route")
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeErr(w http.ResponseWriter, status int, code domain.Code, msg string) {
	writeJSON(w, status, syncproto.ErrorBody{Code: code, Message: msg})
}

func (f *fakeServer) enrol(w http.ResponseWriter, r *http.Request) {
	var req syncproto.EnrolRequest
	if json.NewDecoder(r.Body).Decode(&req) != nil || req.Code != enrolmentCode || req.Replica == "" {
		writeErr(w, http.StatusUnauthorized, domain.EUnauthorized, "unknown enrolment code")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	writeJSON(w, http.StatusOK, syncproto.EnrolResponse{DeviceID: "dev-" + req.Replica, DeviceKey: "key-" + req.Replica, Epoch: f.epoch})
}

func deviceOK(r *http.Request) bool {
	id := r.Header.Get(syncproto.HeaderDevice)
	return id != "" && r.Header.Get(syncproto.HeaderDeviceKey) == "key-"+strings.TrimPrefix(id, "dev-")
}

func (f *fakeServer) login(w http.ResponseWriter, r *http.Request) {
	var req syncproto.LoginRequest
	_ = json.NewDecoder(r.Body).Decode(&req)
	u, ok := fakeUsers[req.Login]
	if !deviceOK(r) || !ok || u.password != req.Password {
		writeErr(w, http.StatusUnauthorized, domain.EUnauthorized, "wrong login or password")
		return
	}
	t := f.issue(u.user)
	// An author key for this device's replica, derived as the real server
	// does (from a fixed master here).
	key := authorship.Derive(fakeAuthorMaster, u.user.Login, strings.TrimPrefix(r.Header.Get(syncproto.HeaderDevice), "dev-"), 0)
	t.AuthorKey = &syncproto.AuthorKey{Kid: "fake1", Key: key[:]}
	writeJSON(w, http.StatusOK, t)
}

var fakeAuthorMaster = []byte("the fake server's author master.")

func (f *fakeServer) issue(u domain.User) syncproto.Tokens {
	f.mu.Lock()
	defer f.mu.Unlock()
	t := syncproto.Tokens{AccessToken: token(), RefreshToken: token(), ExpiresIn: int(f.accessTTL.Seconds()), User: u}
	f.access[t.AccessToken] = time.Now().Add(f.accessTTL)
	f.refresh[t.RefreshToken] = u
	return t
}

func token() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (f *fakeServer) refreshTokens(w http.ResponseWriter, r *http.Request) {
	var req syncproto.RefreshRequest
	_ = json.NewDecoder(r.Body).Decode(&req)
	f.mu.Lock()
	u, ok := f.refresh[req.RefreshToken]
	delete(f.refresh, req.RefreshToken) // rotated: spent once
	if ok {
		f.refreshes++
	}
	f.mu.Unlock()
	if !ok || !deviceOK(r) {
		writeErr(w, http.StatusUnauthorized, domain.EUnauthorized, "refresh token refused")
		return
	}
	writeJSON(w, http.StatusOK, f.issue(u))
}

func (f *fakeServer) logout(w http.ResponseWriter, r *http.Request) {
	var req syncproto.RefreshRequest
	_ = json.NewDecoder(r.Body).Decode(&req)
	f.mu.Lock()
	delete(f.refresh, req.RefreshToken)
	f.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// revokeAll ends every session, as an administrator would.
func (f *fakeServer) revokeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.access, f.refresh = map[string]time.Time{}, map[string]domain.User{}
}

// expireAccessTokens ends every access token issued so far, as their
// lifetime running out would, without the test waiting for it.
func (f *fakeServer) expireAccessTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for tok := range f.access {
		f.access[tok] = time.Time{}
	}
}

func (f *fakeServer) authorised(w http.ResponseWriter, r *http.Request) bool {
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	f.mu.Lock()
	exp, ok := f.access[tok]
	f.mu.Unlock()
	if !deviceOK(r) || !ok || time.Now().After(exp) {
		writeErr(w, http.StatusUnauthorized, domain.EUnauthorized, "access token missing or expired")
		return false
	}
	return true
}

// push applies a batch in one transaction, like the real server: every
// event accepted, duplicate or refused, or a 409 for a gap and nothing
// kept.
func (f *fakeServer) push(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	events, err := syncproto.DecodeBatch(body)
	if err != nil {
		writeErr(w, http.StatusBadRequest, domain.EMalformed, err.Error())
		return
	}
	device := strings.TrimPrefix(r.Header.Get(syncproto.HeaderDevice), "dev-")
	for i := range events {
		if events[i].Replica != device { // a device pushes its own replica's events only
			writeErr(w, http.StatusForbidden, domain.EForbidden, "this device pushes the events of its own replica only")
			return
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	hwm := cloneMap(f.hwm)
	refused := map[string]syncproto.EventResult{}
	var results []syncproto.EventResult
	var gap *syncproto.GapError
	err = f.store.Update(func(tx *boltstore.Tx) error {
		for i := range events {
			e := &events[i]
			res, g, err := f.pushOne(tx, e, hwm, refused)
			if g != nil {
				gap = g
				return errGap
			}
			if err != nil {
				return err
			}
			results = append(results, res)
		}
		return nil
	})
	switch {
	case gap != nil:
		writeJSON(w, http.StatusConflict, gap)
	case err != nil:
		writeErr(w, http.StatusInternalServerError, domain.EInternal, err.Error())
	default:
		f.hwm = hwm
		for id, r := range refused {
			f.refused[id] = r
		}
		writeJSON(w, http.StatusOK, syncproto.PushResponse{Results: results, ServerTime: f.store.Clock().Now(), Epoch: f.epoch})
	}
}

var errGap = domain.Errorf(domain.ESequenceGap, "gap")

func (f *fakeServer) pushOne(tx *boltstore.Tx, e *domain.Event, hwm map[string]uint64, refused map[string]syncproto.EventResult) (syncproto.EventResult, *syncproto.GapError, error) {
	id := e.ID.String()
	if tx.HasEvent(e.ID) {
		return syncproto.EventResult{ID: e.ID, Result: syncproto.Duplicate}, nil, nil
	}
	if r, ok := f.refused[id]; ok {
		return r, nil, nil
	}
	if e.Seq != hwm[e.Replica]+1 {
		return syncproto.EventResult{}, &syncproto.GapError{Code: domain.ESequenceGap, Replica: e.Replica, Expected: hwm[e.Replica] + 1, Message: "gap"}, nil
	}
	hwm[e.Replica] = e.Seq
	if f.reject != nil {
		if code, reason, no := f.reject(e); no {
			r := syncproto.EventResult{ID: e.ID, Result: syncproto.Rejected, Code: code, Reason: reason}
			refused[id] = r
			return r, nil, nil
		}
	}
	_, err := tx.Ingest(e)
	return syncproto.EventResult{ID: e.ID, Result: syncproto.Accepted}, nil, err
}

func cloneMap(m map[string]uint64) map[string]uint64 {
	out := make(map[string]uint64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (f *fakeServer) pull(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	epoch := f.epoch
	f.mu.Unlock()
	cur, err := syncproto.ParseCursor(r.URL.Query().Get("cursor"))
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || limit <= 0 || limit > syncproto.MaxBatchEvents {
		writeErr(w, http.StatusBadRequest, domain.EInvalid, "bad cursor or limit")
		return
	}
	if cur.Epoch != epoch {
		cur = syncproto.Cursor{Epoch: epoch} // another epoch's position means nothing here
	}
	body := syncproto.StartBatch(nil)
	var last uint64
	var more bool
	_ = f.db().View(func(tx *boltstore.Tx) (err error) {
		last, more, err = tx.LogRaw(cur.Seq, limit, func(_ uint64, raw []byte) error {
			body = syncproto.AppendRaw(body, raw)
			return nil
		})
		return err
	})
	w.Header().Set(syncproto.HeaderCursor, syncproto.Cursor{Epoch: epoch, Seq: last}.String())
	w.Header().Set(syncproto.HeaderMore, strconv.FormatBool(more))
	w.Header().Set(syncproto.HeaderEpoch, epoch)
	w.Header().Set("Content-Type", syncproto.ContentTypeBatch)
	_, _ = w.Write(body)
}

func (f *fakeServer) state(w http.ResponseWriter) {
	db := f.db()
	f.mu.Lock()
	st := syncproto.ServerState{Epoch: f.epoch, Replicas: cloneMap(f.hwm), ServerTime: db.Clock().Now()}
	f.mu.Unlock()
	_ = f.db().View(func(tx *boltstore.Tx) error { st.LogLen = tx.LogLen(); return nil })
	writeJSON(w, http.StatusOK, st)
}

func (f *fakeServer) blob(w http.ResponseWriter, r *http.Request) {
	sha := strings.TrimPrefix(r.URL.Path, syncproto.Prefix+syncproto.RouteBlob)
	f.mu.Lock()
	defer f.mu.Unlock()
	switch r.Method {
	case http.MethodPut:
		data, _ := io.ReadAll(r.Body)
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != sha {
			writeErr(w, http.StatusBadRequest, domain.EInvalid, "sha256 mismatch")
			return
		}
		f.blobs[sha] = data
		w.WriteHeader(http.StatusNoContent)
	case http.MethodGet, http.MethodHead:
		data, ok := f.blobs[sha]
		if !ok {
			writeErr(w, http.StatusNotFound, domain.ENotFound, "no such evidence")
			return
		}
		if r.Method == http.MethodGet {
			_, _ = w.Write(data)
		}
	}
}

// backup copies the server's store, for a later restore.
func (f *fakeServer) backup() string {
	path := filepath.Join(f.dir, "backup-"+token()+".db")
	if err := f.db().Backup(path); err != nil {
		f.tb.Fatal(err)
	}
	return path
}

// restore replaces the store with a backup under a new epoch, as an
// administrator restoring the server would.
func (f *fakeServer) restore(path, epoch string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.store.Close()
	f.store = openStore(f.tb, path, "")
	f.epoch = epoch
	f.hwm = replicas(f.store)
	f.refused = map[string]syncproto.EventResult{}
}

// logLen is the number of events in the server's log.
func (f *fakeServer) logLen() uint64 {
	var n uint64
	_ = f.db().View(func(tx *boltstore.Tx) error { n = tx.LogLen(); return nil })
	return n
}

// db is the server's current store (a restore replaces it).
func (f *fakeServer) db() *boltstore.Store {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.store
}

func openStore(tb testing.TB, path, replica string) *boltstore.Store {
	tb.Helper()
	s, err := boltstore.Open(path, boltstore.Options{Replica: replica})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}
