package boltstore

import (
	"bytes"
	"os"
	"runtime"

	"boucle/shared/domain"

	bolt "go.etcd.io/bbolt"
)

// guard, deferred by Open and Check, turns any panic while reading the
// file into an ECorrupt error: bbolt panics on a damaged page ("invalid
// page type", "assertion failed: page 37: has unexpected type/flags"), and
// garbage read as a page may fail an index. bbolt rolls its transaction
// back before the panic leaves it.
func guard(err *error) {
	if v := recover(); v != nil {
		*err = damaged(v)
	}
}

// guardTx, deferred by every transaction, does the same for bbolt's own
// panics but lets runtime errors (a nil map, an index out of range) panic
// on: while serving, they are more likely a bug than the disk.
func guardTx(err *error) {
	v := recover()
	if v == nil {
		return
	}
	if re, ok := v.(runtime.Error); ok && !isFault(re) {
		panic(re)
	}
	*err = damaged(v)
}

// isFault tells a memory fault (a damaged page pointing past the mapped
// file, made a panic by debug.SetPanicOnFault) from other runtime errors:
// the runtime gives faults an Addr method.
func isFault(err error) bool {
	_, ok := err.(interface{ Addr() uintptr })
	return ok
}

func damaged(v any) error { return domain.Errorf(ECorrupt, "the store's file is damaged: %v", v) }

// checksumBatch is how many events one migration transaction seals: big
// enough to be quick, small enough not to hold gigabytes of dirty pages.
var checksumBatch = 20_000 // a variable so that a test can make batches small

// startSealingLog is the migration from schema 2, whose events carry no
// checksum: it only marks the log as to be sealed (keyChecksummed, the
// position sealed so far), because sealing a million events in the one
// transaction of the other migrations would hold the whole log as dirty
// pages in memory. migrateChecksums does it right after, in batches.
func startSealingLog(tx *bolt.Tx) error {
	return tx.Bucket(bucketMeta).Put(keyChecksummed, u64(0))
}

// migrateChecksums seals the log of a store migrated from schema 2, in
// batches, resumably: keyChecksummed remembers how far it got, and is
// removed at the end; Open returns only after. Each event is decoded
// before it is sealed: bytes that no longer decode get a checksum that
// fails, so they are quarantined when read, not vouched for.
func (s *Store) migrateChecksums() error {
	for {
		done, err := s.checksumBatch()
		if err != nil || done {
			return err
		}
	}
}

func (s *Store) checksumBatch() (done bool, err error) {
	err = s.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta.Get(keyChecksummed) == nil {
			done = true
			return nil
		}
		type kv struct {
			pos uint64
			v   []byte
		}
		var batch []kv
		c := tx.Bucket(bucketEvents).Cursor()
		for k, v := c.Seek(u64(readU64(meta.Get(keyChecksummed)) + 1)); k != nil && len(batch) < checksumBatch; k, v = c.Next() {
			batch = append(batch, kv{readU64(k), bytes.Clone(v)})
		}
		events := tx.Bucket(bucketEvents)
		for _, e := range batch {
			sealed := sealEvent(e.pos, e.v)
			if _, err := domain.DecodeEvent(e.v); err != nil {
				sealed = spoilEvent(e.pos, e.v)
			}
			if err := events.Put(u64(e.pos), sealed); err != nil {
				return err
			}
		}
		if len(batch) == checksumBatch {
			return meta.Put(keyChecksummed, u64(batch[len(batch)-1].pos))
		}
		done = true
		return meta.Delete(keyChecksummed)
	})
	return done, err
}

// fullCheckBytes is the file size up to which the start-up check is
// bbolt's whole consistency check (tens of milliseconds); above it, the
// start checks the paths every request walks, and `boucle-server check`
// (Check) does the rest offline.
const fullCheckBytes = 64 << 20

// lastEventsChecked is how many of the log's last events the start-up
// check verifies: the pages a restarting plant pulls first.
const lastEventsChecked = 1000

