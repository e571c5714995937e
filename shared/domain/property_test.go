package domain_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"boucle/shared/domain"

	"pgregory.net/rapid"
)

// command is one thing a user may try at a workstation.
type command struct {
	author string
	role   domain.Role
	typ    domain.EventType
	id     string
	p      domain.Payload
	then   *command // a follow-up in the same step (assign the action, then link it)
}

// plant is a generated plant: 2–4 workstations, operators and engineers,
// that work offline and sync now and then.
type plant struct {
	w        *world
	reps     []*replica
	next     int // entity counter: ids are unique without coordination, like UUIDs
	accepted int
	refused  int
}

// genStats counts what the generated histories contained, over all cases,
// to show that the generator reaches the interesting states.
type genStats struct {
	histories, events                      int
	conflicts, concurrentFlags, otherFlags int
	closed, reopened, reexamined           int
	approved, effective                    int
}

func (s *genStats) add(states map[domain.EntityKey]*domain.State) {
	s.histories++
	for _, st := range states {
		s.events += st.Meta.Events
		s.conflicts += len(st.Meta.Conflicts)
		for _, f := range st.Meta.Flags {
			if f.Concurrent {
				s.concurrentFlags++
			} else {
				s.otherFlags++
			}
		}
		if c := st.Complaint; c != nil {
			if c.Status == domain.StatusClosed {
				s.closed++
			}
			if c.Reopens > 0 {
				s.reopened++
			}
			if c.Reexaminations > 0 {
				s.reexamined++
			}
		}
		if p := st.Plan; p != nil && len(p.SignOffs) > 0 {
			s.approved++
		}
		if a := st.Action; a != nil && a.Status == domain.ActionStatusEffective {
			s.effective++
		}
	}
}

func (s *genStats) check(t *testing.T) {
	t.Helper()
	t.Logf("generated: %+v", *s)
	if s.histories < 500 { // too few cases (-rapid.checks) to expect every state
		return
	}
	if s.conflicts == 0 || s.concurrentFlags == 0 || s.closed == 0 || s.reopened == 0 || s.reexamined == 0 ||
		s.approved == 0 || s.effective == 0 {
		t.Errorf("the generator does not reach every interesting state: %+v", *s)
	}
}

// genPlant draws the workstations: at least one operator and one engineer.
func genPlant(t *rapid.T) *plant {
	p := &plant{w: newWorld()}
	n := rapid.IntRange(2, 4).Draw(t, "replicas")
	for i := range n {
		role := domain.RoleOperator
		switch {
		case i == 1:
			role = domain.RoleEngineer
		case i > 1 && rapid.Bool().Draw(t, "engineer"):
			role = domain.RoleEngineer
		}
		author := fmt.Sprintf("op%d", i)
		if role == domain.RoleEngineer {
			author = fmt.Sprintf("eng%d", i)
		}
		skew := time.Duration(rapid.IntRange(-120, 120).Draw(t, "skew")) * time.Second
		p.reps = append(p.reps, p.w.replica(fmt.Sprintf("ws%d", i), author, role, skew))
	}
	return p
}

// genHistory runs random steps: a workstation tries a command its local
// state accepts, or two workstations sync. It returns every event recorded.
func genHistory(t *rapid.T) []domain.Event {
	p := genPlant(t)
	steps := rapid.IntRange(30, 150).Draw(t, "steps")
	for range steps {
		if rapid.IntRange(0, 9).Draw(t, "sync?") < 2 {
			a := rapid.IntRange(0, len(p.reps)-1).Draw(t, "sync a")
			b := rapid.IntRange(0, len(p.reps)-1).Draw(t, "sync b")
			if a != b {
				sync(p.reps[a], p.reps[b])
			}
			continue
		}
		r := p.reps[rapid.IntRange(0, len(p.reps)-1).Draw(t, "replica")]
		cmds := p.commands(t, r)
		for c := &cmds[rapid.IntRange(0, len(cmds)-1).Draw(t, "command")]; c != nil; c = c.then {
			if _, err := r.emitAs(c.author, c.role, c.typ, c.id, c.p); err != nil {
				var de *domain.Error
				if !errors.As(err, &de) {
					t.Fatalf("%s: untyped error %v", c.typ, err)
				}
				p.refused++
				break
			}
			p.accepted++
		}
	}
	return union(p.reps...)
}

func (p *plant) newID(prefix string) string {
	p.next++
	return fmt.Sprintf("%s%d", prefix, p.next)
}

