package syncclient_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"boucle/desktop/syncclient"
	"boucle/shared/boltstore"
	"boucle/shared/syncproto"
)

// A first sync stopped halfway resumes where it stopped, on the bulk
// path: the log is big enough that both the part pulled before the stop
// and the part pulled after it are folded by rebuilding the entities
// (boltstore's CatchUp), not event by event. Nothing is pulled twice,
// nothing is missing, and the projections are the server's, byte for byte.
// bbolt only: its server is the fake on a bbolt store (60 000 events
// ingested); the real server on both: TestE2EPullResumesAfterTheWorkstationStops.
func TestInterruptedFirstSyncResumesWhereItStopped(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, filepath.Join(dir, "server.db"), "server")
	seedReference(t, s)
	ingestAll(t, s, history(t, 6000)) // 60 000 events, 12 000 entities
	f := newFakeServerOn(t, s, dir)

	cfg := testConfig()
	cfg.PullLimit = 1000
	b := enrolled(t, "b", f.URL(), enrolmentCode, cfg)
	b.login(t, "eng1", "eng1-secret")
	ctx, cancel := context.WithCancel(context.Background())
	stopAt := uint64(25_000) // past the store's threshold for a rebuild (20 000), and 30 000 or more left
	b.sync.Subscribe(func(st syncclient.Status) {
		if st.Progress.Pulled >= stopAt {
			cancel() // the workstation is stopped in the middle of its first sync
		}
	})
	if err := b.sync.SyncOnce(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted first sync: %v", err)
	}
	var cur syncproto.Cursor
	_ = b.store.View(func(tx *boltstore.Tx) error { cur, _ = syncproto.ParseCursor(tx.Cursor()); return nil })
	total := f.logLen()
	if cur.Seq < stopAt || total-cur.Seq < 30_000 || b.logLen() != cur.Seq || backlog(b) != 0 {
		t.Fatalf("after the stop: cursor %d, %d events here (backlog %d), server %d", cur.Seq, b.logLen(), backlog(b), total)
	}

	var mu sync.Mutex
	var asked []string
	f.setHook(func(_ http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, syncproto.RoutePull) {
			mu.Lock()
			asked = append(asked, r.URL.Query().Get("cursor"))
			mu.Unlock()
		}
		return false
	})
	b.store.Close()
	b.open(t, cfg)
	b.syncOnce(t)
	if len(asked) == 0 || asked[0] != cur.String() {
		t.Fatalf("the resumed pull asked first for %q, want the saved cursor %q", asked[:min(1, len(asked))], cur.String())
	}
	if want := (int(total-cur.Seq) + cfg.PullLimit - 1) / cfg.PullLimit; len(asked) != want {
		t.Fatalf("the resumed pull took %d pages, want %d: the rest of the log once", len(asked), want)
	}
	if b.logLen() != total || backlog(b) != 0 || b.hash() != statesHash(f.store) {
		t.Fatalf("resumed: %d events here, server %d, backlog %d, same projections %v: %s", b.logLen(), total, backlog(b),
			b.hash() == statesHash(f.store), diffStates(b.store, f.store))
	}
}

func backlog(w *workstation) uint64 {
	var n uint64
	_ = w.store.View(func(tx *boltstore.Tx) error { n = tx.Backlog(); return nil })
	return n
}

