package syncserver

import (
	"context"
	"errors"
	"fmt"
	"time"

	"boucle/shared/domain"
)

// Evidence no event references. A workstation uploads evidence after the
// events that reference it were accepted; bytes no event references are
// either about to be (an integration uploading first) or junk. Each is
// recorded as an upload (the port's Uploads) under its uploader (the token's
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
func (s *Server) storeBlob(ctx context.Context, sha string, data []byte, uploader string, settle bool) error {
	return s.evidence.UpdateEvidence(ctx, func(t EvidenceTx) error {
		if t.HasBlob(sha) {
			// Bytes recorded nowhere (a failed upload's,
			// strayevidence.go) are recorded now, as if new, so that
			// the stray sweep keeps them.
			if kept, err := blobKept(t, sha); err != nil || kept {
				return err
			}
		} else if t.BlobReferenced(sha) {
			return t.PutBlob(sha, data)
		}
		pending, err := pendingBytes(t, uploader, settle)
		if err != nil {
			return err
		}
		if pending+int64(len(data)) > s.cfg.BlobQuota {
			return errOverQuota
		}
		if err := t.PutUpload(uploader, sha, int64(len(data)), s.now()); err != nil {
			return err
		}
		return t.PutBlob(sha, data)
	})
}

// blobKept reports whether a complaint references sha or an upload
// records it.
func blobKept(t EvidenceTx, sha string) (bool, error) {
	if t.BlobReferenced(sha) {
		return true, nil
	}
	recorded, err := uploadedFiles(t)
	return recorded[sha], err
}

// putChecked stores evidence, folding the log and settling the uploader's
// records once before refusing it over the quota.
func (s *Server) putChecked(ctx context.Context, sha string, data []byte, uploader string) error {
	err := s.storeBlob(ctx, sha, data, uploader, false)
	if !errors.Is(err, errOverQuota) {
		return err
	}
	if err := s.views.CatchUp(ctx); err != nil {
		return err
	}
	if err := s.storeBlob(ctx, sha, data, uploader, true); !errors.Is(err, errOverQuota) {
		return err
	}
	return &domain.Error{Code: domain.ETooLarge, Field: "file", Rule: "evidence.quota", Message: fmt.Sprintf(
		"this workstation has %d MiB of evidence files no complaint references (its quota): push the events that reference them first", s.cfg.BlobQuota>>20)}
}

// pendingBytes sums the uploader's unreferenced bytes; settle deletes the
// records of evidence a complaint now references.
func pendingBytes(t EvidenceTx, uploader string, settle bool) (int64, error) {
	var total int64
	var settled []string
	err := t.EachUpload(uploader, func(_, sha string, size int64, _ time.Time) error {
		if settle && t.BlobReferenced(sha) {
			settled = append(settled, sha)
			return nil
		}
		total += size
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, sha := range settled {
		if err := t.DeleteUpload(uploader, sha); err != nil {
			return 0, err
		}
	}
	return total, nil
}

// sweepUnreferencedBlobs forgets the records of evidence a complaint now
// references, and deletes the evidence no complaint references ttl after
// its upload. The caller has folded the log (Store.CatchUp).
func sweepUnreferencedBlobs(t EvidenceTx, now time.Time, ttl time.Duration) (int, error) {
	type upload struct{ uploader, sha string }
	var settled, expired []upload
	err := t.EachUpload("", func(uploader, sha string, _ int64, at time.Time) error {
		switch {
		case t.BlobReferenced(sha):
			settled = append(settled, upload{uploader, sha})
		case now.Sub(at) > ttl:
			expired = append(expired, upload{uploader, sha})
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, u := range expired {
		if err := t.DeleteBlob(u.sha); err != nil {
			return 0, err
		}
	}
	for _, u := range append(settled, expired...) {
		if err := t.DeleteUpload(u.uploader, u.sha); err != nil {
			return 0, err
		}
	}
	return len(expired), nil
}
