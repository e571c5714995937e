package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	"boucle/internal/pgtest"
	"boucle/internal/s3test"
	"boucle/shared/boltstore"
	"boucle/syncserver"
	"boucle/syncserver/boltserver"
	"boucle/syncserver/pgstore"
)

// serve --evidence s3://… keeps the evidence files in the bucket: it
// starts with the keys of the environment and says where, never showing
// them; without keys, or with a bucket that does not exist, it refuses to
// start, naming what is missing; a bucket not reachable yet is a warning.
func TestServeEvidenceInBucket(t *testing.T) {
	s3 := s3test.Start(t)
	settings := s3.Settings("plant")
	env := func(url string, keys bool) map[string]string {
		e := map[string]string{"BOUCLE_DATA": t.TempDir(), "BOUCLE_LOG_LEVEL": "info",
			"BOUCLE_EVIDENCE": url, "BOUCLE_S3_ENDPOINT": settings.Endpoint, "BOUCLE_S3_REGION": "us-east-1"}
		if keys {
			e["AWS_ACCESS_KEY_ID"], e["AWS_SECRET_ACCESS_KEY"] = "AKIDTESTKEY", "a-secret-that-must-not-show"
		}
		return e
	}
	m, out, err := run(t, env("s3://evidence/plant", true), "", "serve", "--addr", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	log := m.Stderr.(*bytes.Buffer).String()
	if !strings.Contains(log, "evidence in s3://evidence/plant at "+settings.Endpoint) {
		t.Errorf("the log does not say where the evidence goes:\n%s", log)
	}
	if strings.Contains(log+out, "a-secret-that-must-not-show") || strings.Contains(log+out, "AKIDTESTKEY") {
		t.Errorf("a key was shown:\n%s%s", out, log)
	}

	if _, _, err := run(t, env("s3://evidence/plant", false), "", "serve", "--addr", "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "AWS_ACCESS_KEY_ID") {
		t.Errorf("serve without keys: %v; want a refusal naming AWS_ACCESS_KEY_ID", err)
	}
	if _, _, err := run(t, env("s3://no-such-bucket", true), "", "serve", "--addr", "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "--evidence") {
		t.Errorf("serve with a missing bucket: %v; want a refusal naming --evidence", err)
	}
	if _, _, err := run(t, env("evidence/plant", true), "", "serve", "--addr", "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "s3://BUCKET") {
		t.Errorf("serve with --evidence not a URL: %v; want a refusal saying the form", err)
	}

	s3.Stop()
	m, _, err = run(t, env("s3://evidence/plant", true), "", "serve", "--addr", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("serve with the bucket unreachable: %v; want it to start", err)
	}
	if log := m.Stderr.(*bytes.Buffer).String(); !strings.Contains(log, "cannot be reached yet") {
		t.Errorf("no warning of the unreachable bucket:\n%s", log)
	}
}

// evidence move-to-s3 moves the files a store held before --evidence to
// the bucket, on bbolt and on PostgreSQL: each copied (or found whole in
// the bucket already: a run interrupted before dropping it; a damaged
// object is replaced), read back, then dropped from the store; a file
// whose stored bytes fail their SHA-256 is left in the store and named.
// Run again, it has nothing to move.
func TestEvidenceMoveToS3(t *testing.T) {
	for _, adapter := range []string{"bbolt", "postgres"} {
		t.Run(adapter, func(t *testing.T) {
			s3 := s3test.Start(t)
			settings := s3.Settings("plant")
			env := map[string]string{"BOUCLE_LOG_LEVEL": "warn", "BOUCLE_EVIDENCE": "s3://evidence/plant",
				"BOUCLE_S3_ENDPOINT": settings.Endpoint, "BOUCLE_S3_REGION": "us-east-1",
				"AWS_ACCESS_KEY_ID": "test-key", "AWS_SECRET_ACCESS_KEY": "test-secret"}
			store, close := evidenceStoreOf(t, adapter, env)
			moved, there, replaced, damaged := file(1), file(2), file(3), file(4)
			for _, f := range []evidenceFile{moved, there, replaced} {
				putStoreBlob(t, store, f.sha, f.data)
			}
			putStoreBlob(t, store, damaged.sha, []byte("not the bytes of its name"))
			s3.Put("plant/"+there.sha, there.data)
			s3.Put("plant/"+replaced.sha, []byte("changed behind the server's back"))
			close()

			_, out, err := run(t, env, "", "evidence", "move-to-s3")
			if err == nil || !strings.Contains(err.Error(), damaged.sha) || !strings.Contains(err.Error(), "SHA-256") {
				t.Fatalf("move: %v; want the damaged file named", err)
			}
			if !strings.Contains(out, "2 files copied (2000 bytes), 1 found whole in the bucket already") {
				t.Fatalf("move said:\n%s\nwant 2 copied, 1 there", out)
			}
			for _, f := range []evidenceFile{moved, there, replaced} {
				if got := s3.Object("plant/" + f.sha); !bytes.Equal(got, f.data) {
					t.Errorf("object %s: %q; want the file's bytes", f.sha[:8], got)
				}
			}
			store, close = evidenceStoreOf(t, adapter, env)
			if held := storeBlobs(t, store); !slices.Equal(held, []string{damaged.sha}) {
				t.Fatalf("the store holds %q after the move; want only the damaged file", held)
			}
			close()

			_, out, _ = run(t, env, "", "evidence", "move-to-s3")
			if !strings.Contains(out, "0 files copied (0 bytes), 0 found whole in the bucket already") {
				t.Fatalf("move again said:\n%s\nwant nothing moved", out)
			}
			if len(s3.Keys()) != 3 {
				t.Fatalf("bucket after the second run: %q; want the three objects", s3.Keys())
			}
		})
	}
}

type evidenceFile struct {
	sha  string
	data []byte
}

func file(seed byte) evidenceFile {
	data := bytes.Repeat([]byte{seed}, 1000)
	sum := sha256.Sum256(data)
	return evidenceFile{hex.EncodeToString(sum[:]), data}
}

// evidenceStoreOf opens the plant of adapter (created on first call) and
// points env at it.
func evidenceStoreOf(t *testing.T, adapter string, env map[string]string) (syncserver.Store, func()) {
	t.Helper()
	ctx := context.Background()
	if adapter == "bbolt" {
		if env["BOUCLE_DATA"] == "" {
			env["BOUCLE_DATA"] = t.TempDir()
		}
		db, err := syncserver.OpenStore(env["BOUCLE_DATA"], boltstore.Options{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return syncserver.StoreOn(boltserver.New(db)), func() { db.Close() }
	}
	if env["BOUCLE_STORE"] == "" {
		env["BOUCLE_STORE"], env["BOUCLE_PLANT"] = pgtest.DB(t), "p1"
	}
	db, err := pgstore.OpenWhenReachable(ctx, env["BOUCLE_STORE"], pgstore.DefaultBackoff, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreatePlant(ctx, "p1"); err != nil {
		t.Fatal(err)
	}
	plant, err := db.Server(ctx, "p1")
	if err != nil {
		t.Fatal(err)
	}
	return syncserver.StoreOn(plant), db.Close
}

func putStoreBlob(t *testing.T, store syncserver.Store, sha string, data []byte) {
	t.Helper()
	if err := store.UpdateEvidence(context.Background(), func(tx syncserver.EvidenceTx) error { return tx.PutBlob(sha, data) }); err != nil {
		t.Fatal(err)
	}
}

func storeBlobs(t *testing.T, store syncserver.Store) (shas []string) {
	t.Helper()
	err := store.ViewEvidence(context.Background(), func(tx syncserver.EvidenceTx) (err error) {
		shas, err = tx.(syncserver.BlobList).BlobsAfter("", 100)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return shas
}
