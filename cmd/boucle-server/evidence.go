package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/syncserver"
	"boucle/syncserver/boltserver"
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

func evidenceMoveFlags(fs *flag.FlagSet, c *config) { c.Evidence.flags(fs) }

// runEvidenceMove copies the files the store held before --evidence was
// set to the bucket, dropping each from the store once its object reads
// back whole (s3evidence.Bucket.MoveFrom). On bbolt the server is stopped
// (the file is locked); on PostgreSQL the instances may go on serving.
func (m *Main) runEvidenceMove(ctx context.Context) error {
	if m.cfg.Evidence.URL == "" {
		return errors.New("--evidence s3://BUCKET/PREFIX is required: the bucket the files go to (BOUCLE_EVIDENCE)")
	}
	log := m.cfg.logger(m.Stderr)
	settings := m.cfg.Evidence.settings(log)
	bucket, err := s3evidence.Open(settings)
	if err != nil {
		return err
	}
	if err := bucket.Check(ctx); err != nil {
		return fmt.Errorf("--evidence %s: %w", settings, err)
	}
	store, done, err := m.openEvidenceStore(ctx, log)
	if err != nil {
		return err
	}
	defer done()
	moved, err := bucket.MoveFrom(ctx, store)
	fmt.Fprintf(m.Stdout, "evidence to %s: %d files copied (%d bytes), %d found whole in the bucket already; each dropped from the store\n",
		settings, moved.Files, moved.Bytes, moved.There)
	if err != nil {
		return fmt.Errorf("%w\nWhat was moved stays moved: run the command again to go on", err)
	}
	if len(moved.Damaged) > 0 {
		return fmt.Errorf("%d files in the store do not match their SHA-256 and were left there: %s (see 'boucle-server check')",
			len(moved.Damaged), strings.Join(moved.Damaged, ", "))
	}
	return nil
}

// openEvidenceStore opens the plant's store, which must exist, for a
// command that works on its evidence.
func (m *Main) openEvidenceStore(ctx context.Context, log *slog.Logger) (syncserver.EvidenceStore, func(), error) {
	if m.cfg.Postgres != "" {
		p, err := m.openPostgres(ctx, false, log)
		if err != nil {
			return nil, nil, err
		}
		return p.ports, p.Close, nil
	}
	if _, err := os.Stat(filepath.Join(m.cfg.Data, syncserver.StoreFile)); err != nil {
		return nil, nil, fmt.Errorf("no plant in %s: %w", m.cfg.Data, err)
	}
	store, err := syncserver.OpenStore(m.cfg.Data, boltstore.Options{}, log)
	if err != nil {
		return nil, nil, lockedHint(err)
	}
	return syncserver.StoreOn(boltserver.New(store)), func() { store.Close() }, nil
}
