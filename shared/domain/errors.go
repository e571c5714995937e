package domain

import (
	"errors"
	"fmt"
)

// Code is a stable, machine-readable error class. The HTTP layer maps each
// code to a status in one table; clients switch on codes, never on messages.
type Code string

const (
	EInvalid      Code = "invalid"      // input breaks a validation rule
	EMalformed    Code = "malformed"    // input cannot be decoded at all
	ETooLarge     Code = "too_large"    // input exceeds a size limit
	EForbidden    Code = "forbidden"    // the role may not do this
	EUnauthorized Code = "unauthorized" // no valid credentials
	ENotFound     Code = "not_found"    // the entity does not exist
	EConflict     Code = "conflict"     // the entity's state does not allow it
	ESequenceGap  Code = "sequence_gap" // a replica skipped sequence numbers
	ERateLimited  Code = "rate_limited" // too many attempts
	EUnavailable  Code = "unavailable"  // the server is short of a resource: retry later
	EInternal     Code = "internal"     // anything else; details are logged, not shown
)

// Error is the domain's error: a code, the field or rule it concerns, and a
// message a person can act on.
type Error struct {
	Code    Code   `json:"code"`
	Field   string `json:"field,omitempty"` // the input field at fault, if any
	Rule    string `json:"rule,omitempty"`  // the business rule broken, if any
	Message string `json:"message"`
}

func (e *Error) Error() string {
	switch {
	case e.Field != "":
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	case e.Rule != "":
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Rule, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an error with a code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EInvalid error naming the field at fault.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// RuleError returns an error naming the business rule that refused a change.
func RuleError(code Code, rule, format string, args ...any) *Error {
	return &Error{Code: code, Rule: rule, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of a domain error, EInternal for anything else
// and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the message of a domain error; other errors get a
// generic message so that internals never leak to a client.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// AsError returns err as a domain error, wrapping anything else as EInternal.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: EInternal, Message: "internal error"}
}
