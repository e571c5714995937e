package syncserver

import (
	"fmt"

	"boucle/shared/domain"
)

// checkOwnReplica refuses a push holding an event of another replica than
// the device's: a device pushes its own replica's events only, always,
// even after a restore and even events the server already holds. Were
// it allowed to relay, a device could take another workstation's next
// sequence number with an event of its making, and that workstation's
// genuine event would then be refused for good as sync.sequence_reused.
// The server's own replica is never the device's (see
// validateEnrolRequest), so its events cannot be pushed either.
func checkOwnReplica(d *Device, e *domain.Event) error {
	if e.Replica == d.Replica {
		return nil
	}
	return &domain.Error{Code: domain.EForbidden, Field: "replica",
		Message: fmt.Sprintf("this device pushes the events of replica %s only, not those of %s", d.Replica, e.Replica)}
}
