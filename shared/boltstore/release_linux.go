//go:build linux

package boltstore

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// ReleaseMapped drops the store file's pages from this process's memory
// map (madvise MADV_DONTNEED on bbolt's shared, read-only mapping of the
// file): they stay in the kernel's page cache, and a later read maps them
// again without touching the disk. A first sync reads the whole log back
// (the entity index, the rebuild), a count of conflicts reads every
// state; without this, every page they read stayed counted in the
// process's resident memory. Call it outside any transaction.
//
// It runs inside a read transaction, which holds bbolt's mapping in place
// (a remap waits for it), and finds the mapping in /proc/self/maps by the
// file's device and inode, shared and read-only as bbolt maps it.
func (s *Store) ReleaseMapped() {
	var st syscall.Stat_t
	if syscall.Stat(s.db.Path(), &st) != nil {
		return
	}
	_ = s.db.View(func(*bolt.Tx) error {
		for _, m := range fileMappings(st.Dev, st.Ino) {
			_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, m[0], m[1]-m[0], syscall.MADV_DONTNEED)
		}
		return nil
	})
}

// fileMappings lists the start and end of this process's shared,
// read-only mappings of the file dev:ino.
func fileMappings(dev, ino uint64) [][2]uintptr {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return nil
	}
	defer f.Close()
	// A line: start-end perms offset major:minor inode path.
	devField := fmt.Sprintf("%02x:%02x", unixMajor(dev), unixMinor(dev))
	inoField := strconv.FormatUint(ino, 10)
	var out [][2]uintptr
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 5 || fields[1] != "r--s" || fields[3] != devField || fields[4] != inoField {
			continue
		}
		lo, hi, _ := strings.Cut(fields[0], "-")
		a, err1 := strconv.ParseUint(lo, 16, 64)
		b, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 == nil && err2 == nil && a < b {
			out = append(out, [2]uintptr{uintptr(a), uintptr(b)})
		}
	}
	return out
}

// unixMajor and unixMinor split a Linux device number (as glibc's
// gnu_dev_major and gnu_dev_minor do).
func unixMajor(dev uint64) uint64 { return (dev>>8)&0xfff | (dev>>32)&^0xfff }
func unixMinor(dev uint64) uint64 { return dev&0xff | (dev>>12)&^0xff }
