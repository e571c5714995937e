// Package s3test serves the S3 protocol on 127.0.0.1 for a test: a real
// S3 server (gofakes3, its objects in memory) behind httptest, with one
// bucket, so that the evidence adapter (syncserver/s3evidence) is tested
// over HTTP with its real client, not against a mock of its own
// interface. Test support only: the server checks no signature.
package s3test

import (
	"bytes"
	"net/http/httptest"
	"testing"

	"boucle/syncserver/s3evidence"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// BucketName is the bucket every Server has.
const BucketName = "evidence"

// Server is an S3 server for one test.
type Server struct {
	t       testing.TB
	backend *s3mem.Backend
	http    *httptest.Server
}

// Start serves a new, empty bucket until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket(BucketName); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server()) // 127.0.0.1, port 0
	t.Cleanup(srv.Close)
	return &Server{t: t, backend: backend, http: srv}
}

// Settings reach the bucket under prefix, with keys this server accepts
// (it checks none); one try per request, so that a stopped server fails
// at once.
func (s *Server) Settings(prefix string) s3evidence.Settings {
	return s3evidence.Settings{URL: "s3://" + BucketName + "/" + prefix, Endpoint: s.http.URL,
		Region: "us-east-1", AccessKey: "test-key", SecretKey: "test-secret", MaxRetries: 1}
}

// Stop stops serving: the bucket can no longer be reached.
func (s *Server) Stop() { s.http.Close() }

// Put writes an object behind the adapter's back (a damaged copy).
func (s *Server) Put(key string, data []byte) {
	s.t.Helper()
	if _, err := s.backend.PutObject(BucketName, key, map[string]string{}, bytes.NewReader(data), int64(len(data)), nil); err != nil {
		s.t.Fatal(err)
	}
}

// Keys lists the bucket's objects.
func (s *Server) Keys() []string {
	s.t.Helper()
	list, err := s.backend.ListBucket(BucketName, &gofakes3.Prefix{}, gofakes3.ListBucketPage{})
	if err != nil {
		s.t.Fatal(err)
	}
	var keys []string
	for _, c := range list.Contents {
		keys = append(keys, c.Key)
	}
	return keys
}
