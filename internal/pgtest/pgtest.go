// Package pgtest starts a real PostgreSQL 15 for the tests of a package:
// one server per test binary, in a temporary directory, on a free port of
// 127.0.0.1, and one database per test. Nothing is downloaded: it runs
// Debian's own binaries (the postgresql package, which
// scripts/install-deps.sh installs). Test support only.
//
// A package using it calls Main from its TestMain, which stops the server
// and removes its directory once the tests are done:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
// and each test asks for a database of its own with DB(t).
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// BinDir is where Debian 12's postgresql package (PostgreSQL 15) puts the
// server's programs. BOUCLE_PG_BIN overrides it; without it, a machine
// whose distribution ships a later major version uses the latest one
// under /usr/lib/postgresql.
const BinDir = "/usr/lib/postgresql/15/bin"

// superuser is the cluster's superuser, trusted on 127.0.0.1 only: the
// cluster lives as long as the test binary and holds test data only.
const superuser = "postgres"

// dirPrefix names the servers' directories, so that a later run finds
// those a killed test binary left behind (sweepStale).
const dirPrefix = "boucle-pgtest-"

var (
	mainCalled atomic.Bool
	once       sync.Once
	shared     *Cluster
	startErr   error
	dbCount    atomic.Int64
)

// Main runs the package's tests, then stops the server if one was started
// and removes its directory. Returns the exit code for os.Exit.
func Main(m *testing.M) int {
	mainCalled.Store(true)
	code := m.Run()
	if shared != nil {
		if err := shared.stop(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
			if code == 0 {
				code = 1
			}
		}
	}
	return code
}

// DB creates an empty database for the test, dropped when it ends, and
// returns its connection URL. The first call starts the server; a
// machine without PostgreSQL 15 fails the test (never skips it).
func DB(tb testing.TB) string {
	tb.Helper()
	s := Server(tb)
	name := fmt.Sprintf("t%d_%d", os.Getpid(), dbCount.Add(1))
	ctx := context.Background()
	if err := s.exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		tb.Fatalf("pgtest: creating database %s: %v", name, err)
	}
	tb.Cleanup(func() {
		// FORCE: a test that failed half-way may have left connections.
		if err := s.exec(context.Background(), "DROP DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			tb.Errorf("pgtest: dropping database %s: %v", name, err)
		}
	})
	return s.url(name)
}

// SharedDB returns the URL of one database shared by every test of the
// binary that asks for it, created on the first call and left to the
// server's removal at the end: for tests that keep apart by a key of
// their own (a plant id) and would otherwise spend most of their time
// creating and dropping databases.
func SharedDB(tb testing.TB) string {
	tb.Helper()
	s := Server(tb)
	sharedOnce.Do(func() {
		name := fmt.Sprintf("shared%d", os.Getpid())
		if sharedErr = s.exec(context.Background(), "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); sharedErr == nil {
			sharedURL = s.url(name)
		}
	})
	if sharedErr != nil {
		tb.Fatalf("pgtest: creating the shared database: %v", sharedErr)
	}
	return sharedURL
}

var (
	sharedOnce sync.Once
	sharedURL  string
	sharedErr  error
)

// Server returns the test binary's server, starting it on first use.
func Server(tb testing.TB) *Cluster {
	tb.Helper()
	if !mainCalled.Load() {
		tb.Fatal("pgtest: call os.Exit(pgtest.Main(m)) from the package's TestMain, so that the server is stopped after the tests")
	}
	once.Do(func() { shared, startErr = start() })
	if startErr != nil {
		tb.Fatalf("pgtest: %v", startErr)
	}
	return shared
}

// AdminURL is the URL of the server's maintenance database, as its
// superuser: for tests that terminate backends or inspect locks.
func (s *Cluster) AdminURL() string { return s.url("postgres") }

// Cluster is one running PostgreSQL cluster.
type Cluster struct {
	dir   string // removed at stop; holds data/ and the server's log
	port  int
	cred  *syscall.Credential // the user the cluster runs as; nil when not root
	admin *pgx.Conn
	mu    sync.Mutex // admin is one connection: one statement at a time
}

func (s *Cluster) data() string    { return filepath.Join(s.dir, "data") }
func (s *Cluster) logFile() string { return filepath.Join(s.dir, "server.log") }

func (s *Cluster) url(db string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", superuser, s.port, db)
}

func (s *Cluster) exec(ctx context.Context, sql string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.admin.Exec(ctx, sql)
	return err
}

