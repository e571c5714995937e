package demo

import (
	"slices"
	"strings"
	"time"

	"boucle/shared/analytics/labelled"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// The demo plant tells a story its dashboard shows, amid the everyday
// complaints:
//
//   - burrs on the motor bracket from CUT1 (defects[burrs]) come three
//     times in the first two weeks; a preventive plan naming those
//     complaints is approved and started, and the burrs never come back:
//     the plan is effective;
//   - weld spatter on the frames from WELD3 (defects[spatter]) comes,
//     comes again, and gets a preventive action on its second complaint;
//     three weeks after the action is done it is back: a recurrence after
//     prevention, and the action is ineffective;
//   - in between, spatter written otherwise (beads), the part unknown:
//     when it is filed the software, which knows nothing of its cause yet,
//     does not see the spatter in it; the engineer who acknowledges it
//     moves it to the spatter's problem there and then, saying why. (Once
//     its analysis names the spatter's cause the software would find it
//     too: the correction is worth something only before that.)
//
// Everything else is drawn at random: one complaint in ten is one of the
// plant's chronic defects, the rest one-off problems of the catalogue of
// shared/analytics/labelled, each filed once (then chronic defects again
// when the catalogue runs out), so that about one complaint in five is
// truly a recurrence; the dashboard, which finds the problems from the
// data, shows about one in three (TestDemoPlantIsBelievable).
const (
	burrs   = 0 // index in defects: BRK-2041 burrs, CUT1
	spatter = 3 // CHS-5010 weld spatter, WELD3
)

// Story days, from the start of the history.
var (
	burrsDays   = []int{3, 8, 13}
	planDay     = 15
	spatterDays = []int{25, 40, 70} // the action goes on the second
	beadsDay    = 55
)

// beads is the link an engineer corrects: weld spatter again, written by
// another operator in other words, in English, the part unknown — until
// its cause is known the software does not recognise the spatter in it;
// the engineer who acknowledges it moves it to the spatter's problem
// (complaint.problem_moved).
var beads = defect{supplier: "WELD3", category: "surface", part: "?",
	desc: bi{"Billes de métal collées côté visible du cadre, on les voit à travers la poudre.",
		"Metal beads stuck on the visible side of the frame, they show through the powder coat."},
	containment: bi{"Cadres meulés avant peinture.", "Frames ground before painting."},
	whys:        defects[spatter].whys,
	ishikawa:    defects[spatter].ishikawa,
	root:        defects[spatter].root,
	options:     defects[spatter].options,
	corrective:  defects[spatter].corrective,
	resolution:  defects[spatter].resolution}

// chronicShare is the share of the random complaints that are the plant's
// chronic defects.
const chronicShare = 0.1

// story holds what the random draws and the story's lives share.
type story struct {
	oneOffs []*defect // the catalogue's problems not filed yet, drawn from the end
	spatter []*life   // the spatter complaints, in filing order
}

// storyLives files the story's complaints; they count among the n
// complaints of the history. Each runs the whole loop.
func (g *gen) storyLives() []*life {
	var out []*life
	for _, d := range burrsDays {
		out = append(out, g.newLife(g.workingHour(d), &defects[burrs]))
	}

	for _, d := range spatterDays {
		l := g.newLife(g.workingHour(d), &defects[spatter])
		g.story.spatter = append(g.story.spatter, l)
		out = append(out, l)
	}
	b := g.newLife(g.workingHour(beadsDay), &beads)
	b.lang, b.moveTo = 1, g.story.spatter[0].id // the spatter's problem, named after its first complaint
	out = append(out, b)
	return out
}

// workingHour is a moment of a working day, d days into the history.
func (g *gen) workingHour(d int) time.Time {
	t := g.start.Add(time.Duration(d) * day)
	return time.Date(t.Year(), t.Month(), t.Day(), 7+g.r.IntN(10), g.r.IntN(60), 0, 0, time.UTC)
}

// pickDefect draws the defect of a random complaint: one of the plant's
// chronic defects (not the story's), or a one-off problem never filed
// before.
func (g *gen) pickDefect() *defect {
	if g.chance(chronicShare) || len(g.story.oneOffs) == 0 {
		total := 0
		for i, d := range defects {
			if i != burrs && i != spatter {
				total += d.weight
			}
		}
		k := g.r.IntN(total)
		for i := range defects {
			if i == burrs || i == spatter {
				continue
			}
			if k -= defects[i].weight; k < 0 {
				return &defects[i]
			}
		}
	}
	d := g.story.oneOffs[len(g.story.oneOffs)-1]
	g.story.oneOffs = g.story.oneOffs[:len(g.story.oneOffs)-1]
	return d
}

// oneOffDefects turns the labelled plant's catalogue into defects, in a
// random order, leaving out those on a chronic defect's part and category.
func (g *gen) oneOffDefects() []*defect {
	var out []*defect
	for _, d := range labelled.Defects() {
		sup := d.Supplier
		whys := d.Whys
		cause := bi{d.Cause[0], d.Cause[1]}
		out = append(out, &defect{supplier: sup, category: d.Category, part: d.Part,
			desc:        bi{d.Description[0], d.Description[1]},
			containment: bi{"Lot isolé et trié au poste " + sup + ".", "Lot set aside and sorted at " + sup + "."},
			whys:        [2][]string{whys, whys},
			ishikawa:    d.Ishikawa,
			root:        cause,
			options: [2]bi{{"Retoucher les pièces au poste " + sup, "Rework the parts at " + sup},
				{"Remplacer le lot par des pièces du stock", "Replace the lot from stock"}},
			corrective: bi{short("Traiter la cause : " + strings.ToLower(whys[len(whys)-1])), short("Remove the cause: " + d.Cause[1])},
			resolution: bi{"Lot traité. " + d.Cause[0], "Lot handled. " + d.Cause[1]}})
	}
	g.r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	// None on the part and category of a chronic defect: the same symptom
	// on the same part would be the same problem.
	return slices.DeleteFunc(out, func(d *defect) bool {
		return slices.ContainsFunc(defects, func(c defect) bool {
			return c.supplier == d.supplier && c.category == d.category && strings.Fields(c.part)[0] == strings.Fields(d.part)[0]
		})
	})
}

// short keeps a title within the 120 characters of an action's title.
func short(s string) string {
	if r := []rune(s); len(r) > 110 {
		return string(r[:110]) + "…"
	}
	return s
}

// preventOnce records, on the second spatter complaint, a preventive
// action beside its corrective one, done within two weeks; the spatter
// comes back anyway (the third complaint), and the engineer records the
// action ineffective a day later, naming it.
func (l *life) preventOnce() {
	sp := l.g.story.spatter
	if len(sp) < 3 || l != sp[1] {
		return
	}
	back := sp[2]
	id := newID()
	title := l.text(bi{"Contrôle de niveau d'anti-adhérent sur tous les robots", "Anti-spatter level check on every robot"})
	at := l.at.Add(2 * hour)
	g := l.g
	g.add(at, actorOf(l.engineer),
		boltstore.Command{Type: domain.ActionAssigned, EntityID: id, Payload: &domain.ActionAssignedPayload{
			Kind: domain.ActionPreventive, Title: title, Owner: l.engineer.Login, Due: at.Add(14 * day).Truncate(hour), ComplaintID: l.id}},
		l.cmd(domain.ComplaintActionLinked, &domain.LinkActionPayload{ActionID: id, Kind: domain.ActionPreventive, Title: title}))
	act := func(at time.Time, t domain.EventType, p domain.Payload) {
		g.add(at, actorOf(l.engineer), boltstore.Command{Type: t, EntityID: id, Payload: p})
	}
	act(at.Add(day), domain.ActionStarted, &domain.NotePayload{})
	act(at.Add(9*day), domain.ActionCompleted, &domain.NotePayload{Note: l.text(bi{"Contrôle ajouté au démarrage de chaque robot.", "Check added to every robot's start-up."})})
	act(back.filedAt.Add(day), domain.ActionVerified, &domain.VerdictPayload{Effective: false,
		Note: "Récidive constatée / the spatter is back", Evidence: []string{back.id}})
	l.at = at
}

// moveOnce records the engineer's move of the complaint to the problem
// the software missed, right after acknowledging it: the moment the link
// is wrong, before the analysis names the cause.
func (l *life) moveOnce() {
	if l.moveTo == "" {
		return
	}
	l.step(10*time.Minute, hour, l.engineer, l.cmd(domain.ComplaintProblemMoved, &domain.ProblemDecisionPayload{Problem: l.moveTo,
		Note: l.text(bi{"Des billes de métal sur le cadre, ce sont des projections de soudure de WELD3 : même problème que les projections.",
			"Metal beads on the frame are weld spatter from WELD3: the same problem as the spatter."})}))
}

// trueProblem is the defect whose problem d truly is: the beads are the
// spatter written otherwise.
func trueProblem(d *defect) *defect {
	if d == &beads {
		return &defects[spatter]
	}
	return d
}

// storyDefect reports whether a defect belongs to the story.
func storyDefect(d *defect) bool {
	return d == &defects[burrs] || d == &defects[spatter] || d == &beads
}
