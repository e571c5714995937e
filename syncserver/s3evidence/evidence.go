package s3evidence

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/syncserver"

	"github.com/minio/minio-go/v7"
)

// Over returns store with its evidence bytes in the bucket; everything
// else, the uploads included, stays in store. Files that store held
// before the bucket was set are still read (and deleted) there, so that
// a plant switched to the bucket keeps its older evidence.
func (b *Bucket) Over(store syncserver.Store) syncserver.Store { return ports{Store: store, bucket: b} }

type ports struct {
	syncserver.Store
	bucket *Bucket
}

func (p ports) ViewEvidence(ctx context.Context, fn func(syncserver.EvidenceTx) error) error {
	return p.Store.ViewEvidence(ctx, p.bucket.within(ctx, fn))
}

func (p ports) UpdateEvidence(ctx context.Context, fn func(syncserver.EvidenceTx) error) error {
	return p.Store.UpdateEvidence(ctx, p.bucket.within(ctx, fn))
}

// within runs fn on the store's transaction with the bucket's bytes. A
// failure to reach the bucket that fn did not see (HasBlob answers a
// bool) still fails the transaction: nothing fn wrote is recorded. When
// fn fails, the objects it created are removed before the store's
// transaction ends, still under its lock, so that they commit with their
// records or not at all.
func (b *Bucket) within(ctx context.Context, fn func(syncserver.EvidenceTx) error) func(syncserver.EvidenceTx) error {
	return func(inner syncserver.EvidenceTx) error {
		t := &tx{EvidenceTx: inner, ctx: ctx, b: b}
		err := fn(t)
		if err == nil {
			err = t.err
		}
		if err != nil {
			t.undo()
		}
		return err
	}
}

// tx is the store's evidence transaction with the bytes in the bucket.
// The requests to the bucket are made at once, not at commit: an object
// is in place before the upload that records it commits.
type tx struct {
	syncserver.EvidenceTx // the uploads, BlobReferenced, and the bytes the store held before
	ctx                   context.Context
	b                     *Bucket
	err                   error    // the first failure to reach the bucket
	created               []string // the objects this transaction created
}

func (t *tx) fail(err error) error {
	err = storeError(err)
	if t.err == nil && domain.ErrorCode(err) == domain.EUnavailable {
		t.err = err
	}
	return err
}

// HasBlob reports whether the bucket, or the store before it, holds the
// bytes of sha: an object that fails its check is not held, so that the
// upload it then lets through replaces it.
func (t *tx) HasBlob(sha string) bool {
	if t.err != nil || checkSHA(sha) != nil {
		return false
	}
	_, err := t.b.read(t.ctx, sha)
	switch {
	case err == nil:
		return true
	case notFound(err):
		return t.EvidenceTx.HasBlob(sha)
	case domain.ErrorCode(err) != boltstore.ECorrupt:
		t.fail(err)
	}
	return false
}

// Blob returns the bytes of sha, checked against it: an object that does
// not hash to its name is ECorrupt, and is not returned.
func (t *tx) Blob(sha string) ([]byte, error) {
	if t.err != nil {
		return nil, t.err
	}
	if err := checkSHA(sha); err != nil {
		return nil, err
	}
	data, err := t.b.read(t.ctx, sha)
	if notFound(err) {
		return t.EvidenceTx.Blob(sha)
	}
	if err != nil {
		return nil, t.fail(err)
	}
	return data, nil
}

// PutBlob writes the bytes of sha to the bucket, after the checks the
// store's adapters make (a SHA-256 of 64 hex digits, at most
// domain.MaxAttachmentBytes) and one they leave to the caller: the bytes
// must hash to sha, so that no object is stored under a name it would
// fail on reading. Writing them again replaces the object with the same
// bytes: one object.
func (t *tx) PutBlob(sha string, data []byte) error {
	if t.err != nil {
		return t.err
	}
	if err := checkFile(sha, data); err != nil {
		return err
	}
	_, err := t.b.client.StatObject(t.ctx, t.b.name, t.b.key(sha), minio.StatObjectOptions{})
	if err != nil && !notFound(err) {
		return t.fail(err)
	}
	created := err != nil
	if err := t.b.write(t.ctx, sha, data); err != nil {
		return t.fail(err)
	}
	if created {
		t.created = append(t.created, sha)
	}
	return nil
}

// undo removes the objects the transaction created. One it cannot
// remove (the bucket gone meanwhile) is left, recorded nowhere: a later
// upload of the same file finds it in place.
func (t *tx) undo() {
	ctx := context.WithoutCancel(t.ctx)
	for _, sha := range t.created {
		if err := t.b.client.RemoveObject(ctx, t.b.name, t.b.key(sha), minio.RemoveObjectOptions{}); err != nil {
			t.b.log.Warn("evidence object of a failed upload left in the bucket", "key", t.b.key(sha), "err", err)
		}
	}
}

