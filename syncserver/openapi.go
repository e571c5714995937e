package syncserver

import (
	"encoding/json"
	"net/http"
	"sync"

	"boucle/shared/syncproto"

	"github.com/gin-gonic/gin"
)

// The OpenAPI 3 document of the server, built here rather than written by
// hand so that the error responses, parameters and schemas are declared
// once. TestOpenAPIMatchesRoutes checks it against the router both ways.

type obj = map[string]any

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

func reply(desc string, schema obj) obj {
	r := obj{"description": desc}
	if schema != nil {
		r["content"] = obj{"application/json": obj{"schema": schema}}
	}
	return r
}

// errs adds the error answers of an operation, by status.
func errs(r obj, statuses ...string) obj {
	desc := map[string]string{
		"400": "Malformed or invalid input (code malformed or invalid, field names the input at fault).",
		"401": "No valid access token (code unauthorized): refresh it, or sign in again.",
		"403": "The role or the device may not do this (code forbidden; field \"device\" for the device credential, \"replica\" for events of another replica than the device's).",
		"404": "No such entity or file (code not_found).",
		"409": "Conflict (code conflict), or for a push a gap in the replica's sequence (GapError).",
		"413": "Body too large (code too_large).",
		"429": "Too many failed attempts (code rate_limited); see Retry-After.",
		"503": "The server is short of memory for pushes just now (code unavailable); retry after Retry-After.",
	}
	for _, s := range statuses {
		r[s] = reply(desc[s], ref("ErrorBody"))
	}
	r["500"] = reply("Internal error (code internal); details are in the server's log.", ref("ErrorBody"))
	return r
}

func param(name, in, desc string, schema obj) obj {
	p := obj{"name": name, "in": in, "description": desc, "schema": schema}
	if in == "path" {
		p["required"] = true
	}
	return p
}

var (
	str     = obj{"type": "string"}
	boolean = obj{"type": "boolean"}
	integer = obj{"type": "integer"}
	date    = obj{"type": "string", "description": "a date (2026-03-01) or an RFC 3339 time"}
	strList = obj{"type": "array", "items": str}
)

func q(name, desc string, schema obj) obj { return param(name, "query", desc, schema) }

var pageParams = []obj{
	q("limit", "page size, 1–500 (50)", integer),
	q("cursor", "the next cursor of the previous page", str),
}

func op(summary string, tags []string, auth []obj, params []obj, responses obj) obj {
	o := obj{"summary": summary, "tags": tags, "responses": responses}
	if auth != nil {
		o["security"] = auth
	}
	if len(params) > 0 {
		o["parameters"] = params
	}
	return o
}

var (
	bearer     = []obj{{"bearer": []string{}}}
	withDevice = []obj{{"bearer": []string{}, "deviceId": []string{}, "deviceKey": []string{}}}
	public     = []obj{{}}
)

func list(name, item string) obj {
	return obj{"type": "object", "properties": obj{name: obj{"type": "array", "items": ref(item)}}}
}

