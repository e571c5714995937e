package labelled_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"boucle/shared/analytics"
	"boucle/shared/analytics/labelled"
	"boucle/shared/domain"
	"boucle/syncserver"
)

// The seed the figures are worked on.
const seed = 1

// heldOutSeed is the second plant: looked at once, at the end, and
// reported beside seed 1 (docs/kpis.md); the goals hold for it too. The
// diagnostics (diagnose_test.go) refuse it.
const heldOutSeed = 7

// figures are what the evaluation measures, each as right / total.
type figures struct {
	linksRight, links, recurrences int // precision = right/links, recall = right/recurrences
	apRight, apFlags, apTrue       int // after prevention: right flags, flags, true cases
	actionsRight, actions          int
	plansRight, plans              int
	serverRight, server            int // verdicts the server recorded
	top1, top5, queries            int // the problem proposed for a new complaint
	simTop1, simTop5, simQueries   int // the similar complaints (text index) for a new description
}

func ratio(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// goal is one figure of issue #11 and its goal.
type goal struct {
	name string
	n, d int
	min  float64
}

func (f figures) goals() []goal {
	return []goal{
		{"recurrence links: precision", f.linksRight, f.links, 0.90},
		{"recurrence links: recall", f.linksRight, f.recurrences, 0.90},
		{"recurred after prevention: true cases found", f.apRight, f.apTrue, 0.90},
		{"recurred after prevention: flags right", f.apRight, f.apFlags, 0.90},
		{"effectiveness right: preventive actions", f.actionsRight, f.actions, 0.95},
		{"effectiveness right: plans", f.plansRight, f.plans, 0.95},
		{"verdicts recorded by the server right", f.serverRight, f.server, 0.95},
		{"problem proposed for a new complaint: top-1", f.top1, f.queries, 0.90},
		{"problem proposed for a new complaint: top-5", f.top5, f.queries, 0.97},
	}
}

func (f figures) table() string {
	var b strings.Builder
	for _, g := range f.goals() {
		fmt.Fprintf(&b, "| %-46s | %4d / %4d | %5.1f %% | goal %3.0f %%\n", g.name, g.n, g.d, 100*ratio(g.n, g.d), 100*g.min)
	}
	fmt.Fprintf(&b, "| %-46s | %4d / %4d | %5.1f %% |\n", "similar complaints (text): top-1", f.simTop1, f.simQueries, 100*ratio(f.simTop1, f.simQueries))
	fmt.Fprintf(&b, "| %-46s | %4d / %4d | %5.1f %% |\n", "similar complaints (text): top-5", f.simTop5, f.simQueries, 100*ratio(f.simTop5, f.simQueries))
	return b.String()
}

var settings = analytics.Settings{RecurrenceWindow: labelled.RecurrenceWindow, EffectivenessWindow: labelled.EffectivenessWindow}

// input folds the plant's events into the analytics' input.
func input(p *labelled.Plant) analytics.Input {
	states, _ := domain.Fold(p.Events)
	list := make([]*domain.State, 0, len(states))
	for _, s := range states {
		list = append(list, s)
	}
	return analytics.FromStates(list)
}

// measure computes the figures of the analytics on a plant.
func measure(p *labelled.Plant) figures {
	in := input(p)
	ds := analytics.NewDataset(in)
	tr := &p.Truth
	var f figures

	f.recurrences = len(tr.Recurrences)
	for _, r := range ds.Recurrences(settings).All() {
		f.links++
		if slices.Contains(tr.Recurrences[r.ComplaintID], r.Of) {
			f.linksRight++
		}
		if r.AfterPrevention {
			f.apFlags++
			if tr.AfterPrevention[r.ComplaintID] {
				f.apRight++
			}
		}
	}
	f.apTrue = len(tr.AfterPrevention)

	measured := map[string]analytics.Verdict{}
	for _, e := range ds.Effectiveness(analytics.Filter{}, settings, p.End) {
		measured[e.ID] = e.Verdict
	}
	for id, v := range tr.ActionVerdicts {
		f.actions++
		if string(measured[id]) == v {
			f.actionsRight++
		}
	}
	for id, v := range tr.PlanVerdicts {
		f.plans++
		if string(measured[id]) == v {
			f.plansRight++
		}
	}
	f.serverRight, f.server, f.top1, f.top5, f.queries = replayed(p)
	f.simTop1, f.simTop5, f.simQueries = similar(p, in)
	return f
}

// heardAt is when the server last heard from every workstation, at now:
// the late workstation is silent from Late.From until its push is in.
func heardAt(p *labelled.Plant, now time.Time) time.Time {
	var back time.Time
	for i, e := range p.Events {
		if e.Replica == p.LateReplica() && p.Received[i].Sub(e.HLC.Time()) > 24*time.Hour && p.Received[i].After(back) {
			back = p.Received[i]
		}
	}
	if !now.Before(p.Late.From) && now.Before(back) {
		return p.Late.From
	}
	return now
}

// replayed replays the plant as the server lived it: events in the order
// they reached it and, every day, on what the server knew then,
//
//   - the server's recorder (syncserver.DueVerdicts): the verdicts it
//     recorded are judged against the truth;
//   - the problem proposed for each complaint received the next day, when
//     the server holds a complaint of its problem: is the first proposal
//     its problem, is one of the first five? A proposed problem is a
//     complaint's problem when most of its complaints are.
func replayed(p *labelled.Plant) (serverRight, server, top1, top5, queries int) {
	tr := &p.Truth
	walk := newProposalQueries(p)
	rec := p.Replay(24*time.Hour, func(now time.Time, states []*domain.State) []labelled.Command {
		held := analytics.FromStates(states)
		ds := analytics.NewDataset(held)
		walk.at(now, func(c *domain.Complaint, truth string) {
			queries++
			ps := ds.Problems()
			for k, pr := range ps.Propose(c, 5) {
				if majority(tr, ps.Complaints(pr.Problem)) == truth {
					if k == 0 {
						top1++
					}
					top5++
					break
				}
			}
		})
		var out []labelled.Command
		for _, c := range syncserver.DueVerdicts(ds, held, settings, now, heardAt(p, now)) {
			out = append(out, labelled.Command{Type: c.Type, EntityID: c.EntityID, Payload: c.Payload})
		}
		return out
	})
	serverRight, server = tr.JudgeRecorded(rec)
	return serverRight, server, top1, top5, queries
}

// proposalQueries walks, day after day of a replay, the complaints the
// proposal figure asks about: those received the next day whose problem
// the server already holds a complaint of, as filed.
type proposalQueries struct {
	p       *labelled.Plant
	filings []int // filing events, in the order received
	final   map[string]*domain.Complaint
	known   map[string]int // true problem → complaints held
	next    int
}

func newProposalQueries(p *labelled.Plant) *proposalQueries {
	w := &proposalQueries{p: p, final: map[string]*domain.Complaint{}, known: map[string]int{}}
	for i, e := range p.Events {
		if e.Type == domain.ComplaintFiled {
			w.filings = append(w.filings, i)
		}
	}
	in := input(p)
	for i := range in.Complaints {
		w.final[in.Complaints[i].ID] = &in.Complaints[i]
	}
	return w
}

// at counts the complaints received by now as held and calls ask for
// each query of the next day, with its true problem.
func (w *proposalQueries) at(now time.Time, ask func(c *domain.Complaint, truth string)) {
	p, tr := w.p, &w.p.Truth
	for w.next < len(w.filings) && !p.Received[w.filings[w.next]].After(now) {
		w.known[tr.ProblemOf[p.Events[w.filings[w.next]].EntityID]]++
		w.next++
	}
	for j := w.next; j < len(w.filings) && !p.Received[w.filings[j]].After(now.Add(24*time.Hour)); j++ {
		c := filedComplaint(&p.Events[w.filings[j]], w.final)
		if w.known[tr.ProblemOf[c.ID]] > 0 {
			ask(c, tr.ProblemOf[c.ID])
		}
	}
}

// filedComplaint is the complaint as its filing event says, as the
// filing form has it (no cause yet).
func filedComplaint(e *domain.Event, final map[string]*domain.Complaint) *domain.Complaint {
	f := final[e.EntityID]
	return &domain.Complaint{ID: f.ID, SupplierStation: f.SupplierStation, FilingStation: f.FilingStation, PartRef: f.PartRef,
		Lot: f.Lot, Category: f.Category, Severity: f.Severity, Kind: f.Kind, Description: f.Description, FiledAt: f.FiledAt, Status: domain.StatusNew}
}

// majority is the true problem of most of the complaints ("" for none).
func majority(tr *labelled.Truth, ids []string) string {
	n := map[string]int{}
	best := ""
	for _, id := range ids {
		p := tr.ProblemOf[id]
		n[p]++
		if n[p] > n[best] || (n[p] == n[best] && p < best) {
			best = p
		}
	}
	return best
}

// similar asks, for each complaint as it reaches the server, the text
// index of the complaints it already holds for the closest descriptions,
// when a complaint of the same problem is among them: is the first hit of
// the same problem, is one of the first five?
func similar(p *labelled.Plant, in analytics.Input) (top1, top5, queries int) {
	byID := map[string]*domain.Complaint{}
	for i := range in.Complaints {
		byID[in.Complaints[i].ID] = &in.Complaints[i]
	}
	ix := analytics.NewIndex(analytics.IndexOptions{})
	known := map[string]int{}
	tr := &p.Truth
	for i := range p.Events {
		e := &p.Events[i]
		if e.Type != domain.ComplaintFiled {
			continue
		}
		c := byID[e.EntityID]
		problem := tr.ProblemOf[c.ID]
		if known[problem] > 0 {
			queries++
			hits := ix.SimilarTo(analytics.Query{Text: c.Description, PartRef: c.PartRef, Lot: c.Lot, SupplierStation: c.SupplierStation}, 5)
			for j, h := range hits {
				if tr.ProblemOf[h.ID] == problem {
					if j == 0 {
						top1++
					}
					top5++
					break
				}
			}
		}
		ix.Add(c)
		known[problem]++
	}
	return top1, top5, queries
}

// decisions has engineers decide the problem of a random fifth of the
// countable complaints, two days after the complaint reached the server,
// the way an engineer would from the truth: confirm the proposal when it
// holds the complaint's problem; otherwise move the complaint to the
// problem holding most of its problem's earlier complaints, or to a
// problem of its own when there is none.
func decisions(p *labelled.Plant, share float64, seed uint64) []labelled.Decision {
	in := input(p)
	ds := analytics.NewDataset(in)
	ps := ds.Problems()
	tr := &p.Truth
	arrived := map[string]time.Time{}
	for i, e := range p.Events {
		if e.Type == domain.ComplaintFiled {
			arrived[e.EntityID] = p.Received[i]
		}
	}
	cs := slices.Clone(in.Complaints)
	slices.SortFunc(cs, func(a, b domain.Complaint) int {
		return cmp.Or(a.FiledAt.Compare(b.FiledAt), strings.Compare(a.ID, b.ID))
	})
	r := rand.New(rand.NewPCG(seed, 0xdec1de))
	var out []labelled.Decision
	for _, c := range cs {
		if !tr.Countable[c.ID] || r.Float64() >= share {
			continue
		}
		at := arrived[c.ID].Add(48 * time.Hour)
		if !at.Before(p.End) {
			continue
		}
		proposal, _ := ps.ProblemOf(c.ID)
		problem := tr.ProblemOf[c.ID]
		votes := map[analytics.ProblemID]int{}
		var target analytics.ProblemID
		for _, e := range cs {
			if !e.FiledAt.Before(c.FiledAt) {
				break
			}
			if tr.ProblemOf[e.ID] == problem && tr.Countable[e.ID] {
				q, _ := ps.ProblemOf(e.ID)
				if votes[q]++; votes[q] > votes[target] {
					target = q
				}
			}
		}
		switch {
		case target == "" && proposal == analytics.ProblemID(c.ID), target != "" && proposal == target:
			out = append(out, labelled.Decision{Type: domain.ComplaintProblemConfirmed, Complaint: c.ID, Problem: string(proposal), At: at})
		case target == "":
			out = append(out, labelled.Decision{Type: domain.ComplaintProblemMoved, Complaint: c.ID, Problem: c.ID, At: at})
		default:
			out = append(out, labelled.Decision{Type: domain.ComplaintProblemMoved, Complaint: c.ID, Problem: string(target), At: at})
		}
	}
	return out
}

// reached holds, per seed, the figures the proposal reached when the
// evaluation landed (in per cent, rounded down, less a 3-point margin for
// a change that trades one figure against another). Issue #11's goals are
// not met yet: by default the test fails when a change makes a figure
// worse than this, and reports the distance to the goal; with
// BOUCLE_ISSUE11_GOALS=1 it fails below the goals themselves. When a
// figure reaches its goal, raise its floor here to the goal.
var reached = map[uint64][]float64{
	// precision, recall, after prevention found, flags right, actions, plans, server, top-1, top-5
	seed:        {90, 86, 86, 90, 95, 95, 95, 74, 91},
	heldOutSeed: {90, 86, 85, 90, 90, 95, 95, 71, 89},
}

// checkFloors fails a figure under its floor: the goal with
// BOUCLE_ISSUE11_GOALS=1, the figure reached so far otherwise.
func checkFloors(t *testing.T, s uint64, f figures) {
	t.Helper()
	goalsAsked := os.Getenv("BOUCLE_ISSUE11_GOALS") == "1"
	for i, g := range f.goals() {
		got := ratio(g.n, g.d)
		floor := reached[s][i] / 100
		if goalsAsked {
			floor = g.min
		}
		switch {
		case got < floor:
			t.Errorf("seed %d: %s: %d / %d = %.1f %%, under its floor %.0f %% (goal %.0f %%)", s, g.name, g.n, g.d, 100*got, 100*floor, 100*g.min)
		case got < g.min:
			t.Logf("seed %d: %s: %.1f %%, %.1f points short of the goal %.0f %%", s, g.name, 100*got, 100*(g.min-got), 100*g.min)
		}
	}
}

// TestIndicatorsAgainstTheLabelledPlant measures the indicators on the
// labelled plant against its truth, fails below the figures reached (or
// the goals of issue #11, see reached), and checks that engineers deciding
// a fifth of the links does better.
func TestIndicatorsAgainstTheLabelledPlant(t *testing.T) {
	for _, s := range []uint64{heldOutSeed} {
		h := measure(labelled.Generate(s))
		t.Logf("seed %d (held out), no engineer decision\n%s", s, h.table())
		checkFloors(t, s, h)
	}
	p := labelled.Generate(seed)
	f := measure(p)
	t.Logf("seed %d, no engineer decision\n%s", seed, f.table())
	checkFloors(t, seed, f)

	ds := decisions(p, 0.2, seed)
	d := measure(p.Decided(ds))
	t.Logf("seed %d, %d links decided by engineers\n%s", seed, len(ds), d.table())
	// The decisions are on links: both figures of the links at least as
	// good, one better.
	before, after := f.goals(), d.goals()
	for i := range 2 {
		if ratio(after[i].n, after[i].d) < ratio(before[i].n, before[i].d) {
			t.Errorf("%s: worse with engineers' decisions: %.1f %% against %.1f %%", after[i].name, 100*ratio(after[i].n, after[i].d), 100*ratio(before[i].n, before[i].d))
		}
	}
	if ratio(after[0].n, after[0].d)+ratio(after[1].n, after[1].d) <= ratio(before[0].n, before[0].d)+ratio(before[1].n, before[1].d) {
		t.Error("engineers' decisions did not improve the links")
	}
}