// known lists the ids of the entities of a type the replica knows.
func known(r *replica, typ domain.EntityType) []string {
	ids := map[string]bool{}
	for _, e := range r.events {
		if e.EntityType == typ {
			ids[e.EntityID] = true
		}
	}
	return slices.Sorted(maps.Keys(ids))
}

// commands lists what the user of r might try now, given r's local state:
// mostly the natural next steps, so that histories go deep.
func (p *plant) commands(t *rapid.T, r *replica) []command {
	as := func(typ domain.EventType, id string, pl domain.Payload) command {
		return command{author: r.author, role: r.role, typ: typ, id: id, p: pl}
	}
	pick := func(label string, xs ...string) string { return rapid.SampledFrom(xs).Draw(t, label) }
	rarely := func(label string) bool { return rapid.IntRange(0, 9).Draw(t, label) == 9 }
	var cmds []command
	var ids []string // open complaints first: that is where the work is
	for _, id := range known(r, domain.EntityComplaint) {
		if c := r.complaint(id); c != nil && c.Status.Open() {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 || rarely("closed one") {
		ids = known(r, domain.EntityComplaint)
	}
	if len(ids) > 0 {
		id := rapid.SampledFrom(ids).Draw(t, "complaint")
		st := r.state(domain.EntityKey{Type: domain.EntityComplaint, ID: id})
		if k := st.Complaint; k != nil {
			cmds = append(cmds, p.complaintCommands(t, r, as, pick, st, k)...)
		}
	}
	if r.role == domain.RoleOperator && (len(cmds) == 0 || rarely("file")) {
		n := p.newID("c")
		cmds = append(cmds, as(domain.ComplaintFiled, n, &domain.ComplaintFiledPayload{Number: "PRESS2-2026-" + fmt.Sprintf("%04d", p.next),
			FilingStation: "PRESS2", SupplierStation: "CUT1", PartRef: "BRK-1", Quantity: 3, Category: "surface",
			Severity: domain.SeverityMinor, Kind: domain.KindComplaint, Description: "scratches"}))
	}
	if r.role == domain.RoleEngineer {
		if ids := known(r, domain.EntityAction); len(ids) > 0 {
			id := rapid.SampledFrom(ids).Draw(t, "action")
			if st := r.state(domain.EntityKey{Type: domain.EntityAction, ID: id}); st.Action != nil {
				cmds = append(cmds, p.actionCommands(t, r, as, pick, st)...)
			}
		}
		if ids := known(r, domain.EntityPlan); len(ids) > 0 {
			id := rapid.SampledFrom(ids).Draw(t, "plan")
			if st := r.state(domain.EntityKey{Type: domain.EntityPlan, ID: id}); st.Plan != nil {
				cmds = append(cmds, p.planCommands(t, r, as, pick, st)...)
			}
		}
		if rarely("draft") {
			cmds = append(cmds, as(domain.PlanDrafted, p.newID("p"), &domain.PlanContentPayload{Title: "Stop scratches",
				SupplierStation: "CUT1", Categories: []string{"surface"}}))
		}
	}
	if len(cmds) == 0 { // an operator with nothing to do files a message on nothing: refused
		cmds = append(cmds, as(domain.ComplaintMessagePosted, "c0", &domain.MessagePayload{Text: "?"}))
	}
	return cmds
}

type asFunc func(domain.EventType, string, domain.Payload) command
type pickFunc func(string, ...string) string

// resolution returns a conflict resolution for one of the state's
// conflicts, keeping one of the values or a new one.
func resolution(t *rapid.T, as asFunc, st *domain.State, typ domain.EventType) []command {
	if len(st.Meta.Conflicts) == 0 {
		return nil
	}
	c := rapid.SampledFrom(st.Meta.Conflicts).Draw(t, "conflict")
	v := rapid.SampledFrom(c.Values).Draw(t, "keep").Value
	if c.Field == "root_cause" && rapid.Bool().Draw(t, "new value") {
		v = json.RawMessage(`"resolved"`)
	}
	return []command{as(typ, st.Meta.Key.ID, &domain.ResolveConflictPayload{Field: c.Field, Value: v})}
}

func (p *plant) complaintCommands(t *rapid.T, r *replica, as asFunc, pick pickFunc, st *domain.State, k *domain.Complaint) []command {
	id := k.ID
	msg := as(domain.ComplaintMessagePosted, id, &domain.MessagePayload{Text: pick("text", "hello", "any news?"),
		Internal: r.role != domain.RoleOperator && rapid.Bool().Draw(t, "internal")})
	escalate := as(domain.ComplaintEscalated, id, &domain.EscalatePayload{Supervisor: "boss", Reason: "too slow"})
	attach := as(domain.ComplaintAttachmentAdded, id, &domain.AttachmentPayload{Attachment: domain.Attachment{
		SHA256: sha(pick("sha", "1", "2", "3")[0]), Name: "more.jpg", Size: 10}})
	var cmds []command
	chatter := func() []command {
		if k.Status.Open() {
			return append(cmds, msg, escalate, attach)
		}
		return append(cmds, msg)
	}
	if r.role == domain.RoleOperator {
		switch k.Status {
		case domain.StatusNew, domain.StatusAcknowledged:
			if rapid.IntRange(0, 9).Draw(t, "withdraw?") == 9 {
				cmds = append(cmds, as(domain.ComplaintWithdrawn, id, reason("solved it ourselves")))
			}
		case domain.StatusSolutionProposed:
			opt := rapid.SampledFrom(k.Solutions).Draw(t, "option").ID
			for range 3 {
				cmds = append(cmds, as(domain.ComplaintSolutionChosen, id, &domain.ChooseSolutionPayload{SolutionID: opt}))
			}
		case domain.StatusResolved:
			for range 3 {
				cmds = append(cmds, as(domain.ComplaintVerified, id, &domain.VerifyPayload{Rating: rapid.IntRange(1, 5).Draw(t, "rating")}))
			}
			cmds = append(cmds, as(domain.ComplaintReopened, id, reason("still scratched")))
		case domain.StatusClosed:
			cmds = append(cmds, as(domain.ComplaintReopened, id, reason("came back")))
		case domain.StatusRejected:
			cmds = append(cmds, as(domain.ComplaintReexaminationRequested, id, reason("look again")))
		}
		return chatter()
	}
	cmds = append(cmds, resolution(t, as, st, domain.ComplaintConflictResolved)...)
	analysis := func() command {
		a := &domain.AnalysisPayload{}
		for a.Containment == nil && a.Whys == nil && a.Ishikawa == nil && a.RootCause == nil {
			if rapid.Bool().Draw(t, "containment?") {
				a.Containment = ptr(pick("containment", "sort the lot", "stop the line"))
			}
			if rapid.Bool().Draw(t, "whys?") {
				a.Whys = &[]string{pick("why", "worn tool", "bad fixture")}
			}
			if rapid.Bool().Draw(t, "ishikawa?") {
				a.Ishikawa = ptr(rapid.SampledFrom(domain.IshikawaFamilies[:3]).Draw(t, "ishikawa"))
			}
			if rapid.Bool().Draw(t, "root cause?") {
				a.RootCause = ptr(pick("root cause", "worn tool", "wrong setting"))
			}
		}
		return as(domain.ComplaintAnalysisRecorded, id, a)
	}
	deadline := func() time.Time {
		return epoch.Add(time.Duration(rapid.IntRange(1, 3).Draw(t, "days")) * 24 * time.Hour)
	}
	reschedule := as(domain.ComplaintDeadlineRescheduled, id, &domain.ReschedulePayload{Deadline: deadline(), Reason: "parts late"})
	assign := as(domain.ComplaintAssigned, id, &domain.AssignPayload{Assignee: pick("assignee", "eng1", "eng2")})
	link := func(kind domain.ActionKind) command {
		aid := p.newID("a")
		c := as(domain.ActionAssigned, aid, &domain.ActionAssignedPayload{Kind: kind, Title: "fix", Owner: r.author,
			Due: deadline(), ComplaintID: id})
		c.then = ptr(as(domain.ComplaintActionLinked, id, &domain.LinkActionPayload{ActionID: aid, Kind: kind, Title: "fix"}))
		return c
	}
	reject := as(domain.ComplaintRejected, id, reason("not our part"))
	switch k.Status {
	case domain.StatusNew:
		cmds = append(cmds, as(domain.ComplaintAcknowledged, id, &domain.AcknowledgePayload{Deadline: deadline(), Assignee: r.author}),
			as(domain.ComplaintAcknowledged, id, &domain.AcknowledgePayload{Deadline: deadline(), Assignee: r.author}),
			assign)
		if rapid.IntRange(0, 9).Draw(t, "reject?") == 9 {
			cmds = append(cmds, reject, as(domain.ComplaintMarkedDuplicate, id, &domain.DuplicatePayload{Of: "c0"}))
		}
	case domain.StatusAcknowledged:
		cmds = append(cmds, analysis(), analysis(), reschedule, link(domain.ActionContainment))
	case domain.StatusInvestigating:
		cmds = append(cmds, analysis(), analysis(), reschedule, assign, link(domain.ActionContainment),
			as(domain.ComplaintSolutionProposed, id, proposePayload(p.newID("s"), p.newID("s"))),
			as(domain.ComplaintSolutionProposed, id, proposePayload(p.newID("s"))))
	case domain.StatusSolutionProposed:
		cmds = append(cmds, analysis(), reschedule, as(domain.ComplaintSolutionProposed, id, proposePayload(p.newID("s"))))
	case domain.StatusSolutionChosen:
		cmds = append(cmds, link(domain.ActionCorrective), link(domain.ActionPreventive), analysis(),
			as(domain.ComplaintResolved, id, &domain.ResolvePayload{Summary: "done"}))
	case domain.StatusActionsInProgress:
		cmds = append(cmds, link(domain.ActionCorrective), analysis(), reschedule,
			as(domain.ComplaintResolved, id, &domain.ResolvePayload{Summary: "done"}),
			as(domain.ComplaintResolved, id, &domain.ResolvePayload{Summary: "done"}))
	case domain.StatusResolved:
		cmds = append(cmds, assign, link(domain.ActionCorrective))
	}
	return chatter()
}

func (p *plant) actionCommands(t *rapid.T, r *replica, as asFunc, pick pickFunc, st *domain.State) []command {
	id := st.Action.ID
	cmds := resolution(t, as, st, domain.ActionConflictResolved)
	due := epoch.Add(time.Duration(rapid.IntRange(3, 5).Draw(t, "due days")) * 24 * time.Hour)
	switch st.Action.Status {
	case domain.ActionStatusOpen:
		cmds = append(cmds, as(domain.ActionStarted, id, &domain.NotePayload{}), as(domain.ActionCancelled, id, reason("not needed")))
	case domain.ActionStatusInProgress:
		cmds = append(cmds, as(domain.ActionCompleted, id, &domain.NotePayload{Note: "done"}))
	case domain.ActionStatusDone:
		cmds = append(cmds, as(domain.ActionVerified, id, &domain.VerdictPayload{Effective: rapid.Bool().Draw(t, "effective")}))
	}
	if st.Action.Status.Pending() {
		cmds = append(cmds, as(domain.ActionRescheduled, id, &domain.ActionRescheduledPayload{
			Owner: pick("owner", "eng1", "eng2", ""), Due: due, Reason: "holidays"}))
	}
	return cmds
}

func (p *plant) planCommands(t *rapid.T, r *replica, as asFunc, pick pickFunc, st *domain.State) []command {
	pl := st.Plan
	id := pl.ID
	cmds := resolution(t, as, st, domain.PlanConflictResolved)
	manager := func(typ domain.EventType, pl domain.Payload) command {
		return command{author: "mgr", role: domain.RoleManager, typ: typ, id: id, p: pl}
	}
	switch pl.Status {
	case domain.PlanStatusDraft, domain.PlanStatusRejected:
		rev := &domain.PlanContentPayload{Title: pl.Title, Objective: pl.Objective, SupplierStation: pl.SupplierStation,
			Categories: slices.Clone(pl.Categories)}
		switch rapid.IntRange(0, 2).Draw(t, "revision") {
		case 0:
			rev.Title = pick("title", "Stop scratches", "No more scratches", "Scratch-free")
		case 1:
			rev.Objective = pick("objective", "zero", "half")
		case 2:
			rev.Categories = []string{pick("category", "surface", "handling_damage")}
		}
		cmds = append(cmds, as(domain.PlanRevised, id, rev), as(domain.PlanSubmitted, id, &domain.NotePayload{}))
	case domain.PlanStatusSubmitted:
		cmds = append(cmds, manager(domain.PlanApproved, signOff()), manager(domain.PlanRejected, signOff()))
	case domain.PlanStatusApproved:
		cmds = append(cmds, as(domain.PlanStarted, id, &domain.NotePayload{Note: "go"}))
	case domain.PlanStatusInProgress:
		cmds = append(cmds, command{author: "system", role: domain.RoleSystem, typ: domain.PlanEvaluated, id: id,
			p: &domain.VerdictPayload{Effective: rapid.Bool().Draw(t, "plan effective")}})
	}
	return cmds
}

// foldBytes serializes every state.
func foldBytes(t *rapid.T, states map[domain.EntityKey]*domain.State) map[domain.EntityKey]string {
	out := make(map[domain.EntityKey]string, len(states))
	for k, s := range states {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		out[k] = string(b)
	}
	return out
}

// arrival draws the events in some order, some of them twice or more.
func arrival(t *rapid.T, events []domain.Event) []domain.Event {
	out := slices.Clone(events)
	if len(events) > 0 {
		for _, i := range rapid.SliceOfN(rapid.IntRange(0, len(events)-1), 0, len(events)).Draw(t, "duplicates") {
			out = append(out, events[i])
		}
	}
	return rapid.Permutation(out).Draw(t, "arrival")
}

func compareStates(t *rapid.T, what string, want, got map[domain.EntityKey]string) {
	if len(want) != len(got) {
		t.Fatalf("%s: %d entities, want %d", what, len(got), len(want))
	}
	for k, w := range want {
		if got[k] != w {
			t.Fatalf("%s: %s differs\n got: %s\nwant: %s", what, k, got[k], w)
		}
	}
}

// Property: any arrival order, with duplicates, folds to the same bytes,
// with Fold and with FoldEntity.
func TestPropertyFoldIgnoresArrivalOrder(t *testing.T) {
	var stats genStats
	rapid.Check(t, func(t *rapid.T) {
		events := genHistory(t)
		states, unknown := domain.Fold(slices.Clone(events))
		if len(unknown) > 0 {
			t.Fatalf("%d unknown events", len(unknown))
		}
		stats.add(states)
		want := foldBytes(t, states)

		arrived := arrival(t, events)
		got, _ := domain.Fold(arrived)
		compareStates(t, "Fold", want, foldBytes(t, got))

		byKey := map[domain.EntityKey][]domain.Event{}
		for _, e := range arrival(t, events) {
			byKey[e.Key()] = append(byKey[e.Key()], e)
		}
		entities := map[domain.EntityKey]*domain.State{}
		for k, evs := range byKey {
			entities[k] = domain.FoldEntity(k, evs)
		}
		compareStates(t, "FoldEntity", want, foldBytes(t, entities))
	})
	if !t.Failed() {
		stats.check(t)
	}
}

// Property: applying events one by one as they arrive, refolding an entity
// whenever Apply says an event came out of order, ends where a full fold
// of everything does.
func TestPropertyIncrementalEqualsRefold(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := genHistory(t)
		full, _ := domain.Fold(slices.Clone(events))
		want := foldBytes(t, full)

		states := map[domain.EntityKey]*domain.State{}
		received := map[domain.EntityKey][]domain.Event{}
		refolds := 0
		for _, e := range arrival(t, events) {
			k := e.Key()
			received[k] = append(received[k], e)
			s, ok := states[k]
			if !ok {
				s = domain.NewState(k)
				states[k] = s
			}
			switch err := s.Apply(&e); {
			case errors.Is(err, domain.ErrOutOfOrder):
				refolds++
				states[k] = domain.FoldEntity(k, slices.Clone(received[k]))
			case err != nil:
				t.Fatalf("Apply: %v", err)
			}
		}
		compareStates(t, "incremental", want, foldBytes(t, states))
	})
}

// Property: a workstation's local fold, kept up to date by Decide as it
// writes, equals a full refold of the events it knows.
func TestPropertyDecideKeepsLocalFold(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPlant(t)
		for range rapid.IntRange(1, 40).Draw(t, "steps") {
			r := p.reps[rapid.IntRange(0, len(p.reps)-1).Draw(t, "replica")]
			if rapid.IntRange(0, 4).Draw(t, "sync?") == 0 {
				sync(r, p.reps[0])
				continue
			}
			cmds := p.commands(t, r)
			c := cmds[rapid.IntRange(0, len(cmds)-1).Draw(t, "command")]
			_, _ = r.emitAs(c.author, c.role, c.typ, c.id, c.p)
		}
		for _, r := range p.reps {
			for k, cached := range r.states {
				var evs []domain.Event
				for _, e := range r.events {
					if e.Key() == k {
						evs = append(evs, e)
					}
				}
				got, _ := json.Marshal(cached)
				want, _ := json.Marshal(domain.FoldEntity(k, evs))
				if string(got) != string(want) {
					t.Fatalf("%s on %s: local fold\n%s\nrefold\n%s", k, r.id, got, want)
				}
			}
		}
	})
}