func openAPIPaths() obj {
	api := syncproto.Prefix
	blob := []obj{param("sha256", "path", "SHA-256 of the bytes, 64 lower-case hex digits", str)}
	return obj{
		"/healthz": obj{"get": op("Health: the store reads (its meta bucket and the log's last page). The answer counts the quarantined events.", []string{"ops"}, public, nil,
			obj{"200": reply("OK", obj{"type": "object"}), "500": reply("The store does not answer.", ref("ErrorBody")),
				"503": reply("The store's file does not read (code store_corrupt): see the server's log and `boucle-server check`.", ref("ErrorBody"))})},
		"/metrics": obj{"get": op("Prometheus metrics. With a metrics token configured, send it as a bearer token (not an access token). "+
			"Served on the API's port unless the server was started with --metrics-addr, or listens beyond loopback without a token.", []string{"ops"}, public, nil,
			obj{"200": obj{"description": "Metrics in the Prometheus text format.", "content": obj{"text/plain": obj{"schema": str}}},
				"401": reply("A metrics token is configured and the request does not bear it (code unauthorized).", ref("ErrorBody"))})},
		api + "/openapi.json": obj{"get": op("This document.", []string{"ops"}, public, nil, obj{"200": reply("OpenAPI 3 document", obj{"type": "object"})})},

		api + syncproto.RouteLogin: obj{"post": withBody(op("Sign in. With the device headers, the tokens are bound to that device.", []string{"auth"}, public,
			[]obj{param(syncproto.HeaderDevice, "header", "optional device id", str), param(syncproto.HeaderDeviceKey, "header", "optional device key", str)},
			errs(obj{"200": reply("Tokens", ref("Tokens"))}, "400", "401", "403", "413", "429")), ref("LoginRequest"))},
		api + syncproto.RouteRefresh: obj{"post": withBody(op("Rotate a refresh token. A token used twice revokes its whole family, except one retry within the grace period (30 s) "+
			"of a token whose successor was never used: it gets a fresh token and voids that successor.", []string{"auth"}, public, nil,
			errs(obj{"200": reply("Tokens", ref("Tokens"))}, "400", "401", "413")), ref("RefreshRequest"))},
		api + syncproto.RouteLogout: obj{"post": withBody(op("Revoke a refresh token's family and, at once, the access tokens issued for it.", []string{"auth"}, public, nil,
			errs(obj{"204": reply("Signed out (also for an unknown token)", nil)}, "400", "413")), ref("RefreshRequest"))},
		api + syncproto.RouteEnrol: obj{"post": withBody(op("Turn a one-time enrolment code into a device credential bound to the workstation's replica.", []string{"devices"}, public, nil,
			errs(obj{"200": reply("The device credential, shown once", ref("EnrolResponse")),
				"409": reply("The replica is enrolled already (code conflict, field replica): only a code made with `boucle-server device enrol --replace <device id>` may take it over; the code is not spent.", ref("ErrorBody"))},
				"400", "401", "413", "429")), ref("EnrolRequest"))},

		api + syncproto.RoutePush: obj{"post": pushOp()},
		api + syncproto.RoutePull: obj{"get": pullOp()},
		api + syncproto.RouteState: obj{"get": op("What the server holds: epoch, log length, each replica's high-water mark.", []string{"sync"}, withDevice, nil,
			errs(obj{"200": reply("Server state", ref("ServerState"))}, "401", "403"))},

		api + "/blobs/{sha256}": obj{
			"put": withBlobBody(op("Upload an evidence file (at most 10 MB) under its SHA-256. 413 also when the uploader (device, else user) holds its quota of evidence no complaint references (rule evidence.quota); such evidence is deleted a day after its upload.", []string{"blobs"}, bearer, blob,
				errs(obj{"204": reply("Stored (or already there)", nil)}, "400", "401", "413"))),
			"get": op("Download an evidence file.", []string{"blobs"}, bearer, blob,
				errs(obj{"200": obj{"description": "The bytes", "content": obj{"application/octet-stream": obj{"schema": obj{"type": "string", "format": "binary"}}}}}, "400", "401", "404")),
			"head": op("Whether the server has an evidence file.", []string{"blobs"}, bearer, blob,
				errs(obj{"200": reply("Present", nil)}, "400", "401", "404")),
		},

		api + "/complaints": obj{"get": op("Complaints of every station, newest first (by deadline, oldest first, when overdue=true).", []string{"views"}, bearer,
			append([]obj{
				q("station", "filing or supplier station", str), q("supplier_station", "", str), q("filing_station", "", str),
				q("status", "repeatable, or comma-separated", strList), q("assignee", "", str), q("category", "", str),
				q("severity", "minor, major or critical", str), q("overdue", "deadline passed unresolved", boolean),
				q("from", "filed at or after", date), q("to", "filed at or before (a date: that whole day)", date),
				q("q", "words in the number, part, lot or description (accents and case ignored)", str),
			}, pageParams...),
			errs(obj{"200": reply("A page", ref("ComplaintPage"))}, "400", "401"))},
		api + "/complaints/{id}": obj{"get": op("One complaint (by id or number) with its actions and whole timeline. Operators do not see internal notes.", []string{"views"}, bearer,
			[]obj{param("id", "path", "complaint id, or its number (PRESS2-2026-0042)", str)},
			errs(obj{"200": reply("The complaint", ref("ComplaintDetail"))}, "401", "404"))},
		api + "/actions": obj{"get": op("Actions of every station: pending ones by due date, others by id.", []string{"views"}, bearer,
			append([]obj{
				q("owner", "", str), q("station", "supplier station of the action's complaint or plan", str),
				q("status", "repeatable, or comma-separated", strList), q("kind", "containment, corrective or preventive", str),
				q("overdue", "pending past due", boolean), q("due_from", "", date), q("due_to", "", date), q("complaint", "complaint id", str),
			}, pageParams...),
			errs(obj{"200": reply("A page", ref("ActionPage"))}, "400", "401"))},
		api + "/plans": obj{"get": op("Preventive plans, newest first.", []string{"views"}, bearer,
			[]obj{q("status", "repeatable, or comma-separated", strList), q("station", "supplier station in scope", str)},
			errs(obj{"200": reply("Plans", list("plans", "Plan"))}, "400", "401"))},
		api + "/complaints/{id}/8d.pdf": obj{"get": op("The 8D report of one complaint (by id or number), PDF: D1–D8 and the whole timeline. Operators do not see internal notes.", []string{"reports"}, bearer,
			[]obj{param("id", "path", "complaint id, or its number (PRESS2-2026-0042)", str), langParam},
			errs(obj{"200": document(pdfType, "The PDF, as an attachment")}, "400", "401", "404"))},
		api + "/reports/indicators": obj{"get": op("Every indicator of the period (docs/kpis.md): volume, Paretos, response times, rates, satisfaction, overdue actions, prevention verdicts.", []string{"reports"}, bearer,
			reportParams(), errs(obj{"200": reply("analytics.Report", ref("Object"))}, "400", "401"))},
		api + "/reports/scorecards": obj{"get": op("One scorecard per station, as supplier and as client. The station fields choose the cards, they do not narrow what a card counts.", []string{"reports"}, bearer,
			reportParams(), errs(obj{"200": reply("Scorecards", reportOf("scorecards"))}, "400", "401"))},
		api + "/reports/effectiveness": obj{"get": op("The effectiveness measured from the data of every preventive action done and plan started in the period.", []string{"reports"}, bearer,
			reportParams(), errs(obj{"200": reply("Verdicts", reportOf("effectiveness"))}, "400", "401"))},
		api + "/reports/recurrences": obj{"get": op("The recurring complaints that pass the filter, in filing order, each with the earlier complaint it repeats.", []string{"reports"}, bearer,
			reportParams(q("limit", "recurrences listed, 1–5000 (1000); total counts them all", integer)),
			errs(obj{"200": reply("Recurrences", props("filter", ref("Object"), "settings", ref("Object"), "total", integer, "recurrences", obj{"type": "array", "items": ref("Object")}))}, "400", "401"))},
		api + "/reports/themes": obj{"get": op("The most frequent terms and two-word phrases of the descriptions, per period, with their trend.", []string{"reports"}, bearer,
			reportParams(q("period", "week or month (month)", str), q("top", "terms per period, 1–100 (10)", integer), q("min_count", "fewest complaints holding a term (2)", integer)),
			errs(obj{"200": reply("Themes", reportOf("themes"))}, "400", "401"))},
		api + "/reports/clusters": obj{"get": op("Clusters of similar countable complaints filed in the period (the last 90 days without from and to). The other filter fields choose the clusters listed: those with a complaint passing them.", []string{"reports"}, bearer,
			reportParams(q("threshold", "similarity linking two complaints, above 0 and at most 1 (0.5)", obj{"type": "number"}),
				q("same_supplier", "link only complaints against the same supplier station", boolean), q("min_size", "smallest cluster listed, 2–1000 (2)", integer)),
			errs(obj{"200": reply("Clusters", reportOf("clusters"))}, "400", "401"))},
		api + "/reports/similar": obj{"get": op("The complaints most similar to a text, best first (the duplicate hint while filing).", []string{"reports"}, bearer,
			reportParams(q("q", "the text to compare; required unless part or lot is given", str), q("part", "part reference", str), q("lot", "lot", str),
				q("exclude", "a complaint id to leave out", str), q("k", "matches, 1–100 (10)", integer)),
			errs(obj{"200": reply("Matches", reportOf("matches"))}, "400", "401"))},
		api + "/reports/complaints.csv": obj{"get": op("The complaints passing the filter, in filing order, CSV (UTF-8 with BOM; ';' in French).", []string{"reports"}, bearer,
			reportParams(langParam), errs(obj{"200": document("text/csv", "The CSV, as an attachment")}, "400", "401"))},
		api + "/reports/complaints.xlsx": obj{"get": op("The complaints passing the filter, in filing order, XLSX.", []string{"reports"}, bearer,
			reportParams(langParam), errs(obj{"200": document(xlsxFormat.contentType, "The workbook, as an attachment")}, "400", "401"))},
		api + "/reports/actions.csv": obj{"get": op("The actions passing the filter through their complaint (or plan), by id, CSV.", []string{"reports"}, bearer,
			reportParams(langParam), errs(obj{"200": document("text/csv", "The CSV, as an attachment")}, "400", "401"))},
		api + "/reports/actions.xlsx": obj{"get": op("The actions passing the filter through their complaint (or plan), by id, XLSX.", []string{"reports"}, bearer,
			reportParams(langParam), errs(obj{"200": document(xlsxFormat.contentType, "The workbook, as an attachment")}, "400", "401"))},
		api + "/reports/monthly.pdf": obj{"get": op("The monthly plant report, PDF: indicators, charts, scorecards, prevention, overdue actions. The filter's period is replaced by the month.", []string{"reports"}, bearer,
			reportParams(q("month", "the month reported, 2026-10 (the current one)", str), langParam),
			errs(obj{"200": document(pdfType, "The PDF, as an attachment")}, "400", "401"))},
		api + "/stations":   obj{"get": op("Stations.", []string{"reference"}, bearer, nil, errs(obj{"200": reply("Stations", list("stations", "Object"))}, "401"))},
		api + "/users":      obj{"get": op("The user directory (no secrets).", []string{"reference"}, bearer, nil, errs(obj{"200": reply("Users", list("users", "User"))}, "401"))},
		api + "/categories": obj{"get": op("Defect categories.", []string{"reference"}, bearer, nil, errs(obj{"200": reply("Categories", list("categories", "Object"))}, "401"))},
		api + "/severities": obj{"get": op("Handling times per severity.", []string{"reference"}, bearer, nil, errs(obj{"200": reply("Severities", list("severities", "Object"))}, "401"))},
	}
}

