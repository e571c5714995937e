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

// BlobsAfter returns the SHA-256 of up to limit of the plant's files, in
// order, after after ("": from the first), without reading their bytes.
func (t *Tx) BlobsAfter(after string, limit int) ([]string, error) {
	if t.err != nil {
		return nil, t.err
	}
	rows, err := t.tx.Query(t.ctx, "SELECT sha FROM evidence WHERE plant = $1 AND sha > $2 ORDER BY sha LIMIT $3",
		t.plant.id, after, limit)
	if err != nil {
		return nil, t.fail(err)
	}
	shas, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return shas, t.fail(err)
}

// BlobReferenced reports whether a complaint event of the plant's log
// attaches sha. Attachments are only ever added (complaint.filed,
// complaint.attachment_added) and a refused event is not in the log, so
// this is what the bbolt adapter's folded index answers, without waiting
// for the projections.
//
// The answer comes from evidence_references, an index of the complaints'
// attachments that a write transaction first brings up to the log's end
// (indexReferences), and, in a read-only one, from the events logged
// since the index's end as well. Nothing on the push's path writes it.
func (t *Tx) BlobReferenced(sha string) bool {
	if t.err != nil || checkSHA(sha) != nil {
		return false
	}
	indexed, err := t.referencesIndexed()
	if err == nil && !t.readOnly {
		indexed, err = t.indexReferences(indexed)
	}
	if t.fail(err) != nil {
		return false
	}
	var found bool
	err = t.tx.QueryRow(t.ctx, "SELECT EXISTS (SELECT 1 FROM evidence_references WHERE plant = $1 AND sha = $2)",
		t.plant.id, sha).Scan(&found)
	if t.fail(err) != nil || found {
		return found
	}
	err = t.eachAttachment(indexed, []byte(sha), func(_, attached string) {
		found = found || attached == sha
	})
	return t.fail(err) == nil && found
}

// referencesIndexed is the last position of the log that
// evidence_references covers.
func (t *Tx) referencesIndexed() (uint64, error) {
	var pos int64
	err := t.tx.QueryRow(t.ctx, "SELECT pos FROM evidence_indexed WHERE plant = $1", t.plant.id).Scan(&pos)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return uint64(pos), err
}

// indexReferences adds to evidence_references the attachments of the
// complaint events logged after position from, and returns the position
// the index now reaches. It runs under the plant's lock (Update), so no
// other transaction moves the index at the same time.
func (t *Tx) indexReferences(from uint64) (uint64, error) {
	var refs [][2]string
	err := t.eachAttachment(from, []byte(`"sha256"`), func(complaint, sha string) {
		refs = append(refs, [2]string{sha, complaint})
	})
	if err != nil {
		return from, err
	}
	var end int64
	if err := t.tx.QueryRow(t.ctx, "SELECT coalesce(max(pos), $2) FROM events WHERE plant = $1 AND pos > $2",
		t.plant.id, int64(from)).Scan(&end); err != nil {
		return from, err
	}
	if uint64(end) == from {
		return from, nil
	}
	var b pgx.Batch
	for _, r := range refs {
		b.Queue("INSERT INTO evidence_references (plant, sha, complaint) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
			t.plant.id, r[0], r[1])
	}
	b.Queue(`INSERT INTO evidence_indexed (plant, pos) VALUES ($1, $2)
		ON CONFLICT (plant) DO UPDATE SET pos = excluded.pos`, t.plant.id, end)
	return uint64(end), t.tx.SendBatch(t.ctx, &b).Close()
}

// eachAttachment calls fn with each attachment of the complaint events
// logged after position after whose bytes hold needle. The payloads are
// JSON inside the events' bytes: the server picks the events out, and
// each is decoded here, so that a message quoting digits is no
// attachment.
func (t *Tx) eachAttachment(after uint64, needle []byte, fn func(complaint, sha string)) error {
	rows, err := t.tx.Query(t.ctx, `SELECT pos, body FROM events WHERE plant = $1 AND pos > $2
		AND entity_type = $3 AND position($4::bytea IN body) > 0 ORDER BY pos`,
		t.plant.id, int64(after), string(domain.EntityComplaint), needle)
	if err != nil {
		return err
	}
	var pos int64
	var body []byte
	_, err = pgx.ForEachRow(rows, []any{&pos, &body}, func() error {
		e, err := domain.DecodeEvent(body)
		if err != nil {
			return nil // quarantined by the log's checks, not evidence's business
		}
		for _, sha := range attachments(e.Payload) {
			fn(e.EntityID, sha)
		}
		return nil
	})
	return err
}

// attachments lists the SHA-256 of the files a complaint event's payload
// attaches: a filing's, or the one attachment_added brings.
func attachments(payload []byte) []string {
	var p struct {
		Attachments []domain.Attachment `json:"attachments"`
		Attachment  *domain.Attachment  `json:"attachment"`
	}
	if json.Unmarshal(payload, &p) != nil {
		return nil
	}
	var out []string
	if p.Attachment != nil {
		out = append(out, p.Attachment.SHA256)
	}
	for _, a := range p.Attachments {
		out = append(out, a.SHA256)
	}
	return out
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
