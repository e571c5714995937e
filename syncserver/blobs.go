package syncserver

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"regexp"

	"boucle/shared/domain"

	"github.com/gin-gonic/gin"
)

var sha256Re = regexp.MustCompile(`^[0-9a-f]{64}$`)

func blobName(c *gin.Context) (string, error) {
	sha := c.Param("sha256")
	if !sha256Re.MatchString(sha) {
		return "", domain.FieldError("sha256", "must be 64 lower-case hex digits")
	}
	return sha, nil
}

// putBlob stores evidence bytes under their SHA-256: 413 above 10 MB or
// over the uploader's quota of unreferenced evidence (blobquota.go), 400
// when the bytes do not hash to the name. Storing the same bytes again is
// harmless.
func (s *Server) putBlob(c *gin.Context) {
	sha, err := blobName(c)
	if err != nil {
		_ = c.Error(err)
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, domain.MaxAttachmentBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		_ = c.Error(&domain.Error{Code: domain.ETooLarge, Field: "file", Message: "evidence files are limited to 10 MB"})
		return
	case err != nil:
		_ = c.Error(&domain.Error{Code: domain.EMalformed, Message: "could not read the file"})
		return
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != sha {
		_ = c.Error(domain.FieldError("sha256", "does not match the bytes received"))
		return
	}
	if len(data) == 0 {
		_ = c.Error(domain.FieldError("file", "is empty"))
		return
	}
	if err := s.putChecked(c.Request.Context(), sha, data, blobUploader(principalOf(c))); err != nil {
		_ = c.Error(err)
		return
	}
	c.Status(http.StatusNoContent)
}

// getBlob answers evidence bytes (HEAD: whether the server has them).
// Content-addressed bytes never change, so clients may cache them forever.
func (s *Server) getBlob(c *gin.Context) {
	sha, err := blobName(c)
	if err != nil {
		_ = c.Error(err)
		return
	}
	var data []byte
	err = s.evidence.ViewEvidence(c.Request.Context(), func(t EvidenceTx) (err error) { data, err = t.Blob(sha); return err })
	if domain.ErrorCode(err) == domain.ENotFound {
		err = domain.Errorf(domain.ENotFound, "the server has no evidence file %s", sha)
	}
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.Header("Cache-Control", "private, max-age=31536000, immutable")
	c.Header("ETag", `"`+sha+`"`)
	c.Data(http.StatusOK, "application/octet-stream", data)
}