// DeleteBlob removes the object of sha, and the store's copy from before
// the bucket. It runs inside the sweep's transaction, under the store's
// write lock, so that no upload of the same file sees the object between
// the sweep's decision and the deletion; should that transaction then
// fail, its records (expired ones) outlive the object until the next
// sweep, and read as absent meanwhile.
func (t *tx) DeleteBlob(sha string) error {
	if t.err != nil {
		return t.err
	}
	if err := checkSHA(sha); err != nil {
		return err
	}
	if err := t.b.client.RemoveObject(t.ctx, t.b.name, t.b.key(sha), minio.RemoveObjectOptions{}); err != nil && !notFound(err) {
		return t.fail(err)
	}
	return t.EvidenceTx.DeleteBlob(sha)
}

// write stores the bytes of sha, which the caller has checked, as its
// object.
func (b *Bucket) write(ctx context.Context, sha string, data []byte) error {
	_, err := b.client.PutObject(ctx, b.name, b.key(sha), bytes.NewReader(data), int64(len(data)),
		minio.PutObjectOptions{ContentType: "application/octet-stream", SendContentMd5: true})
	if err != nil {
		return fmt.Errorf("writing evidence %s to the bucket: %w", sha, storeError(err))
	}
	return nil
}

// read fetches the object of sha and checks it.
func (b *Bucket) read(ctx context.Context, sha string) ([]byte, error) {
	obj, err := b.client.GetObject(ctx, b.name, b.key(sha), minio.GetObjectOptions{})
	if err != nil {
		return nil, err
	}
	defer obj.Close()
	data, err := io.ReadAll(io.LimitReader(obj, domain.MaxAttachmentBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > domain.MaxAttachmentBytes || hashOf(data) != sha {
		b.log.Error("evidence object does not match its SHA-256: refused", "bucket", b.name, "key", b.key(sha), "bytes", len(data))
		return nil, domain.Errorf(boltstore.ECorrupt, "evidence file %s is damaged in the object store: it does not match its SHA-256", sha)
	}
	return data, nil
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

func checkSHA(sha string) error {
	if !sha256Hex.MatchString(sha) {
		return domain.FieldError("sha256", "must be 64 lower-case hex digits")
	}
	return nil
}

func checkFile(sha string, data []byte) error {
	if err := checkSHA(sha); err != nil {
		return err
	}
	if len(data) > domain.MaxAttachmentBytes {
		return &domain.Error{Code: domain.ETooLarge, Field: "evidence", Message: "evidence files are at most 10 MB"}
	}
	if hashOf(data) != sha {
		return domain.FieldError("sha256", "does not match the bytes")
	}
	return nil
}

func hashOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// notFound reports whether the bucket answered that the object is absent.
func notFound(err error) bool {
	if err == nil {
		return false
	}
	r := minio.ToErrorResponse(err)
	return r.Code == minio.NoSuchKey || r.StatusCode == http.StatusNotFound && r.Code != minio.NoSuchBucket
}

// storeError turns a failure to reach the bucket into EUnavailable, so
// that the server answers 503 with Retry-After, as when its database is
// down, and the workstation uploads again later. A refused key or a
// missing bucket is no outage (waiting would not mend it): it stays an
// internal error, logged.
func storeError(err error) error {
	if err == nil || domain.ErrorCode(err) == domain.EUnavailable || !unreachable(err) {
		return err
	}
	return fmt.Errorf("%w (%w)", errUnreachable, err)
}

func unreachable(err error) bool {
	var netErr net.Error
	if errors.As(err, &netErr) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	return minio.ToErrorResponse(err).StatusCode >= http.StatusInternalServerError
}

// errUnreachable is what the client is told; the cause is logged.
var errUnreachable = &domain.Error{Code: domain.EUnavailable, Message: "the evidence store cannot be reached: try again shortly"}

// BlobsWrittenBefore lists the objects directly under the bucket's prefix
// that are named by a SHA-256 and were last written before t, by the
// bucket's clock (syncserver.StrayEvidence). Other keys, and the keys
// under a deeper prefix (another plant's), are never listed, so never
// deleted.
func (p ports) BlobsWrittenBefore(ctx context.Context, t time.Time) ([]string, error) {
	b := p.bucket
	var shas []string
	for obj := range b.client.ListObjects(ctx, b.name, minio.ListObjectsOptions{Prefix: b.prefix}) {
		if obj.Err != nil {
			return nil, fmt.Errorf("listing the evidence bucket %s: %w", b.name, storeError(obj.Err))
		}
		sha := strings.TrimPrefix(obj.Key, b.prefix)
		if checkSHA(sha) == nil && obj.LastModified.Before(t) {
			shas = append(shas, sha)
		}
	}
	return shas, nil
}
