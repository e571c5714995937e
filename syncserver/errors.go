package syncserver

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/syncproto"

	"github.com/gin-gonic/gin"
)

// statusOf is the one table from error codes to HTTP statuses. Codes not
// listed (and errors that are not domain errors) are internal: 500.
var statusOf = map[domain.Code]int{
	domain.EInvalid:      http.StatusBadRequest,
	domain.EMalformed:    http.StatusBadRequest,
	domain.EUnauthorized: http.StatusUnauthorized,
	domain.EForbidden:    http.StatusForbidden,
	domain.ENotFound:     http.StatusNotFound,
	domain.EConflict:     http.StatusConflict,
	domain.ESequenceGap:  http.StatusConflict,
	domain.ETooLarge:     http.StatusRequestEntityTooLarge,
	domain.ERateLimited:  http.StatusTooManyRequests,
	domain.EUnavailable:  http.StatusServiceUnavailable,
	domain.EInternal:     http.StatusInternalServerError,
	boltstore.ECorrupt:   http.StatusServiceUnavailable, // the store's bytes fail their check (see integrity.go)
}

// HTTPStatus returns the status answered for an error.
func HTTPStatus(err error) int {
	if s, ok := statusOf[domain.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// gapError refuses a push that skips sequence numbers; its body tells the
// client where to resume.
type gapError struct{ body syncproto.GapError }

func (e *gapError) Error() string { return e.body.Message }

func newGapError(replica string, expected, got uint64) *gapError {
	return &gapError{syncproto.GapError{Code: domain.ESequenceGap, Replica: replica, Expected: expected,
		Message: fmt.Sprintf("replica %s: expected sequence %d, got %d", replica, expected, got)}}
}

// unavailableRetryAfter is the wait a 503 asks for when the store cannot
// be reached: long enough for a database's failover to end, short enough
// that workstations are back in sync soon after.
const unavailableRetryAfter = 5 * time.Second

// rateLimitError is a 429 with the wait before the next attempt.
type rateLimitError struct{ retryAfter time.Duration }

func (e *rateLimitError) Error() string {
	return fmt.Sprintf("too many failed attempts: retry in %s", e.retryAfter.Round(time.Second))
}

// Errors that are not domain errors by type but have a code of their own.
func codeOf(err error) domain.Code {
	var gap *gapError
	var rl *rateLimitError
	var busy *busyError
	switch {
	case errors.As(err, &gap):
		return domain.ESequenceGap
	case errors.As(err, &rl):
		return domain.ERateLimited
	case errors.As(err, &busy):
		return domain.EUnavailable
	}
	return domain.ErrorCode(err)
}

// errorMiddleware answers the last error a handler recorded with c.Error:
// the status from statusOf and a syncproto.ErrorBody (a GapError for a
// sequence gap). Only internal errors are logged, with their details; the
// client gets a generic message so that internals never leak.
func errorMiddleware(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Next()
		if len(c.Errors) == 0 || c.Writer.Written() {
			return
		}
		writeError(c, log, c.Errors.Last().Err)
	}
}

func writeError(c *gin.Context, log *slog.Logger, err error) {
	code := codeOf(err)
	status, ok := statusOf[code]
	if !ok {
		code, status = domain.EInternal, http.StatusInternalServerError
	}
	var gap *gapError
	var rl *rateLimitError
	var busy *busyError
	switch {
	case errors.As(err, &gap):
		c.JSON(status, gap.body)
		return
	case errors.As(err, &rl):
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(rl.retryAfter.Seconds()))))
		c.JSON(status, syncproto.ErrorBody{Code: code, Message: rl.Error()})
		return
	case errors.As(err, &busy):
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(busy.retryAfter.Seconds()))))
		c.JSON(status, syncproto.ErrorBody{Code: code, Message: busy.Error()})
		return
	case code == domain.EUnavailable:
		// The store cannot be reached (a database down or failing over):
		// the workstation keeps its outbox and tries again then.
		c.Header("Retry-After", strconv.Itoa(int(unavailableRetryAfter.Seconds())))
		log.Warn("store unavailable", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
		c.JSON(status, syncproto.ErrorBody{Code: code, Message: domain.AsError(err).Message})
		return
	case status == http.StatusInternalServerError:
		log.Error("request failed", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
		c.JSON(status, syncproto.ErrorBody{Code: domain.EInternal, Message: "internal error"})
		return
	}
	de := domain.AsError(err)
	c.JSON(status, syncproto.ErrorBody{Code: code, Field: de.Field, Rule: de.Rule, Message: de.Message})
}

// fail records err for the error middleware and stops the handler chain.
func fail(c *gin.Context, err error) {
	_ = c.Error(err)
	c.Abort()
}

// errUnauthorized is the 401 for any credential problem; the message says
// which, never why a secret did not match.
func errUnauthorized(format string, args ...any) error {
	return domain.Errorf(domain.EUnauthorized, format, args...)
}
