package labelled

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"boucle/shared/domain"
)

// complaint is one complaint being written.
type complaint struct {
	id       string
	p        *problem
	part     part // the part it was found on
	number   string
	filed    time.Time
	arrived  time.Time // when the server received the filing
	station  string    // filing station
	filer    string
	lang     int // 0 French, 1 English
	severity domain.Severity
	fate     string     // loop, withdrawn, rejected, duplicate
	dupOf    *complaint // for a duplicate
	linkedAt time.Time  // its corrective action was linked: preventive actions may follow
	stopped  bool       // the history ended before its life did
}

// newComplaint files a defect of p found at t by a station downstream.
func (g *gen) newComplaint(p *problem, t time.Time) *complaint {
	c := &complaint{id: g.w.uuid(t).String(), p: p, part: pick(g.r, p.parts), filed: t, severity: g.severity(), fate: "loop"}
	c.station = g.downstream(p.station)
	c.filer = pick(g.r, operatorsOf[c.station])
	english := 0.2
	if c.filer == "sarah.blanc" { // writes in English
		english = 0.8
	}
	if g.chance(english) {
		c.lang = 1
	}
	c.arrived = g.arrival(c.station, t)
	switch x := g.r.Float64(); {
	case x < 0.04:
		c.fate = "withdrawn"
	case x < 0.09:
		c.fate = "rejected"
	}
	return c
}

// step moves a life on by a delay between lo and hi; false once the
// history has ended.
func (w *writer) step(c *complaint, t *time.Time, lo, hi time.Duration) bool {
	if c.stopped {
		return false
	}
	*t = t.Add(w.g.between(lo, hi))
	if !t.Before(w.g.end) {
		c.stopped = true
	}
	return !c.stopped
}

// live writes one complaint's history: filed, then handled along its
// fate once the server has it.
func (w *writer) live(c *complaint) {
	g := w.g
	eng := engineerOf[c.p.station]
	w.add(c.filed, c.arrived, "ws-"+strings.ToLower(c.station), c.filer, domain.RoleOperator, domain.ComplaintFiled, c.id, w.filing(c))
	t := c.arrived
	ack := domain.DefaultSeverity(c.severity).AckWithin()
	engineer := func(typ domain.EventType, id string, p domain.Payload) {
		w.add(t, t, "eng-"+eng, eng, domain.RoleEngineer, typ, id, p)
	}
	operator := func(typ domain.EventType, p domain.Payload) {
		w.add(t, t, "ws-"+strings.ToLower(c.station), c.filer, domain.RoleOperator, typ, c.id, p)
	}
	switch c.fate {
	case "withdrawn":
		if w.step(c, &t, 2*hour, 2*day) {
			operator(domain.ComplaintWithdrawn, &domain.ReasonPayload{Reason: w.bi(c, "Pièces conformes après re-mesure.", "Parts conform when measured again.")})
		}
		return
	case "rejected":
		if w.step(c, &t, hour, ack) {
			engineer(domain.ComplaintRejected, c.id, &domain.ReasonPayload{Reason: w.bi(c, "Dommage causé à la réception, pas au poste fournisseur.", "Damage done at reception, not by the supplier station.")})
		}
		return
	}
	if !w.step(c, &t, 10*time.Minute, ack) {
		return
	}
	engineer(domain.ComplaintAcknowledged, c.id, &domain.AcknowledgePayload{Deadline: c.filed.Add(domain.DefaultSeverity(c.severity).ResolveWithin()), Assignee: eng})
	if c.fate == "duplicate" {
		if w.step(c, &t, hour, day) {
			engineer(domain.ComplaintMarkedDuplicate, c.id, &domain.DuplicatePayload{Of: c.dupOf.id, Number: c.dupOf.number})
		}
		return
	}
	if !w.step(c, &t, 2*hour, 2*day) {
		return
	}
	engineer(domain.ComplaintAnalysisRecorded, c.id, w.analysis(c))
	if !w.step(c, &t, 2*hour, day) {
		return
	}
	engineer(domain.ComplaintSolutionProposed, c.id, &domain.ProposeSolutionPayload{Options: []domain.SolutionOption{
		{ID: "rework", Text: w.bi(c, "Retoucher les pièces au poste fournisseur", "Rework the parts at the supplier station")},
		{ID: "replace", Text: w.bi(c, "Remplacer le lot", "Replace the lot")}}})
	if !w.step(c, &t, hour, day) {
		return
	}
	operator(domain.ComplaintSolutionChosen, &domain.ChooseSolutionPayload{SolutionID: pick(g.r, []string{"rework", "replace"})})
	if !w.step(c, &t, hour, 6*hour) {
		return
	}
	action := w.uuid(t).String()
	title := w.bi(c, "Corriger : ", "Correct: ") + c.p.whyText(1)
	engineer(domain.ActionAssigned, action, &domain.ActionAssignedPayload{Kind: domain.ActionCorrective, Title: title, Owner: eng,
		Due: t.Add(7 * day).Truncate(hour), ComplaintID: c.id})
	engineer(domain.ComplaintActionLinked, c.id, &domain.LinkActionPayload{ActionID: action, Kind: domain.ActionCorrective, Title: title})
	c.linkedAt = t
	if !w.step(c, &t, 2*hour, 2*day) {
		return
	}
	engineer(domain.ActionStarted, action, &domain.NotePayload{})
	if !w.step(c, &t, day, 6*day) {
		return
	}
	engineer(domain.ActionCompleted, action, &domain.NotePayload{})
	if !w.step(c, &t, 2*hour, 2*day) {
		return
	}
	engineer(domain.ComplaintResolved, c.id, &domain.ResolvePayload{Summary: w.bi(c, "Lot traité, cause corrigée.", "Lot handled, cause corrected.")})
	if !w.step(c, &t, 4*hour, 4*day) {
		return
	}
	operator(domain.ComplaintVerified, &domain.VerifyPayload{Rating: pick(g.r, []int{5, 4, 4, 3, 5, 2})})
}

