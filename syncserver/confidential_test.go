package syncserver_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"testing"

	"boucle/shared/boltstore"
	"boucle/shared/confidential"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
	"boucle/syncserver"
)

const secretNote = "Supplier CUT1 suspected of hiding its scrap rate"

// pullBytes returns the raw bodies of every pull page from the start.
func (h *harness) pullBytes(d *device) []byte {
	h.t.Helper()
	var all []byte
	cursor := ""
	for {
		res := h.do(http.MethodGet, fmt.Sprintf("%s?cursor=%s", syncproto.RoutePull, cursor), nil, d.headers(true))
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			h.t.Fatalf("pull: %d %s", res.StatusCode, body)
		}
		all = append(all, body...)
		cursor = res.Header.Get(syncproto.HeaderCursor)
		if res.Header.Get(syncproto.HeaderMore) != "true" {
			return all
		}
	}
}

// legacyNote files a complaint and logs an engineer's internal note in
// plain text straight into the server's log, as a store written before
// notes were sealed holds it. It returns the complaint's id.
func legacyNote(t *testing.T, h *harness) string {
	t.Helper()
	id := h.record(boltstore.Actor{Login: "op1", Role: domain.RoleOperator},
		boltstore.Command{Type: domain.ComplaintFiled, Payload: filing(1, "Burrs on the inner edge")})[0]
	d := &device{replica: "ws-legacy"}
	note := h.event(d, "eng1", domain.RoleEngineer, domain.ComplaintMessagePosted, id, &domain.MessagePayload{Text: secretNote, Internal: true})
	note.Parents = append(note.Parents, lastEvent(t, h, domain.EntityComplaint, id).ID)
	h.appendRaw(note)
	return id
}

// An operator's pull never carries an internal note's text: notes an old
// store holds in plain text are sealed in the answer.
func TestOperatorPullCarriesNoInternalNote(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		legacyNote(t, h)
		body := h.pullBytes(h.workstation("op1"))
		if bytes.Contains(body, []byte(secretNote)) {
			t.Fatalf("an operator's pull carries the internal note %q", secretNote)
		}
		if bytes.Contains(body, []byte("scrap")) {
			t.Fatal("an operator's pull carries part of the internal note")
		}
	})
}

// The pull stays complete: the legacy note is served, sealed, opens with
// the plant's key to its text, and every role pulls the very same bytes.
func TestLegacyNoteIsServedSealedToEveryRole(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		id := legacyNote(t, h)
		opBody, engBody := h.pullBytes(h.workstation("op1")), h.pullBytes(h.workstation("eng1"))
		if !bytes.Equal(opBody, engBody) {
			t.Fatal("an operator and an engineer pull different bytes")
		}
		events, err := syncproto.DecodeBatch(opBody)
		if err != nil {
			t.Fatal(err)
		}
		if uint64(len(events)) != h.logLen() {
			t.Fatalf("pulled %d events of %d", len(events), h.logLen())
		}
		var notes int
		for _, e := range events {
			if e.Type != domain.ComplaintMessagePosted {
				continue
			}
			notes++
			p, err := domain.DecodePayload(&e)
			if err != nil {
				t.Fatal(err)
			}
			m := p.(*domain.MessagePayload)
			if !m.Internal || m.Text != "" || m.Sealed == "" {
				t.Fatalf("served note %+v", m)
			}
			if err := domain.Validate(&e); err != nil {
				t.Fatalf("the served note is not a valid event: %v", err)
			}
			if text, err := h.conf.Open(id, m.Sealed); err != nil || text != secretNote {
				t.Fatalf("Open = %q, %v", text, err)
			}
		}
		if notes != 1 {
			t.Fatalf("%d notes pulled", notes)
		}
	})
}

// A sealed note is accepted; engineers and managers read it opened in the
// complaint's view, operators do not see it at all.
func TestSealedNoteInViews(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		eng := h.workstation("eng1")
		filed := h.event(eng, "op1", domain.RoleOperator, domain.ComplaintFiled, "c-9", filing(1, "Burrs"))
		note := h.event(eng, "eng1", domain.RoleEngineer, domain.ComplaintMessagePosted, "c-9", h.sealed("c-9", secretNote))
		note.Parents = append(note.Parents, filed.ID)
		h.resign(eng, &note)
		if r := h.push(eng, filed, note).Results[1]; r.Result != syncproto.Accepted {
			t.Fatalf("sealed note: %+v", r)
		}
		for _, login := range []string{"eng2", "mgr", "admin"} {
			var d syncserver.ComplaintDetail
			h.mustJSON(h.do(http.MethodGet, "/complaints/c-9", nil, bearer(h.login(login, nil).AccessToken)), http.StatusOK, &d)
			if len(d.Complaint.Messages) != 1 || d.Complaint.Messages[0].Text != secretNote || d.Complaint.Messages[0].Sealed != "" {
				t.Fatalf("%s reads %+v", login, d.Complaint.Messages)
			}
			if !timelineHas(d, secretNote) {
				t.Fatalf("%s: the timeline lacks the opened note", login)
			}
		}
		res := h.do(http.MethodGet, "/complaints/c-9", nil, bearer(h.login("op1", nil).AccessToken))
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || bytes.Contains(body, []byte("internal")) || bytes.Contains(body, []byte("sealed")) {
			t.Fatalf("operator's view: %d %s", res.StatusCode, body)
		}
	})
}

