// Package ui holds what every screen shares: the environment a screen is
// built in (window, background runner, clock, navigation), the screen
// index entry, and a few widgets (touch-sized buttons, forms whose inline
// errors name the field a domain error points at).
//
// The screens live in the sub-packages, one per feature; each declares the
// narrow view-model interface it consumes and never touches the store or
// the network itself.
package ui

import (
	"time"

	"fyne.io/fyne/v2"

	"boucle/shared/domain"
)

// Async runs work off the UI goroutine, then apply on it. Screens read
// and write the store through it, so the UI never waits on a disk.
type Async func(work func(), apply func())

// Background is the Async of the running app: a goroutine, then fyne.Do.
func Background(work, apply func()) {
	go func() {
		work()
		fyne.Do(apply)
	}()
}

// Inline runs both at once, on the caller's goroutine: screen tests use it
// so that what a tap triggers is on screen when test.Tap returns.
func Inline(work, apply func()) {
	work()
	apply()
}

// Navigator moves between views inside the main window.
type Navigator interface {
	// Push shows a view over the current one, with a way back.
	Push(title string, view fyne.CanvasObject)
	// Back returns to the previous view and refreshes it.
	Back()
	// Touch records that the user did something (inactivity sign-out).
	Touch()
}

// Env is what a screen is built with.
type Env struct {
	Win   fyne.Window
	Async Async
	Now   func() time.Time
	Nav   Navigator
	// Later delays work (a search as you type); nil runs it at once.
	Later Later
}

// Load runs work through env.Async and hands its result to apply on the UI
// goroutine.
func Load[T any](env Env, work func() (T, error), apply func(T, error)) {
	var v T
	var err error
	env.Async(func() { v, err = work() }, func() { apply(v, err) })
}

// Do runs a command through env.Async and hands its error to done on the
// UI goroutine.
func Do(env Env, work func() error, done func(error)) {
	var err error
	env.Async(func() { err = work() }, func() { done(err) })
}

// Screen is one entry of the navigation index: the shell shows the
// screens whose Roles include the signed-in user's, in index order.
type Screen struct {
	ID    string
	Title string
	Icon  fyne.Resource
	Roles []domain.Role
	// View builds the screen; Refresh (optional) reloads it when it is
	// shown again or after a sync brought new data.
	View func(env Env) Content
}

// Content is a built screen.
type Content struct {
	Object  fyne.CanvasObject
	Refresh func()
}

// For reports whether the screen is meant for the role.
func (s Screen) For(r domain.Role) bool {
	for _, x := range s.Roles {
		if x == r {
			return true
		}
	}
	return false
}