// whyText is a problem's why of rank i, for titles.
func (p *problem) whyText(i int) string {
	if p.noise > 0 {
		return strings.TrimSuffix(noise[p.noise-1].fr, ".")
	}
	return p.cause.whys[min(i, len(p.cause.whys)-1)]
}

// analysis is what the engineer records: the root cause in their words,
// the 6M family and the whys; a one-off complaint gets a containment only.
func (w *writer) analysis(c *complaint) *domain.AnalysisPayload {
	g := w.g
	if c.p.noise > 0 || g.chance(0.15) {
		contain := w.bi(c, "Pièces isolées et triées.", "Parts set aside and sorted.")
		return &domain.AnalysisPayload{Containment: &contain}
	}
	root := c.p.cause.fr
	if g.chance(0.25) {
		root = c.p.cause.en
	}
	root = w.scribble(root)
	whys := slices.Clone(c.p.cause.whys)
	ish := c.p.cause.ishikawa
	return &domain.AnalysisPayload{RootCause: &root, Whys: &whys, Ishikawa: &ish}
}

// filing is the complaint as the operator types it.
func (w *writer) filing(c *complaint) *domain.ComplaintFiledPayload {
	g := w.g
	p := &domain.ComplaintFiledPayload{Number: c.number, FilingStation: c.station, SupplierStation: c.p.station,
		PartRef: w.partRef(c), Quantity: 1 + g.r.IntN(80), Category: c.p.category, Severity: c.severity,
		Kind: domain.KindComplaint, Description: w.description(c)}
	if g.chance(0.5) {
		p.Lot = fmt.Sprintf("L%s-%02d", c.filed.Format("060102"), 1+g.r.IntN(20))
	}
	if c.dupOf != nil && g.chance(0.5) {
		p.Lot = ""
	}
	// A part made only of spaces passes some versions of the validation
	// and not others: where it does not, the operator types a dash.
	if p.Validate() != nil && strings.TrimSpace(p.PartRef) == "" {
		p.PartRef = "-"
	}
	return p
}

