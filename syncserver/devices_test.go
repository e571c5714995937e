package syncserver_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"boucle/shared/domain"
	"boucle/shared/syncproto"
)

// A plain enrolment code used to revoke whichever workstation owned the
// replica it was sent with. Taking a replica over now needs a code the
// administrator made for that: `device enrol --replace <device id>`.
func TestTakingOverAReplicaNeedsTheAdministrator(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		owner := h.workstation("op1")

		t.Run("ErrPlainCodeOnAnEnrolledReplica", func(t *testing.T) {
			en, _ := h.admin.EnrolDevice(t.Context(), "", 0)
			req := syncproto.EnrolRequest{Code: en.Code, Name: "intruder", Replica: owner.replica}
			eb := h.mustError(h.post(syncproto.RouteEnrol, req), http.StatusConflict, domain.EConflict)
			if eb.Field != "replica" || !strings.Contains(eb.Message, "administrator") || !strings.Contains(eb.Message, "--replace "+owner.id) {
				t.Fatalf("refusal = %+v", eb)
			}
			h.mustJSON(h.do(http.MethodGet, syncproto.RouteState, nil, owner.headers(true)), http.StatusOK, nil) // still enrolled
			// The code was not spent: it enrols a new workstation.
			h.mustJSON(h.post(syncproto.RouteEnrol, syncproto.EnrolRequest{Code: en.Code, Replica: "ws-new"}), http.StatusOK, nil)
		})
		t.Run("ErrReplaceCodeOfAnotherReplica", func(t *testing.T) {
			en, err := h.admin.EnrolReplacement(t.Context(), owner.id, "", 0)
			if err != nil {
				t.Fatal(err)
			}
			eb := h.mustError(h.post(syncproto.RouteEnrol, syncproto.EnrolRequest{Code: en.Code, Replica: "ws-other"}), http.StatusConflict, domain.EConflict)
			if eb.Field != "replica" {
				t.Fatalf("refusal = %+v", eb)
			}
		})
		t.Run("ErrReplaceUnknownDevice", func(t *testing.T) {
			if _, err := h.admin.EnrolReplacement(t.Context(), "no-such-device", "", 0); domain.ErrorCode(err) != domain.ENotFound {
				t.Fatalf("replacing an unknown device: %v", err)
			}
		})
		t.Run("ReplaceCodeTakesOverAndRevokes", func(t *testing.T) {
			h.clock.Advance(time.Minute)
			en, err := h.admin.EnrolReplacement(t.Context(), owner.id, "reinstalled desk", 0)
			if err != nil {
				t.Fatal(err)
			}
			var resp syncproto.EnrolResponse
			h.mustJSON(h.post(syncproto.RouteEnrol, syncproto.EnrolRequest{Code: en.Code, Replica: owner.replica}), http.StatusOK, &resp)
			h.mustError(h.do(http.MethodGet, syncproto.RouteState, nil, owner.headers(true)), http.StatusForbidden, domain.EForbidden)
			devices, _ := h.admin.Devices(t.Context())
			for _, d := range devices {
				if d.ID == owner.id && (!d.Revoked || !strings.Contains(d.Why, resp.DeviceID)) {
					t.Fatalf("replaced device = %+v", d)
				}
			}
		})
		t.Run("ErrRevokedReplicaStillNeedsReplace", func(t *testing.T) {
			ws := h.workstation("op1")
			if err := h.admin.RevokeDevice(t.Context(), ws.id, ""); err != nil {
				t.Fatal(err)
			}
			en, _ := h.admin.EnrolDevice(t.Context(), "", 0)
			h.mustError(h.post(syncproto.RouteEnrol, syncproto.EnrolRequest{Code: en.Code, Replica: ws.replica}), http.StatusConflict, domain.EConflict)
		})
	})
}