// start creates a cluster in a new temporary directory and starts it.
func start() (*Cluster, error) {
	bin := binDir()
	if _, err := os.Stat(filepath.Join(bin, "initdb")); err != nil {
		return nil, fmt.Errorf("PostgreSQL 15 is not installed (no %s): run scripts/install-deps.sh (as root it installs the postgresql package)", filepath.Join(bin, "initdb"))
	}
	cred, err := clusterUser()
	if err != nil {
		return nil, err
	}
	parent := tempParent(cred)
	sweepStale(parent, bin, cred)
	dir, err := os.MkdirTemp(parent, dirPrefix)
	if err != nil {
		return nil, err
	}
	s := &Cluster{dir: dir, cred: cred}
	if err := s.create(bin); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	if err := s.launch(bin); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

func binDir() string {
	if d := os.Getenv("BOUCLE_PG_BIN"); d != "" {
		return d
	}
	if _, err := os.Stat(BinDir); err == nil {
		return BinDir
	}
	best, bestMajor := BinDir, 15
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for _, d := range dirs {
		if major, err := strconv.Atoi(filepath.Base(filepath.Dir(d))); err == nil && major > bestMajor {
			best, bestMajor = d, major
		}
	}
	return best
}

// clusterUser is the unprivileged system user the cluster runs as when
// the tests run as root (PostgreSQL refuses to run as root): the
// postgres user the Debian package creates.
func clusterUser() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root and there is no postgres system user to run PostgreSQL as: run scripts/install-deps.sh (the postgresql package creates it): %v", err)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// create runs initdb and writes the settings the tests rely on.
func (s *Cluster) create(bin string) error {
	if err := os.WriteFile(filepath.Join(s.dir, "owner.pid"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return err
	}
	if s.cred != nil {
		if err := os.Chown(s.dir, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
			return err
		}
	}
	// --no-sync: initdb's own files need not survive a crash of the
	// machine. The server itself keeps fsync and synchronous_commit on,
	// so that the benchmarks measure durable commits.
	if out, err := s.run(bin, "initdb", "-D", s.data(), "-U", superuser, "--auth=trust",
		"-E", "UTF8", "--no-locale", "--no-sync").CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %v: %s", err, out)
	}
	conf := strings.Join([]string{
		"listen_addresses = '127.0.0.1'",
		"unix_socket_directories = ''", // TCP only: no socket in a shared directory
		"max_connections = 100",
		"synchronous_commit = on",
		"fsync = on",
		"logging_collector = off",
	}, "\n") + "\n"
	f, err := os.OpenFile(filepath.Join(s.data(), "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(conf)
	return errors.Join(err, f.Close())
}

// launch starts the cluster on a free port, trying another port when a
// process took the chosen one in between.
func (s *Cluster) launch(bin string) error {
	var lastErr error
	for range 5 {
		port, err := freePort()
		if err != nil {
			return err
		}
		s.port = port
		out, err := s.run(bin, "pg_ctl", "-D", s.data(), "-l", s.logFile(), "-w", "-t", "120",
			"-o", "-p "+strconv.Itoa(port), "start").CombinedOutput()
		if err == nil {
			return s.connectAdmin()
		}
		log, _ := os.ReadFile(s.logFile())
		lastErr = fmt.Errorf("pg_ctl start on port %d: %v: %s\n%s", port, err, out, log)
		if !strings.Contains(string(log), "could not bind") && !strings.Contains(string(log), "already in use") {
			return lastErr
		}
	}
	return lastErr
}

func (s *Cluster) connectAdmin() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.AdminURL())
	if err != nil {
		return fmt.Errorf("connecting to the test server: %v", err)
	}
	s.admin = conn
	return nil
}

// stop stops the cluster (fast shutdown: open sessions are ended) and
// removes its directory.
func (s *Cluster) stop() error {
	if s.admin != nil {
		_ = s.admin.Close(context.Background())
	}
	out, err := s.run(binDir(), "pg_ctl", "-D", s.data(), "-m", "fast", "-w", "-t", "120", "stop").CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl stop: %v: %s (left %s)", err, out, s.dir)
	}
	return os.RemoveAll(s.dir)
}

// run prepares one of the server's programs, as the cluster's user.
func (s *Cluster) run(bin, prog string, args ...string) *exec.Cmd {
	return clusterCmd(s.dir, s.cred, filepath.Join(bin, prog), args...)
}

func clusterCmd(dir string, cred *syscall.Credential, path string, args ...string) *exec.Cmd {
	cmd := exec.Command(path, args...)
	cmd.Dir = dir // the cluster's user may not enter the caller's directory
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	if cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	}
	return cmd
}

