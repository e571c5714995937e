package syncclient_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"boucle/internal/pgtest"
	"boucle/shared/syncproto"
)

// The end-to-end tests and the benchmarks run the real server binary,
// built once by TestMain.
var (
	serverBin     string // path of the built boucle-server
	serverMissing string // why the end-to-end tests skip, when the command does not exist yet
	serverBuild   error  // a build failure: the end-to-end tests fail with it
)

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "boucle-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	if !testing.Short() {
		serverBin, serverMissing, serverBuild = buildServer(dir)
	}
	return pgtest.Main(m)
}

// buildServer builds ./cmd/boucle-server of this module into dir.
func buildServer(dir string) (bin, missing string, err error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", "", fmt.Errorf("go env GOMOD: %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(out)))
	if _, err := os.Stat(filepath.Join(root, "cmd", "boucle-server")); err != nil {
		return "", "cmd/boucle-server does not exist yet: the end-to-end tests need the real server", nil
	}
	bin = filepath.Join(dir, "boucle-server")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/boucle-server")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", "", fmt.Errorf("go build ./cmd/boucle-server: %v\n%s", err, out)
	}
	return bin, "", nil
}

// needServer skips or fails a test that needs the real server.
func needServer(tb testing.TB) {
	tb.Helper()
	switch {
	case testing.Short():
		tb.Skip("end-to-end test: skipped with -short")
	case serverMissing != "":
		tb.Skip(serverMissing)
	case serverBuild != nil:
		tb.Fatal(serverBuild)
	}
}

// realServer is one boucle-server process on a data directory.
type realServer struct {
	tb    testing.TB
	dir   string
	extra []string // flags given to serve
	env   []string // BOUCLE_* variables of serve and of the admin commands (a PostgreSQL store), over the process's
	addr  string   // kept across restarts, so that clients find it again

	mu      sync.Mutex
	cmd     *exec.Cmd
	done    chan struct{}
	logs    bytes.Buffer
	stdout  bytes.Buffer
	waiters []logWaiter // see onLog
}

// logWaiter is a log message awaited: seen gets true when the running
// process logs it, false when the process ends first.
type logWaiter struct {
	msg  string
	seen chan bool
}

// startServer starts boucle-server serve on 127.0.0.1, port 0, in dir.
func startServer(tb testing.TB, dir string, extra ...string) *realServer {
	tb.Helper()
	return startServerEnv(tb, dir, nil, extra...)
}

// startServerEnv starts boucle-server serve as startServer does, with
// env (BOUCLE_STORE=postgres://…) given to it and to the admin commands.
func startServerEnv(tb testing.TB, dir string, env []string, extra ...string) *realServer {
	tb.Helper()
	s := &realServer{tb: tb, dir: dir, extra: extra, env: env, addr: "127.0.0.1:0"}
	if err := s.start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.stop)
	return s
}

// start runs the process and waits for its "serving" log line, which
// gives the address (the server logs as JSON here).
func (s *realServer) start() error {
	args := append([]string{"serve", "--data", s.dir, "--addr", s.addr, "--log-format", "json", "--log-level", "info"}, s.extra...)
	cmd := exec.Command(serverBin, args...)
	cmd.Env = append(os.Environ(), s.env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	s.mu.Lock()
	cmd.Stdout = &lockedWriter{mu: &s.mu, w: &s.stdout}
	s.mu.Unlock()
	if err := cmd.Start(); err != nil {
		return err
	}
	addr := make(chan string, 1)
	done := make(chan struct{})
	go s.readLogs(stderr, addr, done, cmd)
	select {
	case a := <-addr:
		s.mu.Lock()
		s.cmd, s.done, s.addr = cmd, done, a
		s.mu.Unlock()
		return nil
	case <-done:
		return fmt.Errorf("boucle-server %s exited: %v\n%s", strings.Join(args, " "), cmd.ProcessState, s.output())
	case <-time.After(2 * time.Minute): // a big store opens slowly: bbolt rebuilds its free list from every page
		_ = cmd.Process.Kill()
		return fmt.Errorf("boucle-server did not report its address in 2 min:\n%s", s.output())
	}
}

func (s *realServer) readLogs(r io.Reader, addr chan<- string, done chan<- struct{}, cmd *exec.Cmd) {
	defer func() { _ = cmd.Wait(); s.endWaiters(); close(done) }()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		s.mu.Lock()
		s.logs.Write(line)
		s.logs.WriteByte('\n')
		s.mu.Unlock()
		var rec struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if json.Unmarshal(line, &rec) != nil {
			continue
		}
		if rec.Msg == "serving" && rec.Addr != "" {
			select {
			case addr <- rec.Addr:
			default:
			}
		}
		s.logged(rec.Msg)
	}
}