// reportParams are the parameters every report route reads (see
// parseReportQuery), then the route's own.
func reportParams(extra ...obj) []obj {
	return append([]obj{
		q("from", "filed at or after (a date: from its start, in the plant's calendar)", date),
		q("to", "filed before (a date: up to the end of that day)", date),
		q("station", "filing or supplier station", str), q("supplier_station", "", str), q("filing_station", "", str),
		q("category", "", str), q("severity", "minor, major or critical", str),
		q("recurrence_days", "recurrence window in days, 1–3650 (the plant's, 90)", integer),
		q("effectiveness_days", "effectiveness window in days, 1–3650 (the plant's, 90)", integer),
	}, extra...)
}

var langParam = q("lang", "fr or en (default: from Accept-Language, else en)", str)

// reportOf is a report answer: the filter and settings used, and a list.
func reportOf(list string) obj {
	return props("filter", ref("Object"), "settings", ref("Object"), "now", str, list, obj{"type": "array", "items": ref("Object")})
}

// document is a file answer, sent as an attachment (Content-Disposition).
func document(contentType, desc string) obj {
	return obj{"description": desc,
		"headers": obj{"Content-Disposition": obj{"description": "attachment; filename=…", "schema": str}},
		"content": obj{contentType: obj{"schema": obj{"type": "string", "format": "binary"}}}}
}

