package labelled_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"boucle/shared/analytics"
	"boucle/shared/analytics/labelled"
	"boucle/shared/domain"
)

// TestDiagnoseProposal is error analysis, not a goal: with
// BOUCLE_DIAGNOSE_PROPOSAL=seed it replays the plant like the evaluation
// and lists the queries of the proposal figure whose true problem is not
// proposed first, by class: no problem held has the true problem as its
// majority (no proposal can be right), it is not proposed at all, it is
// in the first five, or further. Seeds the evaluation keeps held out are
// refused.
func TestDiagnoseProposal(t *testing.T) {
	p := labelled.Generate(diagnosedSeed(t, "BOUCLE_DIAGNOSE_PROPOSAL", "to list the proposals that miss"))
	d := proposalDiagnosis{tr: &p.Truth, info: map[string]labelled.Problem{}, classes: map[string]int{}}
	for _, pr := range p.Truth.Problems {
		d.info[pr.ID] = pr
	}
	walk := newProposalQueries(p)
	p.Replay(24*time.Hour, func(now time.Time, states []*domain.State) []labelled.Command {
		ps := analytics.NewDataset(analytics.FromStates(states)).Problems()
		walk.at(now, func(c *domain.Complaint, truth string) { d.query(ps, c, truth) })
		return nil
	})
	logDiagnosis(t, d.classes, d.lines, "")
}

type proposalDiagnosis struct {
	tr      *labelled.Truth
	info    map[string]labelled.Problem
	classes map[string]int
	lines   []string
}

// query classes one query and, when its problem is not proposed first,
// adds a line with the first three proposals (likelihood, join score,
// their majority's true problem, reasons) and the right one.
func (d *proposalDiagnosis) query(ps *analytics.Problems, c *domain.Complaint, truth string) {
	props := ps.Propose(c, 50)
	rank := -1
	for k, x := range props {
		if majority(d.tr, ps.Complaints(x.Problem)) == truth {
			rank = k
			break
		}
	}
	held := 0
	for _, pr := range ps.All() {
		if pr.SupplierStation == c.SupplierStation && majority(d.tr, pr.Complaints) == truth {
			held++
		}
	}
	tp := d.info[truth]
	kind := "station-wide"
	switch {
	case tp.Noise:
		kind = "one-off"
	case len(tp.Parts) == 1:
		kind = "one part"
	}
	if analytics.PartKey(c.PartRef) == "" {
		kind += ", part unknown"
	}
	class := "beyond 5"
	switch {
	case rank == 0:
		class = "right"
	case held == 0:
		class = "no problem held"
	case rank < 0:
		class = "not proposed"
	case rank < 5:
		class = "top-5"
	}
	d.classes[class+" / "+kind]++
	if rank == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s / %s: %q part %q %s truth %s (%s %v)\n", class, kind, c.Description, c.PartRef, c.Category, truth, tp.Mode, tp.Parts)
	for k, x := range props[:min(3, len(props))] {
		m := majority(d.tr, ps.Complaints(x.Problem))
		fmt.Fprintf(&b, "    %d: %.3f %.3f %s (%s %v, %d complaints)%s\n", k, x.Likelihood, x.Score, m, d.info[m].Mode, d.info[m].Parts, len(ps.Complaints(x.Problem)), reasons(x.Reasons))
	}
	if rank >= 3 {
		x := props[rank]
		fmt.Fprintf(&b, "    %d: %.3f %.3f truth%s\n", rank, x.Likelihood, x.Score, reasons(x.Reasons))
	}
	d.lines = append(d.lines, b.String())
}