// partRef is the part as the operator writes it: the drawing's reference
// most often, otherwise without its dash, in lower case, with spaces, with
// its designation, with a typo, or a placeholder.
func (w *writer) partRef(c *complaint) string {
	g, ref := w.g, c.part.ref
	letters, digits, _ := strings.Cut(ref, "-")
	switch x := g.r.Float64(); {
	case x < 0.45:
		return ref
	case x < 0.55:
		return letters + digits
	case x < 0.62:
		return strings.ToLower(ref)
	case x < 0.66:
		return strings.ToLower(ref) + " "
	case x < 0.70:
		return letters + " " + digits
	case x < 0.77:
		return ref + " " + c.part.fr
	case x < 0.80:
		return strings.ToLower(letters + digits)
	case x < 0.84:
		return w.typo(ref)
	case x < 0.97:
		return pick(g.r, placeholders)
	}
	return " "
}

// description is what the operator writes: the symptom in one of its
// wordings, sometimes the part's name, how much, where it was seen, what
// it did; with the slips of a shop-floor keyboard.
func (w *writer) description(c *complaint) string {
	g := w.g
	if c.p.noise > 0 {
		n := noise[c.p.noise-1]
		s := n.fr
		if c.lang == 1 {
			s = n.en
		}
		return w.scribble(s)
	}
	m, en := c.p.mode, c.lang == 1
	symptom := pick(g.r, m.fr)
	howMuch, found, impact := pick(g.r, howMuchFR), pick(g.r, foundFR), pick(g.r, impactFR)
	name := c.part.fr
	if en {
		symptom, howMuch, found, impact, name = pick(g.r, m.en), pick(g.r, howMuchEN), pick(g.r, foundEN), pick(g.r, impactEN), c.part.en
	}
	howMuch = quantity(howMuch, 2+g.r.IntN(40))
	if g.chance(0.35) {
		if en {
			symptom += " on the " + strings.ToLower(name)
		} else {
			symptom += " sur " + strings.ToLower(name)
		}
	}
	s := capital(symptom) + ", " + howMuch + ". " + found
	if g.chance(0.3) {
		s = found + " " + capital(symptom) + ", " + howMuch + "."
	}
	if impact != "" && g.chance(0.5) {
		s += " " + impact
	}
	return w.scribble(s)
}

// scribble adds the slips people make: accents dropped, all lower case,
// a typo or two.
func (w *writer) scribble(s string) string {
	g := w.g
	if g.chance(0.25) {
		s = stripAccents(s)
	}
	if g.chance(0.12) {
		s = strings.ToLower(s)
	}
	for range typos(g.r.Float64()) {
		s = w.typoInText(s)
	}
	return s
}

func typos(x float64) int {
	switch {
	case x < 0.08:
		return 2
	case x < 0.3:
		return 1
	}
	return 0
}

// typoInText makes one slip in a word of at least five letters.
func (w *writer) typoInText(s string) string {
	words := strings.Split(s, " ")
	var long []int
	for i, wd := range words {
		if len([]rune(wd)) >= 5 {
			long = append(long, i)
		}
	}
	if len(long) == 0 {
		return s
	}
	i := pick(w.g.r, long)
	words[i] = w.typo(words[i])
	return strings.Join(words, " ")
}

// typo swaps two neighbouring characters, drops one or doubles one.
func (w *writer) typo(s string) string {
	r := []rune(s)
	if len(r) < 3 {
		return s
	}
	i := 1 + w.g.r.IntN(len(r)-2)
	switch w.g.r.IntN(3) {
	case 0:
		r[i], r[i+1] = r[i+1], r[i]
	case 1:
		r = slices.Delete(r, i, i+1)
	default:
		r = slices.Insert(r, i, r[i])
	}
	return string(r)
}

func (w *writer) bi(c *complaint, fr, en string) string {
	if c.lang == 1 {
		return en
	}
	return fr
}

func capital(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

var unaccent = strings.NewReplacer("é", "e", "è", "e", "ê", "e", "à", "a", "â", "a", "ç", "c", "î", "i", "ï", "i", "ô", "o", "û", "u", "ù", "u",
	"É", "E", "À", "A", "œ", "oe")

func stripAccents(s string) string { return unaccent.Replace(s) }
