package syncserver

import (
	"context"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/hlc"
	"boucle/syncserver/credential"

	"github.com/google/uuid"
)

// The storage port. The server declares here what it asks of a store, in
// small interfaces, and adapters implement them: syncserver/boltserver on
// the plant's bbolt file (the default), a PostgreSQL one for plants that
// outgrow one process. Every operation takes the caller's context (a
// request's), so that a database adapter gives up when the client does or
// a deadline passes; the bbolt adapter, local and quick, does not consult
// it. No bbolt type crosses the port: where several
// writes must stand or fall together (an account and its directory event,
// a spent enrolment code and the device it created, a rotated refresh
// token and its family), the server runs them inside one port
// transaction, which the bbolt adapter maps to one bbolt transaction and
// a SQL adapter to one SQL transaction.

// AccessStore is the sign-in side of the store: accounts, devices and
// enrolment codes, refresh tokens and their families, the server's
// settings, and the directory those checks read and write.
type AccessStore interface {
	// ViewAccess runs fn in a read-only transaction.
	ViewAccess(ctx context.Context, fn func(AccessTx) error) error
	// UpdateAccess runs fn in a read-write transaction: everything fn
	// writes commits together when it returns nil, nothing when it
	// returns an error.
	UpdateAccess(ctx context.Context, fn func(AccessTx) error) error
}

// AccessTx is one transaction of an AccessStore. Values returned are the
// caller's to keep: none refers to the store's memory.
type AccessTx interface {
	Accounts
	DeviceRecords
	Enrolments
	RefreshTokens
	Settings
	Directory
}

// Accounts are users' password hashes and author-key generations.
type Accounts interface {
	// Account returns login's account, nil when it has none.
	Account(login string) (*credential.Account, error)
	// PutAccount creates or replaces the account of a.Login.
	PutAccount(a *credential.Account) error
	// HasAccounts reports whether any account exists: a store without one
	// is new.
	HasAccounts() (bool, error)
}

// DeviceRecords are the enrolled workstations, revoked ones included
// (a device is never deleted: its replica stays bound to it).
type DeviceRecords interface {
	// Device returns the device enrolled under id, nil when none was.
	Device(id string) (*credential.Device, error)
	// PutDevice creates or replaces the device d.ID.
	PutDevice(d *credential.Device) error
	// Devices lists every device, in id order.
	Devices() ([]credential.Device, error)
}

// Enrolments are the one-time enrolment codes, by the SHA-256 (hex) of
// the normalised code.
type Enrolments interface {
	// Enrolment returns the code hashed to hash, nil when unknown.
	Enrolment(hash string) (*credential.Enrolment, error)
	PutEnrolment(hash string, en *credential.Enrolment) error
	DeleteEnrolment(hash string) error
	// SweepEnrolments deletes the codes that expired before t and returns
	// how many.
	SweepEnrolments(t time.Time) (int, error)
}

// RefreshTokens are the refresh tokens, by the SHA-256 (hex) of the
// token, and their families (sign-ins), by id.
type RefreshTokens interface {
	// RefreshToken returns the token hashed to hash, nil when unknown.
	RefreshToken(hash string) (*credential.RefreshToken, error)
	PutRefreshToken(hash string, rt *credential.RefreshToken) error
	// RefreshFamily returns the family id, nil when unknown.
	RefreshFamily(id string) (*credential.RefreshFamily, error)
	PutRefreshFamily(f *credential.RefreshFamily) error
	// RefreshFamiliesOf lists login's families, revoked ones included.
	RefreshFamiliesOf(login string) ([]credential.RefreshFamily, error)
	// SweepRefreshTokens deletes the tokens and families that expired
	// before t and returns how many.
	SweepRefreshTokens(t time.Time) (int, error)
}

// Settings are the server's named values (the log's epoch, the next
// number series, the demo's date: settings.go names them).
type Settings interface {
	// Setting returns the value of name, nil when unset.
	Setting(name string) ([]byte, error)
	PutSetting(name string, value []byte) error
	DeleteSetting(name string) error
}

// SettingsReader is what a store whose every read is a round trip
// (PostgreSQL) adds to Settings: several values read at once, each nil
// when unset. epochIn reads the epoch's three this way on every push and
// pull.
type SettingsReader interface {
	SettingsOf(names ...string) ([][]byte, error)
}

