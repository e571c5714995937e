package pgstore

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"

	"github.com/jackc/pgx/v5"
)

// Importing a plant copied from another store (boucle-server migrate,
// syncserver/plantmove): the whole plant is written in one transaction,
// folded in it, and visible only when it commits. An interrupted import
// leaves nothing behind; running it again starts over.

// PlantNotEmptyError refuses to import into a plant whose log holds
// events: an import never mixes two logs.
type PlantNotEmptyError struct {
	Plant   string
	Events  uint64
	Records int64 // accounts, devices, settings, evidence files
}

func (e *PlantNotEmptyError) Error() string {
	return fmt.Sprintf("plant %q of this database already holds %d events and %d records (accounts, devices, settings, evidence files): "+
		"a plant is copied only into a plant that does not exist or holds nothing (one a server started on creates its administrator)", e.Plant, e.Events, e.Records)
}

// Unwrap gives the domain code: the plant is in the way (EConflict).
func (e *PlantNotEmptyError) Unwrap() error {
	return &domain.Error{Code: domain.EConflict, Field: "plant", Message: e.Error()}
}

// Import is the transaction of an import: its Tx writes the records
// (PutAccount, PutSetting, PutBlob, ...), and Event, Mark and Rejection
// copy the log as it is.
type Import struct {
	*Tx
	// AfterEvent, when set, is called after each event is taken (a test
	// interrupts the import there).
	AfterEvent func(n int) error
	events     int
}

