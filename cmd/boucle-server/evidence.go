package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"

	"boucle/shared/domain"
	"boucle/syncserver/s3evidence"
)

// Where serve keeps the evidence files (photos attached to complaints):
// in the plant's store by default, in an S3-compatible bucket with
// --evidence s3://BUCKET/PREFIX. Only the bytes go to the bucket; the
// quota's records stay in the store. The keys are read from the
// environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN)
// or from a credentials file (BOUCLE_S3_CREDENTIALS_FILE), never from a
// flag, which ps shows, and are never logged.

// evidenceSettings are serve's evidence flags and variables.
type evidenceSettings struct {
	URL, Endpoint, Region string
	accessKey, secretKey  string
	sessionToken          string
	credentialsFile       string
	profile               string
}

func (e *evidenceSettings) fromEnv(env func(string) string) {
	e.URL, e.Endpoint, e.Region = env("BOUCLE_EVIDENCE"), env("BOUCLE_S3_ENDPOINT"), env("BOUCLE_S3_REGION")
	e.accessKey, e.secretKey, e.sessionToken = env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), env("AWS_SESSION_TOKEN")
	e.credentialsFile = env("BOUCLE_S3_CREDENTIALS_FILE")
	e.profile = envString(env, "BOUCLE_S3_PROFILE", env("AWS_PROFILE"))
}

func (e *evidenceSettings) flags(fs *flag.FlagSet) {
	fs.StringVar(&e.URL, "evidence", e.URL, "where the evidence files go: empty, the store; s3://BUCKET/PREFIX, an S3-compatible bucket, keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or BOUCLE_S3_CREDENTIALS_FILE (BOUCLE_EVIDENCE)")
	fs.StringVar(&e.Endpoint, "s3-endpoint", e.Endpoint, "the bucket's S3 endpoint, https://HOST[:PORT]; empty: AWS (BOUCLE_S3_ENDPOINT)")
	fs.StringVar(&e.Region, "s3-region", e.Region, "the bucket's region; empty: asked of the endpoint (BOUCLE_S3_REGION)")
}

func (e *evidenceSettings) settings(log *slog.Logger) s3evidence.Settings {
	return s3evidence.Settings{URL: e.URL, Endpoint: e.Endpoint, Region: e.Region,
		AccessKey: e.accessKey, SecretKey: e.secretKey, SessionToken: e.sessionToken,
		CredentialsFile: e.credentialsFile, Profile: e.profile, Logger: log}
}

// withEvidenceBucket moves the store's evidence bytes to the bucket of
// --evidence, when set. A bucket that cannot be reached yet does not stop
// serve (evidence requests answer 503 until it is back); one that does
// not exist, or refuses the keys, does.
func (m *Main) withEvidenceBucket(ctx context.Context, store *openedStore, log *slog.Logger) error {
	if m.cfg.Evidence.URL == "" {
		return nil
	}
	settings := m.cfg.Evidence.settings(log)
	bucket, err := s3evidence.Open(settings)
	if err != nil {
		return err
	}
	switch err := bucket.Check(ctx); {
	case domain.ErrorCode(err) == domain.EUnavailable:
		log.Warn("the evidence bucket cannot be reached yet: evidence uploads and reads answer 503 until it is back", "evidence", settings.String(), "err", err)
	case err != nil:
		return fmt.Errorf("--evidence %s: %w", settings, err)
	}
	store.ports = bucket.Over(store.ports)
	store.name += ", evidence in " + settings.String()
	return nil
}