func withBody(o obj, schema obj) obj {
	o["requestBody"] = obj{"required": true, "content": obj{"application/json": obj{"schema": schema}}}
	return o
}

func withBlobBody(o obj) obj {
	o["requestBody"] = obj{"required": true, "content": obj{"application/octet-stream": obj{"schema": obj{"type": "string", "format": "binary"}}}}
	return o
}

func pushOp() obj {
	o := op("Push a batch of events (binary, see docs/sync-protocol.md), applied in one transaction.", []string{"sync"}, withDevice, nil,
		errs(obj{"200": reply("One result per event, in order", ref("PushResponse"))}, "400", "401", "403", "413", "503"))
	o["requestBody"] = obj{"required": true, "content": obj{syncproto.ContentTypeBatch: obj{"schema": obj{"type": "string", "format": "binary"}}}}
	o["responses"].(obj)["409"] = reply("A gap in the replica's sequence (code sequence_gap, expected = the next number the server needs), or an event type unknown to this server (code conflict).", ref("GapError"))
	return o
}

func pullOp() obj {
	o := op("Pull a page of the log after a cursor.", []string{"sync"}, withDevice,
		[]obj{q("cursor", "epoch:seq from the previous page; empty, or of another epoch: from the start", str), q("limit", "events, 1–5000 (5000)", integer)},
		errs(obj{}, "400", "401", "403"))
	hdr := func(desc string) obj { return obj{"description": desc, "schema": str} }
	o["responses"].(obj)["200"] = obj{"description": "A batch of events",
		"headers": obj{
			syncproto.HeaderCursor:     hdr("the cursor after this page"),
			syncproto.HeaderMore:       hdr("true when more pages follow"),
			syncproto.HeaderEpoch:      hdr("the server's epoch"),
			syncproto.HeaderServerTime: hdr("the server's HLC timestamp, decimal"),
			syncproto.HeaderSeries:     hdr("the device's complaint number series"),
		},
		"content": obj{syncproto.ContentTypeBatch: obj{"schema": obj{"type": "string", "format": "binary"}}}}
	return o
}

