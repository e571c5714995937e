package boltstore

import "bytes"

// DraftFileCount counts the file bytes kept for a draft (tests: no file
// is left behind).
func (s *Store) DraftFileCount(k DraftKey) (int, error) {
	key, err := k.bytes()
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.View(func(t *Tx) error {
		prefix := draftFilesPrefix(key)
		c := t.tx.Bucket(bucketDraftFiles).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			n++
		}
		return nil
	})
	return n, err
}
