package syncserver_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"testing"
	"time"

	"boucle/shared/domain"
	"boucle/shared/syncproto"
	"boucle/syncserver"
)

// evidence is a file of n bytes, distinct per seed.
func evidence(seed byte, n int) (sha string, data []byte) {
	data = bytes.Repeat([]byte{seed}, n)
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), data
}

func (h *harness) putBlob(d *device, sha string, data []byte) *http.Response {
	h.t.Helper()
	return h.do(http.MethodPut, syncproto.RouteBlob+sha, data, d.headers(true))
}

func (h *harness) mustPutBlob(d *device, sha string, data []byte) {
	h.t.Helper()
	res := h.putBlob(d, sha, data)
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent {
		h.t.Fatalf("PUT blob %s: %d", sha[:8], res.StatusCode)
	}
}

func attached(sha string, size int) domain.Attachment {
	return domain.Attachment{SHA256: sha, Name: "photo.jpg", Size: int64(size), MediaType: "image/jpeg"}
}

// Each uploader (the token's device) may hold a quota of evidence bytes no
// complaint references; evidence a complaint references costs nothing, and
// once a complaint references a file, it stops counting. Before: any
// signed-in user could fill the server's disk with evidence nothing
// references.
func TestUnreferencedEvidenceQuota(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		const kb = 400 << 10
		h := on.harness(t, func(c *syncserver.Config) { c.BlobQuota = 1 << 20 })
		ws := h.workstation("op1")
		sha1, data1 := evidence(1, kb)
		sha2, data2 := evidence(2, kb)
		sha3, data3 := evidence(3, kb)
		h.mustPutBlob(ws, sha1, data1)
		h.mustPutBlob(ws, sha2, data2)
		eb := h.mustError(h.putBlob(ws, sha3, data3), http.StatusRequestEntityTooLarge, domain.ETooLarge)
		if eb.Field != "file" {
			t.Fatalf("refusal = %+v", eb)
		}
		h.mustPutBlob(ws, sha1, data1) // the same bytes again: harmless

		// Evidence of an accepted complaint is not counted, even over quota.
		sha4, data4 := evidence(4, kb)
		filed := filing(1, "Rayure")
		filed.Attachments = []domain.Attachment{attached(sha4, kb)}
		if r := h.push(ws, h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filed)).Results[0]; r.Result != syncproto.Accepted {
			t.Fatalf("filing: %+v", r)
		}
		h.mustPutBlob(ws, sha4, data4)

		// Once a complaint references sha1, it stops counting: sha3 fits.
		add := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintAttachmentAdded, "c1", &domain.AttachmentPayload{Attachment: attached(sha1, kb)})
		if r := h.push(ws, add).Results[0]; r.Result != syncproto.Accepted {
			t.Fatalf("attachment: %+v", r)
		}
		h.mustPutBlob(ws, sha3, data3)

		// The quota is per device: another workstation is not held back.
		other := h.workstation("eng1")
		sha5, data5 := evidence(5, kb)
		h.mustPutBlob(other, sha5, data5)
	})
}

// Sweep deletes the evidence no complaint references a day after its
// upload, and keeps the evidence referenced meanwhile.
func TestSweepDeletesUnreferencedEvidence(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		junk, junkData := evidence(1, 1000)
		kept, keptData := evidence(2, 1000)
		h.mustPutBlob(ws, junk, junkData)
		h.mustPutBlob(ws, kept, keptData)

		h.clock.Advance(23 * time.Hour)
		ws.tokens = h.login("op1", ws) // signed in again: access tokens last minutes
		filed := filing(1, "Rayure")
		filed.Attachments = []domain.Attachment{attached(kept, 1000)}
		h.push(ws, h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filed))
		if n, err := h.srv.Sweep(); err != nil || n != 0 {
			t.Fatalf("sweep within the day: %d, %v", n, err)
		}
		h.mustJSON(h.do(http.MethodHead, syncproto.RouteBlob+junk, nil, ws.headers(true)), http.StatusOK, nil)

		h.clock.Advance(2 * time.Hour)
		ws.tokens = h.login("op1", ws)
		if n, err := h.srv.Sweep(); err != nil || n != 1 {
			t.Fatalf("sweep after a day: %d records, %v", n, err)
		}
		res := h.do(http.MethodGet, syncproto.RouteBlob+junk, nil, ws.headers(true))
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Fatalf("unreferenced evidence after a day: %d", res.StatusCode)
		}
		res = h.do(http.MethodGet, syncproto.RouteBlob+kept, nil, ws.headers(true))
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("referenced evidence: %d", res.StatusCode)
		}
		// Its record is gone: a new upload of the same bytes is a no-op, and
		// a later sweep keeps it.
		h.clock.Advance(48 * time.Hour)
		if _, err := h.srv.Sweep(); err != nil {
			t.Fatal(err)
		}
		ws.tokens = h.login("op1", ws)
		h.mustJSON(h.do(http.MethodHead, syncproto.RouteBlob+kept, nil, ws.headers(true)), http.StatusOK, nil)
	})
}