func props(kv ...any) obj {
	p := obj{}
	for i := 0; i < len(kv); i += 2 {
		p[kv[i].(string)] = kv[i+1]
	}
	return obj{"type": "object", "properties": p}
}

func openAPISchemas() obj {
	return obj{
		"Object":         obj{"type": "object", "additionalProperties": true},
		"ErrorBody":      props("code", str, "field", str, "rule", str, "message", str),
		"GapError":       props("code", str, "message", str, "replica", str, "expected", integer),
		"LoginRequest":   props("login", str, "password", str),
		"RefreshRequest": props("refresh_token", str),
		"User":           props("login", str, "display_name", str, "role", str, "station", str, "disabled", boolean),
		"Tokens":         props("access_token", str, "refresh_token", str, "expires_in", integer, "user", ref("User"), "author_key", props("kid", str, "key", str), "confidential_keys", obj{"type": "array", "items": props("kid", str, "key", str)}),
		"EnrolRequest":   props("code", str, "name", str, "station", str, "replica", str),
		"EnrolResponse":  props("device_id", str, "device_key", str, "epoch", str, "series", str),
		"EventResult":    props("id", str, "result", obj{"type": "string", "enum": []string{"accepted", "duplicate", "rejected"}}, "code", str, "reason", str),
		"PushResponse":   props("results", obj{"type": "array", "items": ref("EventResult")}, "server_time", integer, "epoch", str),
		"ServerState":    props("epoch", str, "log_len", integer, "replicas", obj{"type": "object", "additionalProperties": integer}, "server_time", integer),
		"ComplaintPage":  props("rows", obj{"type": "array", "items": ref("Object")}, "next", str),
		"ActionPage":     props("actions", obj{"type": "array", "items": ref("Object")}, "next", str),
		"Plan":           ref("Object"),
		"ComplaintDetail": props("complaint", ref("Object"), "conflicts", obj{"type": "array", "items": ref("Object")},
			"flags", obj{"type": "array", "items": ref("Object")}, "actions", obj{"type": "array", "items": ref("Object")},
			"timeline", obj{"type": "array", "items": ref("Object")}),
	}
}

var openAPIDoc = sync.OnceValue(func() []byte {
	doc := obj{
		"openapi": "3.0.3",
		"info": obj{"title": "Boucle plant server", "version": "1",
			"description": "Sync protocol for workstations and plant-wide views. Errors are {code, message} with stable codes; see docs/sync-protocol.md."},
		"servers": []obj{{"url": "/"}},
		"paths":   merge(merge(openAPIPaths(), adminOpenAPIPaths()), groupOpenAPIPaths()),
		"components": obj{
			"schemas": merge(merge(openAPISchemas(), adminOpenAPISchemas()), groupOpenAPISchemas()),
			"securitySchemes": obj{
				"bearer":    obj{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
				"deviceId":  obj{"type": "apiKey", "in": "header", "name": syncproto.HeaderDevice},
				"deviceKey": obj{"type": "apiKey", "in": "header", "name": syncproto.HeaderDeviceKey},
			},
		},
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(err) // maps of strings and slices: always marshal
	}
	return b
})

func merge(a, b obj) obj {
	for k, v := range b {
		a[k] = v
	}
	return a
}

// OpenAPI returns the OpenAPI 3 document, JSON.
func OpenAPI() []byte { return openAPIDoc() }

func serveOpenAPI(c *gin.Context) { c.Data(http.StatusOK, "application/json", openAPIDoc()) }
