package syncserver

import (
	"github.com/gin-gonic/gin"
)

// hstsMaxAge is a year: once a browser or client has seen the plant
// server over HTTPS, it never falls back to plain HTTP.
const hstsMaxAge = "max-age=31536000"

// securityHeaders sets the headers every answer carries, before the
// handler runs, so that error answers carry them too:
//   - X-Content-Type-Options: nosniff, so that an evidence file or an
//     export is never run as a page or script by a browser guessing its type;
//   - Cache-Control: no-store, so that no proxy or browser keeps a copy of
//     the plant's data or of tokens; a handler whose answer may be cached
//     (evidence, addressed by its hash) sets its own;
//   - Strict-Transport-Security when the request came over TLS.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	if c.Request.TLS != nil {
		h.Set("Strict-Transport-Security", hstsMaxAge)
	}
	c.Next()
}
