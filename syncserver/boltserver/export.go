package boltserver

import (
	"encoding/json"
	"strings"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/syncserver/credential"
)

// Records are the server's records of a plant, every one of them: what a
// copy to another store takes (syncserver/plantmove). The settings are
// the stored ones, the epoch included; the signing keys are not among
// them: they live in the key file, beside the store.
type Records struct {
	Accounts      []credential.Account
	Devices       []credential.Device
	Enrolments    map[string]credential.Enrolment    // by the code's hash
	RefreshTokens map[string]credential.RefreshToken // by the token's hash
	Families      []credential.RefreshFamily
	Settings      map[string][]byte
	Uploads       []Upload
}

// Upload is an evidence file not referenced yet, by its uploader.
type Upload struct {
	Uploader, SHA string
	Size          int64
	At            time.Time
}

// ExportRecords reads every record. A record that does not decode is an
// error naming it, not skipped: a copy must not lose one silently.
func (t *Tx) ExportRecords() (*Records, error) {
	r := &Records{Enrolments: map[string]credential.Enrolment{}, RefreshTokens: map[string]credential.RefreshToken{}, Settings: map[string][]byte{}}
	err := firstError(
		func() error {
			return eachStrict(t.bucket(boltstore.BucketAccounts), "", func(_ string, a *credential.Account) { r.Accounts = append(r.Accounts, *a) })
		},
		func() error {
			return eachStrict(t.bucket(boltstore.BucketDevices), "", func(_ string, d *credential.Device) { r.Devices = append(r.Devices, *d) })
		},
		func() error {
			return eachStrict(t.bucket(boltstore.BucketEnrolments), "", func(k string, e *credential.Enrolment) { r.Enrolments[k] = *e })
		},
		func() error {
			return eachStrict(t.bucket(boltstore.BucketRefreshTokens), boltstore.RefreshTokenPrefix, func(k string, rt *credential.RefreshToken) {
				r.RefreshTokens[strings.TrimPrefix(k, boltstore.RefreshTokenPrefix)] = *rt
			})
		},
		func() error {
			return eachStrict(t.bucket(boltstore.BucketRefreshTokens), boltstore.RefreshFamilyPrefix, func(_ string, f *credential.RefreshFamily) { r.Families = append(r.Families, *f) })
		},
		func() error {
			return t.bucket(boltstore.BucketServerConfig).ForEach(func(k, v []byte) error {
				r.Settings[string(k)] = append([]byte{}, v...)
				return nil
			})
		},
		func() error {
			return t.bucket(boltstore.BucketBlobUploads).ForEach(func(k, v []byte) error {
				uploader, sha, _ := strings.Cut(string(k), "\x00")
				size, at := readUpload(v)
				r.Uploads = append(r.Uploads, Upload{Uploader: uploader, SHA: sha, Size: size, At: at})
				return nil
			})
		},
	)
	return r, err
}

func firstError(steps ...func() error) error {
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// eachStrict decodes every JSON value whose key starts with prefix.
func eachStrict[T any](b interface {
	ForEach(func(k, v []byte) error) error
}, prefix string, fn func(key string, v *T)) error {
	return b.ForEach(func(k, raw []byte) error {
		if !strings.HasPrefix(string(k), prefix) {
			return nil
		}
		v := new(T)
		if err := json.Unmarshal(raw, v); err != nil {
			return domain.Errorf(domain.EInternal, "record %q does not decode: %v", k, err)
		}
		fn(string(k), v)
		return nil
	})
}
