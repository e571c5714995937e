package boltstore

import (
	"strings"
)

// What a copy of the server's plant to another store reads besides the
// log (boucle-server migrate, syncserver/plantmove): the evidence files
// and the server's own complaint number counters.

// EachBlob calls fn with every evidence file, in SHA-256 order. The bytes
// are only valid during the call.
func (t *Tx) EachBlob(fn func(sha string, data []byte) error) error {
	return t.tx.Bucket(bucketBlobs).ForEach(func(k, v []byte) error { return fn(string(k), v) })
}

// BlobCount is how many evidence files the store holds.
func (t *Tx) BlobCount() int { return t.tx.Bucket(bucketBlobs).Stats().KeyN }

// NumberCounters returns the store's complaint number counters in the
// bare series, "STATION/YEAR" → the last number handed out: the server's
// (it has no series of its own).
func (t *Tx) NumberCounters() map[string]uint64 {
	out := map[string]uint64{}
	c := t.tx.Bucket(bucketMeta).Cursor()
	prefix := []byte(keyCounterPrefix)
	for k, v := c.Seek(prefix); k != nil && strings.HasPrefix(string(k), keyCounterPrefix); k, v = c.Next() {
		name := strings.TrimPrefix(string(k), keyCounterPrefix)
		if strings.Count(name, "/") == 1 { // STATION/YEAR, not a workstation's series
			out[name] = readU64(v)
		}
	}
	return out
}

// BlobsAfter returns the SHA-256 of up to limit evidence files, in order,
// after after ("": from the first), without reading their bytes.
func (t *Tx) BlobsAfter(after string, limit int) ([]string, error) {
	var shas []string
	c := t.tx.Bucket(bucketBlobs).Cursor()
	k, _ := c.Seek([]byte(after))
	for ; k != nil && len(shas) < limit; k, _ = c.Next() {
		if string(k) != after {
			shas = append(shas, string(k))
		}
	}
	return shas, nil
}