// onLog calls fn once the running process logs msg, outside the log
// reader (fn may stop the server). The channel is closed when fn has
// returned, or when the process ended without logging msg. Nothing is left
// running after that: no timer, no goroutine.
func (s *realServer) onLog(msg string, fn func()) <-chan struct{} {
	w := logWaiter{msg: msg, seen: make(chan bool, 1)}
	s.mu.Lock()
	s.waiters = append(s.waiters, w)
	s.mu.Unlock()
	over := make(chan struct{})
	go func() {
		defer close(over)
		if <-w.seen {
			fn()
		}
	}()
	return over
}

// logged wakes the waiters of msg.
func (s *realServer) logged(msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	kept := s.waiters[:0]
	for _, w := range s.waiters {
		if w.msg == msg {
			w.seen <- true
		} else {
			kept = append(kept, w)
		}
	}
	s.waiters = kept
}

// endWaiters tells the remaining waiters that the process has ended.
func (s *realServer) endWaiters() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range s.waiters {
		w.seen <- false
	}
	s.waiters = nil
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (s *realServer) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stdout.String() + s.logs.String()
}

func (s *realServer) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return "http://" + s.addr
}

func (s *realServer) pid() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

// signal sends sig and waits for the process to end.
func (s *realServer) signal(sig syscall.Signal) {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(sig)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// stop shuts the server down gracefully (SIGTERM).
func (s *realServer) stop() { s.signal(syscall.SIGTERM) }

// kill ends the server at once, as a power cut would (SIGKILL).
func (s *realServer) kill() { s.signal(syscall.SIGKILL) }

// restart starts the server again on the same directory and address.
func (s *realServer) restart() {
	s.tb.Helper()
	if err := s.start(); err != nil {
		s.tb.Fatal(err)
	}
}

// admin runs an administration command on the server's data directory
// (through its admin socket while it runs) and returns its output.
func (s *realServer) admin(stdin string, args ...string) (string, error) {
	cmd := exec.Command(serverBin, append(args, "--data", s.dir)...)
	cmd.Env = append(os.Environ(), s.env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("boucle-server %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
	}
	return out.String(), nil
}

func (s *realServer) mustAdmin(stdin string, args ...string) string {
	s.tb.Helper()
	out, err := s.admin(stdin, args...)
	if err != nil {
		s.tb.Fatal(err)
	}
	return out
}

var enrolmentCodeRe = regexp.MustCompile(`enrolment code: (\S+)`)

// enrolmentCode asks the server for a one-time enrolment code.
func (s *realServer) enrolmentCode() string {
	s.tb.Helper()
	m := enrolmentCodeRe.FindStringSubmatch(s.mustAdmin("", "device", "enrol"))
	if m == nil {
		s.tb.Fatal("no enrolment code in the output of device enrol")
	}
	return m[1]
}

// addUser registers a user with a known password.
func (s *realServer) addUser(login, role, station, password string) {
	s.tb.Helper()
	args := []string{"user", "add", login, "--name", "User " + login, "--role", role, "--password-stdin"}
	if station != "" {
		args = append(args, "--station", station)
	}
	s.mustAdmin(password+"\n", args...)
}

// storePath is the server's store file.
func (s *realServer) storePath() string { return filepath.Join(s.dir, "boucle.db") }

// flakyProxy stands between a workstation and the server: it forwards
// requests, or plays a network that is down (connections closed unanswered)
// or that loses answers (the request reaches the server, the answer never
// comes back).
type flakyProxy struct {
	srv *httptest.Server
	rt  http.RoundTripper

	mu      sync.Mutex
	target  string
	offline bool
	drop    map[string]int      // route → answers still to lose
	trips   map[string]*trip    // route → what to do at a stage of its next request
	queries map[string][]string // route → the query strings of its requests, in order
}

// stage is a moment of a request's way through the proxy.
type stage string

const (
	halfSent stage = "half of the request sent on to the server"
	answered stage = "the server's answer received, not yet passed back"
)

// trip is a function called once, when a request reaches a stage.
type trip struct {
	at   stage
	skip int // requests to let through first
	fn   func()
	over chan struct{} // closed when fn has returned
}

func (t *trip) fire() {
	t.fn()
	close(t.over)
}

// tripwire reads a request body and fires its trip once half of it
// (by Content-Length) has been read, before handing that part on.
type tripwire struct {
	io.ReadCloser
	half, read int64
	trip       *trip
}

func (w *tripwire) Read(b []byte) (int, error) {
	n, err := w.ReadCloser.Read(b)
	w.read += int64(n)
	if w.trip != nil && w.read >= w.half {
		w.trip.fire()
		w.trip = nil
	}
	return n, err
}

func newProxy(tb testing.TB, target string) *flakyProxy {
	p := &flakyProxy{target: target, drop: map[string]int{}, trips: map[string]*trip{}, queries: map[string][]string{}, rt: &http.Transport{MaxIdleConnsPerHost: 16}}
	p.srv = httptest.NewServer(p)
	tb.Cleanup(p.srv.Close)
	return p
}

func (p *flakyProxy) URL() string { return p.srv.URL }

func (p *flakyProxy) setOffline(off bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.offline = off
}

// dropAnswers makes the proxy lose the next n answers to a route.
func (p *flakyProxy) dropAnswers(route string, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.drop[route] += n
}

// at makes the proxy call fn when the next request to route reaches the
// stage, synchronously: the request waits for fn (at answered, its answer
// is then lost). The channel is closed once fn has returned.
func (p *flakyProxy) at(route string, s stage, fn func()) <-chan struct{} {
	return p.atRequest(route, 1, s, fn)
}

// atRequest is at for the nth next request to route (from 1).
func (p *flakyProxy) atRequest(route string, n int, s stage, fn func()) <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	t := &trip{at: s, skip: n - 1, fn: fn, over: make(chan struct{})}
	p.trips[route] = t
	return t.over
}

// asked returns the query strings of the requests to route so far, and
// forgets them.
func (p *flakyProxy) asked(route string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	q := p.queries[route]
	delete(p.queries, route)
	return q
}

func (p *flakyProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	route := strings.TrimPrefix(r.URL.Path, syncproto.Prefix)
	if strings.HasPrefix(route, syncproto.RouteBlob) {
		route = syncproto.RouteBlob
	}
	p.mu.Lock()
	off, drop, target, trip := p.offline, p.drop[route] > 0, p.target, p.trips[route]
	if drop {
		p.drop[route]--
	}
	if trip != nil && trip.skip > 0 {
		trip.skip--
		trip = nil
	} else {
		delete(p.trips, route)
	}
	p.queries[route] = append(p.queries[route], r.URL.RawQuery)
	p.mu.Unlock()
	if trip != nil && trip.at == halfSent {
		r.Body = &tripwire{ReadCloser: r.Body, half: max(r.ContentLength/2, 1), trip: trip}
	}
	if off {
		hijackAndClose(w)
		return
	}
	resp, err := p.forward(r, target)
	if err != nil {
		hijackAndClose(w)
		return
	}
	defer resp.Body.Close()
	if trip != nil && trip.at == answered {
		trip.fire()
		drop = true
	}
	if drop {
		_, _ = io.Copy(io.Discard, resp.Body) // the server has answered; the answer is lost
		hijackAndClose(w)
		return
	}
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

func (p *flakyProxy) forward(r *http.Request, target string) (*http.Response, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.URL.Scheme, out.URL.Host, out.Host = u.Scheme, u.Host, u.Host
	return p.rt.RoundTrip(out)
}
