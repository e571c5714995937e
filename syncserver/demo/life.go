package demo

import (
	"fmt"
	"slices"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

const (
	hour = time.Hour
	day  = 24 * time.Hour
)

// life is one complaint's history being written: each step happens some
// time after the previous one; a step that would fall after the end of
// the history stops it, leaving the complaint where it is (recent ones
// are still open, as in a real plant).
type life struct {
	g        *gen
	id       string
	lang     int // 0 French, 1 English
	d        *defect
	filer    User
	engineer User
	severity domain.Severity
	filedAt  time.Time
	at       time.Time
	deadline time.Time
	stopped  bool
	round    int           // solution rounds: option ids differ per round
	slow     time.Duration // delays multiplier: some complaints drag on
	pace     float64       // delays multiplier by severity: critical defects are handled first
	twin     bool          // filed again a few days after the same defect: a duplicate
	moveTo   string        // the problem an engineer moves it to (story.go)
	// the last corrective action, and whether its effectiveness was judged
	lastAction   string
	lastVerified bool
	lastDoneAt   time.Time // when the last corrective action was completed
	linkedAt     time.Time // when the last action was linked to the complaint
}

// step adds what a person does between lo and hi after the previous step;
// false once the history has ended.
func (l *life) step(lo, hi time.Duration, who User, cmds ...boltstore.Command) bool {
	if l.stopped {
		return false
	}
	pace := l.pace
	if pace == 0 {
		pace = 1
	}
	l.at = l.at.Add(time.Duration(float64(l.g.between(lo, hi)*max(l.slow, 1)) * pace))
	if l.at.After(l.g.end) {
		l.stopped = true
		return false
	}
	l.g.add(l.at, actorOf(who), cmds...)
	return true
}

func (l *life) cmd(t domain.EventType, p domain.Payload) boltstore.Command {
	return boltstore.Command{Type: t, EntityID: l.id, Payload: p}
}

func (l *life) text(b bi) string { return b[l.lang] }

func (l *life) pick(list []bi) string { return list[l.g.r.IntN(len(list))][l.lang] }

// complaints writes n complaint histories, filed at random times of the
// working day over the history, against the upstream station; the
// story's complaints (story.go) are among them.
func (g *gen) complaints(n int) {
	g.story.oneOffs = g.oneOffDefects()
	lives := g.storyLives()
	var times []time.Time
	for i := range n - len(lives) {
		from := g.start.Add(2 * day)
		if i%3 == 0 { // a third in the last three weeks: the plant's current work
			from = g.end.Add(-21 * day)
		}
		t := from.Add(time.Duration(g.r.Int64N(int64(g.end.Add(-6 * hour).Sub(from)))))
		t = time.Date(t.Year(), t.Month(), t.Day(), 6+g.r.IntN(14), g.r.IntN(60), 0, 0, time.UTC)
		if t.After(g.end) {
			t = g.end.Add(-time.Hour)
		}
		times = append(times, t)
	}
	sortTimes(times)
	var recent []*life
	for _, t := range times {
		d := g.pickDefect()
		twin := g.chance(0.05)
		if twin { // the station files again what it filed a few days ago
			recent = slices.DeleteFunc(recent, func(o *life) bool { return t.Sub(o.filedAt) > 10*day })
			if len(recent) == 0 {
				twin = false
			} else {
				d = recent[g.r.IntN(len(recent))].d
			}
		}
		l := g.newLife(t, d)
		l.twin = twin
		lives = append(lives, l)
		recent = append(recent, l)
	}
	slices.SortStableFunc(lives, func(a, b *life) int { return a.filedAt.Compare(b.filedAt) })
	for i, l := range lives {
		g.filed = append(g.filed, l)
		switch {
		case storyDefect(l.d):
			l.file()
			l.loop(false)
		case l.twin:
			l.file()
			l.duplicate()
		case n-i == 1 || n-i == 2: // the newest: nobody has answered yet
			l.file()
		case n-i == 3 || n-i == 4: // acknowledged, not yet analysed
			l.file()
			l.acknowledge()
		default:
			l.live()
		}
	}
}

func sortTimes(ts []time.Time) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].Before(ts[j-1]); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

