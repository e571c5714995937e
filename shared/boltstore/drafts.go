package boltstore

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"boucle/shared/domain"
)

// DraftKey names a draft: whose, and of which form ("report").
type DraftKey struct {
	Login string
	Form  string
}

// Draft is what a user typed in a form and did not file yet, kept on this
// workstation across navigation, a crash and a restart; filing the form
// or discarding the draft deletes it. Local only: drafts never sync.
type Draft struct {
	Saved time.Time       // when it was last written
	Value json.RawMessage // the form's fields, as the screen encodes them
	Files []DraftFile     // files chosen, in order
}

// DraftFile is a file chosen in a form, not filed yet. Its bytes are kept
// apart from the draft's JSON so that typing rewrites a few hundred bytes,
// not the photos.
type DraftFile struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Data   []byte `json:"-"`
}

type storedDraft struct {
	SavedMS int64           `json:"saved_ms"`
	Value   json.RawMessage `json:"value"`
	Files   []DraftFile     `json:"files,omitempty"`
}

func (k DraftKey) bytes() ([]byte, error) {
	if k.Login == "" || k.Form == "" || bytes.IndexByte([]byte(k.Login+k.Form), 0) >= 0 {
		return nil, domain.FieldError("draft", "needs a user and a form")
	}
	return append(append([]byte(k.Login), 0), k.Form...), nil
}

// draftFilesPrefix is the key prefix of a draft's files.
func draftFilesPrefix(key []byte) []byte { return append(append([]byte(nil), key...), 0) }

// PutDraft writes a draft, replacing the previous one: the files' bytes
// not stored yet, the JSON, and the removal of the files the draft no
// longer lists, in one transaction.
func (s *Store) PutDraft(k DraftKey, d Draft) error {
	key, err := k.bytes()
	if err != nil {
		return err
	}
	sd := storedDraft{SavedMS: d.Saved.UnixMilli(), Value: d.Value}
	keep := map[string]bool{}
	for _, f := range d.Files {
		if len(f.Data) > domain.MaxAttachmentBytes {
			return &domain.Error{Code: domain.ETooLarge, Field: "attachments", Message: "files are limited to 10 MB"}
		}
		sum := sha256.Sum256(f.Data)
		f.SHA256 = hex.EncodeToString(sum[:])
		sd.Files = append(sd.Files, f)
		keep[f.SHA256] = true
	}
	value, err := json.Marshal(sd)
	if err != nil {
		return err
	}
	return s.Update(func(t *Tx) error {
		files := t.tx.Bucket(bucketDraftFiles)
		prefix := draftFilesPrefix(key)
		for i, f := range sd.Files {
			fk := append(append([]byte(nil), prefix...), f.SHA256...)
			if files.Get(fk) == nil {
				if err := files.Put(fk, d.Files[i].Data); err != nil {
					return err
				}
			}
		}
		if err := t.deleteDraftFiles(prefix, keep); err != nil {
			return err
		}
		return t.tx.Bucket(bucketDrafts).Put(key, value)
	})
}

// Draft reads a draft with its files' bytes; false when there is none.
func (s *Store) Draft(k DraftKey) (Draft, bool, error) {
	key, err := k.bytes()
	if err != nil {
		return Draft{}, false, err
	}
	var d Draft
	var found bool
	err = s.View(func(t *Tx) error {
		v := t.tx.Bucket(bucketDrafts).Get(key)
		if v == nil {
			return nil
		}
		var sd storedDraft
		if err := json.Unmarshal(v, &sd); err != nil {
			return domain.Errorf(domain.EInternal, "draft of %s: %v", k.Form, err)
		}
		files := t.tx.Bucket(bucketDraftFiles)
		prefix := draftFilesPrefix(key)
		for _, f := range sd.Files {
			data := files.Get(append(append([]byte(nil), prefix...), f.SHA256...))
			if data == nil {
				continue // a file lost is left out, the text is kept
			}
			f.Data = append([]byte(nil), data...)
			d.Files = append(d.Files, f)
		}
		d.Saved, d.Value, found = time.UnixMilli(sd.SavedMS), append(json.RawMessage(nil), sd.Value...), true
		return nil
	})
	return d, found, err
}

// DeleteDraft deletes a draft and its files; none is no error.
func (s *Store) DeleteDraft(k DraftKey) error {
	return s.Update(func(t *Tx) error { return t.DeleteDraft(k) })
}

// DeleteDraft deletes a draft and its files in the transaction, so that
// filing a form and dropping its draft commit together.
func (t *Tx) DeleteDraft(k DraftKey) error {
	key, err := k.bytes()
	if err != nil {
		return err
	}
	if err := t.deleteDraftFiles(draftFilesPrefix(key), nil); err != nil {
		return err
	}
	return t.tx.Bucket(bucketDrafts).Delete(key)
}

// deleteDraftFiles deletes the files under prefix whose hash keep lacks.
func (t *Tx) deleteDraftFiles(prefix []byte, keep map[string]bool) error {
	c := t.tx.Bucket(bucketDraftFiles).Cursor()
	var gone [][]byte
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if !keep[string(k[len(prefix):])] {
			gone = append(gone, append([]byte(nil), k...))
		}
	}
	for _, k := range gone {
		if err := t.tx.Bucket(bucketDraftFiles).Delete(k); err != nil {
			return err
		}
	}
	return nil
}
