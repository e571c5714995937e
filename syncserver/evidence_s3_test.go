package syncserver_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"boucle/internal/s3test"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
	"boucle/syncserver"
	"boucle/syncserver/s3evidence"
)

// The evidence bytes in an S3 bucket (s3evidence), served by a real S3
// server on 127.0.0.1 (s3test), the uploads and the quota in the store.

const s3Prefix = "plant1"

// overS3 keeps the evidence bytes of store in s3's bucket, under s3Prefix.
func overS3(t testing.TB, s3 *s3test.Server, store syncserver.Store, log ...*slog.Logger) syncserver.Store {
	t.Helper()
	settings := s3.Settings(s3Prefix)
	if len(log) > 0 {
		settings.Logger = log[0]
	}
	b, err := s3evidence.Open(settings)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Check(ctx); err != nil {
		t.Fatal(err)
	}
	return b.Over(store)
}

// onS3 serves h's plant again, its evidence bytes in s3's bucket; h
// itself still serves the bbolt store alone.
func (h *harness) onS3(s3 *s3test.Server) *harness {
	h.t.Helper()
	keys, _, err := syncserver.LoadKeyFile(filepath.Join(h.dir, syncserver.DefaultKeyFile), h.clock.Now())
	if err != nil {
		h.t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(h.logBuf, nil))
	srv, err := syncserver.NewOn(overS3(h.t, s3, h.ports, log), syncserver.Config{Plant: "test-plant", Now: h.clock.Now, Keys: keys, Logger: log})
	if err != nil {
		h.t.Fatal(err)
	}
	other := *h
	other.srv, other.http = srv, httptest.NewServer(srv.Handler())
	h.t.Cleanup(other.http.Close)
	return &other
}

// plantOnS3 is a plant (h, on bbolt alone) served again with its
// evidence in a bucket (on), and op1's workstation.
func plantOnS3(t *testing.T) (s3 *s3test.Server, h, on *harness, ws *device) {
	t.Helper()
	s3 = s3test.Start(t)
	h = newHarness(t)
	on = h.onS3(s3)
	return s3, h, on, h.workstation("op1")
}

// mustHoldNothing fails unless neither the bucket nor the store's
// uploads hold anything.
func mustHoldNothing(t *testing.T, s3 *s3test.Server, h *harness, when string) {
	t.Helper()
	if keys, ups := s3.Keys(), uploadsOf(t, h.ports, ""); len(keys) != 0 || len(ups) != 0 {
		t.Fatalf("%s: objects %q, uploads %+v; want none", when, keys, ups)
	}
}

func (h *harness) getBlob(d *device, sha string) (int, []byte) {
	h.t.Helper()
	res := h.do(http.MethodGet, syncproto.RouteBlob+sha, nil, d.headers(true))
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return res.StatusCode, body
}

// A file uploaded twice is one object in the bucket, under the prefix and
// its SHA-256, and one upload in the store, which holds no bytes; it is
// read back whole.
func TestEvidenceInS3RoundTrip(t *testing.T) {
	s3, h, on, ws := plantOnS3(t)
	sha, data := evidence(7, 300<<10)

	on.mustPutBlob(ws, sha, data)
	on.mustPutBlob(ws, sha, data) // again: nothing changes
	if keys := s3.Keys(); !slices.Equal(keys, []string{s3Prefix + "/" + sha}) {
		t.Fatalf("bucket holds %q; want the one object", keys)
	}
	if got := uploadsOf(t, h.ports, ""); len(got) != 1 || got[0].sha != sha || got[0].size != int64(len(data)) || got[0].uploader != "device:"+ws.id {
		t.Fatalf("uploads recorded: %+v; want one of %d bytes by the device", got, len(data))
	}
	if status, body := on.getBlob(ws, sha); status != http.StatusOK || !bytes.Equal(body, data) {
		t.Fatalf("GET from the bucket: %d, %d bytes; want 200 and the %d bytes", status, len(body), len(data))
	}
	on.mustJSON(on.do(http.MethodHead, syncproto.RouteBlob+sha, nil, ws.headers(true)), http.StatusOK, nil)
	if status, _ := h.getBlob(ws, sha); status != http.StatusNotFound {
		t.Fatalf("the bbolt store alone answers %d; want 404: its bytes are in the bucket only", status)
	}
}

// A file above the limit is refused naming the limit, before anything
// reaches the bucket or the store.
func TestEvidenceInS3OversizeRefused(t *testing.T) {
	s3, h, on, ws := plantOnS3(t)
	sha, big := evidence(8, domain.MaxAttachmentBytes+1)
	eb := on.mustError(on.putBlob(ws, sha, big), http.StatusRequestEntityTooLarge, domain.ETooLarge)
	if eb.Field != "file" || !strings.Contains(eb.Message, "10 MB") {
		t.Fatalf("refusal = %+v; want the field file and the 10 MB limit", eb)
	}
	mustHoldNothing(t, s3, h, "after the refusal")
}

