package boltstore

import (
	"encoding/binary"

	"boucle/shared/domain"
)

// SchemaVersion is the layout of the buckets below. Open refuses a file
// written by a newer layout and migrates older ones.
//
//	1: the first layout
//	2: the complaint filing indexes (bucketComplaintFilings, idxComplaintNumber)
//	3: every value of bucketEvents ends with its checksum (checksum.go)
//	4: complaint lists keyed by the filing event's fold order (filedKey),
//	   not its millisecond; Complaint.FiledOrder in the states
const SchemaVersion = 4

// Every bucket of the store, workstation and server alike, is declared here.
var (
	// bucketMeta holds the well-known keys below.
	bucketMeta = []byte("meta")
	// bucketEvents is the log: local position (big-endian uint64, commit
	// order) → encoded event. The server's pull cursor is this position.
	bucketEvents = []byte("events")
	// bucketEventIDs: event id → position; an event is stored at most once.
	bucketEventIDs = []byte("event_ids")
	// bucketEntityEvents: entity key + fold order key → position, so one
	// entity's events are read in fold order by one cursor walk.
	bucketEntityEvents = []byte("entity_events")
	// bucketStates: entity key → the folded domain.State, in the binary
	// encoding of statecodec.go (JSON in stores of older versions).
	bucketStates = []byte("states")
	// bucketUnfolded: event id → reason, for events this version cannot
	// fold yet (unknown type, newer schema). They stay in the log.
	bucketUnfolded = []byte("unfolded")
	// bucketOutbox: local replica sequence → event id, for local events the
	// server has not acknowledged yet.
	bucketOutbox = []byte("outbox")
	// bucketRejections: event id → JSON Rejection, events the server refused.
	bucketRejections = []byte("rejections")
	// bucketRejectedEvents: event id → encoded event, on the server only:
	// the bytes of a pushed event it refused, kept out of the log (so that
	// no puller ever receives it) but kept for audit (see server.go).
	bucketRejectedEvents = []byte("rejected_events")
	// bucketReplicas: replica id → highest contiguous sequence stored, for
	// the server's gap check on push.
	bucketReplicas = []byte("replicas")
	// bucketBlobs: SHA-256 (hex) → evidence bytes.
	bucketBlobs = []byte("blobs")
	// bucketAuthorKeys: login → JSON authorship.Wrapped, on a workstation:
	// the author key the server issued to that user for this replica,
	// sealed under a key derived from the user's password (client.go).
	bucketAuthorKeys = []byte("author_keys")
	// bucketConfidentialKeys: login → the plant's confidential keys as an
	// engineer's, manager's or administrator's online sign-in delivered
	// them, sealed under a key derived from that user's author key
	// (shared/confidential WrapKeys; see syncclient/confidential.go).
	bucketConfidentialKeys = []byte("confidential_keys")
	// bucketClockAlerts: event id → JSON ClockAlert, remote clocks far ahead.
	bucketClockAlerts = []byte("clock_alerts")
	// bucketQuarantine: log position → JSON Quarantined, logged events
	// whose bytes failed their checksum (see quarantine.go).
	bucketQuarantine = []byte("quarantine")

	// Projections for the screens' queries (see index.go).
	bucketComplaintRows  = []byte("complaint_rows")         // complaint id → ComplaintRow, binary like the states (statecodec.go)
	bucketComplaintText  = []byte("complaint_text")         // filedKey → folded number, part, lot, description
	idxComplaintFiled    = []byte("idx_complaint_filed")    // newest first: filedKey (inverted filing HLC, replica; id)
	idxComplaintStatus   = []byte("idx_complaint_status")   // status + 0 + filedKey
	idxComplaintSupplier = []byte("idx_complaint_supplier") // station + 0 + filedKey
	idxComplaintFiling   = []byte("idx_complaint_filing")   // station + 0 + filedKey
	idxComplaintAssignee = []byte("idx_complaint_assignee") // login + 0 + filedKey
	idxComplaintDeadline = []byte("idx_complaint_deadline") // deadline + id, open and unresolved only
	idxActionOwnerDue    = []byte("idx_action_owner_due")   // owner + 0 + due + id, pending only
	idxActionDue         = []byte("idx_action_due")         // due + id, pending only
	idxActionComplaint   = []byte("idx_action_complaint")   // complaint id + 0 + action id
	idxPlanStatus        = []byte("idx_plan_status")        // status + 0 + id
	idxAttachment        = []byte("idx_attachment")         // evidence SHA-256 + 0 + complaint id: the evidence events reference

	// Complaint filings, written with the log (see numbers.go).
	bucketComplaintFilings = []byte("complaint_filings")    // complaint id → filing station + 0 + number
	idxComplaintNumber     = []byte("idx_complaint_number") // number → complaint id

	// Drafts of forms on a workstation, per user (see drafts.go): the store
	// is the workstation's, so a draft belongs to one user on one machine.
	bucketDrafts     = []byte("drafts")      // login + 0 + form → JSON draft (saved time, the form's fields, its files' names and hashes)
	bucketDraftFiles = []byte("draft_files") // login + 0 + form + 0 + SHA-256 (hex) → bytes of a file chosen, not filed yet

	// Server-side accounts live in the same file (see syncserver).
	BucketAccounts      = []byte("accounts")       // login → JSON account (password hash)
	BucketDevices       = []byte("devices")        // device id → JSON device
	BucketEnrolments    = []byte("enrolments")     // hash of enrolment code → JSON enrolment
	BucketRefreshTokens = []byte("refresh_tokens") // RefreshTokenKey → JSON refresh token, RefreshFamilyKey → JSON family
	BucketServerConfig  = []byte("server_config")  // setting name (syncserver/settings.go) → value: epoch, number series, ...
	BucketBlobUploads   = []byte("blob_uploads")   // uploader + 0 + SHA-256 → size, upload time: evidence no event referenced yet
)

