package syncserver_test

import (
	"context"
	"testing"

	"boucle/shared/domain"
	"boucle/syncserver"
)

// electedOnce answers one election, then ends the server's Run: Run asks
// at once, before its first tick, so the test sees exactly one round of
// background work, with no timing involved.
type electedOnce struct {
	lead   bool
	err    error
	stop   context.CancelFunc
	called int
}

func (e *electedOnce) Leading(context.Context) (bool, error) {
	e.called++
	e.stop()
	return e.lead, e.err
}

// Of several instances on one plant, only the leader records the
// effectiveness verdicts; the others leave them to it.
func TestOnlyTheLeaderRecordsVerdicts(t *testing.T) {
	cases := []struct {
		name    string
		lead    bool
		err     error
		outcome domain.PlanStatus
	}{
		{"Leader", true, nil, domain.PlanStatusIneffective},
		{"Follower", false, nil, domain.PlanStatusInProgress},
		{"DatabaseUnreachable", false, domain.Errorf(domain.EUnavailable, "the database cannot be reached"), domain.PlanStatusInProgress},
	}
	onEachStore(t, func(t *testing.T, on adapter) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				election := &electedOnce{lead: tc.lead, err: tc.err, stop: cancel}
				h := on.harness(t, func(c *syncserver.Config) { c.Leadership = election })
				preventionPlant(t, h) // plan-bad's verdict is due: ineffective

				h.srv.Run(ctx) // returns once the election has answered

				if election.called != 1 {
					t.Fatalf("the election was asked %d times, want 1", election.called)
				}
				if got := state(t, h, domain.EntityPlan, "plan-bad").Plan.Status; got != tc.outcome {
					t.Fatalf("plan-bad = %s, want %s", got, tc.outcome)
				}
			})
		}
	})
}
