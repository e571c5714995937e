// Package plantmove copies a plant from its bbolt store to PostgreSQL
// (boucle-server migrate): the log as it is (positions, epoch, replica
// marks, refusals, filings), the server's records, the evidence files;
// then checks the copy by counts and by the states PostgreSQL folds from
// it, which must hash as the bbolt store's do. The copy is one
// transaction: it is all there or not at all, and a copy interrupted is
// run again from the start.
package plantmove

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
	"strings"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/syncserver/boltserver"
	"boucle/syncserver/pgstore"

	"github.com/google/uuid"
)

// page is how many events are read from the source at a time.
const page = 5000

// Options tune a copy.
type Options struct {
	// AfterEvent, when set, is called after each event is copied; an
	// error stops the copy (tests interrupt it there).
	AfterEvent func(n int) error
}

// Report says what a copy found and did.
type Report struct {
	Plant      string
	Epoch      string
	Counts     pgstore.Counts // the source's, as the target must hold them
	StatesHash [32]byte
	// AlreadyThere is true when the target held exactly this log: nothing
	// was copied, the copy was only checked.
	AlreadyThere bool
}

// source is what is read of the bbolt store, once.
type source struct {
	epoch    string
	replica  string
	records  *boltserver.Records
	counters map[string]uint64
	counts   pgstore.Counts
	hash     [32]byte
	logHash  [32]byte
}

// Copy copies the plant held by src (a server's bbolt store, checked
// beforehand: boltstore.Check) into plant of dst, or checks it is there.
func Copy(ctx context.Context, src *boltstore.Store, dst *pgstore.Store, plant string, opts Options) (*Report, error) {
	if err := pgstore.ValidatePlantID(plant); err != nil {
		return nil, err
	}
	if err := src.CatchUp(); err != nil {
		return nil, fmt.Errorf("folding the source's log: %w", err)
	}
	s, err := readSource(src)
	if err != nil {
		return nil, err
	}
	r := &Report{Plant: plant, Epoch: s.epoch, Counts: s.counts, StatesHash: s.hash}
	same, err := sameLog(ctx, dst.Plant(plant), s)
	if err != nil {
		return nil, err
	}
	if same {
		r.AlreadyThere = true
		return r, dst.Plant(plant).View(ctx, func(t *pgstore.Tx) error { return s.check(t) })
	}
	err = dst.ImportPlant(ctx, plant, s.replica,
		func(im *pgstore.Import) error {
			im.AfterEvent = opts.AfterEvent
			return src.View(func(t *boltstore.Tx) error { return s.fill(im, t) })
		},
		s.check)
	return r, err
}

// readSource reads the source's records, counts and hashes.
func readSource(src *boltstore.Store) (*source, error) {
	s := &source{replica: src.Replica()}
	err := boltserver.New(src).View(context.Background(), func(t *boltserver.Tx) error {
		var err error
		if s.records, err = t.ExportRecords(); err != nil {
			return err
		}
		s.counters = t.NumberCounters()
		s.hash = t.StatesHash()
		s.epoch = string(s.records.Settings[epochSetting])
		if s.epoch == "" {
			// A plant never served has handed out no cursor: any
			// epoch will do.
			s.epoch = uuid.Must(uuid.NewV7()).String()
		}
		events, logHash, err := hashLog(t.Tx)
		if err != nil {
			return err
		}
		if events != int64(t.LogLen()) {
			return fmt.Errorf("the source's log has %d events readable out of %d positions: run 'boucle-server check' on it", events, t.LogLen())
		}
		s.logHash = logHash
		s.counts = s.countsOf(t.Tx, events)
		return nil
	})
	return s, err
}

// epochSetting is the setting holding the log's epoch (syncserver's
// settingEpoch); PostgreSQL keeps it in the plant's row.
const epochSetting = "epoch"

// counterSetting names a complaint number counter among PostgreSQL's
// settings (pgstore's nextNumber).
func counterSetting(stationYear string) string { return "complaint_counter/" + stationYear }

// countsOf is what the target must hold: one row per source record, the
// epoch out of the settings (it is the plant's row), the counters in.
func (s *source) countsOf(t *boltstore.Tx, events int64) pgstore.Counts {
	rec := s.records
	settings := len(rec.Settings) + len(s.counters)
	if _, ok := rec.Settings[epochSetting]; ok {
		settings--
	}
	return pgstore.Counts{
		"events":           events,
		"rejections":       int64(len(t.Rejections())),
		"replica_marks":    int64(len(t.ReplicaSeqs())),
		"accounts":         int64(len(rec.Accounts)),
		"devices":          int64(len(rec.Devices)),
		"enrolments":       int64(len(rec.Enrolments)),
		"refresh_tokens":   int64(len(rec.RefreshTokens)),
		"refresh_families": int64(len(rec.Families)),
		"settings":         int64(settings),
		"evidence":         int64(t.BlobCount()),
		"evidence_uploads": int64(len(rec.Uploads)),
		"quarantine":       0,
	}
}

// hashLog counts the log's events and hashes their positions and bytes.
func hashLog(t *boltstore.Tx) (int64, [32]byte, error) {
	h := sha256.New()
	var n int64
	err := eachEvent(t, func(pos uint64, e *domain.Event) error {
		n++
		writeLogged(h, pos, domain.EncodeEvent(e))
		return nil
	})
	var out [32]byte
	h.Sum(out[:0])
	return n, out, err
}

