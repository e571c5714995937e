package boltstore

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"boucle/shared/authorship"
	"boucle/shared/domain"
)

// This file holds what a workstation's sync client keeps in its store:
// the enrolment, the refresh token, offline sign-in verifiers, evidence
// still to upload, and the read helpers its loop needs. The keys are
// declared in schema.go.

// Device is a workstation's enrolment: the server it syncs with and the
// credential that server gave it.
type Device struct {
	ServerURL string `json:"server_url"`
	ID        string `json:"device_id"`
	Key       string `json:"device_key"`
}

// Enrolled reports whether the workstation holds a device credential.
func (d Device) Enrolled() bool { return d.ServerURL != "" && d.ID != "" && d.Key != "" }

// Device returns the saved enrolment; its zero value means standalone.
func (t *Tx) Device() Device {
	meta := t.tx.Bucket(bucketMeta)
	return Device{ServerURL: string(meta.Get(keyServerURL)), ID: string(meta.Get(keyDeviceID)), Key: string(meta.Get(keyDeviceKey))}
}

// SetDevice saves the enrolment.
func (t *Tx) SetDevice(d Device) error {
	meta := t.tx.Bucket(bucketMeta)
	if err := putOrDelete(meta, keyServerURL, d.ServerURL); err != nil {
		return err
	}
	if err := putOrDelete(meta, keyDeviceID, d.ID); err != nil {
		return err
	}
	return putOrDelete(meta, keyDeviceKey, d.Key)
}

// RefreshToken is the latest refresh token, kept so that the background
// loop can sync after a restart or while the signed-in user is offline.
func (t *Tx) RefreshToken() string { return string(t.tx.Bucket(bucketMeta).Get(keyRefreshToken)) }

// SetRefreshToken saves the rotated refresh token; "" forgets it.
func (t *Tx) SetRefreshToken(tok string) error {
	return putOrDelete(t.tx.Bucket(bucketMeta), keyRefreshToken, tok)
}

type putDeleter interface {
	Put(k, v []byte) error
	Delete(k []byte) error
}

func putOrDelete(b putDeleter, k []byte, v string) error {
	if v == "" {
		return b.Delete(k)
	}
	return b.Put(k, []byte(v))
}

// OfflineVerifier lets a user who signed in online on this workstation
// sign in again without the network. It holds a slow salted hash
// (argon2id, computed by the sync client) of the password, never the
// password nor the server's hash, and the user's directory entry.
type OfflineVerifier struct {
	User      domain.User `json:"user"`
	Salt      []byte      `json:"salt"`
	Hash      []byte      `json:"hash"`
	Time      uint32      `json:"time"`       // argon2id passes
	MemoryKiB uint32      `json:"memory_kib"` // argon2id memory
	Threads   uint8       `json:"threads"`
	Saved     time.Time   `json:"saved"`
}

func offlineKey(login string) []byte { return []byte(keyOfflinePrefix + login) }

// OfflineVerifier returns the verifier saved for login.
func (t *Tx) OfflineVerifier(login string) (OfflineVerifier, bool) {
	raw := t.tx.Bucket(bucketMeta).Get(offlineKey(login))
	var v OfflineVerifier
	if raw == nil || json.Unmarshal(raw, &v) != nil {
		return OfflineVerifier{}, false
	}
	return v, true
}

// PutOfflineVerifier saves a user's verifier, replacing the previous one.
func (t *Tx) PutOfflineVerifier(v OfflineVerifier) error {
	if v.User.Login == "" {
		return domain.FieldError("login", "is required")
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return t.tx.Bucket(bucketMeta).Put(offlineKey(v.User.Login), raw)
}

// DeleteOfflineVerifier forgets a user's verifier.
func (t *Tx) DeleteOfflineVerifier(login string) error {
	return t.tx.Bucket(bucketMeta).Delete(offlineKey(login))
}

// OfflineUsers lists the users who can sign in offline here, by login.
func (t *Tx) OfflineUsers() []domain.User {
	var out []domain.User
	t.forEachMeta(keyOfflinePrefix, func(_ string, v []byte) {
		var ov OfflineVerifier
		if json.Unmarshal(v, &ov) == nil {
			out = append(out, ov.User)
		}
	})
	return out
}

// forEachMeta calls fn with each meta key under prefix (without it).
func (t *Tx) forEachMeta(prefix string, fn func(rest string, v []byte)) {
	c := t.tx.Bucket(bucketMeta).Cursor()
	p := []byte(prefix)
	for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
		fn(string(k[len(p):]), v)
	}
}

// PutWrappedAuthorKey saves a user's author key, wrapped under their
// password, replacing the previous one.
func (t *Tx) PutWrappedAuthorKey(login string, w authorship.Wrapped) error {
	if login == "" {
		return domain.FieldError("login", "is required")
	}
	raw, err := json.Marshal(w)
	if err != nil {
		return err
	}
	return t.tx.Bucket(bucketAuthorKeys).Put([]byte(login), raw)
}

// WrappedAuthorKey returns the wrapped author key saved for login.
func (t *Tx) WrappedAuthorKey(login string) (authorship.Wrapped, bool) {
	raw := t.tx.Bucket(bucketAuthorKeys).Get([]byte(login))
	var w authorship.Wrapped
	if raw == nil || json.Unmarshal(raw, &w) != nil {
		return authorship.Wrapped{}, false
	}
	return w, true
}

