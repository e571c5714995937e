// Package s3evidence keeps the server's evidence files in an
// S3-compatible object store (AWS S3, MinIO, Ceph, Garage...), so that
// several server instances of a plant on PostgreSQL read and write the
// same files without carrying them in the database. Only the bytes move:
// the uploads no complaint references yet, which count against their
// uploader's quota, stay in the plant's store (syncserver/blobquota.go),
// in the same transaction as before.
//
// An object is named by the file's SHA-256 under the bucket's prefix.
// Its bytes are written before the transaction that records the upload
// commits, so that no record points to a missing object: a failed write
// aborts the transaction, and a transaction that fails after the write
// leaves an object nothing records, which a later upload of the same file
// finds in place. The bytes are hashed again on every read: an object
// that does not match its name is refused, never served.
package s3evidence

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Settings name the bucket and how to reach it. The keys come from the
// environment or a credentials file, never from a flag (flags show in
// ps) nor from code; String never shows them.
type Settings struct {
	// URL is s3://BUCKET or s3://BUCKET/PREFIX.
	URL string
	// Endpoint is the store's URL, https://HOST[:PORT] (http:// only for
	// a store on the same machine); empty: AWS S3.
	Endpoint string
	// Region is the bucket's region; empty: asked of the store.
	Region string
	// AccessKey, SecretKey and SessionToken, when AccessKey is set, sign
	// the requests (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
	// AWS_SESSION_TOKEN).
	AccessKey, SecretKey, SessionToken string
	// CredentialsFile, read when AccessKey is empty, is an AWS shared
	// credentials file, of which Profile ("default" when empty) is used.
	CredentialsFile, Profile string
	// MaxRetries is how many times a request is sent before its failure
	// is the caller's (3 when zero).
	MaxRetries int
	// Logger is told of the objects refused for not matching their name.
	Logger *slog.Logger
}

// String describes the settings for a log, without any key.
func (s Settings) String() string {
	endpoint := s.Endpoint
	if endpoint == "" {
		endpoint = defaultEndpoint
	}
	return s.URL + " at " + endpoint
}

const defaultEndpoint = "https://s3.amazonaws.com"

// Bucket is where the evidence bytes are kept.
type Bucket struct {
	client *minio.Client
	name   string
	prefix string // "" or ending in "/"
	log    *slog.Logger
}

// Open prepares the client of s; it sends no request (Check does).
func Open(s Settings) (*Bucket, error) {
	name, prefix, err := parseURL(s.URL)
	if err != nil {
		return nil, err
	}
	host, secure, err := parseEndpoint(s.Endpoint)
	if err != nil {
		return nil, err
	}
	creds, err := s.credentials()
	if err != nil {
		return nil, err
	}
	retries := s.MaxRetries
	if retries <= 0 {
		retries = 3
	}
	client, err := minio.New(host, &minio.Options{Creds: creds, Secure: secure, Region: s.Region, MaxRetries: retries})
	if err != nil {
		return nil, fmt.Errorf("evidence store %s: %w", s, err)
	}
	log := s.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Bucket{client: client, name: name, prefix: prefix, log: log}, nil
}

// Check asks whether the bucket exists and the keys may read it. An
// unreachable store is EUnavailable: serve starts all the same, and the
// evidence routes answer 503 until it is back.
func (b *Bucket) Check(ctx context.Context) error {
	ok, err := b.client.BucketExists(ctx, b.name)
	if err != nil {
		return fmt.Errorf("evidence bucket %s: %w", b.name, storeError(err))
	}
	if !ok {
		return fmt.Errorf("evidence bucket %s does not exist: create it first", b.name)
	}
	return nil
}

func (b *Bucket) key(sha string) string { return b.prefix + sha }

// parseURL reads s3://BUCKET[/PREFIX].
func parseURL(raw string) (bucket, prefix string, err error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" || u.Host == "" || u.User != nil || u.RawQuery != "" {
		return "", "", fmt.Errorf("--evidence %q: want s3://BUCKET or s3://BUCKET/PREFIX", redacted(raw))
	}
	prefix = strings.Trim(u.Path, "/")
	if prefix != "" {
		prefix += "/"
	}
	return u.Host, prefix, nil
}

// parseEndpoint reads https://HOST[:PORT] or http://HOST[:PORT] into the
// client's host and whether it speaks TLS.
func parseEndpoint(raw string) (host string, secure bool, err error) {
	if raw == "" {
		raw = defaultEndpoint
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.Trim(u.Path, "/") != "" || u.User != nil {
		return "", false, fmt.Errorf("S3 endpoint %q: want https://HOST[:PORT] (or http:// for a store on this machine)", redacted(raw))
	}
	return u.Host, u.Scheme == "https", nil
}

// redacted hides the password of a URL given by mistake with its keys.
func redacted(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return "(not a URL)"
}

// credentials are the keys of the environment, else of the credentials
// file; none at all is an error rather than anonymous requests, which a
// private bucket refuses with a less helpful message.
func (s Settings) credentials() (*credentials.Credentials, error) {
	switch {
	case s.AccessKey != "":
		if s.SecretKey == "" {
			return nil, fmt.Errorf("the evidence store's access key is set but not its secret key (AWS_SECRET_ACCESS_KEY)")
		}
		return credentials.NewStaticV4(s.AccessKey, s.SecretKey, s.SessionToken), nil
	case s.CredentialsFile != "":
		return credentials.NewFileAWSCredentials(s.CredentialsFile, s.Profile), nil
	}
	return nil, fmt.Errorf("no keys for the evidence store: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or BOUCLE_S3_CREDENTIALS_FILE")
}
