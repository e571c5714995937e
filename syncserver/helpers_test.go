package syncserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"boucle/internal/pgtest"
	"boucle/shared/authorship"
	"boucle/shared/boltstore"
	"boucle/shared/confidential"
	"boucle/shared/domain"
	"boucle/shared/hlc"
	"boucle/shared/syncproto"
	"boucle/syncserver"
	"boucle/syncserver/pgstore"

	"github.com/google/uuid"
)

// clock is a settable time shared by the store and the server.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now().UTC().Truncate(time.Millisecond)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// harness is a server on a fresh store, listening on 127.0.0.1, with a
// small plant: stations CUT1 → PRESS2 → PAINT4, an admin, an operator of
// PRESS2 (op1), two engineers and a manager, all with the password pw.
type harness struct {
	t      testing.TB
	dir    string
	clock  *clock
	store  *boltstore.Store // nil on PostgreSQL
	ports  syncserver.Store // the store through the server's ports, on either adapter
	pg     *pgstore.Server  // the plant on PostgreSQL, nil on bbolt
	pgOpen *pgPlace         // how to open the PostgreSQL plant again; nil on bbolt
	closed func()           // closes the server and its store, once
	srv    *syncserver.Server
	http   *httptest.Server
	admin  *syncserver.Admin
	conf   *confidential.Keyring // the plant's confidential keys
	logBuf *syncBuffer
}

const pw = "correct horse battery"

