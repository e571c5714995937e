package syncserver

import (
	"boucle/shared/authorship"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
	"context"
)

// Authorship: the server accepts a pushed event only when it can check
// that its author recorded it on the workstation that pushes it.
//
// At each online sign-in sent with a device's credential, the server
// issues the user a key bound to the user and the device's replica,
// derived from its newest secret (issueAuthorKey); the workstation signs
// every event the user records with it (shared/authorship). On push:
//
//   - signatureVerifier.check, run by prevalidate on every core:
//     events of the system are refused (the server records them itself);
//     every other event must carry a MAC that verifies under the key of
//     its author on its replica, for the kid it names;
//   - checkAuthorship, in the transaction: the author is in the server's
//     directory, enabled, and has the role the event claims (so the
//     permission checked by domain.Validate is the directory's, never the
//     event's word); directory events (stations, users, categories,
//     severities) come from an administrator's own session only: the
//     author must be the token's subject.
//
// See docs/sync-protocol.md, "Authorship".

// issueAuthorKey returns the key login signs events with on replica,
// derived from the newest server key: deterministic, so nothing is stored
// (see shared/authorship and docs/sync-protocol.md, "Authorship").
func (s *Server) issueAuthorKey(login, replica string, gen uint64) *syncproto.AuthorKey {
	kid := s.keys.Current()
	master, _ := s.keys.authorMaster(kid)
	key := authorship.Derive(master, login, replica, gen)
	return &syncproto.AuthorKey{Kid: kid, Key: key[:]}
}

type authorKeyID struct{ kid, login, replica string }

// signatureVerifier checks signatures for one goroutine, deriving each
// (kid, author, replica) key once, at the author's current key generation
// (gens, read once per push: keyGenerations).
type signatureVerifier struct {
	keys    *Keyring
	gens    map[string]uint64
	derived map[authorKeyID][authorship.KeySize]byte
	v       authorship.Verifier
}

func newSignatureVerifier(keys *Keyring, gens map[string]uint64) signatureVerifier {
	return signatureVerifier{keys: keys, gens: gens, derived: map[authorKeyID][authorship.KeySize]byte{}}
}

// keyGenerations reads the author-key generation of every author of a
// push (0 for logins without an account: their events are refused by the
// directory check anyway).
func (s *Server) keyGenerations(ctx context.Context, events []domain.Event) (map[string]uint64, error) {
	gens := map[string]uint64{}
	err := s.access.ViewAccess(ctx, func(t AccessTx) error {
		for i := range events {
			login := events[i].Author
			if _, seen := gens[login]; seen {
				continue
			}
			acc, err := t.Account(login)
			if err != nil {
				return err
			}
			if acc != nil {
				gens[login] = acc.KeyGen
			} else {
				gens[login] = 0
			}
		}
		return nil
	})
	return gens, err
}

func (sv *signatureVerifier) check(e *domain.Event) error {
	if e.Role == domain.RoleSystem || e.Author == SystemLogin {
		return domain.RuleError(domain.EForbidden, "sync.system",
			"events of the system are recorded by the server itself, never pushed")
	}
	if !e.Signed() {
		return domain.RuleError(domain.EForbidden, "sync.signature",
			"not signed: sign in online on this workstation, then record it again")
	}
	id := authorKeyID{e.Sig.Kid, e.Author, e.Replica}
	key, ok := sv.derived[id]
	if !ok {
		master, known := sv.keys.authorMaster(e.Sig.Kid)
		if !known {
			return domain.RuleError(domain.EForbidden, "sync.signature",
				"signed with a server key this server no longer holds (%s): sign in online on this workstation, then record it again", e.Sig.Kid)
		}
		key = authorship.Derive(master, e.Author, e.Replica, sv.gens[e.Author])
		sv.derived[id] = key
	}
	if !sv.v.Verify(key, e) {
		return domain.RuleError(domain.EForbidden, "sync.signature",
			"the signature is not that of %s on this workstation: only the author, signed in on it, can record this", e.Author)
	}
	return nil
}

// checkAuthorship checks the event's author against the server's
// directory: the author must be in it and enabled now (disabling a user
// voids whatever is still queued in their name), and, as the directory
// stood when the event was recorded (its position in the fold), must
// have been enabled and held the role the event claims; so the
// permission domain.Validate checked is the directory's, never the
// event's word, and a change of role between recording offline and the
// push neither voids honest work nor lends a role back. Directory events
// need an administrator, then and now, in their own session.
func (p *pushTx) checkAuthorship(e *domain.Event) error {
	a, err := p.author(e.Author)
	if err != nil {
		return err
	}
	switch {
	case a.now == nil:
		return domain.RuleError(domain.EForbidden, "sync.author", "author %s is not in the plant's directory", e.Author)
	case a.now.Disabled:
		return domain.RuleError(domain.EForbidden, "sync.author", "author %s is disabled", e.Author)
	}
	then, _ := a.asOf(e) // a.now != nil: the history is not empty
	switch {
	case then.Disabled:
		return domain.RuleError(domain.EForbidden, "sync.author", "author %s was disabled when this was recorded (%s)", e.Author, e.HLC)
	case then.Role != e.Role:
		return domain.RuleError(domain.EForbidden, "sync.author", "author %s was %s when this was recorded (%s), not %s", e.Author, then.Role, e.HLC, e.Role)
	case isDirectory(e.EntityType) && (then.Role != domain.RoleAdmin || a.now.Role != domain.RoleAdmin || e.Author != p.subject):
		return domain.RuleError(domain.EForbidden, "sync.directory",
			"changes to the directory (%s) are accepted from the administrator's own session only, not relayed by %s's", e.Type, p.subject)
	}
	return nil
}

// isDirectory tells the reference data: who may do what, where, and with
// which deadlines.
func isDirectory(t domain.EntityType) bool {
	switch t {
	case domain.EntityStation, domain.EntityUser, domain.EntityCategory, domain.EntitySeverity:
		return true
	}
	return false
}
