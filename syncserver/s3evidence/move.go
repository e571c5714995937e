package s3evidence

import (
	"context"
	"fmt"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/syncserver"
)

// Moved counts what MoveFrom did.
type Moved struct {
	Files int   // copied to the bucket, then dropped from the store
	Bytes int64 // their size
	There int   // found in the bucket already, whole, and dropped from the store
	// Damaged are the files whose bytes in the store do not match their
	// SHA-256: left in the store (boucle-server check), never copied.
	Damaged []string
}

// moveBatch is how many files' names are read at once; their bytes are
// read one file at a time.
const moveBatch = 100

// MoveFrom copies the files store holds itself (its adapter's bytes, not
// a bucket's) to the bucket and drops each from store once the object
// is in place and reads back whole. Nothing else is written: the uploads'
// records and the quota stay as they were, and a server with the bucket
// set reads the bucket first, so that a move may run beside serving
// instances. Interrupted, it resumes where it stopped when run again: a
// file already in the bucket, checked, is only dropped from the store;
// run again after it finished, it finds nothing to do.
func (b *Bucket) MoveFrom(ctx context.Context, store syncserver.EvidenceStore) (Moved, error) {
	var moved Moved
	after := ""
	for {
		shas, err := heldAfter(ctx, store, after)
		if err != nil || len(shas) == 0 {
			return moved, err
		}
		for _, sha := range shas {
			if err := b.moveOne(ctx, store, sha, &moved); err != nil {
				return moved, fmt.Errorf("moving evidence %s to the bucket: %w", sha, err)
			}
		}
		after = shas[len(shas)-1]
	}
}

// heldAfter lists the next files store holds after after.
func heldAfter(ctx context.Context, store syncserver.EvidenceStore, after string) (shas []string, err error) {
	err = store.ViewEvidence(ctx, func(t syncserver.EvidenceTx) error {
		list, ok := t.(syncserver.BlobList)
		if !ok {
			return fmt.Errorf("this store cannot list its evidence files (%T)", t)
		}
		shas, err = list.BlobsAfter(after, moveBatch)
		return err
	})
	return shas, err
}

// moveOne copies the store's file sha to the bucket, unless the bucket
// has it whole already, checks the object, and drops the store's copy.
func (b *Bucket) moveOne(ctx context.Context, store syncserver.EvidenceStore, sha string, moved *Moved) error {
	var data []byte
	err := store.ViewEvidence(ctx, func(t syncserver.EvidenceTx) (err error) {
		data, err = t.Blob(sha)
		return err
	})
	if err != nil {
		return err
	}
	if checkFile(sha, data) != nil {
		moved.Damaged = append(moved.Damaged, sha)
		return nil
	}
	switch _, err := b.read(ctx, sha); {
	case err == nil:
		moved.There++
	case notFound(err) || domain.ErrorCode(err) == boltstore.ECorrupt:
		if err := b.write(ctx, sha, data); err != nil {
			return err
		}
		if _, err := b.read(ctx, sha); err != nil {
			return fmt.Errorf("the object written does not read back whole: %w", err)
		}
		moved.Files++
		moved.Bytes += int64(len(data))
	default:
		return storeError(err)
	}
	return store.UpdateEvidence(ctx, func(t syncserver.EvidenceTx) error { return t.DeleteBlob(sha) })
}
