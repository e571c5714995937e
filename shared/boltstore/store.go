// Package boltstore keeps the event log, the folded projections and the
// sync bookkeeping of one replica (a workstation or the server) in a bbolt
// file. Every write is one transaction, committed and fsync'd before the
// call returns: a save is durable before it is acknowledged.
package boltstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"boucle/shared/domain"
	"boucle/shared/hlc"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Options configure Open.
type Options struct {
	// Replica is this store's replica id; when empty, the id saved in the
	// file is used, or a new UUIDv7 on first open.
	Replica string
	// Now reads the physical clock; time.Now when nil. Tests skew it.
	Now func() time.Time
	// NoSync skips fsync. Only for building benchmark fixtures: a store
	// opened with it does not keep the durability promise.
	NoSync bool
}

// Store is one replica's store. It is safe for concurrent use: bbolt
// serialises writers and lets readers run beside them.
type Store struct {
	db         *bolt.DB
	clock      *hlc.Clock
	replica    string
	now        func() time.Time
	quarantine quarantine
	// serverClock is the plant server's clock as last seen (workstations).
	serverClock serverClockNote
	// pulled holds the entity index entries of the events logged in bulk
	// since the index last caught up (entityindex.go).
	pulled pulledEntries
}

// Open opens or creates the store at path, creating every bucket, checking
// the schema version, resuming the clock, migrating an older layout, and
// checking the file quickly (see quickCheck). A damaged file is refused
// with ECorrupt, never with a panic.
func Open(path string, opts Options) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create store folder: %w", err)
	}
	db, err := openBolt(path, false)
	if err != nil {
		return nil, err
	}
	db.NoSync = opts.NoSync
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	s := &Store{db: db, now: now}
	if err := s.prepare(opts.Replica); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// openBolt opens the file, turning bbolt's panics on a damaged file (an
// unreadable freelist page) into ECorrupt.
func openBolt(path string, readOnly bool) (db *bolt.DB, err error) {
	defer guard(&err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true)) // a damaged freelist may point past the file
	// The free-page list is saved with each commit (bbolt's default): without
	// it, Open scans the whole file to rebuild it, which touched every page
	// of a 600 MB workstation store at start-up (slow, and 570 MB resident).
	db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second, FreelistType: bolt.FreelistMapType, ReadOnly: readOnly,
		// Map 1 GiB of address space up front: a remap blocks every reader
		// and writer, which showed up as save latency spikes.
		InitialMmapSize: 1 << 30})
	if err != nil {
		if errors.Is(err, bolterrors.ErrInvalid) || errors.Is(err, bolterrors.ErrChecksum) || errors.Is(err, bolterrors.ErrVersionMismatch) {
			return nil, domain.Errorf(ECorrupt, "store %s is damaged: %v", path, err)
		}
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return db, nil
}

// prepare brings an opened file into service: buckets, schema, clock,
// checksums, quick check, quarantine, events newly known.
func (s *Store) prepare(replica string) (err error) {
	defer guard(&err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	if err := s.db.Update(func(tx *bolt.Tx) error { return s.init(tx, replica) }); err != nil {
		return err
	}
	if err := s.migrateChecksums(); err != nil {
		return err
	}
	if err := s.loadQuarantine(); err != nil {
		return err
	}
	if err := s.rekeyByFilingOrder(); err != nil {
		return err
	}
	if err := s.migrateStateLayout(); err != nil {
		return err
	}
	if err := s.quickCheck(); err != nil {
		return err
	}
	return s.foldNewlyKnown()
}

func (s *Store) init(tx *bolt.Tx, replica string) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	meta := tx.Bucket(bucketMeta)
	switch v := readU64(meta.Get(keySchemaVersion)); {
	case v == 0 && tx.Bucket(bucketEvents).Sequence() == 0:
		if err := meta.Put(keySchemaVersion, u64(SchemaVersion)); err != nil {
			return err
		}
	case v == 0:
		return domain.Errorf(ECorrupt, "the store's schema version is missing, but it holds a log")
	case v > SchemaVersion:
		return domain.Errorf(EIncompatible, "store written by a newer Boucle (schema %d, this one knows %d)", v, SchemaVersion)
	case v < SchemaVersion:
		if err := migrate(tx, v); err != nil {
			return err
		}
	}
	saved := string(meta.Get(keyReplicaID))
	switch {
	case replica == "" && saved == "":
		replica = uuid.Must(uuid.NewV7()).String()
	case replica == "":
		replica = saved
	case saved != "" && saved != replica:
		return domain.Errorf(domain.EConflict, "store belongs to replica %s, not %s", saved, replica)
	}
	if err := meta.Put(keyReplicaID, []byte(replica)); err != nil {
		return err
	}
	s.replica = replica
	s.clock = hlc.NewClock(s.now, hlc.Timestamp(readU64(meta.Get(keyHLC))))
	return s.loadServerClock(meta.Get(keyServerClock))
}

// migrations bring a store of schema v to v+1, in the transaction that
// opens it: a store is migrated whole or not at all.
var migrations = map[uint64]func(*bolt.Tx) error{
	1: indexFilingsOfLog,
	2: startSealingLog,            // the sealing itself runs in batches after (see migrateChecksums)
	3: startRekeyingByFilingOrder, // the rekeying itself runs in batches after (see rekeyByFilingOrder)
}