func writeLogged(h interface{ Write([]byte) (int, error) }, pos uint64, body []byte) {
	var b [2 * binary.MaxVarintLen64]byte
	n := binary.PutUvarint(b[:], pos)
	n += binary.PutUvarint(b[n:], uint64(len(body)))
	h.Write(b[:n])
	h.Write(body)
}

// eachEvent calls fn with every logged event, in log order.
func eachEvent(t *boltstore.Tx, fn func(pos uint64, e *domain.Event) error) error {
	var after uint64
	for {
		batch, more, err := t.LogAfter(after, page)
		if err != nil {
			return err
		}
		for i := range batch {
			if err := fn(batch[i].Pos, &batch[i].Event); err != nil {
				return err
			}
			after = batch[i].Pos
		}
		if !more {
			return nil
		}
	}
}

// sameLog reports whether the target plant holds exactly the source's
// log (the same epoch, the same events at the same positions): a copy
// done before. A plant holding other events is refused.
func sameLog(ctx context.Context, p *pgstore.Plant, s *source) (bool, error) {
	epoch, err := p.Epoch(ctx)
	if domain.ErrorCode(err) == domain.ENotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	n, err := p.LogLen(ctx)
	if err != nil || n == 0 {
		return false, err
	}
	if epoch == s.epoch && int64(n) == s.counts["events"] {
		h := sha256.New()
		for last, more := uint64(0), true; more; {
			if last, more, err = p.LogRaw(ctx, last, page, func(pos uint64, raw []byte) error {
				writeLogged(h, pos, raw)
				return nil
			}); err != nil {
				return false, err
			}
		}
		if bytes.Equal(h.Sum(nil), s.logHash[:]) {
			return true, nil
		}
	}
	return false, fmt.Errorf("plant %q of the database already holds %d events of another log (epoch %s; the source's is %s with %d events): "+
		"copy into another plant (--plant), or into a database that does not hold this one", p.ID(), n, epoch, s.epoch, s.counts["events"])
}

// fill copies everything into the import's transaction.
func (s *source) fill(im *pgstore.Import, t *boltstore.Tx) error {
	if err := s.fillRecords(im); err != nil {
		return err
	}
	if err := t.EachBlob(func(sha string, data []byte) error { return im.PutBlob(sha, data) }); err != nil {
		return fmt.Errorf("evidence: %w", err)
	}
	if err := eachEvent(t, im.Event); err != nil {
		return err
	}
	marks := t.ReplicaSeqs()
	for _, r := range slices.Sorted(maps.Keys(marks)) {
		im.Mark(r, marks[r])
	}
	for _, r := range t.Rejections() {
		e, err := t.RejectedEvent(r.Event)
		if err != nil {
			return fmt.Errorf("refused event %s: %w", r.Event, err)
		}
		if err := im.Rejection(r, &e); err != nil {
			return err
		}
	}
	return im.Err()
}

// fillRecords copies the server's records; the epoch goes to the plant's
// row (PutSetting knows it).
func (s *source) fillRecords(im *pgstore.Import) error {
	rec := s.records
	for i := range rec.Accounts {
		if err := im.PutAccount(&rec.Accounts[i]); err != nil {
			return err
		}
	}
	for i := range rec.Devices {
		if err := im.PutDevice(&rec.Devices[i]); err != nil {
			return err
		}
	}
	for hash, en := range rec.Enrolments {
		if err := im.PutEnrolment(hash, &en); err != nil {
			return err
		}
	}
	for hash, rt := range rec.RefreshTokens {
		if err := im.PutRefreshToken(hash, &rt); err != nil {
			return err
		}
	}
	for i := range rec.Families {
		if err := im.PutRefreshFamily(&rec.Families[i]); err != nil {
			return err
		}
	}
	settings := maps.Clone(rec.Settings)
	settings[epochSetting] = []byte(s.epoch)
	for name, v := range settings {
		if err := im.PutSetting(name, v); err != nil {
			return err
		}
	}
	for name, n := range s.counters {
		if err := im.PutSetting(counterSetting(name), binary.BigEndian.AppendUint64(nil, n)); err != nil {
			return err
		}
	}
	for _, u := range rec.Uploads {
		if err := im.PutUpload(u.Uploader, u.SHA, u.Size, u.At); err != nil {
			return err
		}
	}
	return im.Err()
}

// check compares the target's counts and states with the source's.
func (s *source) check(t *pgstore.Tx) error {
	got, err := t.Counts()
	if err != nil {
		return err
	}
	var differ []string
	for _, table := range slices.Sorted(maps.Keys(s.counts)) {
		if got[table] != s.counts[table] {
			differ = append(differ, fmt.Sprintf("%s: %d in the source, %d copied", table, s.counts[table], got[table]))
		}
	}
	if len(differ) > 0 {
		return fmt.Errorf("the copy's counts differ from the source's (nothing was kept): %s", strings.Join(differ, "; "))
	}
	hash, err := t.StatesHash()
	if err != nil {
		return err
	}
	if hash != s.hash {
		return fmt.Errorf("the states PostgreSQL folded from the copied log differ from the source's (hash %x, the source's %x): nothing was kept", hash[:8], s.hash[:8])
	}
	return nil
}