// freePort returns a port of 127.0.0.1 that nothing listens on now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// tempParent is where the cluster's directory goes: the temporary
// directory, unless the cluster's user (not root) could not reach it (a
// TMPDIR inside a private home), then /tmp.
func tempParent(cred *syscall.Credential) string {
	dir := os.TempDir()
	if cred == nil {
		return dir
	}
	for d := dir; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil || fi.Mode().Perm()&0o001 == 0 {
			return "/tmp"
		}
		if d == filepath.Dir(d) {
			return dir
		}
	}
}

// sweepStale stops and removes the servers of test binaries that died
// before their Main could (a panic, a -timeout): their process is gone,
// their server still runs.
func sweepStale(parent, bin string, cred *syscall.Credential) {
	dirs, _ := filepath.Glob(filepath.Join(parent, dirPrefix+"*"))
	for _, dir := range dirs {
		raw, err := os.ReadFile(filepath.Join(dir, "owner.pid"))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
		if err != nil || pid <= 0 || syscall.Kill(pid, 0) != syscall.ESRCH {
			continue // its owner still runs (or is not ours to judge)
		}
		data := filepath.Join(dir, "data")
		if _, err := os.Stat(filepath.Join(data, "postmaster.pid")); err == nil {
			_ = clusterCmd(dir, cred, filepath.Join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop").Run()
		}
		_ = os.RemoveAll(dir)
	}
}

// CPUTime is the processor time the cluster's processes (the postmaster
// and its children: the sessions, the WAL writer, the checkpointer) have
// used so far, from /proc: the benchmarks report the server's CPU per
// event, which a loaded machine disturbs much less than wall time.
// Processes that have exited no longer count.
func (s *Cluster) CPUTime() (time.Duration, error) {
	raw, err := os.ReadFile(filepath.Join(s.data(), "postmaster.pid"))
	if err != nil {
		return 0, err
	}
	postmaster, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(raw), "\n", 2)[0]))
	if err != nil {
		return 0, fmt.Errorf("postmaster.pid: %v", err)
	}
	procs, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		return 0, err
	}
	var ticks uint64
	for _, p := range procs {
		pid, ppid, cpu, ok := procStat(p)
		if ok && (pid == postmaster || ppid == postmaster) {
			ticks += cpu
		}
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// WALPosition is how many bytes the cluster has written to its
// write-ahead log so far: the benchmarks report the log's bytes per
// event, what the disk must sync, whatever the machine's load.
func (s *Cluster) WALPosition() (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var lsn int64
	err := s.admin.QueryRow(context.Background(), "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint").Scan(&lsn)
	return lsn, err
}

// clockTicks is the kernel's USER_HZ, the unit of /proc's CPU times: 100
// on every Linux architecture Go supports.
const clockTicks = 100

// procStat reads a /proc/PID/stat file: the pid, the parent's pid, and
// the user plus system time in clock ticks.
func procStat(path string) (pid, ppid int, cpu uint64, ok bool) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return 0, 0, 0, false
	}
	s := string(raw)
	end := strings.LastIndexByte(s, ')') // the command name may hold spaces
	if end < 0 {
		return 0, 0, 0, false
	}
	pid, _ = strconv.Atoi(strings.TrimSpace(s[:strings.IndexByte(s, '(')]))
	f := strings.Fields(s[end+1:])
	// After the name: state(0) ppid(1) ... utime(11) stime(12).
	if len(f) < 13 {
		return 0, 0, 0, false
	}
	ppid, _ = strconv.Atoi(f[1])
	utime, _ := strconv.ParseUint(f[11], 10, 64)
	stime, _ := strconv.ParseUint(f[12], 10, 64)
	return pid, ppid, utime + stime, true
}

// Dump copies the database at url with pg_dump (its custom format, as an
// administrator backs a plant up: docs/deployment.md) into a file of the
// test's, and returns the file's path.
func Dump(tb testing.TB, url string) string {
	tb.Helper()
	Server(tb)
	path := filepath.Join(tb.TempDir(), "backup.dump")
	if out, err := exec.Command(filepath.Join(binDir(), "pg_dump"), "--format=custom", "--file="+path, "--dbname="+url).CombinedOutput(); err != nil {
		tb.Fatalf("pgtest: pg_dump: %v: %s", err, out)
	}
	return path
}

// Restore restores a dump of Dump into a fresh database of the test's (an
// administrator's restore into a new database), and returns its URL.
func Restore(tb testing.TB, dump string) string {
	tb.Helper()
	url := DB(tb)
	if out, err := exec.Command(filepath.Join(binDir(), "pg_restore"), "--exit-on-error", "--no-owner", "--dbname="+url, dump).CombinedOutput(); err != nil {
		tb.Fatalf("pgtest: pg_restore: %v: %s", err, out)
	}
	return url
}
