package boltstore

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"

	"boucle/shared/domain"

	bolt "go.etcd.io/bbolt"
)

// PutBlob stores evidence bytes under their SHA-256 and returns it. Storing
// the same bytes twice is a no-op.
func (s *Store) PutBlob(data []byte) (string, error) {
	if len(data) == 0 {
		return "", domain.FieldError("file", "is empty")
	}
	if len(data) > domain.MaxAttachmentBytes {
		return "", &domain.Error{Code: domain.ETooLarge, Field: "file", Message: "evidence files are limited to 10 MB"}
	}
	sum := sha256.Sum256(data)
	key := hex.EncodeToString(sum[:])
	return key, s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketBlobs)
		if b.Get([]byte(key)) != nil {
			return nil
		}
		return b.Put([]byte(key), data)
	})
}

// PutBlobChecked stores bytes received for a known hash, refusing bytes
// that do not match it.
func (s *Store) PutBlobChecked(sha string, data []byte) error {
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != sha {
		return domain.FieldError("sha256", "does not match the bytes received")
	}
	_, err := s.PutBlob(data)
	return err
}

// Blob returns a copy of the evidence bytes, or ENotFound when this
// replica has not fetched them yet.
func (t *Tx) Blob(sha string) ([]byte, error) {
	v := t.tx.Bucket(bucketBlobs).Get([]byte(sha))
	if v == nil {
		return nil, domain.Errorf(domain.ENotFound, "evidence %s is not on this workstation", sha)
	}
	return append([]byte(nil), v...), nil
}

// HasBlob reports whether the evidence bytes are here.
func (t *Tx) HasBlob(sha string) bool { return t.tx.Bucket(bucketBlobs).Get([]byte(sha)) != nil }

// PutBlob stores evidence bytes under their SHA-256, which the caller has
// checked, in the transaction. Storing the same bytes twice is a no-op.
func (t *Tx) PutBlob(sha string, data []byte) error {
	if t.HasBlob(sha) {
		return nil
	}
	return t.tx.Bucket(bucketBlobs).Put([]byte(sha), data)
}

// DeleteBlob removes evidence bytes (the server drops evidence no event
// came to reference).
func (t *Tx) DeleteBlob(sha string) error { return t.tx.Bucket(bucketBlobs).Delete([]byte(sha)) }

// BlobReferenced reports whether a folded complaint references the
// evidence. Events logged but not folded yet are not seen: call
// Store.CatchUp first when it matters.
func (t *Tx) BlobReferenced(sha string) bool {
	prefix := []byte(sha + "\x00")
	k, _ := t.tx.Bucket(idxAttachment).Cursor().Seek(prefix)
	return bytes.HasPrefix(k, prefix)
}