func (g *gen) newLife(at time.Time, d *defect) *life {
	l := &life{g: g, id: newID(), d: d, filedAt: at, at: at, lang: 0, engineer: userByLogin(engineerOf[d.supplier])}
	if g.chance(0.3) {
		l.lang = 1
	}
	l.filer = g.filerAt(downstream(d.supplier), at)
	switch x := g.r.Float64(); {
	case x < 0.12:
		l.severity, l.pace = domain.SeverityCritical, 0.25
	case x < 0.5:
		l.severity, l.pace = domain.SeverityMajor, 0.45
	default:
		l.severity, l.pace = domain.SeverityMinor, 0.8
	}
	l.deadline = at.Add(domain.DefaultSeverity(l.severity).ResolveWithin())
	return l
}

// filerAt is an operator of the station; the leaver only early on.
func (g *gen) filerAt(station string, at time.Time) User {
	var out []User
	// The leaver files early enough for his complaints to close before he goes.
	early := at.Before(g.start.Add(time.Duration(float64(g.end.Sub(g.start))*leaverUntil) - 30*day))
	for _, u := range users {
		if u.Station == station && u.Role == domain.RoleOperator && (u.Login != leaver || early) {
			out = append(out, u)
		}
	}
	return out[g.r.IntN(len(out))]
}

func downstream(supplier string) string {
	for i, s := range stations {
		if s.code == supplier {
			return stations[i+1].code
		}
	}
	panic("demo: no station after " + supplier)
}

// live writes one complaint's history along one of the plant's usual
// paths.
func (l *life) live() {
	l.file()
	switch x := l.g.r.Float64(); {
	case x < 0.05:
		l.withdraw()
	case x < 0.11:
		l.rejectThenMaybeReexamine()
	case x < 0.15:
		l.duplicate()
	case x < 0.27:
		l.stall()
	case x < 0.35:
		l.loop(true) // closed, then reopened
	case x < 0.50:
		l.slow = 2 // a busy engineer: every step takes twice as long
		l.loop(false)
	default:
		l.loop(false)
	}
}

func (l *life) file() {
	p := &domain.ComplaintFiledPayload{FilingStation: l.filer.Station, SupplierStation: l.d.supplier, PartRef: l.d.part,
		Lot: fmt.Sprintf("L%s-%02d", l.filedAt.Format("060102"), 1+l.g.r.IntN(9)), Quantity: 1 + l.g.r.IntN(60),
		Category: l.d.category, Severity: l.severity, Kind: domain.KindComplaint, Description: l.text(l.d.desc)}
	if l.g.chance(0.2) {
		p.Kind, p.Remedy = domain.KindClaim, remedies[l.g.r.IntN(len(remedies))]
	}
	if l.g.chance(0.25) {
		p.Attachments = []domain.Attachment{l.g.photos[l.g.r.IntN(len(l.g.photos))]}
	}
	l.g.add(l.at, actorOf(l.filer), l.cmd(domain.ComplaintFiled, p))
}

// acknowledge answers within the severity's time, announcing the deadline.
func (l *life) acknowledge() bool {
	ack := domain.DefaultSeverity(l.severity).AckWithin()
	return l.step(ack/6, ack, l.engineer, l.cmd(domain.ComplaintAcknowledged,
		&domain.AcknowledgePayload{Deadline: l.deadline, Assignee: l.engineer.Login, Note: l.text(ackNote)}))
}

func (l *life) analyse() bool {
	d := l.d
	whys, root, contain, ish := d.whys[l.lang], l.text(d.root), l.text(d.containment), d.ishikawa
	if !l.step(2*hour, 30*hour, l.engineer, l.cmd(domain.ComplaintAnalysisRecorded, &domain.AnalysisPayload{Containment: &contain})) {
		return false
	}
	if l.g.chance(0.5) { // carried out while the analysis goes on
		l.side(func() { l.action(domain.ActionContainment, contain, 1*day, true) })
	}
	l.message()
	return l.step(4*hour, 3*day, l.engineer, l.cmd(domain.ComplaintAnalysisRecorded,
		&domain.AnalysisPayload{Whys: &whys, Ishikawa: &ish, RootCause: &root}))
}

// message posts a message to the complainant, or an internal note.
func (l *life) message() {
	if l.g.chance(0.4) {
		l.step(hour, 12*hour, l.engineer, l.cmd(domain.ComplaintMessagePosted, &domain.MessagePayload{Text: l.pick(engMessages)}))
	}
	if l.g.chance(0.25) {
		l.step(hour, 12*hour, l.engineer, l.cmd(domain.ComplaintMessagePosted, l.sealedNote(l.pick(internal))))
	}
}

