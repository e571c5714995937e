package syncserver

import (
	"fmt"

	"boucle/shared/domain"
)

// A replica belongs to the device last enrolled with it, revoked or not.
// Only the administrator moves it to another device, by making a code with
// `boucle-server device enrol --replace <device id>`: a plain code could
// otherwise take over any workstation's replica and revoke its device.

// replicaDevice returns the device last enrolled with replica, nil when
// none was.
func replicaDevice(tx DeviceRecords, replica string) (*Device, error) {
	devices, err := tx.Devices()
	var last *Device
	for _, d := range devices {
		if d.Replica == replica && (last == nil || d.Enrolled.After(last.Enrolled) || d.Enrolled.Equal(last.Enrolled) && d.ID > last.ID) {
			last = &d
		}
	}
	return last, err
}

// checkTakeOver tells whether the code en may bind a replica whose device
// is previous (nil when the replica is new): a plain code binds new
// replicas only, a replacing code the replica of the device it names only.
func checkTakeOver(en *enrolment, previous *Device) error {
	switch {
	case en.Replace == "" && previous != nil:
		return &domain.Error{Code: domain.EConflict, Field: "replica", Message: fmt.Sprintf(
			"this workstation's data is already enrolled as device %s (%s); only the administrator can move it to a new enrolment: ask for a code made with `boucle-server device enrol --replace %s`",
			previous.ID, deviceLabel(previous), previous.ID)}
	case en.Replace != "" && (previous == nil || previous.ID != en.Replace):
		return &domain.Error{Code: domain.EConflict, Field: "replica", Message: fmt.Sprintf(
			"this code replaces device %s, and this workstation's data is not that device's: ask the administrator for a code for this workstation", en.Replace)}
	}
	return nil
}

func deviceLabel(d *Device) string {
	label := d.Name
	if label == "" {
		label = "unnamed"
	}
	if d.Revoked {
		label += ", revoked"
	}
	return label
}
