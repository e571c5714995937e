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
//     prevention, and the action is ineffective.
//
// Everything else is drawn at random: about one complaint in seven is one
// of the plant's chronic defects, the rest one-off problems of the
// catalogue of shared/analytics/labelled, each filed once, so that about
// one complaint in five is truly a recurrence; the dashboard, which finds
// the problems from the data, shows about three in ten
// (TestDemoPlantIsBelievable).
const (
	burrs   = 0 // index in defects: BRK-2041 burrs, CUT1
	spatter = 3 // CHS-5010 weld spatter, WELD3
)

// Story days, from the start of the history.
var (
	burrsDays   = []int{3, 8, 13}
	planDay     = 15
	spatterDays = []int{25, 40, 70} // the action goes on the second
)

// chronicShare is the share of the random complaints that are the plant's
// chronic defects.
const chronicShare = 0.15

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
