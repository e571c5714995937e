package syncserver_test

import (
	"bytes"
	"os"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// The fault campaign's bad bytes, written into a store file on disk the
// way a failing disk or a stray write would: one byte of a page header or
// of a stored value.

// pageHeaderFlags is the offset of a page's type flags in its header
// (id uint64, then flags uint16).
const pageHeaderFlags = 8

// flipPageHeader turns the type flags of one page of the closed store at
// path into nonsense; pageOf names the page, from a read-only look at the
// file.
func flipPageHeader(tb testing.TB, path string, pageOf func(*bolt.Tx) uint64) {
	tb.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		tb.Fatal(err)
	}
	flipPageHeaderOf(tb, db, pageOf)
	db.Close()
}

// flipPageHeaderOf does it through an open handle (the running server's).
func flipPageHeaderOf(tb testing.TB, db *bolt.DB, pageOf func(*bolt.Tx) uint64) {
	tb.Helper()
	var page uint64
	_ = db.View(func(tx *bolt.Tx) error { page = pageOf(tx); return nil })
	size, path := db.Info().PageSize, db.Path()
	if page == 0 {
		tb.Fatal("no page to corrupt")
	}
	xorAt(tb, path, int64(page)*int64(size)+pageHeaderFlags, 0x23)
}

// bucketRoot is the root page of a bucket of the store.
func bucketRoot(name string) func(*bolt.Tx) uint64 {
	return func(tx *bolt.Tx) uint64 { return uint64(tx.Bucket([]byte(name)).Root()) }
}

// topRoot is the page listing the store's buckets.
func topRoot(tx *bolt.Tx) uint64 { return uint64(tx.Cursor().Bucket().Root()) }

// flipStoredByte flips the byte at offset within the stored bytes needle,
// in every copy of them: bbolt's free pages may hold stale copies of the
// live one.
func flipStoredByte(tb testing.TB, path string, needle []byte, offset int) {
	tb.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if offset < 0 || !bytes.Contains(raw, needle) {
		tb.Fatal("the stored bytes are not in the file")
	}
	for at, base := bytes.Index(raw, needle), 0; at >= 0; at = bytes.Index(raw[base:], needle) {
		xorAt(tb, path, int64(base+at+offset), 0x04)
		base += at + 1
	}
}

// xorAt flips bits of one byte of the file in place (an open store sees it
// through its memory map, as it would see a disk's bad sector).
func xorAt(tb testing.TB, path string, off int64, mask byte) {
	tb.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, off); err != nil {
		tb.Fatal(err)
	}
	b[0] ^= mask
	if _, err := f.WriteAt(b, off); err != nil {
		tb.Fatal(err)
	}
}