// sealed seals an internal note of a complaint with the plant's keys, as
// an engineer's workstation does.
func (h *harness) sealed(complaintID, text string) *domain.MessagePayload {
	h.t.Helper()
	s, err := h.conf.Seal(complaintID, text)
	if err != nil {
		h.t.Fatal(err)
	}
	return &domain.MessagePayload{Internal: true, Sealed: s}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newHarness(tb testing.TB) *harness {
	tb.Helper()
	return openHarness(tb, tb.TempDir(), true)
}

// openHarness serves the store in dir, seeding the plant when seed; the
// options change the server's configuration.
func openHarness(tb testing.TB, dir string, seed bool, opts ...func(*syncserver.Config)) *harness {
	tb.Helper()
	h := &harness{t: tb, dir: dir, clock: newClock(), logBuf: &syncBuffer{}}
	log := slog.New(slog.NewTextHandler(h.logBuf, nil))
	store, err := syncserver.OpenStore(dir, boltstore.Options{Now: h.clock.Now}, log)
	if err != nil {
		tb.Fatal(err)
	}
	h.store, h.ports = store, boltserverPorts(store)
	cfg := syncserver.Config{Plant: "test-plant", Now: h.clock.Now, Logger: log}
	for _, o := range opts {
		o(&cfg)
	}
	h.srv, err = syncserver.New(store, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	if h.conf, err = syncserver.PlantKeys(store, cfg); err != nil {
		tb.Fatal(err)
	}
	h.listen(func() { store.Close() }, seed)
	return h
}

// listen serves the harness's server on 127.0.0.1, closes it and its
// store (closeStore) at the test's end, and seeds the plant when seed.
func (h *harness) listen(closeStore func(), seed bool) {
	h.admin = h.srv.Admin()
	h.http = httptest.NewServer(h.srv.Handler())
	h.closed = sync.OnceFunc(func() {
		h.http.Close()
		closeStore()
	})
	h.t.Cleanup(h.closed)
	if seed {
		h.seed()
	}
}

// catchUp folds every logged event, on either store.
func (h *harness) catchUp() error {
	if h.pg != nil {
		return h.pg.CatchUp(context.Background())
	}
	return h.store.CatchUp()
}

// pgCPU is the CPU time PostgreSQL's processes have used, 0 on bbolt.
func (h *harness) pgCPU() time.Duration {
	if h.pg == nil {
		return 0
	}
	d, err := pgtest.Server(h.t).CPUTime()
	if err != nil {
		h.t.Fatal(err)
	}
	return d
}

// walPosition is how many bytes PostgreSQL has written to its
// write-ahead log, 0 on bbolt.
func (h *harness) walPosition() int64 {
	if h.pg == nil {
		return 0
	}
	n, err := pgtest.Server(h.t).WALPosition()
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

func (h *harness) seed() {
	h.t.Helper()
	ctx := context.Background()
	if _, err := h.admin.Bootstrap(); err != nil {
		h.t.Fatal(err)
	}
	if _, err := h.admin.ResetPassword(ctx, "admin", pw); err != nil {
		h.t.Fatal(err)
	}
	for _, s := range [][2]string{{"CUT1", "Cutting 1"}, {"PRESS2", "Press 2"}, {"PAINT4", "Paint 4"}} {
		if err := h.admin.AddStation(ctx, s[0], s[1]); err != nil {
			h.t.Fatal(err)
		}
	}
	for _, u := range []syncserver.NewUser{
		{Login: "op1", DisplayName: "Olivia Operator", Role: domain.RoleOperator, Station: "PRESS2", Password: pw},
		{Login: "eng1", DisplayName: "Eric Engineer", Role: domain.RoleEngineer, Password: pw},
		{Login: "eng2", DisplayName: "Emma Engineer", Role: domain.RoleEngineer, Password: pw},
		{Login: "mgr", DisplayName: "Marc Manager", Role: domain.RoleManager, Password: pw},
	} {
		if _, err := h.admin.AddUser(ctx, u); err != nil {
			h.t.Fatal(err)
		}
	}
}

// device is an enrolled workstation with a signed-in user, and the author
// keys of the users who signed in on it.
type device struct {
	id, key, replica string
	tokens           syncproto.Tokens
	seq              uint64
	keys             map[string]authorship.Key // by login; zero: the login cannot sign in
}

// enrol enrols a workstation with a fresh replica id.
func (h *harness) enrol() *device {
	h.t.Helper()
	en, err := h.admin.EnrolDevice(context.Background(), "test", 0)
	if err != nil {
		h.t.Fatal(err)
	}
	d := &device{replica: "ws-" + uuid.NewString()[:8]}
	var resp syncproto.EnrolResponse
	h.mustJSON(h.post(syncproto.RouteEnrol, syncproto.EnrolRequest{Code: en.Code, Name: "ws", Station: "PRESS2", Replica: d.replica}), http.StatusOK, &resp)
	d.id, d.key = resp.DeviceID, resp.DeviceKey
	return d
}

// workstation enrols a device and signs login in on it.
func (h *harness) workstation(login string) *device {
	h.t.Helper()
	d := h.enrol()
	d.tokens = h.login(login, d)
	return d
}

func (h *harness) login(login string, d *device) syncproto.Tokens {
	h.t.Helper()
	var tokens syncproto.Tokens
	h.mustJSON(h.do(http.MethodPost, syncproto.RouteLogin, syncproto.LoginRequest{Login: login, Password: pw}, d.headers(false)), http.StatusOK, &tokens)
	d.keep(login, tokens.AuthorKey)
	return tokens
}

// keep saves the author key a sign-in on the device brought.
func (d *device) keep(login string, ak *syncproto.AuthorKey) {
	if d == nil {
		return
	}
	if d.keys == nil {
		d.keys = map[string]authorship.Key{}
	}
	k := authorship.Key{}
	if ak != nil {
		k.Kid = ak.Kid
		copy(k.Secret[:], ak.Key)
	}
	d.keys[login] = k
}

// signIn signs each login in on the device once, for its author key.
func (h *harness) signIn(d *device, logins ...string) {
	h.t.Helper()
	for _, login := range logins {
		if !h.authorKey(d, login).Valid() {
			h.t.Fatalf("%s got no author key", login)
		}
	}
}

// resign signs an event changed after it was built, with its author's key.
func (h *harness) resign(d *device, e *domain.Event) {
	h.t.Helper()
	authorship.Sign(h.authorKey(d, e.Author), e)
}

// authorKey returns login's author key on the device, signing login in on
// it once to get it (as the user would at the workstation); the zero Key
// when login cannot sign in (unknown, disabled, the system).
func (h *harness) authorKey(d *device, login string) authorship.Key {
	h.t.Helper()
	if k, ok := d.keys[login]; ok || d.id == "" {
		return k
	}
	res := h.do(http.MethodPost, syncproto.RouteLogin, syncproto.LoginRequest{Login: login, Password: pw}, d.headers(false))
	defer res.Body.Close()
	var tokens syncproto.Tokens
	if res.StatusCode == http.StatusOK && json.NewDecoder(res.Body).Decode(&tokens) == nil {
		d.keep(login, tokens.AuthorKey)
	} else {
		d.keep(login, nil)
	}
	return d.keys[login]
}

// headers returns the device's credential headers, with its access token
// when auth.
func (d *device) headers(auth bool) http.Header {
	hd := http.Header{}
	if d == nil {
		return hd
	}
	if d.id != "" {
		hd.Set(syncproto.HeaderDevice, d.id)
		hd.Set(syncproto.HeaderDeviceKey, d.key)
	}
	if auth {
		hd.Set("Authorization", "Bearer "+d.tokens.AccessToken)
	}
	return hd
}

func bearer(token string) http.Header { return http.Header{"Authorization": {"Bearer " + token}} }

// do sends a request to a route under the API prefix (or a full path
// starting with "/" outside it, like /healthz). body is JSON unless it is
// []byte.
func (h *harness) do(method, route string, body any, hd http.Header) *http.Response {
	h.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		r = bytes.NewReader(raw)
	}
	url := h.http.URL + syncproto.Prefix + route
	if route == "/healthz" || route == "/metrics" {
		url = h.http.URL + route
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		h.t.Fatal(err)
	}
	for k, v := range hd {
		req.Header[k] = v
	}
	res, err := h.http.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	return res
}

func (h *harness) post(route string, body any) *http.Response {
	return h.do(http.MethodPost, route, body, nil)
}

// mustJSON checks the status and decodes the JSON body into v (if not nil).
func (h *harness) mustJSON(res *http.Response, status int, v any) {
	h.t.Helper()
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != status {
		h.t.Fatalf("%s %s: status %d, want %d: %s", res.Request.Method, res.Request.URL.Path, res.StatusCode, status, body)
	}
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			h.t.Fatalf("decode %s: %v", body, err)
		}
	}
}

