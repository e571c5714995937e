// Package storefault writes bad bytes into a bbolt store file the way a
// failing disk or a stray write would, for the tests of what the store,
// the server and the workstation do with them. Test support only.
package storefault

import (
	"bytes"
	"os"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// pageHeaderFlags is the offset of a page's type flags in its header
// (id uint64, then flags uint16).
const pageHeaderFlags = 8

// FlipStoredByte flips a bit of the byte at offset within the stored
// bytes needle, in every copy of them: bbolt's free pages may hold stale
// copies of the live one.
func FlipStoredByte(tb testing.TB, path string, needle []byte, offset int) {
	tb.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if offset < 0 || !bytes.Contains(raw, needle) {
		tb.Fatal("the stored bytes are not in the file")
	}
	for at, base := bytes.Index(raw, needle), 0; at >= 0; at = bytes.Index(raw[base:], needle) {
		XorAt(tb, path, int64(base+at+offset), 0x04)
		base += at + 1
	}
}

// XorAt flips bits of one byte of the file in place (an open store sees it
// through its memory map, as it would see a disk's bad sector).
func XorAt(tb testing.TB, path string, off int64, mask byte) {
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

// FlipPageHeader turns the type flags of one page of the closed store at
// path into nonsense; pageOf names the page, from a read-only look.
func FlipPageHeader(tb testing.TB, path string, pageOf func(*bolt.Tx) uint64) {
	tb.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		tb.Fatal(err)
	}
	FlipPageHeaderOf(tb, db, pageOf)
	db.Close()
}

// FlipPageHeaderOf does it through an open handle (a running server's).
func FlipPageHeaderOf(tb testing.TB, db *bolt.DB, pageOf func(*bolt.Tx) uint64) {
	tb.Helper()
	var page uint64
	_ = db.View(func(tx *bolt.Tx) error { page = pageOf(tx); return nil })
	if page == 0 {
		tb.Fatal("no page to corrupt")
	}
	XorAt(tb, db.Path(), int64(page)*int64(db.Info().PageSize)+pageHeaderFlags, 0x23)
}

// BucketRoot is the root page of a bucket of the store.
func BucketRoot(name string) func(*bolt.Tx) uint64 {
	return func(tx *bolt.Tx) uint64 { return uint64(tx.Bucket([]byte(name)).Root()) }
}

// TopRoot is the page listing the store's buckets.
func TopRoot(tx *bolt.Tx) uint64 { return uint64(tx.Cursor().Bucket().Root()) }
