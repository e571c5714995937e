package labelled_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"boucle/shared/analytics"
	"boucle/shared/analytics/labelled"
)

// TestDiagnoseVerdicts is error analysis, not a goal: with
// BOUCLE_DIAGNOSE_VERDICTS=seed it lists, for that plant (no engineer
// decision), the verdicts of preventive actions and plans that differ
// from the truth and the wrong or missed "recurred after prevention"
// flags, with the complaints that made them: their link (score, decided)
// and their true problem. Seeds the evaluation keeps held out are refused.
func TestDiagnoseVerdicts(t *testing.T) {
	p := labelled.Generate(diagnosedSeed(t, "BOUCLE_DIAGNOSE_VERDICTS", "to list the wrong verdicts and flags"))
	in := input(p)
	ds := analytics.NewDataset(in)
	ps := ds.Problems()
	tr := &p.Truth
	link := func(id string) string {
		pid, pr := ps.ProblemOf(id)
		return fmt.Sprintf("%s [true %s] in %s (%.2f%s)", id, tr.ProblemOf[id], pid, pr.Score, map[bool]string{true: " decided", false: ""}[pr.Decided])
	}
	classes := map[string]int{}
	var lines []string
	for _, e := range ds.Effectiveness(analytics.Filter{}, settings, p.End) {
		truth := tr.ActionVerdicts[e.ID]
		if e.Subject == analytics.SubjectPlan {
			truth = tr.PlanVerdicts[e.ID]
		}
		if truth == "" || truth == string(e.Verdict) {
			continue
		}
		classes[fmt.Sprintf("%s %s, truly %s", e.Subject, e.Verdict, truth)]++
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s: %s, truly %s; done %s; addresses %v, measured on %v (complaint %s)\n", e.Subject, e.ID, e.Verdict, truth,
			e.DoneAt.Format("2006-01-02"), tr.Addresses[e.ID], e.Problems, e.ComplaintID)
		if e.ComplaintID != "" {
			fmt.Fprintf(&b, "    its complaint: %s\n", link(e.ComplaintID))
		}
		for _, id := range e.Evidence {
			fmt.Fprintf(&b, "    evidence: %s filed %s\n", link(id), tr.FiledAt[id].Format("2006-01-02"))
		}
		for id, at := range tr.FiledAt {
			if tr.Countable[id] && slices.Contains(tr.Addresses[e.ID], tr.ProblemOf[id]) && at.After(e.DoneAt) && !at.After(e.WindowEnd) && !at.After(p.End) {
				fmt.Fprintf(&b, "    true evidence: %s filed %s\n", link(id), at.Format("2006-01-02"))
			}
		}
		lines = append(lines, b.String())
	}
	flagged := map[string]analytics.Recurrence{}
	for _, r := range ds.Recurrences(settings).All() {
		if r.AfterPrevention {
			flagged[r.ComplaintID] = r
		}
	}
	for id, r := range flagged {
		if tr.AfterPrevention[id] {
			continue
		}
		_, isRec := tr.Recurrences[id]
		classes[fmt.Sprintf("flag wrong (truly a recurrence: %v)", isRec)]++
		lines = append(lines, fmt.Sprintf("flag wrong: %s, of %s; prevention %v %v; truly a recurrence %v\n", link(id), link(r.Of), r.PreventiveActions, r.Plans, isRec))
	}
	for id := range tr.AfterPrevention {
		if _, ok := flagged[id]; ok {
			continue
		}
		r, isRec := ds.Recurrences(settings).Lookup(id)
		classes[fmt.Sprintf("flag missed (a recurrence here: %v)", isRec)]++
		var b strings.Builder
		fmt.Fprintf(&b, "flag missed: %s; recurrence here %v (of %s)\n", link(id), isRec, r.Of)
		for _, c := range tr.Problems {
			if c.ID != tr.ProblemOf[id] {
				continue
			}
			for _, m := range c.Complaints {
				if tr.Countable[m] && !tr.FiledAt[m].After(tr.FiledAt[id]) {
					fmt.Fprintf(&b, "    problem's complaint: %s filed %s\n", link(m), tr.FiledAt[m].Format("2006-01-02"))
				}
			}
		}
		lines = append(lines, b.String())
	}
	logDiagnosis(t, classes, lines, "")
}