// An object changed in the bucket behind the server's back no longer
// matches its SHA-256: it is refused, never served, and logged; the
// workstation's upload of the right bytes replaces it.
func TestEvidenceInS3TamperedRefused(t *testing.T) {
	s3, h, on, ws := plantOnS3(t)
	sha, data := evidence(9, 1000)
	on.mustPutBlob(ws, sha, data)
	forged := bytes.Repeat([]byte{'x'}, len(data))
	s3.Put(s3Prefix+"/"+sha, forged)

	res := on.do(http.MethodGet, syncproto.RouteBlob+sha, nil, ws.headers(true))
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode == http.StatusOK || bytes.Contains(body, forged[:16]) {
		t.Fatalf("tampered object: %d %q; want it refused", res.StatusCode, body)
	}
	if !strings.Contains(string(body), string(boltstore.ECorrupt)) {
		t.Fatalf("tampered object answered %q; want %s", body, boltstore.ECorrupt)
	}
	if !strings.Contains(h.logBuf.String(), "does not match its SHA-256") {
		t.Fatalf("nothing logged of the tampered object: %s", h.logBuf.String())
	}

	on.mustPutBlob(ws, sha, data)
	if status, got := on.getBlob(ws, sha); status != http.StatusOK || !bytes.Equal(got, data) {
		t.Fatalf("after the upload again: %d; want the right bytes back", status)
	}
}

// While the bucket cannot be reached, uploads and reads are answered 503
// with Retry-After, as when the database is down, and a refused upload
// leaves no record counting against the quota.
func TestEvidenceInS3UnreachableIs503WithRetryAfter(t *testing.T) {
	s3, h, on, ws := plantOnS3(t)
	kept, keptData := evidence(10, 1000)
	on.mustPutBlob(ws, kept, keptData)
	s3.Stop()

	fresh, freshData := evidence(11, 1000)
	for what, res := range map[string]*http.Response{
		"put":  on.putBlob(ws, fresh, freshData),
		"get":  on.do(http.MethodGet, syncproto.RouteBlob+kept, nil, ws.headers(true)),
		"head": on.do(http.MethodHead, syncproto.RouteBlob+kept, nil, ws.headers(true)),
	} {
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") != "5" {
			t.Errorf("%s: %d, Retry-After %q; want 503 and 5 (seconds)", what, res.StatusCode, res.Header.Get("Retry-After"))
		}
		if what != "head" {
			if body := on.mustError(res, http.StatusServiceUnavailable, domain.EUnavailable); body.Message != "the evidence store cannot be reached: try again shortly" {
				t.Errorf("%s: message %q", what, body.Message)
			}
		}
		res.Body.Close()
	}
	if got := uploadsOf(t, h.ports, ""); len(got) != 1 || got[0].sha != kept {
		t.Fatalf("uploads after the refused one: %+v; want only the first", got)
	}
}

// Evidence no complaint references is deleted from the bucket a day
// after its upload, with its record.
func TestEvidenceInS3Swept(t *testing.T) {
	s3, h, on, ws := plantOnS3(t)
	junk, junkData := evidence(12, 1000)
	on.mustPutBlob(ws, junk, junkData)
	h.clock.Advance(25 * time.Hour)
	if n, err := on.srv.Sweep(); err != nil || n != 1 {
		t.Fatalf("sweep after a day: %d, %v; want 1", n, err)
	}
	mustHoldNothing(t, s3, h, "after the sweep")
}

// A plant switched to a bucket still serves the files its store held
// before; new ones go to the bucket.
func TestEvidenceInS3KeepsTheStoresOlderFiles(t *testing.T) {
	s3 := s3test.Start(t)
	h := newHarness(t)
	ws := h.workstation("op1")
	older, olderData := evidence(13, 1000)
	h.mustPutBlob(ws, older, olderData)
	on := h.onS3(s3)
	if status, got := on.getBlob(ws, older); status != http.StatusOK || !bytes.Equal(got, olderData) {
		t.Fatalf("older file through the bucket's server: %d; want it from the store", status)
	}
	on.mustPutBlob(ws, older, olderData) // held already: not copied
	if keys := s3.Keys(); len(keys) != 0 {
		t.Fatalf("bucket holds %q; want nothing", keys)
	}
}