func timelineHas(d syncserver.ComplaintDetail, text string) bool {
	for _, te := range d.Timeline {
		if bytes.Contains(te.Event.Payload, []byte(text)) {
			return true
		}
	}
	return false
}

// A workstation pushing an internal note in plain text is refused, with
// the rule: a note travels sealed.
func TestPushedPlaintextInternalNoteIsRefused(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		eng := h.workstation("eng1")
		filed := h.event(eng, "op1", domain.RoleOperator, domain.ComplaintFiled, "c-plain", filing(1, "Burrs"))
		note := h.event(eng, "eng1", domain.RoleEngineer, domain.ComplaintMessagePosted, "c-plain", &domain.MessagePayload{Text: secretNote, Internal: true})
		resp := h.push(eng, filed, note)
		if r := resp.Results[1]; r.Result != syncproto.Rejected || r.Code != domain.EInvalid || !bytes.Contains([]byte(r.Reason), []byte("complaint.internal_note_sealed")) {
			t.Fatalf("plaintext internal note: %+v", r)
		}
		if body := h.pullBytes(h.workstation("op1")); bytes.Contains(body, []byte(secretNote)) {
			t.Fatal("the refused note is served by pull")
		}
	})
}

// The login answer delivers the plant's confidential keys to engineers,
// managers and administrators signing in on a workstation, and to no one
// else; the keys open what the server seals.
func TestLoginDeliversConfidentialKeys(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		d := h.enrol()
		for _, c := range []struct {
			login string
			want  bool
		}{{"op1", false}, {"eng1", true}, {"mgr", true}, {"admin", true}} {
			tokens := h.login(c.login, d)
			if got := len(tokens.ConfidentialKeys) > 0; got != c.want {
				t.Errorf("%s on a workstation: keys delivered %v, want %v", c.login, got, c.want)
			}
			if !c.want {
				continue
			}
			keys, err := confidential.NewKeyring(tokens.ConfidentialKeys[0], tokens.ConfidentialKeys[1:]...)
			if err != nil {
				t.Fatal(err)
			}
			if text, err := keys.Open("c1", h.sealed("c1", "x").Sealed); err != nil || text != "x" {
				t.Errorf("%s's keys open %q, %v", c.login, text, err)
			}
		}
		if tokens := h.login("eng1", nil); len(tokens.ConfidentialKeys) > 0 {
			t.Error("keys delivered to a sign-in without a workstation")
		}
	})
}

// Whatever shape an older server let a note's payload take, pull does not
// serve its text; a message to the complainant is served as stored, even
// when its text says "true".
func TestPullSealsEveryPlainNoteShape(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		id := legacyNote(t, h)
		d := &device{replica: "ws-legacy2"}
		stored := map[string]string{
			"beside a seal":  `{"text":"` + secretNote + `","internal":true,"sealed":"t1:AAAA"}`,
			"upper-case key": `{"INTERNAL": true, "text": "` + secretNote + `"}`,
			"public message": `{"text":"It is true: the lot is sorted."}`,
		}
		for name, payload := range stored {
			e := h.event(d, "eng1", domain.RoleEngineer, domain.ComplaintMessagePosted, id, &domain.MessagePayload{Text: name})
			e.Payload = []byte(payload)
			h.appendRaw(e)
		}
		body := h.pullBytes(h.workstation("op1"))
		if bytes.Contains(body, []byte("scrap")) {
			t.Fatal("an operator's pull carries a note's text")
		}
		events, err := syncproto.DecodeBatch(body)
		if err != nil {
			t.Fatal(err)
		}
		var public int
		for _, e := range events {
			if string(e.Payload) == stored["public message"] {
				public++
			}
		}
		if public != 1 {
			t.Fatal("the message to the complainant was not served as stored")
		}
	})
}