// mustError checks an error answer: status and code.
func (h *harness) mustError(res *http.Response, status int, code domain.Code) syncproto.ErrorBody {
	h.t.Helper()
	var eb syncproto.ErrorBody
	h.mustJSON(res, status, &eb)
	if eb.Code != code || eb.Message == "" {
		h.t.Fatalf("%s %s: error %+v, want code %s", res.Request.Method, res.Request.URL.Path, eb, code)
	}
	return eb
}

// event builds the next event of the device's replica, signed by its
// author as the workstation would sign it (unsigned when the author
// cannot sign in).
func (h *harness) event(d *device, author string, role domain.Role, typ domain.EventType, entity string, p domain.Payload) domain.Event {
	h.t.Helper()
	e := h.unsigned(d, author, role, typ, entity, p)
	if k := h.authorKey(d, author); k.Valid() {
		authorship.Sign(k, &e)
	}
	return e
}

func (h *harness) unsigned(d *device, author string, role domain.Role, typ domain.EventType, entity string, p domain.Payload) domain.Event {
	h.t.Helper()
	e, err := domain.NewEvent(typ, entity, p)
	if err != nil {
		h.t.Fatal(err)
	}
	d.seq++
	e.ID, e.HLC, e.Replica, e.Seq, e.Author, e.Role = uuid.Must(uuid.NewV7()), hlc.FromTime(h.clock.Now())+hlc.Timestamp(d.seq), d.replica, d.seq, author, role
	return e
}

