package syncserver

import (
	"context"
	"time"

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
func (s *Server) markSeen(ctx context.Context, d *Device) {
	now := s.now().UTC()
	if now.Sub(d.LastSeen) < lastSeenEvery {
		return
	}
	err := s.access.UpdateAccess(ctx, func(t AccessTx) error {
		cur, err := t.Device(d.ID) // read again: a revocation may have committed meanwhile
		if err != nil || cur == nil {
			return err
		}
		cur.LastSeen = now
		return t.PutDevice(cur)
	})
	if err != nil {
		s.log.Warn("could not record when a device was last seen", "device", d.ID, "err", err)
	}
}

// deviceNow reads one device as the admin API shows it.
func (a *Admin) deviceNow(ctx context.Context, id string) (syncproto.AdminDevice, error) {
	var d *Device
	err := a.access.ViewAccess(ctx, func(t AccessTx) (err error) {
		d, err = t.Device(id)
		if err == nil && d == nil {
			err = domain.RuleError(domain.ENotFound, "device.exists", "no device %s", id)
		}
		return err
	})
	if err != nil {
		return syncproto.AdminDevice{}, err
	}
	return deviceForAdmin(d), nil
}