// ImportPlant creates plant id in one transaction, fills it with fill,
// folds its whole log, and commits if check, given the transaction with
// everything written and folded, returns nil. A plant that exists with events is refused
// (*PlantNotEmptyError), and so is one holding records; one that exists
// empty is filled. replica is the server's own
// replica id in the copied log.
func (s *Store) ImportPlant(ctx context.Context, id, replica string, fill func(*Import) error, check func(*Tx) error) error {
	if err := ValidatePlantID(id); err != nil {
		return err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	t := s.Plant(id).newTx(ctx, tx, false)
	if err := t.claimPlant(replica); err != nil {
		return err
	}
	im := &Import{Tx: t}
	if err := fill(im); err != nil {
		return err
	}
	if err := im.seal(); err != nil {
		return err
	}
	if err := check(t); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// claimPlant inserts the plant's row, or locks the existing one and checks
// that its log is empty.
func (t *Tx) claimPlant(replica string) error {
	_, err := t.tx.Exec(t.ctx, "INSERT INTO plants (id, epoch, replica) VALUES ($1, '', $2) ON CONFLICT (id) DO NOTHING", t.plant.id, replica)
	if err != nil {
		return err
	}
	var logLen int64
	if err := t.tx.QueryRow(t.ctx, "SELECT log_len FROM plants WHERE id = $1 FOR UPDATE", t.plant.id).Scan(&logLen); err != nil {
		return err
	}
	var records int64
	err = t.tx.QueryRow(t.ctx, `SELECT (SELECT count(*) FROM accounts WHERE plant = $1) + (SELECT count(*) FROM devices WHERE plant = $1)
		+ (SELECT count(*) FROM settings WHERE plant = $1) + (SELECT count(*) FROM evidence WHERE plant = $1)`, t.plant.id).Scan(&records)
	if err != nil {
		return err
	}
	if logLen > 0 || records > 0 {
		return &PlantNotEmptyError{Plant: t.plant.id, Events: uint64(logLen), Records: records}
	}
	return t.exec("UPDATE plants SET replica = $2 WHERE id = $1", replica)
}

// Event copies a logged event at its position, which must follow the
// previous one: positions stay those of the source, so that pull cursors
// given by it stay valid under its epoch.
func (im *Import) Event(pos uint64, e *domain.Event) error {
	if pos <= im.logLen {
		return domain.Errorf(domain.EInvalid, "event %s at position %d: positions must grow (the last was %d)", e.ID, pos, im.logLen)
	}
	im.logLen = pos
	im.pending = append(im.pending, appended{pos: pos, e: e, body: domain.EncodeEvent(e)})
	if f := boltstore.FilingOf(e); f != nil {
		im.filings.add(e.EntityID, *f)
	}
	im.events++
	if im.AfterEvent != nil {
		if err := im.AfterEvent(im.events); err != nil {
			return err
		}
	}
	if len(im.pending) >= flushEvery {
		return im.flush()
	}
	return im.err
}

// Mark copies a replica's high-water mark as the source keeps it (not
// recomputed: an older server may have stored events past a hole).
func (im *Import) Mark(replica string, seq uint64) {
	im.marks[replica] = &replicaMark{seq: seq, dirty: true}
}

// Rejection copies a refusal with its event's bytes and its dates.
func (im *Import) Rejection(r boltstore.Rejection, e *domain.Event) error {
	var dismissed *time.Time
	if !r.Dismissed.IsZero() {
		d := r.Dismissed.UTC()
		dismissed = &d
	}
	return im.exec(`INSERT INTO rejections (plant, event, type, entity_type, entity_id, code, reason, rejected_at, dismissed_at, body)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		[16]byte(r.Event), string(r.Type), string(r.Entity.Type), r.Entity.ID, string(r.Code), r.Reason, r.Rejected.UTC(), dismissed, domain.EncodeEvent(e))
}

// seal writes what is buffered and folds the whole log in the
// transaction.
func (im *Import) seal() error {
	var epoch string
	if err := im.tx.QueryRow(im.ctx, "SELECT epoch FROM plants WHERE id = $1", im.plant.id).Scan(&epoch); err != nil {
		return err
	}
	if epoch == "" {
		return domain.FieldError("epoch", "the copied plant has none: pull cursors carry it")
	}
	if err := im.finish(); err != nil {
		return err
	}
	var found []boltstore.Quarantined
	for im.projectedPos() < im.logLen {
		if err := im.foldNext(catchUpBatch, &found); err != nil {
			return err
		}
		clear(im.folds) // written: the next batch loads what it needs
	}
	if len(found) > 0 {
		return domain.Errorf(domain.EInternal, "%d copied events do not decode (the first at position %d: %s)", len(found), found[0].Pos, found[0].Reason)
	}
	return im.err
}

// StatesHash is the SHA-256 of every folded state of the plant, as
// boltstore's Tx.StatesHash computes it over its states bucket (keys
// type, 0, id, 0; the same binary encoding; in key order): a plant copied
// from bbolt and folded here has the bbolt store's hash. Call CatchUp
// first on a plant with a backlog.
func (t *Tx) StatesHash() ([32]byte, error) {
	var out [32]byte
	rows, err := t.tx.Query(t.ctx, "SELECT type, id, body FROM states WHERE plant = $1 ORDER BY type, id", t.plant.id)
	if err != nil {
		return out, err
	}
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	var typ, id string
	var body []byte
	_, err = pgx.ForEachRow(rows, []any{&typ, &id, &body}, func() error {
		key := append(append(append([]byte(typ), 0), id...), 0)
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(key)))])
		h.Write(key)
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(body)))])
		h.Write(body)
		return nil
	})
	h.Sum(out[:0])
	return out, err
}

// Counts are how many rows of each kind a plant holds.
type Counts map[string]int64

// countedTables are the tables a copy is checked by.
var countedTables = []string{"events", "rejections", "replica_marks", "complaint_filings", "complaint_numbers",
	"accounts", "devices", "enrolments", "refresh_tokens", "refresh_families", "settings", "evidence", "evidence_uploads", "states", "quarantine"}

// Counts counts the plant's rows of every table a copy fills.
func (t *Tx) Counts() (Counts, error) {
	out := Counts{}
	var b pgx.Batch
	for _, table := range countedTables {
		b.Queue(fmt.Sprintf("SELECT count(*) FROM %s WHERE plant = $1", table), t.plant.id).QueryRow(func(row pgx.Row) error {
			var n int64
			err := row.Scan(&n)
			out[table] = n
			return err
		})
	}
	return out, t.tx.SendBatch(t.ctx, &b).Close()
}
