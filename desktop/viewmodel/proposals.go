package viewmodel

import (
	"slices"
	"sync"

	"boucle/desktop/ui/model"
	"boucle/shared/analytics"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// The problems the filing form proposes while the operator types: every
// keystroke asks, and must not pay for finding the plant's problems
// (seconds over 100k complaints, docs/performance.md). The form
// proposes from the last dataset whose problems are found; when the store
// moved on by staleAfter events (as the similarity index), a fresh one is
// built in the background and takes over once its problems are found.
// A dataset the other screens built meanwhile is taken as soon as its
// problems are found.
type proposing struct {
	mu       sync.Mutex
	snap     *snapshot
	version  uint64        // store log length snap was built from
	building chan struct{} // closed when the build under way ends; nil when none is
}

// minLikelihood is the likelihood under which a problem is not proposed:
// one chance in ten is no "looks like".
const minLikelihood = 0.1

// ProposeProblems lists the known problems the complaint being filed
// looks like, most likely first (at most max), with when each was last
// seen and why; none when nothing is likely.
func (m *Model) ProposeProblems(q model.ProblemQuery, max int) ([]model.ProblemProposal, error) {
	if q.SupplierStation == "" {
		return nil, nil
	}
	s, err := m.proposalSnapshot()
	if err != nil || s == nil {
		return nil, err
	}
	ps := s.ds.Problems()
	c := &domain.Complaint{SupplierStation: q.SupplierStation, PartRef: q.PartRef, Category: q.Category,
		Description: q.Description, FiledAt: m.now()}
	var out []model.ProblemProposal
	for _, p := range ps.Propose(c, max) {
		if p.Likelihood < minLikelihood || !evidence(p.Reasons) {
			continue
		}
		pr, _ := ps.Problem(p.Problem)
		out = append(out, model.ProblemProposal{Problem: s.problemRef(ps, p.Problem), Last: pr.Last,
			Likelihood: p.Likelihood, Reasons: p.Reasons})
	}
	return out, nil
}

// evidence reports whether a proposal rests on the description or the
// part: the category alone (a problem the ranking keeps for want of
// better) is no reason to say it looks like one.
func evidence(rs []analytics.Reason) bool {
	return slices.ContainsFunc(rs, func(r analytics.Reason) bool {
		switch r.Code {
		case analytics.ReasonSimilarText, analytics.ReasonLikeComplaint, analytics.ReasonKinProblem,
			analytics.ReasonSamePart, analytics.ReasonPartTypo:
			return r.Weight > 0
		}
		return false
	})
}

// proposalSnapshot returns the dataset to propose from, its problems
// found; the first call waits for it.
func (m *Model) proposalSnapshot() (*snapshot, error) {
	var n uint64
	if err := m.store.View(func(t *boltstore.Tx) error { n = t.LogLen(); return nil }); err != nil {
		return nil, err
	}
	p := &m.proposing
	p.mu.Lock()
	if s := m.analysis.latest.Load(); s != nil && (p.snap == nil || s.version > p.version) && s.ds.ProblemsFound() {
		p.snap, p.version = s, s.version // another screen built a newer one
	}
	if p.snap == nil || n >= p.version+staleAfter {
		m.rebuildProposing()
	}
	s, building := p.snap, p.building
	p.mu.Unlock()
	if s == nil && building != nil {
		<-building
		p.mu.Lock()
		s = p.snap
		p.mu.Unlock()
	}
	return s, nil
}

// rebuildProposing builds the dataset and finds its problems in the
// background, unless a build is under way. p.mu is held.
func (m *Model) rebuildProposing() {
	p := &m.proposing
	if p.building != nil {
		return
	}
	built := make(chan struct{})
	p.building = built
	go func() {
		s, err := m.snapshot()
		if err == nil {
			s.ds.Problems()
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		p.building = nil
		if err == nil {
			p.snap, p.version = s, s.version
		}
		close(built)
	}()
}