// Reference is the folded reference data: users, stations, categories,
// severities, and any entity's state.
type Reference interface {
	// State returns an entity's folded state; ENotFound when the log
	// holds none.
	State(k domain.EntityKey) (*domain.State, error)
	Users() ([]domain.User, error)
	Stations() ([]domain.Station, error)
	Categories() ([]domain.Category, error)
	Severities() ([]domain.SeverityConfig, error)
	Severity(s domain.Severity) (domain.SeverityConfig, error)
}

// Directory is what the sign-in side reads of the reference data, and the
// server's own directory events, recorded in the same transaction as the
// records they go with.
type Directory interface {
	Reference
	// RecordServerEvent records cmd in actor's name, checked like any
	// local write (permissions, payload, state), and acknowledges it at
	// once: the server pushes its own events nowhere.
	RecordServerEvent(actor boltstore.Actor, cmd boltstore.Command) error
}

// EvidenceStore is the evidence side of the store: the files' bytes, by
// SHA-256, and the uploads no complaint references yet, which count
// against their uploader's quota (blobquota.go).
type EvidenceStore interface {
	ViewEvidence(ctx context.Context, fn func(EvidenceTx) error) error
	UpdateEvidence(ctx context.Context, fn func(EvidenceTx) error) error
}

// EvidenceTx is one transaction of an EvidenceStore.
type EvidenceTx interface {
	Evidence
	Uploads
}

// Evidence is the files' bytes, by SHA-256 (hex), which the caller has
// checked.
type Evidence interface {
	HasBlob(sha string) bool
	// Blob returns the bytes of sha; ENotFound when absent.
	Blob(sha string) ([]byte, error)
	// PutBlob stores the bytes of sha; storing them again changes nothing.
	PutBlob(sha string, data []byte) error
	DeleteBlob(sha string) error
	// BlobReferenced reports whether a folded event references sha.
	BlobReferenced(sha string) bool
}

// BlobList is implemented by the evidence transactions of the adapters
// that hold the files' bytes themselves (bbolt, PostgreSQL), so that they
// can be moved elsewhere (s3evidence.Bucket.MoveFrom).
type BlobList interface {
	// BlobsAfter returns the SHA-256 of up to limit files the store
	// holds, in order, after after ("": from the first).
	BlobsAfter(after string, limit int) ([]string, error)
}

// Uploads are the evidence files no complaint referenced when they were
// uploaded, by uploader and SHA-256.
type Uploads interface {
	// PutUpload records that uploader sent size bytes of sha at at.
	PutUpload(uploader, sha string, size int64, at time.Time) error
	DeleteUpload(uploader, sha string) error
	// EachUpload calls fn for each upload of uploader, every uploader's
	// when uploader is "". fn must not write: collect, then write.
	EachUpload(uploader string, fn func(uploader, sha string, size int64, at time.Time) error) error
}

// ViewStore is the read side: the projections of the log that the plant
// views, the exports and the reports read. The query and row types are
// boltstore's (plain Go, shared with the workstation, whose screens run
// the same queries).
type ViewStore interface {
	// ViewProjections runs fn in a read-only transaction: one snapshot.
	ViewProjections(ctx context.Context, fn func(ProjectionTx) error) error
	// CatchUp folds what the log holds and the projections lack, so that
	// a read that follows sees every accepted push.
	CatchUp(ctx context.Context) error
	// Project folds up to limit of the events awaiting projection and
	// returns how many still await (the projector's step, projector.go).
	Project(ctx context.Context, limit int) (remaining uint64, err error)
	// IsClosed reports whether err says the store was closed under the
	// caller: the background work stops quietly at shutdown.
	IsClosed(err error) bool
}

// ProjectionTx is one read transaction of a ViewStore.
type ProjectionTx interface {
	Reference
	Complaints
	ActionsAndPlans
	Folding
}

// Complaints are the complaint views: lists, one complaint and its
// timeline.
type Complaints interface {
	QueryComplaints(q boltstore.ComplaintQuery) (boltstore.ComplaintPage, error)
	// Complaint returns ENotFound for an unknown one.
	Complaint(id string) (*domain.State, error)
	// ComplaintWithNumber is the complaint holding a number, from the
	// filings' index: with Complaint and QueryComplaints, what
	// boltstore.FindComplaintByNumber finds a complaint by its number
	// with, on either adapter.
	ComplaintWithNumber(number string) (id string, ok bool)
	// Timeline is a complaint's events and its actions', in fold order.
	Timeline(complaintID string) ([]boltstore.TimelineEntry, error)
}

