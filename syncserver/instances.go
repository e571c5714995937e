package syncserver

import (
	"context"
)

// Several instances of the server may serve one plant on one database
// (PostgreSQL), behind a load balancer. What one instance holds in memory
// must then never decide what another does (docs/postgresql.md, "Several
// instances"): sign-in, revocations, tokens, evidence and the log are read
// from the store at each request; the work to be done once per plant runs
// on one instance at a time, the leader.

// Leadership elects the instance that does a plant's once-per-plant
// background work: the hourly recorder of effectiveness verdicts, and the
// sweep of stray objects from the evidence bucket (strayevidence.go). It is a
// port: the bbolt store is one process's (its file is locked), which
// always leads (soleInstance); the PostgreSQL adapter elects one instance
// with an advisory lock (pgstore.Leader).
type Leadership interface {
	// Leading reports whether this instance leads now, taking the lead
	// if nobody holds it. An error (the database unreachable) counts as
	// not leading.
	Leading(ctx context.Context) (bool, error)
}

// soleInstance is the leadership of a store only one process can open.
type soleInstance struct{}

func (soleInstance) Leading(context.Context) (bool, error) { return true, nil }

// leading reports whether this instance does the plant's once-per-plant
// work now; a failure to tell is logged and counts as no.
func (s *Server) leading(ctx context.Context) bool {
	lead, err := s.cfg.Leadership.Leading(ctx)
	if err != nil {
		s.log.Warn("cannot tell whether this instance leads the plant's background work: skipping it", "err", err)
		return false
	}
	if lead != s.led.Swap(lead) {
		s.log.Info("leadership of the plant's background work changed", "leading", lead)
	}
	return lead
}

// evaluateIfLeading records the effectiveness verdicts due at the server's
// time, on the leader only. Two instances recording at once would not
// record a verdict twice (recordVerdicts checks each against the state
// under the plant's write lock), but each would rebuild the dataset and
// measure the whole plant every hour for nothing.
func (s *Server) evaluateIfLeading(ctx context.Context) {
	if !s.leading(ctx) {
		return
	}
	s.background("measuring effectiveness", func() error { _, err := s.EvaluateEffectiveness(s.now()); return err })
}
