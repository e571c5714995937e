package syncserver

import (
	"context"
	"fmt"
	"strings"
	"time"

	"boucle/shared/analytics"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// Effectiveness measured from the data, recorded by the system: the server
// measures every preventive plan in progress and every preventive action
// done (docs/kpis.md, "Effectiveness") and, once a verdict is final —
// ineffective as soon as a complaint of its scope comes within the window,
// effective when the window ends without one — records it for everyone to
// see: plan.evaluated for a plan (which closes it as effective or
// ineffective), action.effectiveness_measured for an action (beside the
// people's verdict, its status unchanged). Each verdict is recorded once:
// a plan no longer in progress, an action already measured, is skipped.

// systemActor records what the software decides on a rule. The server's
// own events are not pushed, so they skip the push's author check; a
// workstation pushing a system event must author it SystemLogin too.
var systemActor = boltstore.Actor{Login: SystemLogin, Role: domain.RoleSystem}

// evaluateBatch bounds one recording transaction: a first run over a large
// plant records thousands of verdicts without holding the writer long.
const evaluateBatch = 500

// EvaluateEffectiveness records the verdicts that became final at now and
// returns how many it recorded. Run calls it every Config.EvaluateEvery
// with the server's clock; tests call it with the moment they need.
func (s *Server) EvaluateEffectiveness(now time.Time) (int, error) {
	ctx := context.Background() // background work, hourly
	heard, err := s.heardFromDevices(ctx, now)
	if err != nil {
		return 0, err
	}
	if err := s.views.CatchUp(ctx); err != nil {
		return 0, err
	}
	sn, err := s.reports.get(false)
	if err != nil {
		return 0, err
	}
	cmds := DueVerdicts(sn.ds, sn.in, s.cfg.Analytics, now, heard)
	recorded := 0
	for len(cmds) > 0 {
		batch := cmds[:min(evaluateBatch, len(cmds))]
		cmds = cmds[len(batch):]
		n, err := s.recordVerdicts(ctx, batch)
		recorded += n
		if err != nil {
			return recorded, err
		}
	}
	if recorded > 0 {
		s.log.Info("effectiveness measured from the data", "verdicts", recorded)
	}
	return recorded, nil
}

// DueVerdicts lists the verdicts that are final at now and not recorded
// yet, measured on ds (built from in): the pure core of
// EvaluateEffectiveness, which the labelled plant's test replays day by
// day. A verdict waits until nothing can undo it (verdictwait.go): an
// effective one until every workstation has been heard from since its
// window ended (heard), an ineffective one until one of its evidence is
// settled and firmly linked to its problem.
func DueVerdicts(ds *analytics.Dataset, in analytics.Input, set analytics.Settings, now, heard time.Time) []boltstore.Command {
	measured := map[string]bool{}
	for i := range in.Actions {
		if in.Actions[i].MeasuredEffective != nil {
			measured[in.Actions[i].ID] = true
		}
	}
	status := make(map[string]domain.ComplaintStatus, len(in.Complaints))
	for i := range in.Complaints {
		status[in.Complaints[i].ID] = in.Complaints[i].Status
	}
	var cmds []boltstore.Command
	for _, e := range ds.Effectiveness(analytics.Filter{}, set, now) {
		switch {
		case e.Verdict == analytics.Pending,
			e.Verdict == analytics.Effective && e.WindowEnd.After(heard),
			e.Verdict == analytics.Ineffective && !settledEvidence(firmEvidence(ds.Problems(), e.Evidence), status),
			e.Subject == analytics.SubjectPlan && e.Recorded != string(domain.PlanStatusInProgress),
			e.Subject == analytics.SubjectAction && measured[e.ID]:
			continue // not final yet, or recorded already (checked again when recording)
		}
		p := &domain.VerdictPayload{Effective: e.Verdict == analytics.Effective, Note: verdictNote(ds, &e, set), Evidence: e.Evidence}
		typ := domain.PlanEvaluated
		if e.Subject == analytics.SubjectAction {
			typ = domain.ActionEffectivenessMeasured
		}
		cmds = append(cmds, boltstore.Command{Type: typ, EntityID: e.ID, Payload: p})
	}
	return cmds
}

// recordVerdicts records the verdicts whose subject still awaits one, in
// one transaction, checking each against the current state: the snapshot
// the verdicts were measured on may be a moment old, and someone may have
// evaluated a plan by hand since.
func (s *Server) recordVerdicts(ctx context.Context, cmds []boltstore.Command) (int, error) {
	// A new event names the entity's heads as parents: fold what awaits
	// projection first, or it would look concurrent with it.
	if err := s.views.CatchUp(ctx); err != nil {
		return 0, err
	}
	n := 0
	err := s.access.UpdateAccess(ctx, func(t AccessTx) error {
		n = 0
		for _, cmd := range cmds {
			due, err := awaitsVerdict(t, cmd)
			if err != nil {
				return err
			}
			if !due {
				continue
			}
			if err := t.RecordServerEvent(systemActor, cmd); err != nil {
				return fmt.Errorf("recording %s on %s: %w", cmd.Type, cmd.EntityID, err)
			}
			n++
		}
		return nil
	})
	return n, err
}

// awaitsVerdict reports whether the subject of a verdict still awaits one:
// a plan in progress, a preventive action done (whatever people found) not
// measured yet.
func awaitsVerdict(t stateReader, cmd boltstore.Command) (bool, error) {
	if cmd.Type == domain.PlanEvaluated {
		st, err := t.State(domain.EntityKey{Type: domain.EntityPlan, ID: cmd.EntityID})
		if err != nil {
			return false, err
		}
		return st.Plan.Status == domain.PlanStatusInProgress, nil
	}
	st, err := t.State(domain.EntityKey{Type: domain.EntityAction, ID: cmd.EntityID})
	if err != nil {
		return false, err
	}
	switch a := st.Action; a.Status {
	case domain.ActionStatusDone, domain.ActionStatusEffective, domain.ActionStatusIneffective:
		return a.MeasuredEffective == nil, nil
	}
	return false, nil
}

// verdictNote says what was measured, for the timeline: in one sentence,
// then, for an ineffective verdict, which complaints are the evidence and
// why each belongs to the problem.
func verdictNote(ds *analytics.Dataset, e *analytics.Effectiveness, set analytics.Settings) string {
	window := set.EffectivenessWindow
	if window <= 0 {
		window = analytics.DefaultSettings().EffectivenessWindow
	}
	scope := fmt.Sprintf("%s (%s)", e.SupplierStation, strings.Join(e.Categories, ", "))
	if len(e.Problems) > 0 { // the rule of issue 11: the complaints of the problems it addresses
		ids := make([]string, len(e.Problems))
		for i, p := range e.Problems {
			ids[i] = string(p)
		}
		scope = fmt.Sprintf("problem %s of %s", strings.Join(ids, ", "), e.SupplierStation)
	}
	from, to := e.DoneAt.UTC().Format(time.DateOnly), e.WindowEnd.UTC().Format(time.DateOnly)
	if e.Verdict == analytics.Effective {
		return truncate(fmt.Sprintf("No complaint of %s in the %d days from %s to %s.", scope, int(window/analytics.Day), from, to), 4000)
	}
	return truncate(fmt.Sprintf("%d complaint(s) of %s within %d days after %s; the window ends %s.%s",
		e.EvidenceCount, scope, int(window/analytics.Day), from, to, evidenceNote(ds, e)), 4000)
}

// noteEvidence is how many evidence complaints a note names.
const noteEvidence = 5

// evidenceNote names the first evidence complaints by number, each with
// how it came to be of the problem: an engineer's decision, or the
// proposal's score and reasons.
func evidenceNote(ds *analytics.Dataset, e *analytics.Effectiveness) string {
	if len(e.Evidence) == 0 {
		return ""
	}
	ps := ds.Problems()
	parts := make([]string, 0, noteEvidence)
	for _, id := range e.Evidence[:min(noteEvidence, len(e.Evidence))] {
		number := id
		if c, ok := ds.Complaint(id); ok && c.Number != "" {
			number = c.Number
		}
		parts = append(parts, number+" ("+linkWords(ps, id)+")")
	}
	more := ""
	if n := e.EvidenceCount - len(parts); n > 0 {
		more = fmt.Sprintf(" and %d more", n)
	}
	return " Evidence: " + strings.Join(parts, ", ") + more + "."
}

// linkWords says in a few words why a complaint is of its problem.
func linkWords(ps *analytics.Problems, id string) string {
	_, pr := ps.ProblemOf(id)
	if pr.Decided {
		return "placed by an engineer"
	}
	var why []string
	for _, r := range pr.Reasons {
		if r.Weight <= 0 {
			continue
		}
		w, ok := reasonWords[r.Code]
		if !ok {
			w = string(r.Code)
		}
		if r.Detail != "" {
			w += " (" + r.Detail + ")"
		}
		why = append(why, w)
	}
	return fmt.Sprintf("proposed, score %.2f: %s", pr.Score, strings.Join(why, ", "))
}

// reasonWords are the English words of the proposal's reasons
// (docs/kpis.md, "Problems").
var reasonWords = map[analytics.ReasonCode]string{
	analytics.ReasonSamePart:        "same part",
	analytics.ReasonPartTypo:        "part one typing slip away",
	analytics.ReasonSimilarText:     "similar description",
	analytics.ReasonSameCategory:    "same category",
	analytics.ReasonSameCauseFamily: "same 6M family",
	analytics.ReasonSimilarCause:    "similar root cause",
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// Run does the server's background work until ctx ends: it measures the
// effectiveness of prevention at once and every Config.EvaluateEvery (on
// the plant's leader only, instances.go), and
// rebuilds the reports' dataset off the request path when the log has
// changed and gone quiet (requests still rebuild it themselves when they
// find it stale). The serve command runs it beside the HTTP server and
// cancels ctx on shutdown, before closing the store.
func (s *Server) Run(ctx context.Context) {
	evaluate := time.NewTicker(s.cfg.EvaluateEvery)
	defer evaluate.Stop()
	warm := time.NewTicker(reportWarmTick)
	defer warm.Stop()
	s.evaluateIfLeading(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-evaluate.C:
			s.evaluateIfLeading(ctx)
		case <-warm.C:
			s.background("rebuilding the reports' dataset", func() error { return s.reports.warm(s.now()) })
			s.groupReports.dropIdle(s.now())
		}
	}
}

// background runs one step of Run, logging its failure; a store closed
// under it (shutdown) is not one.
func (s *Server) background(what string, step func() error) {
	if err := step(); err != nil && !s.views.IsClosed(err) {
		s.log.Error(what, "err", err)
	}
}
