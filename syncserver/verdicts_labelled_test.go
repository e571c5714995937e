package syncserver

import (
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
