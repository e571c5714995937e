// Package domain is what the plant records: stations, users, defect
// categories, complaints, actions and preventive plans, and the events that
// change them.
//
// Every change is an immutable Event. The state of an entity is the fold of
// its events in (HLC, replica, event id) order (see fold.go); which role may
// emit which event is the one table in registry.go; errors carry the stable
// codes of errors.go. The package imports no framework: the bbolt store, the
// Gin server and the Fyne app adapt it.
package domain