// A first sync killed (SIGKILL, as a power cut) in the middle of its pull
// resumes where it stopped and ends with the store a straight sync gives:
// the same log, the same per-entity index, the same projections. The
// workstation runs in a child process (TestKilledFirstSyncChild) that
// halts once 25 000 events are logged, and is killed there: its pages
// logged but neither indexed nor folded, and what it held in memory lost.
// bbolt only: its server is the fake on a bbolt store (the workstation
// is killed); the real server killed mid-pull on both stores:
// TestE2EServerKilledDuringPullResumesFromItsCursor.
func TestKilledFirstSyncResumesToAStraightSync(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	s := openStore(t, filepath.Join(dir, "server.db"), "server")
	seedReference(t, s)
	ingestAll(t, s, history(t, 6000)) // 60 000 events, 12 000 entities
	f := newFakeServerOn(t, s, dir)
	cfg := testConfig()
	cfg.PullLimit = 1000

	b := enrolled(t, "b", f.URL(), enrolmentCode, cfg)
	b.login(t, "eng1", "eng1-secret")
	b.store.Close()
	stoppedAt := killFirstSyncAt(t, f.URL(), b.path, 25_000)
	b.open(t, cfg)
	if logged := b.logLen(); logged < 25_000 || logged != stoppedAt || backlog(b) != logged {
		t.Fatalf("after the kill: %d events logged (the child said %d), backlog %d: want the pages logged, none folded", logged, stoppedAt, backlog(b))
	}
	b.syncOnce(t)

	straight := enrolled(t, "straight", f.URL(), enrolmentCode, cfg)
	straight.login(t, "eng1", "eng1-secret")
	straight.syncOnce(t)
	if b.logLen() != f.logLen() || backlog(b) != 0 {
		t.Fatalf("resumed: %d events, server %d, backlog %d", b.logLen(), f.logLen(), backlog(b))
	}
	if !slices.EqualFunc(bucketBytes(t, b.store, "entity_events"), bucketBytes(t, straight.store, "entity_events"), bytes.Equal) {
		t.Fatal("the resumed workstation's per-entity index differs from a straight sync's")
	}
	if b.hash() != straight.hash() || b.hash() != statesHash(f.store) {
		t.Fatalf("the resumed workstation's projections differ from a straight sync's: %s", diffStates(b.store, straight.store))
	}
}

// killFirstSyncAt runs TestKilledFirstSyncChild on the store at path,
// waits until it has logged at least stopAt events and halted, kills it
// with SIGKILL, and returns the position it said it had reached.
func killFirstSyncAt(t *testing.T, url, path string, stopAt uint64) uint64 {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestKilledFirstSyncChild$", "-test.v", "-test.short")
	cmd.Env = append(os.Environ(), fmt.Sprintf("BOUCLE_KILLED_CHILD=%s %s %d", url, path, stopAt))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var reached uint64
	var lines []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if n, ok := strings.CutPrefix(sc.Text(), "halted at "); ok {
			reached, _ = strconv.ParseUint(n, 10, 64)
			break
		}
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if reached == 0 {
		t.Fatalf("the child never halted:\n%s", strings.Join(lines, "\n"))
	}
	return reached
}

// TestKilledFirstSyncChild is the workstation of
// TestKilledFirstSyncResumesToAStraightSync; it does nothing in a normal
// test run. It syncs the enrolled store it is given and, once a long
// pull's progress passes the given position, says so and halts inside the
// progress notice: the pull stops between two transactions, before the
// fold, until the parent kills the process.
func TestKilledFirstSyncChild(t *testing.T) {
	arg := os.Getenv("BOUCLE_KILLED_CHILD")
	if arg == "" {
		t.Skip("only run by TestKilledFirstSyncResumesToAStraightSync")
	}
	f := strings.Fields(arg)
	stopAt, _ := strconv.ParseUint(f[2], 10, 64)
	cfg := testConfig()
	cfg.PullLimit = 1000
	w := &workstation{name: "b", path: f[1]}
	w.open(t, cfg)
	w.sync.Subscribe(func(st syncclient.Status) {
		if st.Progress.Pulled >= stopAt {
			fmt.Printf("halted at %d\n", w.logLen())
			select {} // killed here
		}
	})
	err := w.sync.SyncOnce(context.Background())
	t.Fatalf("the sync ended (%v) without passing %d events", err, stopAt)
}

// bucketBytes is a bucket's keys and values, in order.
func bucketBytes(t *testing.T, s *boltstore.Store, bucket string) (kv [][]byte) {
	t.Helper()
	_ = s.View(func(tx *boltstore.Tx) error {
		return tx.Bolt().Bucket([]byte(bucket)).ForEach(func(k, v []byte) error {
			kv = append(kv, slices.Clone(k), slices.Clone(v))
			return nil
		})
	})
	return kv
}