// sealedNote is an internal note sealed under the plant's key, as an
// engineer's workstation records it. Its nonce comes from a counter, so
// the same seed gives the same bytes.
func (l *life) sealedNote(text string) *domain.MessagePayload {
	l.g.notes++
	sealed, err := l.g.keys.SealFixed(l.id, fmt.Sprintf("demo-note-%d", l.g.notes), text)
	if err != nil {
		panic(err) // the keyring is unlocked: Seed checked it
	}
	return &domain.MessagePayload{Internal: true, Sealed: sealed}
}

// solve proposes two options, has the complainant choose one, and assigns
// the corrective action; done reports whether that action was completed.
func (l *life) solve() (done bool) {
	l.round++
	ids := [2]string{fmt.Sprintf("s%d-a", l.round), fmt.Sprintf("s%d-b", l.round)}
	opts := []domain.SolutionOption{{ID: ids[0], Text: l.text(l.d.options[0])}, {ID: ids[1], Text: l.text(l.d.options[1])}}
	if !l.step(4*hour, 2*day, l.engineer, l.cmd(domain.ComplaintSolutionProposed, &domain.ProposeSolutionPayload{Options: opts})) {
		return false
	}
	choice := ids[l.g.r.IntN(2)]
	if !l.step(2*hour, 2*day, l.filer, l.cmd(domain.ComplaintSolutionChosen, &domain.ChooseSolutionPayload{SolutionID: choice, Comment: l.pick(opMessages)})) {
		return false
	}
	// The lot is dealt with while the corrective action runs its course:
	// the complaint is resolved once the action is assigned, not done.
	linked := false
	l.side(func() {
		l.action(domain.ActionCorrective, l.text(l.d.corrective), l.g.between(4*day, 10*day), false)
		linked = !l.linkedAt.IsZero()
	})
	if !linked {
		return false
	}
	l.preventOnce()
	return true
}

// side runs part of the history on a timeline of its own (an action
// carried out while the complaint moves on) and comes back to the main one
// just after the action was linked to the complaint.
func (l *life) side(run func()) {
	at, stopped := l.at, l.stopped
	l.linkedAt = time.Time{}
	run()
	l.at, l.stopped = at, stopped
	if !l.linkedAt.IsZero() {
		l.at = l.linkedAt
	}
}

// action assigns an action on the complaint and carries it out, unless
// the history ends first; it reports whether the action was completed.
func (l *life) action(kind domain.ActionKind, title string, due time.Duration, quick bool) bool {
	id := newID()
	owner := l.engineer
	if !quick && l.g.chance(0.3) {
		owner = userByLogin(users[2+l.g.r.IntN(3)].Login)
	}
	assigned := boltstore.Command{Type: domain.ActionAssigned, EntityID: id, Payload: &domain.ActionAssignedPayload{
		Kind: kind, Title: title, Owner: owner.Login, Due: l.at.Add(due).Truncate(hour), ComplaintID: l.id}}
	linked := l.cmd(domain.ComplaintActionLinked, &domain.LinkActionPayload{ActionID: id, Kind: kind, Title: title})
	if !l.step(hour, 6*hour, l.engineer, assigned, linked) {
		return false
	}
	l.linkedAt = l.at
	dueAt := l.at.Add(due)
	act := func(lo, hi time.Duration, t domain.EventType, p domain.Payload) bool {
		return l.step(lo, hi, owner, boltstore.Command{Type: t, EntityID: id, Payload: p})
	}
	if quick && l.g.chance(0.15) {
		return act(2*hour, day, domain.ActionCancelled, &domain.ReasonPayload{Reason: "Lot déjà consommé / lot already used up"})
	}
	if !quick {
		l.lastAction, l.lastVerified = id, false
		if !act(2*hour, day, domain.ActionStarted, &domain.NotePayload{}) {
			return false
		}
	}
	late := l.g.chance(0.15)
	if late && !act(due, due+2*day, domain.ActionRescheduled, &domain.ActionRescheduledPayload{Due: dueAt.Add(5 * day).Truncate(hour), Reason: l.text(rescheduleBy)}) {
		return false
	}
	span := due * 2 / 3
	if late {
		span = 3 * day
	}
	if !act(span/3, span, domain.ActionCompleted, &domain.NotePayload{Note: l.text(l.d.resolution)}) {
		return false
	}
	if !quick {
		l.lastDoneAt = l.at
	}
	if l.g.chance(0.35) && act(2*day, 10*day, domain.ActionVerified, &domain.VerdictPayload{Effective: true, Note: "Aucune récidive / no recurrence"}) {
		l.lastVerified = !quick
	}
	return !l.stopped
}