func migrate(tx *bolt.Tx, from uint64) error {
	for v := from; v < SchemaVersion; v++ {
		if err := migrations[v](tx); err != nil {
			return fmt.Errorf("migrate the store from schema %d: %w", v, err)
		}
	}
	return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(SchemaVersion))
}

// EIncompatible is returned when the file was written by a newer version.
const EIncompatible domain.Code = "incompatible"

// Close closes the file.
func (s *Store) Close() error { return s.db.Close() }

// Replica is this store's replica id.
func (s *Store) Replica() string { return s.replica }

// Clock is the store's hybrid logical clock.
func (s *Store) Clock() *hlc.Clock { return s.clock }

// Path is the file's location.
func (s *Store) Path() string { return s.db.Path() }

// DB exposes the bbolt handle to the adapters built on the store (the
// server's accounts); they use the buckets declared in schema.go.
func (s *Store) DB() *bolt.DB { return s.db }

// Tx is an open transaction with the store's helpers. Methods that write
// need a writable transaction (Store.Update).
type Tx struct {
	tx     *bolt.Tx
	store  *Store
	states map[domain.EntityKey]*cachedState // states changed in this transaction
	bad    []Quarantined                     // damaged events found, quarantined when the transaction ends
	// projected is the log position up to which every event is folded,
	// read once per transaction and saved by flush (see project.go).
	projected     uint64
	projectedRead bool
	replicas      map[string]*replicaMark // high-water marks read or moved (replicas.go)
	// indexed is the log position up to which every event is in the
	// per-entity index, read once per transaction (see entityindex.go).
	indexed     uint64
	indexedRead bool
	// entityPuts are the per-entity index entries of the events logged in
	// the transaction, written sorted before the index is read or the
	// transaction commits (entityindex.go).
	entityPuts []entityPut
	bulk       *bulkLogged // entries of the events AppendBulk logged in this transaction
	// idPuts and entityAppends tell whether the transaction only appended
	// to the id index and the per-entity index (appendfill.go).
	idPuts, entityAppends appendWatch
}

type cachedState struct {
	state    *domain.State
	oldIdx   []indexEntry // index entries as stored before the transaction
	dirty    bool
	refolded bool // folded from the whole log in this transaction (see current)
}

// Bolt returns the underlying bbolt transaction.
func (t *Tx) Bolt() *bolt.Tx { return t.tx }

// logFillPercent fills the log's pages before a commit splits them. The
// log's keys only grow (NextSequence), so the half-empty pages bbolt's
// default (0.5) leaves for later inserts would stay half empty for good:
// each commit wrote twice the log's bytes, and the file kept the holes.
const logFillPercent = 1.0

// Update runs fn in one writable transaction: everything fn wrote commits
// together, durably, or nothing does if fn returns an error.
func (s *Store) Update(fn func(*Tx) error) (err error) {
	defer guardTx(&err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true)) // a damaged page may point past the file
	return s.db.Update(func(btx *bolt.Tx) error {
		t := &Tx{tx: btx, store: s, states: map[domain.EntityKey]*cachedState{}}
		btx.Bucket(bucketEvents).FillPercent = logFillPercent
		if err := fn(t); err != nil {
			return err
		}
		if err := t.writeEntityPuts(); err != nil {
			return err
		}
		if err := t.flush(); err != nil {
			return err
		}
		if err := t.flushReplicas(); err != nil {
			return err
		}
		if bad := t.newlyBad(); len(bad) > 0 {
			if err := t.writeQuarantine(bad); err != nil {
				return err
			}
			btx.OnCommit(func() { s.quarantined(bad) })
		}
		if t.projectedRead {
			if err := btx.Bucket(bucketMeta).Put(keyProjected, u64(t.projected)); err != nil {
				return err
			}
		}
		if t.indexedRead {
			if err := btx.Bucket(bucketMeta).Put(keyEntityIndexed, u64(t.indexed)); err != nil {
				return err
			}
		}
		t.idPuts.fill(btx.Bucket(bucketEventIDs))
		t.entityAppends.fill(btx.Bucket(bucketEntityEvents))
		return btx.Bucket(bucketMeta).Put(keyHLC, u64(uint64(s.clock.Last())))
	})
}

// View runs fn in a read-only transaction. Byte slices read from bbolt are
// only valid inside it: the helpers copy what they return.
func (s *Store) View(fn func(*Tx) error) (err error) {
	defer guardTx(&err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true)) // a damaged page may point past the file
	var bad []Quarantined
	err = s.db.View(func(btx *bolt.Tx) error {
		t := &Tx{tx: btx, store: s, states: map[domain.EntityKey]*cachedState{}}
		err := fn(t)
		bad = t.newlyBad()
		return err
	})
	if len(bad) > 0 {
		err = errors.Join(err, s.recordQuarantine(bad))
	}
	return err
}

// Backup writes a consistent hot copy of the store to path.
func (s *Store) Backup(path string) error {
	return s.db.View(func(tx *bolt.Tx) error { return tx.CopyFile(path, 0o600) })
}

// errStop ends a cursor walk early without an error.
var errStop = errors.New("stop")
