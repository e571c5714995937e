package pgstore

import (
	"encoding/json"
	"errors"
	"regexp"
	"time"

	"boucle/shared/domain"

	"github.com/jackc/pgx/v5"
)

// The evidence side of the server's store port (syncserver.Evidence,
// Uploads) on the plant's transaction. The files are bytea rows of at
// most domain.MaxAttachmentBytes (10 MiB), read and written whole, as the
// HTTP layer sends them (PUT of the whole file, whose SHA-256 it checks;
// a workstation resumes an interrupted upload by asking with HEAD and
// sending the file again, which stores it once). Large objects would let
// a file be streamed, but cost a second table to clean and are not
// dumped with the rows' privileges: not worth it at 10 MiB.

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

func checkSHA(sha string) error {
	if !sha256Hex.MatchString(sha) {
		return domain.FieldError("sha256", "must be 64 lower-case hex digits")
	}
	return nil
}

// HasBlob reports whether the plant holds the bytes of sha. A failure of
// the database is kept (Err) and fails the transaction.
func (t *Tx) HasBlob(sha string) bool {
	if t.err != nil {
		return false
	}
	var has bool
	err := t.tx.QueryRow(t.ctx, "SELECT EXISTS (SELECT 1 FROM evidence WHERE plant = $1 AND sha = $2)", t.plant.id, sha).Scan(&has)
	t.fail(err)
	return has && err == nil
}

// Blob returns the bytes of sha; ENotFound when the plant has none.
func (t *Tx) Blob(sha string) ([]byte, error) {
	if t.err != nil {
		return nil, t.err
	}
	var data []byte
	err := t.tx.QueryRow(t.ctx, "SELECT data FROM evidence WHERE plant = $1 AND sha = $2", t.plant.id, sha).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, domain.Errorf(domain.ENotFound, "evidence %s is not on this server", sha)
	}
	return data, t.fail(err)
}

// PutBlob stores the bytes of sha, which the caller has checked; storing
// them again changes nothing. A malformed SHA-256 is EInvalid naming
// sha256, a file above 10 MiB ETooLarge naming evidence: nothing is
// written.
func (t *Tx) PutBlob(sha string, data []byte) error {
	if err := checkSHA(sha); err != nil {
		return err
	}
	if len(data) > domain.MaxAttachmentBytes {
		return &domain.Error{Code: domain.ETooLarge, Field: "evidence", Message: "evidence files are at most 10 MB"}
	}
	if data == nil {
		data = []byte{}
	}
	return t.exec("INSERT INTO evidence (plant, sha, data) VALUES ($1, $2, $3) ON CONFLICT (plant, sha) DO NOTHING", sha, data)
}

// DeleteBlob removes the bytes of sha.
func (t *Tx) DeleteBlob(sha string) error {
	return t.exec("DELETE FROM evidence WHERE plant = $1 AND sha = $2", sha)
}

// BlobReferenced reports whether a complaint event of the plant's log
// names sha among its attachments. Attachments are only ever added
// (complaint.filed, complaint.attachment_added), and a refused event is
// not in the log, so this is what the bbolt adapter's folded index
// answers, without waiting for the projections. The events' payloads are
// JSON inside their bytes: the server finds the few events whose bytes
// hold the hex digits, and each is decoded to make sure they are an
// attachment's (not a note quoting them).
func (t *Tx) BlobReferenced(sha string) bool {
	if t.err != nil || checkSHA(sha) != nil {
		return false
	}
	rows, err := t.tx.Query(t.ctx, `SELECT body FROM events WHERE plant = $1 AND entity_type = $2
		AND position($3::bytea IN body) > 0`, t.plant.id, string(domain.EntityComplaint), []byte(sha))
	if t.fail(err) != nil {
		return false
	}
	found := false
	var body []byte
	_, err = pgx.ForEachRow(rows, []any{&body}, func() error {
		if !found {
			found = attaches(body, sha)
		}
		return nil
	})
	t.fail(err)
	return found && err == nil
}

// attaches reports whether the encoded event body attaches sha.
func attaches(body []byte, sha string) bool {
	e, err := domain.DecodeEvent(body)
	if err != nil {
		return false
	}
	var p struct {
		Attachments []domain.Attachment `json:"attachments"`
		Attachment  *domain.Attachment  `json:"attachment"`
	}
	if json.Unmarshal(e.Payload, &p) != nil {
		return false
	}
	if p.Attachment != nil && p.Attachment.SHA256 == sha {
		return true
	}
	for _, a := range p.Attachments {
		if a.SHA256 == sha {
			return true
		}
	}
	return false
}

// PutUpload records that uploader sent size bytes of sha at at.
func (t *Tx) PutUpload(uploader, sha string, size int64, at time.Time) error {
	switch {
	case uploader == "":
		return domain.FieldError("uploader", "is required")
	case size < 0:
		return domain.FieldError("size", "cannot be negative")
	}
	if err := checkSHA(sha); err != nil {
		return err
	}
	return t.exec(`INSERT INTO evidence_uploads (plant, uploader, sha, size, uploaded_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (plant, uploader, sha) DO UPDATE SET size = excluded.size, uploaded_at = excluded.uploaded_at`,
		uploader, sha, size, unixNanos(at))
}

// DeleteUpload forgets an upload.
func (t *Tx) DeleteUpload(uploader, sha string) error {
	return t.exec("DELETE FROM evidence_uploads WHERE plant = $1 AND uploader = $2 AND sha = $3", uploader, sha)
}

// EachUpload calls fn for each upload of uploader, in SHA-256 order, or
// for every upload of the plant (by uploader, then SHA-256) when uploader
// is "". The rows are read before fn is called: fn may write.
func (t *Tx) EachUpload(uploader string, fn func(uploader, sha string, size int64, at time.Time) error) error {
	if t.err != nil {
		return t.err
	}
	type upload struct {
		uploader, sha string
		size, at      int64
	}
	rows, err := t.tx.Query(t.ctx, `SELECT uploader, sha, size, uploaded_at FROM evidence_uploads
		WHERE plant = $1 AND ($2 = '' OR uploader = $2) ORDER BY uploader, sha`, t.plant.id, uploader)
	if err != nil {
		return t.fail(err)
	}
	var all []upload
	var u upload
	if _, err := pgx.ForEachRow(rows, []any{&u.uploader, &u.sha, &u.size, &u.at}, func() error {
		all = append(all, u)
		return nil
	}); err != nil {
		return t.fail(err)
	}
	for _, u := range all {
		if err := fn(u.uploader, u.sha, u.size, time.Unix(0, u.at)); err != nil {
			return err
		}
	}
	return nil
}
