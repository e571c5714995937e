package syncserver

import (
	"context"
	"time"

	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// A verdict recorded by the system is recorded once, so the server records
// it only when nothing can undo it:
//
//   - "effective" rests on complaints that did not come, and a workstation
//     offline for weeks may hold one, filed within the window, that the
//     server has not seen yet: it is recorded once every workstation that
//     may still push has been heard from since the window ended;
//   - "ineffective" rests on a complaint that came, and a complaint can
//     still be rejected, withdrawn or marked duplicate until its
//     investigation is over, and a complaint the proposal joined to the
//     problem by a narrow margin is the one an engineer is likeliest to
//     move: it is recorded once one of its evidence is settled and firmly
//     linked (settled, firmEvidence).

// maxSilence is how long a workstation may stay unheard before it stops
// holding verdicts back: one silent for two months is lost or retired,
// and verdicts cannot wait for it forever.
const maxSilence = 60 * 24 * time.Hour

// heardUntil returns the moment up to which every workstation that may
// still push has been heard from: the earliest LastSeen (its enrolment if
// never seen) among the devices not revoked and heard from within
// maxSilence; now when there is none. LastSeen lags by up to
// lastSeenEvery, which only makes the wait a little longer.
func heardUntil(devices []Device, now time.Time) time.Time {
	until := now
	for _, d := range devices {
		seen := d.LastSeen
		if seen.IsZero() {
			seen = d.Enrolled
		}
		if d.Revoked || now.Sub(seen) > maxSilence {
			continue
		}
		if seen.Before(until) {
			until = seen
		}
	}
	return until
}

// heardFromDevices reads the devices and returns heardUntil at now. It is
// read before the snapshot the verdicts are measured on, so that what a
// device pushed before it was last seen is in the snapshot.
func (s *Server) heardFromDevices(ctx context.Context, now time.Time) (time.Time, error) {
	var devices []Device
	err := s.access.ViewAccess(ctx, func(t AccessTx) (err error) {
		devices, err = t.Devices()
		return err
	})
	return heardUntil(devices, now), err
}

// settled reports whether a complaint of that status can no longer stop
// being a real occurrence: past its investigation, it can no longer be
// rejected, withdrawn or marked duplicate.
func settled(s domain.ComplaintStatus) bool {
	switch s {
	case domain.StatusNew, domain.StatusAcknowledged, domain.StatusInvestigating,
		domain.StatusRejected, domain.StatusDuplicate, domain.StatusWithdrawn:
		return false
	}
	return true
}

// settledEvidence reports whether one of the complaints is settled.
func settledEvidence(ids []string, status map[string]domain.ComplaintStatus) bool {
	for _, id := range ids {
		if settled(status[id]) {
			return true
		}
	}
	return false
}

// firmLink is the proposal's score from which the system records
// "ineffective" on a complaint's link to its problem: a clear margin above
// the ProposalThreshold at which a complaint joins. Evidence joined by a
// narrower margin is shown as evidence everywhere, but the recorded
// verdict waits for an engineer to confirm its problem, or for firmer
// evidence. (On the labelled plants of seeds 1 to 6, the server's recorded
// verdicts were right 234 times in 251; waiting for firm evidence, 234 in
// 245: the six verdicts it no longer records were all wrong.)
const firmLink = analytics.ProposalThreshold + 0.2

// firmEvidence keeps the complaints an engineer placed in their problem
// and those the proposal joined with a score of firmLink or more.
func firmEvidence(ps *analytics.Problems, ids []string) []string {
	var out []string
	for _, id := range ids {
		if _, pr := ps.ProblemOf(id); pr.Decided || pr.Score >= firmLink {
			out = append(out, id)
		}
	}
	return out
}
