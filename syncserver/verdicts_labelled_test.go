package syncserver

import (
	"slices"
	"strings"
	"testing"
	"time"

	"boucle/shared/analytics/labelled"
	"boucle/shared/domain"
)

// labelledSeed is the plant the figures are worked on; the second seed
// is looked at once, at the end (docs/kpis.md).
const labelledSeed = 1

// heardAt is when the server last heard from every workstation, at now:
// the late workstation is silent from Late.From until its push is in.
func heardAt(p *labelled.Plant, now time.Time) time.Time {
	replica := "ws-" + strings.ToLower(p.Late.Station)
	var back time.Time
	for i, e := range p.Events {
		if e.Replica == replica && p.Received[i].Sub(e.HLC.Time()) > 24*time.Hour && p.Received[i].After(back) {
			back = p.Received[i]
		}
	}
	if !now.Before(p.Late.From) && now.Before(back) && now.Sub(p.Late.From) <= maxSilence {
		return p.Late.From
	}
	return now
}

func pct(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return 100 * float64(n) / float64(d)
}

// A recorder that knew every complaint's true problem, run like the
// server's (once a day, on what had arrived, each verdict recorded once
// final), is still wrong where a complaint filed within a window reaches
// the server after the window ended, or where the complaint that proved
// an action ineffective is then rejected or withdrawn — unless, as the
// server now does, it waits to have heard from every workstation since
// the window ended, and for its evidence to be settled.
func TestRecordedVerdictsWaitForTheLateWorkstation(t *testing.T) {
	p := labelled.Generate(labelledSeed)
	right, total := oracleReplay(p, false)
	t.Logf("a recorder knowing the true problems, not waiting: %d / %d = %.0f %% right", right, total, pct(right, total))
	right, total = oracleReplay(p, true)
	t.Logf("the same, waiting for every workstation: %d / %d = %.0f %% right", right, total, pct(right, total))
	if right != total {
		t.Errorf("waiting for the late workstation: %d / %d right", right, total)
	}
}

// oracleReplay replays the plant with a recorder that measures on the true
// problems; wait: effective verdicts wait for every workstation.
func oracleReplay(p *labelled.Plant, wait bool) (right, total int) {
	done := map[string]bool{}
	recorded := p.Replay(24*time.Hour, func(now time.Time, states []*domain.State) []labelled.Command {
		actions, plans := p.Truth.VerdictsOn(states, now)
		heard := now
		if wait {
			// Evidence counts once it can no longer be rejected, withdrawn
			// or marked duplicate, as the server's (settled).
			heard = heardAt(p, now)
			var kept []*domain.State
			for _, s := range states {
				if s.Complaint == nil || settled(s.Complaint.Status) {
					kept = append(kept, s)
				}
			}
			sa, sp := p.Truth.VerdictsOn(kept, now)
			for id, v := range actions {
				if v == "ineffective" && sa[id] != "ineffective" {
					actions[id] = "pending"
				}
			}
			for id, v := range plans {
				if v == "ineffective" && sp[id] != "ineffective" {
					plans[id] = "pending"
				}
			}
		}
		ends := windowEnds(states)
		var out []labelled.Command
		add := func(typ domain.EventType, verdicts map[string]string) {
			for id, v := range verdicts {
				if v == "pending" || done[id] || (v == "effective" && ends[id].After(heard)) {
					continue
				}
				done[id] = true
				out = append(out, labelled.Command{Type: typ, EntityID: id, Payload: &domain.VerdictPayload{Effective: v == "effective"}})
			}
		}
		add(domain.ActionEffectivenessMeasured, actions)
		add(domain.PlanEvaluated, plans)
		slices.SortFunc(out, func(a, b labelled.Command) int { return strings.Compare(a.EntityID, b.EntityID) })
		return out
	})
	return p.Truth.JudgeRecorded(recorded)
}

// windowEnds gives the end of the effectiveness window of each action done
// and plan started.
func windowEnds(states []*domain.State) map[string]time.Time {
	out := map[string]time.Time{}
	for _, s := range states {
		switch {
		case s.Action != nil && !s.Action.DoneAt.IsZero():
			out[s.Action.ID] = s.Action.DoneAt.Add(labelled.EffectivenessWindow)
		case s.Plan != nil && !s.Plan.StartedAt.IsZero():
			out[s.Plan.ID] = s.Plan.StartedAt.Add(labelled.EffectivenessWindow)
		}
	}
	return out
}
