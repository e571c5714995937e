package syncserver

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"

	bolt "go.etcd.io/bbolt"
)

// Evidence no event references. A workstation uploads evidence after the
// events that reference it were accepted; bytes no event references are
// either about to be (an integration uploading first) or junk. Each is
// recorded in boltstore.BucketBlobUploads under its uploader (the token's
// device, else the user) and counts against that uploader's quota of
// unreferenced bytes (Config.BlobQuota, 256 MiB); Sweep forgets the record
// once a complaint references the evidence, and deletes the bytes when
// none does after Config.UnreferencedBlobTTL (24 h). Evidence the server
// already holds, or that a complaint already references, costs nothing.

// Defaults of the evidence quota.
const (
	DefaultBlobQuota           = 256 << 20
	DefaultUnreferencedBlobTTL = 24 * time.Hour
)

// errOverQuota asks storeBlob's caller to fold what awaits projection and
// try again: the evidence may be referenced by events not folded yet.
var errOverQuota = errors.New("over the evidence quota")

// blobUploader is whom an upload counts against.
func blobUploader(p *principal) string {
	if p.Device != "" {
		return "device:" + p.Device
	}
	return "user:" + p.Login
}

// storeBlob stores checked evidence bytes, recording them against the
// uploader while no complaint references them. settle first forgets the
// uploader's records that complaints now reference.
func (s *Server) storeBlob(sha string, data []byte, uploader string, settle bool) error {
	return s.store.Update(func(t *boltstore.Tx) error {
		if t.HasBlob(sha) {
			return nil
		}
		if t.BlobReferenced(sha) {
			return t.PutBlob(sha, data)
		}
		uploads := t.Bolt().Bucket(boltstore.BucketBlobUploads)
		pending, err := pendingBytes(t, uploads, uploader, settle)
		if err != nil {
			return err
		}
		if pending+int64(len(data)) > s.cfg.BlobQuota {
			return errOverQuota
		}
		if err := uploads.Put(uploadKey(uploader, sha), uploadRecord(int64(len(data)), s.now())); err != nil {
			return err
		}
		return t.PutBlob(sha, data)
	})
}

// putChecked stores evidence, folding the log and settling the uploader's
// records once before refusing it over the quota.
func (s *Server) putChecked(sha string, data []byte, uploader string) error {
	err := s.storeBlob(sha, data, uploader, false)
	if !errors.Is(err, errOverQuota) {
		return err
	}
	if err := s.store.CatchUp(); err != nil {
		return err
	}
	if err := s.storeBlob(sha, data, uploader, true); !errors.Is(err, errOverQuota) {
		return err
	}
	return &domain.Error{Code: domain.ETooLarge, Field: "file", Rule: "evidence.quota", Message: fmt.Sprintf(
		"this workstation has %d MiB of evidence files no complaint references (its quota): push the events that reference them first", s.cfg.BlobQuota>>20)}
}

// pendingBytes sums the uploader's unreferenced bytes; settle deletes the
// records of evidence a complaint now references.
func pendingBytes(t *boltstore.Tx, uploads *bolt.Bucket, uploader string, settle bool) (int64, error) {
	prefix := []byte(uploader + "\x00")
	var total int64
	var settled [][]byte
	c := uploads.Cursor()
	for k, v := c.Seek(prefix); bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if settle && t.BlobReferenced(string(k[len(prefix):])) {
			settled = append(settled, bytes.Clone(k))
			continue
		}
		size, _ := readUploadRecord(v)
		total += size
	}
	for _, k := range settled {
		if err := uploads.Delete(k); err != nil {
			return 0, err
		}
	}
	return total, nil
}

func uploadKey(uploader, sha string) []byte { return []byte(uploader + "\x00" + sha) }

// uploadRecord is the size and the upload time, 8 bytes each.
func uploadRecord(size int64, at time.Time) []byte {
	b := binary.BigEndian.AppendUint64(nil, uint64(size))
	return binary.BigEndian.AppendUint64(b, uint64(at.UnixNano()))
}

func readUploadRecord(v []byte) (size int64, at time.Time) {
	if len(v) != 16 {
		return 0, time.Time{}
	}
	return int64(binary.BigEndian.Uint64(v)), time.Unix(0, int64(binary.BigEndian.Uint64(v[8:])))
}

// sweepUnreferencedBlobs forgets the records of evidence a complaint now
// references, and deletes the evidence no complaint references ttl after
// its upload. The caller has folded the log (Store.CatchUp).
func sweepUnreferencedBlobs(t *boltstore.Tx, now time.Time, ttl time.Duration) (int, error) {
	uploads := t.Bolt().Bucket(boltstore.BucketBlobUploads)
	var settled, expired [][]byte
	err := uploads.ForEach(func(k, v []byte) error {
		i := bytes.IndexByte(k, 0)
		if i < 0 {
			settled = append(settled, bytes.Clone(k)) // not a record of ours
			return nil
		}
		sha := string(k[i+1:])
		_, at := readUploadRecord(v)
		switch {
		case t.BlobReferenced(sha):
			settled = append(settled, bytes.Clone(k))
		case now.Sub(at) > ttl:
			expired = append(expired, bytes.Clone(k))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range expired {
		if err := t.DeleteBlob(string(k[bytes.IndexByte(k, 0)+1:])); err != nil {
			return 0, err
		}
	}
	for _, k := range append(settled, expired...) {
		if err := uploads.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(expired), nil
}