// smallBuckets do not grow with the log: the start checks them whole.
var smallBuckets = [][]byte{bucketMeta, bucketOutbox, bucketRejections, bucketReplicas, bucketClockAlerts, bucketUnfolded,
	bucketQuarantine, BucketAccounts, BucketDevices, BucketEnrolments, BucketRefreshTokens, BucketServerConfig}

// quickCheck is the check at start: it reads the first and last key of
// every bucket (the pages on both edges of each tree, and the branch
// pages above them), runs bbolt's consistency check on the whole file
// when it is small and on the buckets that do not grow with the log
// otherwise, and verifies the checksums of the log's last events (a
// damaged one is quarantined, not a reason to refuse the store).
func (s *Store) quickCheck() error {
	return s.View(func(t *Tx) error {
		for _, name := range allBuckets {
			b := t.tx.Bucket(name)
			if b == nil {
				return domain.Errorf(ECorrupt, "bucket %s is missing", name)
			}
			c := b.Cursor()
			c.First()
			c.Last()
		}
		if err := t.bboltCheck(); err != nil {
			return err
		}
		c := t.tx.Bucket(bucketEvents).Cursor()
		n := 0
		for k, v := c.Last(); k != nil && n < lastEventsChecked; k, v = c.Prev() {
			if _, _, err := t.readLogged(readU64(k), v); err != nil {
				return err
			}
			n++
		}
		return nil
	})
}

// bboltCheck runs tx.Check on the whole file or on the small buckets,
// after reading them here: tx.Check runs in a goroutine of its own, where
// a page whose item count went wrong makes a memory fault that kills the
// process; read in this goroutine first (faults made panics, see Store.View),
// the same page is refused.
func (t *Tx) bboltCheck() error {
	if info, err := os.Stat(t.store.db.Path()); err == nil && info.Size() <= fullCheckBytes {
		t.readAll(allBuckets...)
		return firstCheckError(t.tx.Check())
	}
	t.readAll(smallBuckets...)
	for _, name := range smallBuckets {
		if root := t.tx.Bucket(name).Root(); root != 0 { // 0: inline, checked with its parent
			if err := firstCheckError(t.tx.Check(bolt.WithPageId(uint64(root)))); err != nil {
				return err
			}
		}
	}
	return nil
}

// readAll touches every key and value of the buckets: a damaged page
// panics (see guard) or faults here rather than in tx.Check.
func (t *Tx) readAll(buckets ...[]byte) {
	var sum byte
	for _, name := range buckets {
		c := t.tx.Bucket(name).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			sum ^= k[0] ^ k[len(k)-1]
			if len(v) > 0 {
				sum ^= v[0] ^ v[len(v)-1]
			}
		}
	}
	readSink = sum
}

// readSink keeps readAll's reads from being optimised away.
var readSink byte

// firstCheckError drains a tx.Check channel and returns its first error
// (with how many followed) as ECorrupt.
func firstCheckError(errs <-chan error) error {
	var first error
	n := 0
	for err := range errs {
		if first == nil {
			first = err
		}
		n++
	}
	if first == nil {
		return nil
	}
	if n > 1 {
		return domain.Errorf(ECorrupt, "the store's file is damaged: %v (and %d more problems)", first, n-1)
	}
	return domain.Errorf(ECorrupt, "the store's file is damaged: %v", first)
}

// Health reads what every request needs, cheaply: the schema version in
// the meta bucket and the log's last page. It returns ECorrupt when they
// cannot be read; a damaged last event is quarantined like any other.
func (s *Store) Health() error {
	return s.View(func(t *Tx) error {
		if v := readU64(t.tx.Bucket(bucketMeta).Get(keySchemaVersion)); v != SchemaVersion {
			return domain.Errorf(ECorrupt, "the store's schema version reads %d", v)
		}
		k, v := t.tx.Bucket(bucketEvents).Cursor().Last()
		if k == nil {
			return nil
		}
		_, _, err := t.readLogged(readU64(k), v) // one damaged event is quarantined, the store stays healthy
		return err
	})
}
