package syncserver

import (
	"bytes"
	"encoding/json"
	"path/filepath"

	"boucle/shared/boltstore"
	"boucle/shared/confidential"
	"boucle/shared/domain"
)

// Internal notes are sealed under the plant's confidential key (package
// confidential): workstations seal them when engineers record them, and
// the server refuses plain ones (domain.Validate, rule
// complaint.internal_note_sealed). This file holds the server's side: the
// key, the sealing of notes an older store kept in plain text when pull
// serves them, and the opening of notes for the views engineers read.

// labelConfidential derives the plant's confidential key from each
// secret of the key file (see keys.go), beside the JWT key and the author
// master: a key of its own that says nothing about the others.
const labelConfidential = "boucle confidential v1"

// Confidential returns the plant's confidential keys: one per secret of
// the key file, named by the secret's kid; the newest seals, every one
// opens. Rotating the key file rotates them; retiring a secret makes the
// notes sealed under it unreadable, so keep secrets whose notes matter.
func (k *Keyring) Confidential() (*confidential.Keyring, error) {
	keys := make([]confidential.Key, 0, len(k.keys))
	for i := len(k.keys) - 1; i >= 0; i-- { // newest first: it seals
		sk := k.keys[i]
		keys = append(keys, confidential.Key{ID: sk.Kid, Secret: derive(sk.Secret, labelConfidential)})
	}
	return confidential.NewKeyring(keys[0], keys[1:]...)
}

// PlantKeys returns the plant's confidential keys of the server that
// serves store with cfg: those of cfg.Keys, or of the key file beside the
// store (created if absent). The demo seals its notes with them.
func PlantKeys(store *boltstore.Store, cfg Config) (*confidential.Keyring, error) {
	cfg.setDefaults()
	keys, err := serverKeys(filepath.Dir(store.Path()), boltAccess(store), &cfg)
	if err != nil {
		return nil, err
	}
	return keys.Confidential()
}

var jsonTrue = []byte("true")

// servedEvent returns the bytes pull serves for a stored event: the
// stored bytes, except for an internal note an older store kept in plain
// text, which is sealed (SealFixed: the same bytes for every puller, so a
// workstation's copy does not depend on who pulled it). Only
// complaint.message_posted events are decoded; the rest cost a header
// read.
func (s *Server) servedEvent(raw []byte) ([]byte, error) {
	if !domain.EncodedTypeIs(raw, domain.ComplaintMessagePosted) {
		return raw, nil
	}
	if !bytes.Contains(raw, jsonTrue) {
		// "internal": true needs JSON's literal true, which has no other
		// spelling: without one, the message is no internal note. (A text
		// holding the word only costs the decoding below.)
		return raw, nil
	}
	e, err := domain.DecodeEvent(raw)
	if err != nil {
		return nil, err
	}
	// Read as leniently as JSON allows, not through the payload's rules:
	// an older server stored payloads today's rules refuse (a text beside
	// a seal, say), and their text must not slip out either.
	var p domain.MessagePayload
	if json.Unmarshal(e.Payload, &p) != nil || !p.Internal || p.Text == "" {
		return raw, nil // no note, or a note that is sealed and nothing more
	}
	sealed, err := s.conf.SealFixed(e.EntityID, e.ID.String(), p.Text)
	if err != nil {
		return nil, err
	}
	if e.Payload, err = json.Marshal(&domain.MessagePayload{Internal: true, Sealed: sealed}); err != nil {
		return nil, err
	}
	// A plain note predates signatures (a push of one is refused); were it
	// signed, the MAC covered the plain payload, not this one.
	e.Sig = domain.Signature{}
	return domain.EncodeEvent(&e), nil
}

// confidentialKeysFor returns the keys a login answer delivers: the
// plant's confidential keys to an engineer, manager or administrator
// signing in on an enrolled workstation (device != ""), which keeps them
// wrapped for its offline sign-ins; nothing to operators, nor to a
// sign-in without a device (integrations read the views, opened for
// them by the server).
func (s *Server) confidentialKeysFor(u *domain.User, device string) []confidential.Key {
	if device == "" || !mayReadInternal(u.Role) {
		return nil
	}
	return s.conf.Keys()
}

// mayReadInternal reports whether a role reads internal notes.
func mayReadInternal(r domain.Role) bool {
	return r == domain.RoleEngineer || r == domain.RoleManager || r == domain.RoleAdmin
}

// showInternalNotes prepares a complaint's detail for a reader: operators
// get no internal note at all; the others get them opened. A note that
// does not open (a key the server lost) stays sealed, with no text.
func (s *Server) showInternalNotes(d *ComplaintDetail, role domain.Role) {
	if !mayReadInternal(role) {
		hideInternalNotes(d)
		return
	}
	msgs := make([]domain.Message, len(d.Complaint.Messages))
	for i, m := range d.Complaint.Messages {
		if m.Sealed != "" {
			if text, err := s.conf.Open(d.Complaint.ID, m.Sealed); err == nil {
				m.Text, m.Sealed = text, ""
			}
		}
		msgs[i] = m
	}
	c := *d.Complaint
	c.Messages = msgs
	d.Complaint = &c
	for i := range d.Timeline {
		s.openTimelineNote(&d.Timeline[i], d.Complaint.ID)
	}
}

// openTimelineNote replaces a sealed note's payload by the opened one.
func (s *Server) openTimelineNote(te *boltstore.TimelineEntry, complaintID string) {
	if te.Event.Type != domain.ComplaintMessagePosted {
		return
	}
	var p domain.MessagePayload
	if json.Unmarshal(te.Event.Payload, &p) != nil || p.Sealed == "" {
		return
	}
	text, err := s.conf.Open(complaintID, p.Sealed)
	if err != nil {
		return
	}
	if raw, err := json.Marshal(&domain.MessagePayload{Text: text, Internal: true}); err == nil {
		te.Event.Payload = raw
	}
}