// Two instances of a plant on PostgreSQL with one bucket: a file uploaded
// to one is read from the other.
func TestEvidenceInS3SharedByInstances(t *testing.T) {
	s3 := s3test.Start(t)
	instances := instancesOnOneDatabaseWith(t, 2, func(s syncserver.Store) syncserver.Store { return overS3(t, s3, s) })
	a, b := instances[0], instances[1]
	ws := a.workstation("op1")
	sha, data := evidence(14, 2000)
	a.mustPutBlob(ws, sha, data)
	b.mustPutBlob(ws, sha, data) // the other instance finds it there
	if status, got := b.getBlob(ws, sha); status != http.StatusOK || !bytes.Equal(got, data) {
		t.Fatalf("GET from the other instance: %d; want the bytes", status)
	}
	if keys := s3.Keys(); len(keys) != 1 {
		t.Fatalf("bucket holds %q; want one object", keys)
	}
}

// Bytes left in the bucket by an upload whose transaction failed are
// recorded nowhere: the hourly sweep deletes them once they are an hour
// old, and keeps the objects an upload records, those a complaint
// references, one written within the hour (an upload in flight), and
// keys that are no file's or are under another prefix. A workstation
// uploading a file whose stray bytes are in place records it, and the
// sweep then keeps it.
func TestEvidenceInS3StrayObjectsSwept(t *testing.T) {
	h := newHarness(t)
	s3 := s3test.StartWithClock(t, h.clock.Now)
	on := h.onS3(s3)
	ws := h.workstation("op1")
	recorded, recordedData := evidence(20, 1000)
	on.mustPutBlob(ws, recorded, recordedData)
	referenced, referencedData := evidence(21, 1000)
	filed := filing(1, "Rayure")
	filed.Attachments = []domain.Attachment{attached(referenced, 1000)}
	if r := on.push(ws, on.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filed)).Results[0]; r.Result != syncproto.Accepted {
		t.Fatalf("filing: %+v", r)
	}
	on.mustPutBlob(ws, referenced, referencedData)
	stray, strayData := evidence(22, 1000)
	again, againData := evidence(23, 1000)
	s3.Put(s3Prefix+"/"+stray, strayData) // a failed upload's bytes
	s3.Put(s3Prefix+"/"+again, againData)
	s3.Put(s3Prefix+"/notes.txt", []byte("not a file's"))
	s3.Put(s3Prefix+"/other/"+stray, strayData) // another plant's

	h.clock.Advance(StrayGraceAndAMinute)
	ws.tokens = h.login("op1", ws)
	inFlight, inFlightData := evidence(24, 1000)
	s3.Put(s3Prefix+"/"+inFlight, inFlightData) // written, its record not yet committed
	// The workstation's upload of the stray bytes:
	if res := on.putBlob(ws, again, againData); res.StatusCode != http.StatusNoContent {
		t.Fatalf("upload over stray bytes: %d\n%s", res.StatusCode, h.logBuf.String())
	}

	if n, err := on.srv.Sweep(); err != nil || n != 1 {
		t.Fatalf("sweep: %d records, %v; want the one stray object", n, err)
	}
	want := []string{s3Prefix + "/" + recorded, s3Prefix + "/" + referenced, s3Prefix + "/" + again,
		s3Prefix + "/notes.txt", s3Prefix + "/other/" + stray, s3Prefix + "/" + inFlight}
	if keys := s3.Keys(); !sameSet(keys, want) {
		t.Fatalf("bucket after the sweep: %q; want %q", keys, want)
	}
	if status, got := on.getBlob(ws, again); status != http.StatusOK || !bytes.Equal(got, againData) {
		t.Fatalf("the file uploaded over stray bytes: %d; want it served", status)
	}
}

// StrayGraceAndAMinute makes bytes old enough for the stray sweep, and no
// upload record old enough for the sweep of unreferenced uploads.
const StrayGraceAndAMinute = syncserver.StrayEvidenceGrace + time.Minute

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// Two instances of a plant share the bucket: only the plant's leader
// sweeps it of stray bytes.
func TestEvidenceInS3StraySweptByTheLeaderOnly(t *testing.T) {
	bucketClock := newClock()
	s3 := s3test.StartWithClock(t, bucketClock.Now)
	instances := instancesOnOneDatabaseWith(t, 2, func(s syncserver.Store) syncserver.Store { return overS3(t, s3, s) })
	a, b := instances[0], instances[1]
	if _, err := a.srv.Sweep(); err != nil { // a leads from now on
		t.Fatal(err)
	}
	stray, strayData := evidence(25, 1000)
	s3.Put(s3Prefix+"/"+stray, strayData)
	a.clock.Advance(StrayGraceAndAMinute)
	bucketClock.Advance(StrayGraceAndAMinute)

	if n, err := b.srv.Sweep(); err != nil || n != 0 || len(s3.Keys()) != 1 {
		t.Fatalf("the other instance's sweep: %d, %v, bucket %q; want the object left to the leader", n, err, s3.Keys())
	}
	if n, err := a.srv.Sweep(); err != nil || n != 1 || len(s3.Keys()) != 0 {
		t.Fatalf("the leader's sweep: %d, %v, bucket %q; want the object deleted", n, err, s3.Keys())
	}
}
