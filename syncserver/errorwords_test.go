package syncserver_test

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"testing"

	"boucle/shared/domain"
	"boucle/shared/syncproto"
)

// goWords are what Go's decoders put in their errors and a user should
// never read: type names (string, int64, []string, map[...], a package's
// Type), "Go struct field", "json:", "unmarshal".
var goWords = regexp.MustCompile(`\bGo\b|\bjson:|unmarshal|\b(u?int|float)(8|16|32|64)?\b|\bstring\b|\bbool\b|\[\]|map\[|\b[a-z]+\.[A-Z][A-Za-z]+\b|\binterface \{`)

// Bad inputs get messages in plain words naming the field. Before:
// "request body is not the expected JSON: json: cannot unmarshal number
// into Go struct field LoginRequest.login of type string", and push
// refusals quoting "Go struct field ComplaintFiledPayload.quantity of
// type int".
func TestErrorMessagesHaveNoGoTypeNames(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		bodies := map[string]struct {
			res   *http.Response
			field string
		}{
			"login number":     {h.post(syncproto.RouteLogin, []byte(`{"login": 5, "password": "x"}`)), "login"},
			"login list":       {h.post(syncproto.RouteLogin, []byte(`{"login": ["a"], "password": "x"}`)), "login"},
			"login array body": {h.post(syncproto.RouteLogin, []byte(`[1, 2]`)), ""},
			"login syntax":     {h.post(syncproto.RouteLogin, []byte(`{"login": "a",}`)), ""},
			"login cut short":  {h.post(syncproto.RouteLogin, []byte(`{"login": "a"`)), ""},
			"refresh object":   {h.post(syncproto.RouteRefresh, []byte(`{"refresh_token": {"a": 1}}`)), "refresh_token"},
			"logout bool":      {h.post(syncproto.RouteLogout, []byte(`{"refresh_token": true}`)), "refresh_token"},
			"enrol number":     {h.post(syncproto.RouteEnrol, []byte(`{"code": "x", "replica": 7}`)), "replica"},
			"pull cursor":      {h.do(http.MethodGet, syncproto.RoutePull+"?cursor=x:y", nil, ws.headers(true)), ""},
			"pull limit":       {h.do(http.MethodGet, syncproto.RoutePull+"?limit=many", nil, ws.headers(true)), "limit"},
			"views limit":      {h.do(http.MethodGet, "/complaints?limit=-3", nil, ws.headers(true)), "limit"},
			"report dates":     {h.do(http.MethodGet, "/reports/indicators?from=yesterday", nil, ws.headers(true)), "from"},
		}
		for name, b := range bodies {
			raw, _ := io.ReadAll(b.res.Body)
			b.res.Body.Close()
			var eb syncproto.ErrorBody
			if err := json.Unmarshal(raw, &eb); err != nil || b.res.StatusCode < 400 {
				t.Errorf("%s: %d %s", name, b.res.StatusCode, raw)
				continue
			}
			if goWords.MatchString(eb.Message) {
				t.Errorf("%s: message in Go's words: %q", name, eb.Message)
			}
			if b.field != "" && eb.Field != b.field {
				t.Errorf("%s: field %q, want %q (%s)", name, eb.Field, b.field, eb.Message)
			}
		}

		// A pushed event whose payload does not fit its type is refused with
		// the field named, in words.
		bad := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "Rayure"))
		bad.Payload = json.RawMessage(`{"number": "PRESS2-2026-0001", "quantity": "five"}`)
		h.resign(ws, &bad)
		r := h.push(ws, bad).Results[0]
		if r.Result != syncproto.Rejected || goWords.MatchString(r.Reason) || !regexp.MustCompile(`quantity`).MatchString(r.Reason) {
			t.Errorf("push refusal: %+v", r)
		}
	})
}
