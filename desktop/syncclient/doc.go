// Package syncclient is the workstation's half of the sync protocol
// (shared/syncproto, explained in docs/sync-protocol.md): an HTTP Client
// for the routes, the sign-in of users online and offline, and the
// Syncer, the background loop that pushes the outbox, uploads evidence,
// pulls the plant's log into the local store and reports a Status the UI
// shows. It never imports Fyne: the UI subscribes to Status, calls Notify
// after a local save and SyncNow on the user's demand.
//
// # Client behaviour
//
// One cycle: push the outbox in replica-sequence order, in batches of up
// to syncproto.MaxBatchEvents; upload the evidence the accepted events
// reference; pull pages until X-Boucle-More is false, ingesting each page
// with its cursor and epoch in one store transaction, the next page being
// fetched while the current one is applied. Cycles run at start, every
// Config.PollInterval, soon after Notify, at once on SyncNow.
//
//   - accepted, duplicate: the event leaves the outbox; rejected:
//     boltstore.Tx.Reject keeps it, shows it and never retries it.
//   - 409 sequence_gap: the replica's events from Expected on are pushed
//     again from the log (acknowledged events stay there).
//   - 401: one token refresh (serialised: a refresh token is spent once,
//     the rotated one is saved at once), then the same request once more.
//     A refused refresh forgets the token and sets Status.SignInNeeded;
//     queued events stay queued.
//   - 403 with field "device": Status.EnrolNeeded; no refresh.
//   - A new epoch (push answer or pull header): read sync/state, push again
//     this workstation's own events above the server's high-water mark of
//     its replica (never other replicas' events: a device pushes its own
//     replica's only), then restart the cursor at "epoch:0".
//   - Evidence is uploaded after the push that made the server accept the
//     referencing event (HEAD first, PUT if missing), so the files of
//     refused events are never sent; the upload marks are saved with the
//     acknowledgement, so a cut upload resumes. Others fetch evidence on
//     demand (Syncer.FetchBlob), checked against its SHA-256.
//   - Failures back off from Config.MinBackoff (1 s) to MaxBackoff (60 s)
//     with jitter, longer if the server sends Retry-After. An unreachable
//     server only sets Status.Online to false: no error, no log above debug.
//   - Every answer's X-Boucle-Server-Time, and the server_time of JSON
//     answers, is the reference of the store's hybrid logical clock
//     (Store.NoteServerTime): the clock follows it, pulled timestamps more
//     than hlc.MaxDrift past it move nothing, and a workstation whose clock
//     is that far ahead of it shows Status.ClockAhead and refuses to record.
//
// Authorship: each online sign-in on the enrolled workstation brings the
// user's author key for this replica; the store keeps it wrapped under a
// key derived from the password (argon2id, then ChaCha20-Poly1305), the
// session holds it unwrapped in memory, and boltstore signs every event
// recorded with Session.Actor(). An offline sign-in unwraps it. A user who
// never signed in online here has no key and cannot record on an enrolled
// workstation (boltstore.ErrNoAuthorKey).
//
// Access tokens live in memory only. The latest refresh token is kept in
// the store, so that the loop keeps syncing after a restart or while the
// signed-in user is offline; Logout revokes and forgets it. Offline
// sign-in checks an argon2id hash of the password with a per-user salt
// (never the password, never the server's hash), saved at each online
// sign-in with the user's directory entry.
package syncclient
