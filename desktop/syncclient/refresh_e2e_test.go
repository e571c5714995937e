package syncclient_test

import (
	"context"
	"testing"
	"time"

	"boucle/desktop/syncclient"
	"boucle/shared/syncproto"
)

// (f) A refresh whose answer is lost on the network: the workstation
// keeps its refresh token, presents it again at the next sync, and the
// server honours it once within its grace period. Before: the retry was
// a reuse, the server revoked the sign-in, and the workstation asked for
// a sign-in again.
func TestE2ELostRefreshAnswerKeepsTheWorkstationSignedIn(t *testing.T) {
	t.Parallel()
	onEachStore(t, func(t *testing.T, on serverStore) {
		ttl := time.Second
		p := on.plant(t, "--access-ttl", ttl.String())
		proxy := newProxy(t, p.srv.URL())
		w, s := p.signedIn(t, "ws1", "op1", proxy)
		w.fileComplaint(t, s, "dent")
		time.Sleep(ttl + 1500*time.Millisecond) // the access token expires: the next sync refreshes it
		proxy.dropAnswers(syncproto.RouteRefresh, 1)
		if err := w.sync.SyncOnce(context.Background()); !syncclient.IsOffline(err) {
			t.Fatalf("sync with the refresh answer lost: %v", err)
		}
		w.syncOnce(t)
		if st := w.sync.Status(); st.Pending != 0 || st.SignInNeeded || st.LastError != "" {
			t.Fatalf("status after the retried refresh: %+v", st)
		}
	})
}
