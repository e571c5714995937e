package syncclient_test

import (
	"strings"
	"testing"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// Against the real server: a user who signed in online on a workstation,
// then (the workstation restarted, the network gone) offline, records
// events that the server accepts once the network is back: they carry the
// signature of the key issued at the online sign-in, unwrapped by the
// offline one. An event recorded in another user's name on the same
// workstation is refused, and stays visible there with the reason.
func TestE2EOfflineAuthorsAreSignedAndForgeriesRefused(t *testing.T) {
	t.Parallel()
	onEachStore(t, func(t *testing.T, on serverStore) {
		p := on.plant(t)
		proxy := newProxy(t, p.srv.URL())
		w := p.workstation(t, "ws1", proxy, testConfig())
		w.login(t, "op1", password("op1"))
		w.syncOnce(t)

		proxy.setOffline(true)
		w.store.Close()
		w.open(t, testConfig()) // a restart: the session's key is gone from memory
		sess, err := w.sync.LoginOffline("op1", password("op1"))
		if err != nil || !sess.CanSign() {
			t.Fatalf("offline sign-in: key %v, %v", sess.CanSign(), err)
		}
		id := w.fileComplaint(t, sess, "Bavures, filed offline")
		forger := sess.Actor() // op1's key, in eng1's name
		forger.Login, forger.Role = "eng1", domain.RoleEngineer
		forged, err := w.store.Record(forger, boltstore.Command{Type: domain.ComplaintMessagePosted, EntityID: id,
			Payload: &domain.MessagePayload{Text: "written by op1 as eng1"}})
		if err != nil {
			t.Fatal(err)
		}

		proxy.setOffline(false)
		w.syncOnce(t)
		if n := w.pending(); n != 0 {
			t.Fatalf("%d events still queued", n)
		}
		var rejections []boltstore.Rejection
		_ = w.store.View(func(tx *boltstore.Tx) error { rejections = tx.Rejections(); return nil })
		if len(rejections) != 1 || rejections[0].Event != forged[0].ID || rejections[0].Code != domain.EForbidden ||
			!strings.HasPrefix(rejections[0].Reason, "sync.signature:") {
			t.Fatalf("rejections = %+v, want only the forged message, refused by sync.signature", rejections)
		}
		// The server holds the offline filing, not the forgery.
		other, _ := p.signedIn(t, "ws2", "eng2", nil)
		var st *domain.State
		_ = other.store.View(func(tx *boltstore.Tx) error { st, err = tx.Complaint(id); return nil })
		if err != nil || st.Complaint == nil || st.Complaint.Description != "Bavures, filed offline" || len(st.Complaint.Messages) != 0 {
			t.Fatalf("complaint at another workstation = %+v, %v", st, err)
		}
	})
}
