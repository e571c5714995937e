package syncserver

import (
	"boucle/shared/authorship"
	"boucle/shared/syncproto"
)

// issueAuthorKey returns the key login signs events with on replica,
// derived from the newest server key: deterministic, so nothing is stored
// (see shared/authorship and docs/sync-protocol.md, "Authorship").
func (s *Server) issueAuthorKey(login, replica string) *syncproto.AuthorKey {
	kid := s.keys.Current()
	master, _ := s.keys.authorMaster(kid)
	key := authorship.Derive(master, login, replica)
	return &syncproto.AuthorKey{Kid: kid, Key: key[:]}
}
