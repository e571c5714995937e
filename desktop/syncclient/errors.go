package syncclient

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"boucle/shared/domain"
	"boucle/shared/syncproto"
)

// APIError is an error answer from the server: its status and the stable
// code of its JSON body. It unwraps to a *domain.Error, so domain.ErrorCode
// works on it.
type APIError struct {
	Status     int
	Code       domain.Code
	Field      string
	Rule       string // the business rule that refused, when the server named one
	Message    string
	RetryAfter time.Duration // from a 429 or 503, zero otherwise
}

func (e *APIError) Error() string {
	return fmt.Sprintf("server answered %d: %v", e.Status, e.Unwrap())
}

// Unwrap returns the domain error the body carried.
func (e *APIError) Unwrap() error {
	return &domain.Error{Code: e.Code, Field: e.Field, Rule: e.Rule, Message: e.Message}
}

// GapError is the 409 answer to a push that skips sequence numbers: the
// server needs Expected of Replica first.
type GapError struct{ syncproto.GapError }

func (e *GapError) Error() string {
	return fmt.Sprintf("server expects event %d of replica %s first", e.Expected, e.Replica)
}

// OfflineError means the server could not be reached: no answer at all,
// as opposed to an answer refusing the request.
type OfflineError struct{ Err error }

func (e *OfflineError) Error() string { return "server unreachable: " + e.Err.Error() }
func (e *OfflineError) Unwrap() error { return e.Err }

// IsOffline reports whether err means the server could not be reached.
func IsOffline(err error) bool {
	var o *OfflineError
	return errors.As(err, &o)
}

// ErrSignInNeeded is returned when the server refuses the workstation's
// tokens and none can be refreshed: someone must sign in online. Queued
// events are kept.
var ErrSignInNeeded = &domain.Error{Code: domain.EUnauthorized, Message: "sign-in needed: the server refused the session and it could not be renewed"}

// ErrNotEnrolled is returned by calls that need a server before the
// workstation is enrolled (standalone mode).
var ErrNotEnrolled = &domain.Error{Code: domain.ENotFound, Message: "this workstation is not enrolled with a server"}

func isUnauthorized(err error) bool {
	var a *APIError
	return errors.As(err, &a) && a.Status == http.StatusUnauthorized
}

// isDeviceRefused reports whether the server refused the device
// credential itself (403, field "device"): only enrolling again helps.
func isDeviceRefused(err error) bool {
	var a *APIError
	return errors.As(err, &a) && a.Status == http.StatusForbidden && a.Field == "device"
}

// isPermanent reports whether retrying the same request cannot succeed.
func isPermanent(err error) bool {
	var a *APIError
	if !errors.As(err, &a) {
		return false
	}
	switch a.Status {
	case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
		return true
	}
	return false
}

// retryAfter is the delay the server asked for, if any.
func retryAfter(err error) time.Duration {
	var a *APIError
	if errors.As(err, &a) {
		return a.RetryAfter
	}
	return 0
}