// ActionsAndPlans are the action lists and the preventive plans.
type ActionsAndPlans interface {
	QueryActions(q boltstore.ActionQuery) (boltstore.ActionPage, error)
	ListActions(f boltstore.ActionFilter) (boltstore.ActionPage, error)
	Plans(statuses ...domain.PlanStatus) ([]domain.Plan, error)
}

// Folding is what the reports read to build and patch their dataset:
// every state of a type, how far the projections are folded, and the
// events logged since a position.
type Folding interface {
	ForEachState(typ domain.EntityType, fn func(*domain.State)) error
	// LogLen is the log's length; Backlog, how many of its events the
	// projections lack.
	LogLen() uint64
	Backlog() uint64
	// LogAfter returns up to limit events logged after position pos, and
	// whether more follow.
	LogAfter(pos uint64, limit int) ([]boltstore.LoggedEvent, bool, error)
}

// Integrity is whether the store reads, and the logged events whose bytes
// failed their check (quarantined: pulls and folds skip them).
type Integrity interface {
	// Health reads what every request needs, cheaply; ECorrupt
	// (boltstore.ECorrupt) when it does not read.
	Health(ctx context.Context) error
	QuarantinedCount() int
	Quarantined(ctx context.Context) ([]boltstore.Quarantined, error)
	// OnQuarantine sets the function told of each event quarantined from
	// now on.
	OnQuarantine(fn func(boltstore.Quarantined))
}

// LogStore is the log: pushes append to it, with their idempotence and
// replica-sequence checks, in one transaction per push; pulls read it in
// commit order from a cursor (sync.go). Its methods are those push and
// pull called on the bbolt store before the port, with the same
// signatures, so that their bodies did not change.
type LogStore interface {
	ViewLog(ctx context.Context, fn func(LogTx) error) error
	UpdateLog(ctx context.Context, fn func(LogTx) error) error
	// Clock is the server's hybrid logical clock, which stamps its events
	// and tells the workstations the server's time.
	Clock() *hlc.Clock
	// Replica is the server's own replica id, which no workstation may
	// enrol with.
	Replica() string
	// AcknowledgeOutbox acknowledges the events recorded on the server's
	// store without RecordServerEvent (the demo's seed): the server
	// pushes them nowhere.
	AcknowledgeOutbox(ctx context.Context) error
}

// Backups are the store's own copies.
type Backups interface {
	// Backup writes a consistent copy of the live store to dest, a new
	// file, and runs prepare on the copy's settings before it is used.
	Backup(ctx context.Context, dest string, prepare func(Settings) error) error
}

// LogTx is one transaction of the log.
type LogTx interface {
	// What the push's checks read: the directory as it stands and as it
	// stood (directory.go, staterules.go), the accounts (rule
	// user.last_admin), the epoch (a setting).
	Reference
	UserHistory(login string) ([]boltstore.UserVersion, error)
	Account(login string) (*credential.Account, error)
	Settings
	LogAppend
	LogRead
}

// LogAppend is the push's side of the log.
type LogAppend interface {
	// LookUpEvents tells, for each id, whether it is logged or refused.
	LookUpEvents(ids []uuid.UUID) []boltstore.EventLookup
	HasEvent(id uuid.UUID) bool
	// AppendNew logs an event LookUpEvents found absent, with the filing
	// a complaint's first event takes; Ingest folds a reference-data event
	// at once (later events of the push are checked against it).
	AppendNew(e *domain.Event, filing *boltstore.ComplaintFiling) error
	Ingest(e *domain.Event) (boltstore.IngestStatus, error)
	// ReplicaSeq is the highest contiguous sequence of a replica logged;
	// AdvanceReplica moves it past an event refused or already there.
	ReplicaSeq(replica string) uint64
	AdvanceReplica(replica string, seq uint64) error
	Rejection(id uuid.UUID) (boltstore.Rejection, bool)
	StoreRejection(e *domain.Event, code domain.Code, reason string) error
	// ComplaintFiling and ComplaintWithNumber read the filing indexes the
	// log keeps (complaint numbers are unique).
	ComplaintFiling(id string) (boltstore.ComplaintFiling, bool)
	ComplaintWithNumber(number string) (string, bool)
}