// loop is the whole loop: acknowledged, analysed, solved, resolved,
// verified and rated; reopened once when it comes back.
func (l *life) loop(reopened bool) {
	if !l.acknowledge() {
		return
	}
	l.moveOnce()
	if !l.analyse() {
		return
	}
	if l.g.chance(0.15) {
		l.deadline = l.deadline.Add(5 * day)
		l.step(hour, day, l.engineer, l.cmd(domain.ComplaintDeadlineRescheduled, &domain.ReschedulePayload{Deadline: l.deadline, Reason: l.text(rescheduleBy)}))
	}
	if !l.solve() || !l.resolveAndVerify() {
		return
	}
	if !reopened {
		return
	}
	if !l.step(3*day, 12*day, l.filer, l.cmd(domain.ComplaintReopened, &domain.ReasonPayload{Reason: l.text(reopenWhy)})) {
		return
	}
	if !l.lastVerified && !l.lastDoneAt.IsZero() && l.lastDoneAt.Before(l.at) { // the defect came back: the corrective action did not work
		l.step(hour, day, l.engineer, boltstore.Command{Type: domain.ActionVerified, EntityID: l.lastAction,
			Payload: &domain.VerdictPayload{Effective: false, Note: "Récidive constatée / the defect came back", Evidence: []string{l.id}}})
	}
	whys := l.d.whys[l.lang]
	if !l.step(4*hour, 2*day, l.engineer, l.cmd(domain.ComplaintAnalysisRecorded, &domain.AnalysisPayload{Whys: &whys})) {
		return
	}
	if l.solve() {
		l.resolveAndVerify()
	}
}

func (l *life) resolveAndVerify() bool {
	l.message()
	if !l.step(4*hour, 2*day, l.engineer, l.cmd(domain.ComplaintResolved, &domain.ResolvePayload{Summary: l.text(l.d.resolution)})) {
		return false
	}
	ratings := []int{5, 5, 5, 4, 4, 4, 4, 3, 3, 2, 1}
	return l.step(4*hour, 5*day, l.filer, l.cmd(domain.ComplaintVerified,
		&domain.VerifyPayload{Rating: ratings[l.g.r.IntN(len(ratings))], Comment: l.pick(verifyNotes)}))
}

// stall: acknowledged and analysed, then nothing; the deadline passes, the
// software escalates, and the complainant too.
func (l *life) stall() {
	if !l.acknowledge() || !l.analyse() {
		return
	}
	if l.g.chance(0.5) && !l.solve() {
		return
	}
	past := l.deadline.Add(time.Hour).Sub(l.at)
	if past < time.Hour {
		past = time.Hour
	}
	l.pace, l.slow = 1, 0 // the deadline passes at its own pace
	if !l.step(past, past, User{Login: "system", Role: domain.RoleSystem},
		l.cmd(domain.ComplaintEscalated, &domain.EscalatePayload{Supervisor: manager, Reason: "Deadline passed without resolution", Automatic: true})) {
		return
	}
	l.step(hour, 2*day, l.filer, l.cmd(domain.ComplaintEscalated, &domain.EscalatePayload{Supervisor: manager, Reason: l.text(escalateWhy)}))
	if l.g.chance(0.5) {
		l.step(hour, day, userByLogin(manager), l.cmd(domain.ComplaintMessagePosted, &domain.MessagePayload{Text: l.pick(engMessages)}))
	}
}

func (l *life) withdraw() {
	l.step(2*hour, day, l.filer, l.cmd(domain.ComplaintWithdrawn, &domain.ReasonPayload{Reason: l.text(withdrawWhy)}))
}

// rejectThenMaybeReexamine: the engineer rejects it; half the time the
// complainant asks for a re-examination with evidence, and the loop runs.
func (l *life) rejectThenMaybeReexamine() {
	if !l.step(2*hour, day, l.engineer, l.cmd(domain.ComplaintRejected, &domain.ReasonPayload{Reason: l.text(rejectWhy)})) {
		return
	}
	if l.g.chance(0.5) {
		return
	}
	if l.step(4*hour, 2*day, l.filer, l.cmd(domain.ComplaintReexaminationRequested, &domain.ReasonPayload{Reason: l.text(reexamineWhy)})) {
		l.loop(false)
	}
}

// duplicate: the same defect was already filed by the station.
func (l *life) duplicate() {
	for i := len(l.g.filed) - 2; i >= 0; i-- {
		if o := l.g.filed[i]; o.d == l.d && o.filer.Station == l.filer.Station {
			l.step(hour, day, l.engineer, l.cmd(domain.ComplaintMarkedDuplicate, &domain.DuplicatePayload{Of: o.id}))
			return
		}
	}
	l.loop(false)
}
