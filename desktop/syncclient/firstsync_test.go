package syncclient_test

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
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