// forge builds an event in author's name on the device, signed with the
// key of the device's signed-in user (who does not hold author's), and
// stamped after the server's clock, as an attacker who pulled the log
// would stamp it.
func (h *harness) forge(d *device, author string, role domain.Role, typ domain.EventType, entity string, p domain.Payload) domain.Event {
	h.t.Helper()
	e := h.unsigned(d, author, role, typ, entity, p)
	e.HLC = h.ports.Clock().Now() + 1
	authorship.Sign(h.authorKey(d, d.tokens.User.Login), &e)
	return e
}

// filing is a complaint filed by PRESS2 against CUT1.
func filing(n int, desc string) *domain.ComplaintFiledPayload {
	return &domain.ComplaintFiledPayload{Number: fmt.Sprintf("PRESS2-2026-%04d", n), FilingStation: "PRESS2", SupplierStation: "CUT1",
		PartRef: "BRK-100", Lot: "L-7", Quantity: 5, Category: "dimensional", Severity: domain.SeverityMajor,
		Kind: domain.KindComplaint, Description: desc}
}

// push sends events and decodes a 200 answer.
func (h *harness) push(d *device, events ...domain.Event) syncproto.PushResponse {
	h.t.Helper()
	var resp syncproto.PushResponse
	h.mustJSON(h.pushRaw(d, syncproto.AppendBatch(nil, events)), http.StatusOK, &resp)
	if len(resp.Results) != len(events) {
		h.t.Fatalf("%d results for %d events", len(resp.Results), len(events))
	}
	return resp
}

func (h *harness) pushRaw(d *device, batch []byte) *http.Response {
	hd := d.headers(true)
	hd.Set("Content-Type", syncproto.ContentTypeBatch)
	return h.do(http.MethodPost, syncproto.RoutePush, batch, hd)
}

// pulled is one pulled page.
type pulled struct {
	events []domain.Event
	cursor string
	more   bool
	epoch  string
}

func (h *harness) pull(d *device, cursor string, limit int) pulled {
	h.t.Helper()
	res := h.do(http.MethodGet, fmt.Sprintf("%s?cursor=%s&limit=%d", syncproto.RoutePull, cursor, limit), nil, d.headers(true))
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		h.t.Fatalf("pull: %d %s", res.StatusCode, body)
	}
	events, err := syncproto.DecodeBatch(body)
	if err != nil {
		h.t.Fatal(err)
	}
	return pulled{events: events, cursor: res.Header.Get(syncproto.HeaderCursor), more: res.Header.Get(syncproto.HeaderMore) == "true",
		epoch: res.Header.Get(syncproto.HeaderEpoch)}
}

// pullAll pulls every page from cursor.
func (h *harness) pullAll(d *device, cursor string) ([]domain.Event, string) {
	h.t.Helper()
	var all []domain.Event
	for {
		p := h.pull(d, cursor, syncproto.MaxBatchEvents)
		all = append(all, p.events...)
		cursor = p.cursor
		if !p.more {
			return all, cursor
		}
	}
}

func (h *harness) logLen() uint64 {
	var n uint64
	if err := h.ports.ViewLog(context.Background(), func(t syncserver.LogTx) error { n = t.LogLen(); return nil }); err != nil {
		h.t.Fatal(err)
	}
	return n
}

func storePath(dir string) string { return filepath.Join(dir, syncserver.StoreFile) }

// copyKeyFile puts the server's key file in dir, as an administrator who
// restores a backup of the store puts back the key file kept apart.
func (h *harness) copyKeyFile(dir string) {
	h.t.Helper()
	raw, err := os.ReadFile(filepath.Join(h.dir, syncserver.DefaultKeyFile))
	if err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, syncserver.DefaultKeyFile), raw, 0o600); err != nil {
		h.t.Fatal(err)
	}
}
