//go:build linux

package boltstore

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// ReleaseMapped takes the store's pages out of the process's resident
// memory, and the store reads the same afterwards.
func TestReleaseMappedDropsTheStoresPagesFromTheProcess(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "r.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	value := bytes.Repeat([]byte("evidence "), 200) // 1800 bytes
	const n = 20_000                                // 36 MB
	if err := s.Update(func(tx *Tx) error {
		for i := range n {
			if err := tx.tx.Bucket(bucketBlobs).Put(fmt.Appendf(nil, "%08d", i), value); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	readAll := func() {
		t.Helper()
		seen := 0
		_ = s.View(func(tx *Tx) error {
			return tx.tx.Bucket(bucketBlobs).ForEach(func(_, v []byte) error {
				if !bytes.Equal(v, value) {
					t.Fatalf("value %d differs", seen)
				}
				seen++
				return nil
			})
		})
		if seen != n {
			t.Fatalf("read %d values, want %d", seen, n)
		}
	}
	readAll()
	mapped := rssFile(t)
	s.ReleaseMapped()
	if released := mapped - rssFile(t); released < 20<<20 {
		t.Fatalf("released %d kB of the store's pages, want 20 MB or more", released>>10)
	}
	readAll()
}

// rssFile is this process's RssFile, in bytes.
func rssFile(t *testing.T) int64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "RssFile:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no RssFile in /proc/self/status")
	return 0
}
