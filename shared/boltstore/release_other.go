//go:build !linux

package boltstore

// ReleaseMapped does nothing here: see release_linux.go.
func (s *Store) ReleaseMapped() {}
