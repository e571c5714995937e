package syncserver

import (
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
)

// lastSeenEvery is the precision of a device's LastSeen: the server writes
// it when its credential passes and the stored time is older than this,
// so that a workstation polling every few seconds costs one small write
// every few minutes, not one per request.
const lastSeenEvery = 5 * time.Minute

// markSeen records that device d's credential just passed. A failure is
// logged, never the request's: LastSeen is information, not security.
func (s *Server) markSeen(d *Device) {
	now := s.now().UTC()
	if now.Sub(d.LastSeen) < lastSeenEvery {
		return
	}
	err := s.store.Update(func(t *boltstore.Tx) error {
		b := t.Bolt().Bucket(boltstore.BucketDevices)
		var cur Device // read again: a revocation may have committed meanwhile
		if ok, err := getJSON(b, []byte(d.ID), &cur); err != nil || !ok {
			return err
		}
		cur.LastSeen = now
		return putJSON(b, []byte(d.ID), cur)
	})
	if err != nil {
		s.log.Warn("could not record when a device was last seen", "device", d.ID, "err", err)
	}
}

// deviceNow reads one device as the admin API shows it.
func (a *Admin) deviceNow(id string) (syncproto.AdminDevice, error) {
	var d Device
	err := a.store.View(func(t *boltstore.Tx) error {
		ok, err := getJSON(t.Bolt().Bucket(boltstore.BucketDevices), []byte(id), &d)
		if err == nil && !ok {
			err = domain.RuleError(domain.ENotFound, "device.exists", "no device %s", id)
		}
		return err
	})
	return d.forAdmin(), err
}
