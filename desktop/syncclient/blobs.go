package syncclient

import (
	"context"

	"boucle/shared/boltstore"
)

// uploadBlobs uploads the evidence marked when its events were
// acknowledged. The marks live in the store, so an upload cut short by
// the network or a restart is resumed.
func (s *Syncer) uploadBlobs(ctx context.Context, c *Client) error {
	for {
		var shas []string
		_ = s.store.View(func(tx *boltstore.Tx) error { shas = tx.BlobsToUpload(16); return nil })
		if len(shas) == 0 {
			return nil
		}
		for _, sha := range shas {
			if err := s.uploadBlob(ctx, c, sha); err != nil {
				return err
			}
		}
	}
}

func (s *Syncer) uploadBlob(ctx context.Context, c *Client, sha string) error {
	var data []byte
	var missing error
	_ = s.store.View(func(tx *boltstore.Tx) error { data, missing = tx.Blob(sha); return nil })
	if missing == nil {
		err := s.authed(ctx, c, func() error {
			// Evidence can be large and the server may hold it already
			// (a retry, or the same file attached twice): ask first.
			if has, err := c.HasBlob(ctx, sha); has || err != nil {
				return err
			}
			return c.PutBlob(ctx, sha, data)
		})
		if isPermanent(err) {
			s.cfg.Logger.Warn("sync: the server refused evidence", "sha256", sha, "error", err)
			err = nil
		}
		if err != nil {
			return err
		}
	}
	return s.store.Update(func(tx *boltstore.Tx) error { return tx.BlobUploaded(sha) })
}

// FetchBlob returns evidence bytes, from the store or, the first time,
// from the server (checked against their SHA-256 and kept). Evidence is
// fetched on demand: a workstation holds only what its users opened.
func (s *Syncer) FetchBlob(ctx context.Context, sha string) ([]byte, error) {
	var data []byte
	var err error
	_ = s.store.View(func(tx *boltstore.Tx) error { data, err = tx.Blob(sha); return nil })
	if err == nil {
		return data, nil
	}
	c := s.currentClient()
	if c == nil {
		return nil, err
	}
	if err := s.authed(ctx, c, func() (err error) { data, err = c.GetBlob(ctx, sha); return err }); err != nil {
		return nil, err
	}
	if err := s.store.PutBlobChecked(sha, data); err != nil {
		return nil, err
	}
	return data, nil
}
