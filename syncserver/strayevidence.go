package syncserver

import (
	"context"
	"time"
)

// Evidence bytes recorded nowhere. An adapter that keeps the bytes apart
// from the records (s3evidence: an object store beside the database)
// writes a file's bytes before the transaction that records its upload
// commits; should that commit fail, and the removal of the bytes fail
// too, the bytes are left where no upload and no complaint refers to
// them, and the sweep of unreferenced uploads (blobquota.go), which goes
// by the records, never sees them. The leader's hourly sweep lists such
// bytes and deletes them.

// StrayEvidence is implemented by an evidence store whose bytes can
// outlive a failed transaction.
type StrayEvidence interface {
	// BlobsWrittenBefore lists the SHA-256 of the files whose bytes were
	// last written before t, recorded or not.
	BlobsWrittenBefore(ctx context.Context, t time.Time) ([]string, error)
}

// StrayEvidenceGrace is how old bytes must be before the sweep may find
// them stray: an upload in flight has written its bytes but not yet
// committed its record, and the object store's clock is not the
// server's. An upload takes seconds; an hour leaves room for both.
const StrayEvidenceGrace = time.Hour

// sweepStrayEvidence deletes the bytes no upload records and no complaint
// references, written StrayEvidenceGrace ago or more, on the plant's
// leader only (two instances listing the same bucket every hour would
// only double the requests). The decision and the deletion share one
// evidence transaction, under the plant's write lock, so that an upload
// of the same file either committed its record before (the bytes are
// kept) or writes them again after. The caller has folded the log.
func (s *Server) sweepStrayEvidence(ctx context.Context) (int, error) {
	stray, ok := s.evidence.(StrayEvidence)
	if !ok || !s.leading(ctx) {
		return 0, nil
	}
	shas, err := stray.BlobsWrittenBefore(ctx, s.now().Add(-StrayEvidenceGrace))
	if err != nil || len(shas) == 0 {
		return 0, err
	}
	var deleted int
	err = s.evidence.UpdateEvidence(ctx, func(t EvidenceTx) error {
		deleted = 0
		recorded, err := uploadedFiles(t)
		if err != nil {
			return err
		}
		for _, sha := range shas {
			if recorded[sha] || t.BlobReferenced(sha) {
				continue // kept
			}
			if err := t.DeleteBlob(sha); err != nil {
				return err
			}
			deleted++
		}
		return nil
	})
	if deleted > 0 && err == nil {
		s.log.Info("deleted evidence bytes no upload records and no complaint references", "files", deleted)
	}
	return deleted, err
}

// uploadedFiles are the files of every uploader's uploads.
func uploadedFiles(t Uploads) (map[string]bool, error) {
	files := map[string]bool{}
	err := t.EachUpload("", func(_, sha string, _ int64, _ time.Time) error {
		files[sha] = true
		return nil
	})
	return files, err
}
