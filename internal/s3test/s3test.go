// Package s3test serves the S3 protocol on 127.0.0.1 for a test: a real
// S3 server (gofakes3, its objects in memory) behind httptest, with one
// bucket, so that the evidence adapter (syncserver/s3evidence) is tested
// over HTTP with its real client, not against a mock of its own
// interface. Test support only: the server checks no signature.
package s3test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"boucle/syncserver/s3evidence"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// BucketName is the bucket every Server has.
const BucketName = "evidence"

// Server is an S3 server for one test.
type Server struct {
	t       testing.TB
	now     func() time.Time
	backend *s3mem.Backend
	http    *httptest.Server
}

// Start serves a new, empty bucket until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	return start(t, time.Now, s3mem.New())
}

// StartWithClock is Start with the objects' times (LastModified) read
// from now, the test's clock, so that a test tells which objects are old
// by moving its clock, not by waiting. Requests' signatures are still
// checked against the machine's clock.
func StartWithClock(t testing.TB, now func() time.Time) *Server {
	t.Helper()
	return start(t, now, s3mem.New(s3mem.WithTimeSource(clock(now))))
}

// clock is a test's clock as gofakes3's time source.
type clock func() time.Time

func (c clock) Now() time.Time                  { return c() }
func (c clock) Since(t time.Time) time.Duration { return c().Sub(t) }

func start(t testing.TB, now func() time.Time, backend *s3mem.Backend) *Server {
	if err := backend.CreateBucket(BucketName); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server()) // 127.0.0.1, port 0
	t.Cleanup(srv.Close)
	return &Server{t: t, now: now, backend: backend, http: srv}
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

// Put writes an object behind the adapter's back (a damaged copy, a
// failed upload's bytes), with the headers a PUT would have given it.
func (s *Server) Put(key string, data []byte) {
	s.t.Helper()
	meta := map[string]string{"Last-Modified": s.now().UTC().Format(http.TimeFormat)}
	if _, err := s.backend.PutObject(BucketName, key, meta, bytes.NewReader(data), int64(len(data)), nil); err != nil {
		s.t.Fatal(err)
	}
}

// Object returns the bytes of key; nil when absent.
func (s *Server) Object(key string) []byte {
	s.t.Helper()
	obj, err := s.backend.GetObject(BucketName, key, nil)
	if err != nil {
		return nil
	}
	defer obj.Contents.Close()
	data, err := io.ReadAll(obj.Contents)
	if err != nil {
		s.t.Fatal(err)
	}
	return data
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