// MarkBlobForUpload remembers that the server may lack this evidence, in
// the transaction that acknowledges the event referencing it, so that an
// upload cut short is resumed after a restart.
func (t *Tx) MarkBlobForUpload(sha string) error {
	return t.tx.Bucket(bucketMeta).Put([]byte(keyBlobUploadPrefix+sha), []byte{})
}

// BlobsToUpload lists up to limit marked evidence hashes.
func (t *Tx) BlobsToUpload(limit int) []string {
	var out []string
	t.forEachMeta(keyBlobUploadPrefix, func(sha string, _ []byte) {
		if len(out) < limit {
			out = append(out, sha)
		}
	})
	return out
}

// BlobUploaded clears the mark once the server holds the evidence.
func (t *Tx) BlobUploaded(sha string) error {
	return t.tx.Bucket(bucketMeta).Delete([]byte(keyBlobUploadPrefix + sha))
}

// OutboxFirst is the replica sequence of the oldest event waiting for the
// server; ok is false when the outbox is empty.
func (t *Tx) OutboxFirst() (seq uint64, ok bool) {
	k, _ := t.tx.Bucket(bucketOutbox).Cursor().First()
	if k == nil {
		return 0, false
	}
	return readU64(k), true
}

// Replicas returns, for every replica with events here, the highest
// sequence number below which none is missing.
func (t *Tx) Replicas() map[string]uint64 { return t.replicaSeqs() }

// EventRef locates a logged event by its replica sequence.
type EventRef struct {
	Replica string
	Seq     uint64
	Pos     uint64 // position in this store's log
}

// ReplicaEventsAfter lists the events of the replicas named in after whose
// sequence is above after[replica] and within the replica's contiguous
// run here (the part a server can take without a gap), sorted by replica
// then sequence. It walks the whole log: it serves the rare re-push to a
// server restored from a backup, not the normal loop.
func (t *Tx) ReplicaEventsAfter(after map[string]uint64) ([]EventRef, error) {
	high := t.Replicas()
	var out []EventRef
	c := t.tx.Bucket(bucketEvents).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		e, ok, err := t.readLogged(readU64(k), v)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue // quarantined: the server gets it from its author's workstation, or a backup
		}
		from, ok := after[e.Replica]
		if ok && e.Seq > from && e.Seq <= high[e.Replica] {
			out = append(out, EventRef{Replica: e.Replica, Seq: e.Seq, Pos: readU64(k)})
		}
	}
	slices.SortFunc(out, func(a, b EventRef) int {
		if c := strings.Compare(a.Replica, b.Replica); c != 0 {
			return c
		}
		return compareU64(a.Seq, b.Seq)
	})
	return slices.CompactFunc(out, func(a, b EventRef) bool { return a.Replica == b.Replica && a.Seq == b.Seq }), nil
}

func compareU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// EventAt reads the event at a log position.
func (t *Tx) EventAt(pos uint64) (domain.Event, error) {
	return t.eventAt(pos)
}

// conflictsKey appears in a state written in JSON (by an older version) only when Meta.Conflicts is not
// empty (omitempty); inside a JSON string the quotes would be escaped, so
// text typed by users cannot fake it.
var conflictsKey = []byte(`"conflicts":[`)

// ConflictedEntities counts the entities with unresolved concurrent
// writes, by scanning the states' bytes without decoding them.
func (t *Tx) ConflictedEntities() int {
	n, _ := t.conflictedFrom(nil, -1)
	return n
}

// conflictedFrom counts the conflicted entities among up to limit states
// (all of them when limit < 0) from the key from on, and returns the key
// the next count starts at (nil at the end).
func (t *Tx) conflictedFrom(from []byte, limit int) (n int, next []byte) {
	c := t.tx.Bucket(bucketStates).Cursor()
	k, v := c.First()
	if from != nil {
		k, v = c.Seek(from)
	}
	for seen := 0; k != nil; k, v = c.Next() {
		if seen == limit {
			return n, slices.Clone(k)
		}
		if storedStateHasConflicts(v) {
			n++
		}
		seen++
	}
	return n, nil
}

// CountConflicted is ConflictedEntities over read transactions of
// 20 000 states, releasing the pages read after each (ReleaseMapped): on
// a workstation after its first sync the states are hundreds of
// megabytes, which one scan kept resident.
func (s *Store) CountConflicted() (int, error) {
	total := 0
	var from []byte
	for {
		var n int
		err := s.View(func(t *Tx) error { n, from = t.conflictedFrom(from, 20_000); return nil })
		if err != nil {
			return total, err
		}
		total += n
		s.ReleaseMapped()
		if from == nil {
			return total, nil
		}
	}
}

// StatesHash is the SHA-256 of every folded state, keys and bytes, in key
// order. Replicas that hold the same events hold the same states byte for
// byte, so equal hashes mean converged projections. On a store with a
// projection backlog (the server's), call Store.CatchUp first.
func (t *Tx) StatesHash() [32]byte {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	_ = t.tx.Bucket(bucketStates).ForEach(func(k, v []byte) error {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(k)))])
		h.Write(k)
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(v)))])
		h.Write(v)
		return nil
	})
	var out [32]byte
	h.Sum(out[:0])
	return out
}
