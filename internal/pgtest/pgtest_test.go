package pgtest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// Each test gets its own empty database on the one server of the binary.
func TestDBIsFreshAndPrivateToTheTest(t *testing.T) {
	ctx := context.Background()
	a, b := DB(t), DB(t)
	if a == b {
		t.Fatalf("two databases share the URL %s", a)
	}
	ca := connect(t, a)
	if _, err := ca.Exec(ctx, "CREATE TABLE marker (n int)"); err != nil {
		t.Fatal(err)
	}
	cb := connect(t, b)
	var n int
	if err := cb.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE tablename = 'marker'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatal("a table created in one test's database is visible in another's")
	}
	var sync, addr string
	if err := ca.QueryRow(ctx, "SELECT current_setting('synchronous_commit'), host(inet_server_addr())").Scan(&sync, &addr); err != nil {
		t.Fatal(err)
	}
	if sync != "on" || addr != "127.0.0.1" {
		t.Fatalf("synchronous_commit %s on %s, want on on 127.0.0.1", sync, addr)
	}
}

// As root the cluster's files belong to the postgres user, which runs it.
func TestClusterRunsUnprivileged(t *testing.T) {
	s := Server(t)
	fi, err := os.Stat(filepath.Join(s.dir, "data"))
	if err != nil {
		t.Fatal(err)
	}
	uid := fi.Sys().(*syscall.Stat_t).Uid
	if os.Geteuid() == 0 && uid == 0 {
		t.Fatal("the cluster's data directory belongs to root")
	}
	if os.Geteuid() != 0 && int(uid) != os.Geteuid() {
		t.Fatalf("the data directory belongs to uid %d, not to the tests' user", uid)
	}
}

// Without the binaries the harness fails, saying what to run; it never
// skips.
func TestMissingBinariesSayWhatToInstall(t *testing.T) {
	t.Setenv("BOUCLE_PG_BIN", filepath.Join(t.TempDir(), "nowhere"))
	_, err := start()
	if err == nil || !strings.Contains(err.Error(), "scripts/install-deps.sh") {
		t.Fatalf("start without binaries: %v, want a message naming scripts/install-deps.sh", err)
	}
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// The cluster's CPU time grows with the work it is given.
func TestCPUTimeCountsTheServersWork(t *testing.T) {
	s := Server(t)
	before, err := s.CPUTime()
	if err != nil {
		t.Fatal(err)
	}
	c := connect(t, DB(t))
	var n int64
	if err := c.QueryRow(context.Background(), "SELECT count(*) FROM generate_series(1, 1000000) a, generate_series(1, 2) b WHERE a % 7 = b").Scan(&n); err != nil {
		t.Fatal(err)
	}
	after, err := s.CPUTime()
	if err != nil {
		t.Fatal(err)
	}
	if after <= before {
		t.Fatalf("CPU time %s before a query of 2 million rows, %s after", before, after)
	}
}

// As root, a temporary directory the postgres user cannot reach is
// passed over for /tmp.
func TestClusterDirectoryIsReachableByItsUser(t *testing.T) {
	private := filepath.Join(t.TempDir(), "private")
	if err := os.MkdirAll(filepath.Join(private, "tmp"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", filepath.Join(private, "tmp"))
	if got := tempParent(&syscall.Credential{Uid: 101, Gid: 104}); got != "/tmp" {
		t.Fatalf("parent for another user: %s, want /tmp", got)
	}
	if got := tempParent(nil); got != filepath.Join(private, "tmp") {
		t.Fatalf("parent for the tests' own user: %s, want TMPDIR", got)
	}
}

// The directory of a test binary that died is removed by the next start;
// a live one's is left.
func TestStaleDirectoriesAreSwept(t *testing.T) {
	parent := t.TempDir()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	stale, live := filepath.Join(parent, dirPrefix+"stale"), filepath.Join(parent, dirPrefix+"live")
	for dir, pid := range map[string]int{stale: dead.Process.Pid, live: os.Getpid()} {
		if err := os.MkdirAll(filepath.Join(dir, "data"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "owner.pid"), []byte(strconv.Itoa(pid)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sweepStale(parent, binDir(), nil)
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Fatalf("the dead binary's directory: %v, want removed", err)
	}
	if _, err := os.Stat(live); err != nil {
		t.Fatalf("the live binary's directory: %v, want kept", err)
	}
}
