package syncserver

import (
	"context"
	"encoding/binary"
	"slices"

	"boucle/shared/syncproto"

	"github.com/gin-gonic/gin"
)

// Complaint numbers are handed out offline by each workstation, so two
// workstations must never draw from the same counter. Each enrolled device
// gets its own series, letters unique in the plant and never reused:
// PRESS2-2026-B0042 is number 42 of series B. The numbers filed before
// series existed, and those of a standalone workstation, are in the bare
// series (PRESS2-2026-0042), which no enrolled device continues, so none
// of them can be handed out again. The letters are unique across stations
// too: a device filing for another station cannot collide either.

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
// The count handed out so far is the setting settingSeriesNext.
func nextSeries(tx Settings) (string, error) {
	raw, err := tx.Setting(settingSeriesNext)
	if err != nil {
		return "", err
	}
	var n uint64
	if len(raw) == 8 {
		n = binary.BigEndian.Uint64(raw)
	}
	return seriesCode(n), tx.PutSetting(settingSeriesNext, binary.BigEndian.AppendUint64(nil, n+1))
}

// seriesFor returns the series of a device being enrolled: the series of
// the device that held its replica before (the same workstation's data
// keeps its counter, so it keeps its series), else a new one.
func seriesFor(tx Settings, previous *Device) (string, error) {
	if previous != nil && previous.Series != "" {
		return previous.Series, nil
	}
	return nextSeries(tx)
}

// assignMissingSeries gives a series to every active device enrolled
// before series existed, in enrolment order; each learns it from its next
// pull (setSeriesHeader).
func assignMissingSeries(store AccessStore) error {
	return store.UpdateAccess(context.Background(), func(t AccessTx) error { // at open
		devices, err := t.Devices()
		if err != nil {
			return err
		}
		slices.SortStableFunc(devices, func(a, b Device) int { return a.Enrolled.Compare(b.Enrolled) })
		for _, d := range devices {
			if d.Revoked || d.Series != "" {
				continue
			}
			var err error
			if d.Series, err = nextSeries(t); err != nil {
				return err
			}
			if err := t.PutDevice(&d); err != nil {
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