// The two kinds of record of BucketRefreshTokens, by key prefix.
const (
	RefreshTokenPrefix  = "t/" // + SHA-256 of the token, hex
	RefreshFamilyPrefix = "f/" // + family id
)

// RefreshTokenKey is the key of the token whose SHA-256 (hex) is hash.
func RefreshTokenKey(hash string) []byte { return []byte(RefreshTokenPrefix + hash) }

// RefreshFamilyKey is the key of a refresh family.
func RefreshFamilyKey(id string) []byte { return []byte(RefreshFamilyPrefix + id) }

// rebuiltStatesFill is how full bbolt leaves the pages of the states a
// rebuild writes, in key order, instead of its default half: a page split
// in key order is never written into again, so half-full pages only
// doubled the bytes written and the file (the log's logFillPercent, for
// the same reason).
const rebuiltStatesFill = 1.0

// filingOrderBuckets are keyed by filedKey (schema 4).
var filingOrderBuckets = [][]byte{
	bucketComplaintText, idxComplaintFiled, idxComplaintStatus, idxComplaintSupplier, idxComplaintFiling, idxComplaintAssignee,
}

var allBuckets = [][]byte{
	bucketMeta, bucketEvents, bucketEventIDs, bucketEntityEvents, bucketStates, bucketUnfolded,
	bucketOutbox, bucketRejections, bucketRejectedEvents, bucketReplicas, bucketBlobs, bucketClockAlerts, bucketAuthorKeys,
	bucketConfidentialKeys, bucketQuarantine,
	bucketComplaintRows, bucketComplaintText, idxComplaintFiled, idxComplaintStatus, idxComplaintSupplier,
	idxComplaintFiling, idxComplaintAssignee, idxComplaintDeadline, idxActionOwnerDue, idxActionDue,
	idxActionComplaint, idxPlanStatus, bucketComplaintFilings, idxComplaintNumber, idxAttachment,
	bucketDrafts, bucketDraftFiles,
	BucketAccounts, BucketDevices, BucketEnrolments, BucketRefreshTokens, BucketServerConfig, BucketBlobUploads,
}

// Well-known keys of bucketMeta.
var (
	keySchemaVersion = []byte("schema_version") // uint64
	keyReplicaID     = []byte("replica_id")     // this store's replica id
	keyHLC           = []byte("hlc")            // last HLC timestamp handed out or observed
	keyLocalSeq      = []byte("local_seq")      // last local replica sequence number
	keyCursor        = []byte("sync_cursor")    // "epoch:seq" of the last pulled page
	keyProjected     = []byte("projected")      // log position up to which every event is folded
	keyEntityIndexed = []byte("entity_indexed") // log position up to which every event is in bucketEntityEvents; absent: all of them (entityindex.go)
	keyStateLayout   = []byte("state_layout")   // fingerprint of the layout the binary states were written in (statelayout.go); absent: JSON states
	keyServerEpoch   = []byte("server_epoch")   // epoch of the server last synced with
	keyChecksummed   = []byte("checksummed")    // log position up to which schema 2's events got their checksum
	keyFilingRekeyed = []byte("filing_rekeyed") // complaint state key up to which schema 3's lists were rekeyed (migrate.go)
	keyCounterPrefix = "counter/"               // counter/<STATION>/<YEAR>[/<SERIES>] → last complaint number
	keyNumberSeries  = []byte("number_series")  // this workstation's complaint number series, from the server

	// The workstation's sync client (see client.go).
	keyServerURL        = []byte("server_url")    // base URL of the plant server
	keyDeviceID         = []byte("device_id")     // device id from enrolment
	keyDeviceKey        = []byte("device_key")    // device credential from enrolment
	keyRefreshToken     = []byte("refresh_token") // latest rotating refresh token, for the background loop
	keyServerClock      = []byte("server_clock")  // server HLC and local wall ms when last seen (serverclock.go)
	keyOfflinePrefix    = "offline_user/"         // offline_user/<login> → JSON OfflineVerifier
	keyBlobUploadPrefix = "blob_upload/"          // blob_upload/<sha256> → empty: evidence the server may lack
)

func u64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

func readU64(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

// entityPrefix is the key prefix of one entity: type, 0, id, 0.
func entityPrefix(k domain.EntityKey) []byte {
	b := make([]byte, 0, len(k.Type)+len(k.ID)+2)
	b = append(b, k.Type...)
	b = append(b, 0)
	b = append(b, k.ID...)
	return append(b, 0)
}

// stateKey is the key of an entity's folded state.
func stateKey(k domain.EntityKey) []byte { return entityPrefix(k) }

// entityEventKey sorts an entity's events in fold order: (HLC, replica, id).
func entityEventKey(e *domain.Event) []byte {
	b := entityPrefix(e.Key())
	b = binary.BigEndian.AppendUint64(b, uint64(e.HLC))
	b = append(b, e.Replica...)
	b = append(b, 0)
	return append(b, e.ID[:]...)
}