// FilingLookUp is implemented by a log whose reads are round trips to a
// database (PostgreSQL): a push hands it at once the complaints and the
// numbers its state rules will ask ComplaintFiling and
// ComplaintWithNumber about (bbolt reads them from its pages as asked).
type FilingLookUp interface {
	LookUpFilings(complaints, numbers []string)
}

// LogRead is the pull's side of the log.
type LogRead interface {
	LogLen() uint64
	ReplicaSeqs() map[string]uint64
	// LogRaw calls fn with the stored bytes of up to limit events after
	// position pos, in commit order; it returns the last position read
	// and whether more follow.
	LogRaw(pos uint64, limit int, fn func(pos uint64, raw []byte) error) (last uint64, more bool, err error)
}

// Store is every port of the server's store.
type Store interface {
	AccessStore
	EvidenceStore
	ViewStore
	Integrity
	LogStore
	Backups
}

// StoreTx is what an adapter's transaction implements: every port.
type StoreTx interface {
	AccessTx
	EvidenceTx
	ProjectionTx
	LogTx
}

// Transactions is what an adapter offers: read and write transactions
// over its own transaction type, and the projections' catch-up.
type Transactions[T StoreTx] interface {
	View(ctx context.Context, fn func(T) error) error
	Update(ctx context.Context, fn func(T) error) error
	CatchUp(ctx context.Context) error
	Project(ctx context.Context, limit int) (uint64, error)
	IsClosed(err error) bool
	Clock() *hlc.Clock
	Replica() string
	AcknowledgeOutbox(ctx context.Context) error
	Backup(ctx context.Context, dest string, prepare func(T) error) error
	Integrity
}

// storeOn turns an adapter's transactions into the ports.
type storeOn[T StoreTx] struct {
	db Transactions[T]
	Integrity
}

// StoreOn returns the Store of an adapter.
func StoreOn[T StoreTx](db Transactions[T]) Store { return storeOn[T]{db, db} }

func (p storeOn[T]) ViewAccess(ctx context.Context, fn func(AccessTx) error) error {
	return p.db.View(ctx, func(t T) error { return fn(t) })
}

func (p storeOn[T]) UpdateAccess(ctx context.Context, fn func(AccessTx) error) error {
	return p.db.Update(ctx, func(t T) error { return fn(t) })
}

func (p storeOn[T]) ViewEvidence(ctx context.Context, fn func(EvidenceTx) error) error {
	return p.db.View(ctx, func(t T) error { return fn(t) })
}

func (p storeOn[T]) UpdateEvidence(ctx context.Context, fn func(EvidenceTx) error) error {
	return p.db.Update(ctx, func(t T) error { return fn(t) })
}

func (p storeOn[T]) ViewProjections(ctx context.Context, fn func(ProjectionTx) error) error {
	return p.db.View(ctx, func(t T) error { return fn(t) })
}

func (p storeOn[T]) CatchUp(ctx context.Context) error { return p.db.CatchUp(ctx) }

func (p storeOn[T]) Project(ctx context.Context, limit int) (uint64, error) {
	return p.db.Project(ctx, limit)
}

func (p storeOn[T]) ViewLog(ctx context.Context, fn func(LogTx) error) error {
	return p.db.View(ctx, func(t T) error { return fn(t) })
}

func (p storeOn[T]) UpdateLog(ctx context.Context, fn func(LogTx) error) error {
	return p.db.Update(ctx, func(t T) error { return fn(t) })
}

func (p storeOn[T]) Clock() *hlc.Clock { return p.db.Clock() }

func (p storeOn[T]) Replica() string { return p.db.Replica() }

func (p storeOn[T]) AcknowledgeOutbox(ctx context.Context) error {
	return p.db.AcknowledgeOutbox(ctx)
}

func (p storeOn[T]) Backup(ctx context.Context, dest string, prepare func(Settings) error) error {
	return p.db.Backup(ctx, dest, func(t T) error { return prepare(t) })
}

func (p storeOn[T]) IsClosed(err error) bool { return p.db.IsClosed(err) }
