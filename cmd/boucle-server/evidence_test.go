package main

import (
	"bytes"
	"strings"
	"testing"

	"boucle/internal/s3test"
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
