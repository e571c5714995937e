package syncserver

import (
	"slices"
	"strings"
	"testing"
	"time"

	"boucle/shared/analytics"
	"boucle/shared/analytics/labelled"
	"boucle/shared/domain"
)

// The verdicts the server records (author system) on the labelled plant,
// replayed as the server lived it — events in the order they reached it,
// the recorder run every day on what it knew — judged against the true
// problems (docs/kpis.md, "How the indicators are judged").
func TestRecordedVerdictsOnTheLabelledPlant(t *testing.T) {
	right, total := recordedVerdicts(labelled.Generate(labelledSeed))
	t.Logf("verdicts recorded by the server right: %d / %d = %.0f %%", right, total, pct(right, total))
	if total == 0 {
		t.Fatal("the server recorded no verdict")
	}
}

// labelledSeed is the plant the figures are tuned against; the second seed
// is looked at once, at the end (docs/kpis.md).
const labelledSeed = 1

func recordedVerdicts(p *labelled.Plant) (right, total int) {
	set := analytics.Settings{RecurrenceWindow: labelled.RecurrenceWindow, EffectivenessWindow: labelled.EffectivenessWindow}
	recorded := p.Replay(24*time.Hour, func(now time.Time, states []*domain.State) []labelled.Command {
		in := analytics.FromStates(states)
		var out []labelled.Command
		for _, c := range dueVerdicts(analytics.NewDataset(in), in, set, now) {
			out = append(out, labelled.Command{Type: c.Type, EntityID: c.EntityID, Payload: c.Payload})
		}
		return out
	})
	return p.Truth.JudgeRecorded(recorded)
}

func pct(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return 100 * float64(n) / float64(d)
}

// A recorder that knew every complaint's true problem, run like the
// server's (once a day, on what had arrived, each verdict recorded once
// final), would still be wrong where a complaint filed within a window
// reaches the server after the window ended: the ceiling the server's
// rule can reach as long as it does not wait for late workstations.
func TestRecordedVerdictsCeilingOnTheLabelledPlant(t *testing.T) {
	p := labelled.Generate(labelledSeed)
	done := map[string]bool{}
	recorded := p.Replay(24*time.Hour, func(now time.Time, states []*domain.State) []labelled.Command {
		actions, plans := p.Truth.VerdictsOn(states, now)
		var out []labelled.Command
		add := func(typ domain.EventType, verdicts map[string]string) {
			for id, v := range verdicts {
				if v != "pending" && !done[id] {
					done[id] = true
					out = append(out, labelled.Command{Type: typ, EntityID: id, Payload: &domain.VerdictPayload{Effective: v == "effective"}})
				}
			}
		}
		add(domain.ActionEffectivenessMeasured, actions)
		add(domain.PlanEvaluated, plans)
		slices.SortFunc(out, func(a, b labelled.Command) int { return strings.Compare(a.EntityID, b.EntityID) })
		return out
	})
	right, total := p.Truth.JudgeRecorded(recorded)
	t.Logf("a recorder knowing the true problems: %d / %d = %.0f %% right", right, total, pct(right, total))
	if right == total || pct(right, total) < 90 {
		t.Errorf("the late workstation should cost a recorder that does not wait a few verdicts, not more: %d / %d", right, total)
	}
}
