package domain

import (
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
)

// JSONError turns an error of encoding/json into an error a person can
// read: the field it concerns (its JSON path, like the fields of
// validation errors; whole when the error concerns the whole document)
// and what was expected there, in words. The decoder's own text names Go
// types ("Go struct field LoginRequest.login of type string"): it must
// never reach a user.
func JSONError(code Code, whole string, err error) *Error {
	var de *Error
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &de):
		return &Error{Code: code, Field: cmp.Or(de.Field, whole), Message: de.Message}
	case errors.As(err, &typeErr):
		return &Error{Code: code, Field: cmp.Or(typeErr.Field, whole),
			Message: "must be " + expected(typeErr.Type) + ", not " + jsonKind(typeErr.Value)}
	case errors.As(err, &syntaxErr):
		return &Error{Code: code, Field: whole, Message: "is not valid JSON (error near byte " + strconv.FormatInt(syntaxErr.Offset, 10) + ")"}
	case errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected end of JSON input"):
		return &Error{Code: code, Field: whole, Message: "is cut short: the JSON does not end"}
	}
	return &Error{Code: code, Field: whole, Message: "is not in the expected form"}
}

// expected names what a Go type holds, in words.
func expected(t reflect.Type) string {
	if t == nil {
		return "a value of another kind"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.PkgPath() == "time" && t.Name() == "Time" {
		return "a date and time (RFC 3339 text)"
	}
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "a value of another kind"
}

// jsonKind names what the decoder found, in words ("number 5" → "a number").
func jsonKind(v string) string {
	switch {
	case v == "string":
		return "text"
	case v == "bool":
		return "true or false"
	case v == "array":
		return "a list"
	case v == "object":
		return "an object"
	case strings.HasPrefix(v, "number"):
		return "a number"
	}
	return "that value"
}
