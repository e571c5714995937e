package syncserver

import (
	"encoding/binary"
	"slices"

	"boucle/shared/boltstore"
	"boucle/shared/syncproto"

	"github.com/gin-gonic/gin"
	bolt "go.etcd.io/bbolt"
)

// Complaint numbers are handed out offline by each workstation, so two
// workstations must never draw from the same counter. Each enrolled device
// gets its own series, letters unique in the plant and never reused:
// PRESS2-2026-B0042 is number 42 of series B. The numbers filed before
// series existed, and those of a standalone workstation, are in the bare
// series (PRESS2-2026-0042), which no enrolled device continues, so none
// of them can be handed out again. The letters are unique across stations
// too: a device filing for another station cannot collide either.

// keySeriesNext (in boltstore.BucketServerConfig) is the number of series
// handed out so far.
var keySeriesNext = []byte("number_series_next")

// seriesAlphabet has the capital letters but I and O, read as 1 and 0.
const seriesAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ"

// seriesCode is the n-th series (from 0): A … Z, then AA, AB …, ZZ, AAA …
// (bijective base 24), so codes stay short: one letter for the first 24
// devices, two for the next 576.
func seriesCode(n uint64) string {
	base := uint64(len(seriesAlphabet))
	var b []byte
	for n++; n > 0; n = (n - 1) / base {
		b = append(b, seriesAlphabet[(n-1)%base])
	}
	slices.Reverse(b)
	return string(b)
}

// nextSeries hands out the plant's next series.
func nextSeries(tx *bolt.Tx) (string, error) {
	b := tx.Bucket(boltstore.BucketServerConfig)
	var n uint64
	if raw := b.Get(keySeriesNext); len(raw) == 8 {
		n = binary.BigEndian.Uint64(raw)
	}
	return seriesCode(n), b.Put(keySeriesNext, binary.BigEndian.AppendUint64(nil, n+1))
}

// seriesFor returns the series of a device being enrolled: the series of
// the device that held its replica before (the same workstation's data
// keeps its counter, so it keeps its series), else a new one.
func seriesFor(tx *bolt.Tx, previous *Device) (string, error) {
	if previous != nil && previous.Series != "" {
		return previous.Series, nil
	}
	return nextSeries(tx)
}

// assignMissingSeries gives a series to every active device enrolled
// before series existed, in enrolment order; each learns it from its next
// pull (setSeriesHeader).
func assignMissingSeries(store *boltstore.Store) error {
	return store.Update(func(t *boltstore.Tx) error {
		devices := listDevices(t.Bolt())
		slices.SortStableFunc(devices, func(a, b Device) int { return a.Enrolled.Compare(b.Enrolled) })
		for _, d := range devices {
			if d.Revoked || d.Series != "" {
				continue
			}
			var err error
			if d.Series, err = nextSeries(t.Bolt()); err != nil {
				return err
			}
			if err := putJSON(t.Bolt().Bucket(boltstore.BucketDevices), []byte(d.ID), d); err != nil {
				return err
			}
		}
		return nil
	})
}

// setSeriesHeader tells a pulling workstation its series, so that one
// enrolled before series existed learns it.
func setSeriesHeader(c *gin.Context) {
	if d := principalOf(c).device; d != nil && d.Series != "" {
		c.Writer.Header().Set(syncproto.HeaderSeries, d.Series)
	}
}
