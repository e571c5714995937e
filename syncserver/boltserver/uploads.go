package boltserver

import (
	"bytes"
	"encoding/binary"
	"time"

	"boucle/shared/boltstore"
)

// The evidence bytes are boltstore's (HasBlob, Blob, PutBlob, DeleteBlob,
// BlobReferenced, embedded); the uploads are in BucketBlobUploads under
// uploader + 0 + SHA-256, valued size and upload time (8 bytes each,
// big-endian; the time in Unix nanoseconds).

// PutUpload records that uploader sent size bytes of sha at at.
func (t *Tx) PutUpload(uploader, sha string, size int64, at time.Time) error {
	v := binary.BigEndian.AppendUint64(nil, uint64(size))
	v = binary.BigEndian.AppendUint64(v, uint64(at.UnixNano()))
	return t.bucket(boltstore.BucketBlobUploads).Put(uploadKey(uploader, sha), v)
}

// DeleteUpload forgets an upload.
func (t *Tx) DeleteUpload(uploader, sha string) error {
	return t.bucket(boltstore.BucketBlobUploads).Delete(uploadKey(uploader, sha))
}

// EachUpload calls fn for each upload of uploader, in SHA-256 order, or
// for every upload when uploader is "". A key without its separator is
// none of ours and is skipped.
func (t *Tx) EachUpload(uploader string, fn func(uploader, sha string, size int64, at time.Time) error) error {
	var prefix []byte
	if uploader != "" {
		prefix = []byte(uploader + "\x00")
	}
	c := t.bucket(boltstore.BucketBlobUploads).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		who, sha, ok := bytes.Cut(k, []byte{0})
		if !ok {
			continue
		}
		size, at := readUpload(v)
		if err := fn(string(who), string(sha), size, at); err != nil {
			return err
		}
	}
	return nil
}

func uploadKey(uploader, sha string) []byte { return []byte(uploader + "\x00" + sha) }

func readUpload(v []byte) (size int64, at time.Time) {
	if len(v) != 16 {
		return 0, time.Time{}
	}
	return int64(binary.BigEndian.Uint64(v)), time.Unix(0, int64(binary.BigEndian.Uint64(v[8:])))
}
