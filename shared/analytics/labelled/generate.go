package labelled

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"boucle/shared/domain"
)

// start is the first day of every generated history: a Monday.
var start = time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)

const (
	hour = time.Hour
	day  = 24 * time.Hour
)

// gen holds a plant being generated.
type gen struct {
	r          *rand.Rand
	start, end time.Time
	problems   []*problem
	complaints []*complaint
	plans      []*plan
	w          writer
	late       struct {
		station  string
		from, to time.Time
	}
	truth Truth
}

// problem is an underlying problem and the complaints it causes.
type problem struct {
	id       string
	station  string
	parts    []part // one, or every part of the station
	mode     *mode
	cause    cause
	noise    int // index into noise + 1; 0 for a real problem
	category string
	// occurrences are the moments a defect of this problem reached a
	// downstream station, before prevention cuts them.
	occurrences []time.Time
	complaints  []*complaint
	stopped     time.Time // prevention held from here: no occurrence after
	prevented   bool      // an effective prevention is scheduled
}

// Generate writes the plant of the seed.
func Generate(seed uint64) *Plant {
	g := &gen{r: rand.New(rand.NewPCG(seed, 0x1abe11ed)), start: start, end: start.Add(Days * day)}
	g.w = writer{g: g}
	g.truth.MeantEffective = map[string]bool{}
	g.pickLateWorkstation()
	g.pickProblems()
	for _, p := range g.problems {
		g.occur(p)
	}
	g.preventiveActions()
	g.planPrevention()
	g.fileComplaints()
	p := &Plant{Seed: seed, Start: g.start, End: g.end}
	p.Late.Station, p.Late.From, p.Late.To = g.late.station, g.late.from, g.late.to
	p.Events, p.Received = g.w.events()
	p.Truth = g.judge(p.Events)
	return p
}

func (g *gen) between(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(g.r.Int64N(int64(hi-lo)+1))
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// day0 returns the moment d days into the history, at a working hour.
func (g *gen) at(d float64) time.Time {
	t := g.start.Add(time.Duration(d * float64(day)))
	return time.Date(t.Year(), t.Month(), t.Day(), 6+g.r.IntN(15), g.r.IntN(60), g.r.IntN(60), 0, time.UTC)
}

// pickLateWorkstation chooses the filing station whose workstation stays
// offline for a month and pushes everything at once when it comes back.
func (g *gen) pickLateWorkstation() {
	g.late.station = pick(g.r, []string{"PRESS2", "WELD3", "PAINT4", "ASSY5"})
	g.late.from = g.at(110 + float64(g.r.IntN(90)))
	g.late.to = g.late.from.Add(g.between(28*day, 34*day))
}

// pickProblems draws the plant's problems from the failure modes of each
// supplier station, each with one of its causes: a cause of the part's
// own (its program, its tool) is one problem per part — so one bracket
// has burrs from its program and holes off position from its program, two
// problems of one category — and a cause of the station (a worn nozzle)
// is one problem on all its parts. Nearly all the possible problems
// happen.
func (g *gen) pickProblems() {
	n := 0
	for i := range modes {
		m := &modes[i]
		// One cause per failure mode: the same symptom on the same part is
		// one problem (issue #11: the same failure on the same product), so
		// two causes of it would be two problems no one could tell apart.
		for _, c := range []cause{pick(g.r, m.causes)} {
			var groups [][]part
			if strings.Contains(c.fr, "%s") {
				for _, pt := range partsOf[m.station] {
					groups = append(groups, []part{pt})
				}
			} else {
				groups = [][]part{partsOf[m.station]}
			}
			for _, parts := range groups {
				if !g.chance(0.97) {
					continue
				}
				n++
				p := &problem{id: fmt.Sprintf("P%03d", n), station: m.station, parts: parts, mode: m, cause: c, category: m.category}
				if len(parts) == 1 {
					p.cause.fr, p.cause.en = fmt.Sprintf(c.fr, parts[0].ref), fmt.Sprintf(c.en, parts[0].ref)
				}
				g.problems = append(g.problems, p)
			}
		}
	}
	// One-off complaints, each a different event: two of them never tell
	// the same story.
	order := g.r.Perm(len(noise))
	for i := range min(30+g.r.IntN(20), len(noise)) {
		station := pick(g.r, stations[:7])
		nz := order[i]
		p := &problem{id: fmt.Sprintf("N%03d", i+1), station: station, parts: partsOf[station],
			noise: nz + 1, category: noise[nz].category}
		p.occurrences = []time.Time{g.at(g.r.Float64() * (Days - 1))}
		g.problems = append(g.problems, p)
	}
}

// occur draws when a real problem's defects reach downstream: a short
// episode, a chronic problem, or one that comes and goes in bursts months
// apart.
func (g *gen) occur(p *problem) {
	if p.noise > 0 {
		return
	}
	var ts []float64
	switch x := g.r.Float64(); {
	case x < 0.4: // an episode: fixed by its corrective action
		s := g.r.Float64() * 255
		ts = append(ts, s)
		for range g.r.IntN(2) {
			ts = append(ts, s+3+g.r.Float64()*30)
		}
	case x < 0.8: // chronic until something holds
		s := g.r.Float64() * 180
		gap := 15 + g.r.Float64()*45
		stop := float64(Days)
		if g.chance(0.25) {
			stop = s + 60 + g.r.Float64()*150 // dies out on its own
		}
		for t := s; t < stop; t += g.r.ExpFloat64() * gap {
			ts = append(ts, t)
		}
	default: // bursts months apart
		t := g.r.Float64() * 90
		for t < Days {
			for range 1 + g.r.IntN(3) {
				ts = append(ts, t+g.r.Float64()*20)
			}
			t += 100 + g.r.Float64()*60
		}
	}
	slices.Sort(ts)
	for _, d := range ts {
		if d < Days-0.5 {
			p.occurrences = append(p.occurrences, g.at(d))
		}
	}
	slices.SortFunc(p.occurrences, time.Time.Compare)
}

// cut drops a problem's occurrences after t: prevention held.
func (p *problem) cut(t time.Time) {
	p.occurrences = slices.DeleteFunc(p.occurrences, func(o time.Time) bool { return o.After(t) })
	p.stopped, p.prevented = t, true
}

// comeBack makes sure the problem shows again within two months after t:
// prevention did not hold.
func (g *gen) comeBack(p *problem, t time.Time) {
	for _, o := range p.occurrences {
		if o.After(t) && o.Sub(t) <= 60*day {
			return
		}
	}
	back := t.Add(g.between(5*day, 55*day))
	if back.Before(g.end.Add(-12 * hour)) {
		p.occurrences = append(p.occurrences, back)
		slices.SortFunc(p.occurrences, time.Time.Compare)
	}
}

// preventiveAction is one preventive action on a complaint: decided at the
// problem's k-th occurrence, done some weeks later.
type preventiveAction struct {
	p         *problem
	at        time.Time // decided on the complaint of this occurrence
	done      time.Duration
	effective bool
	id        string
}

// preventiveActions decides, for the chronic problems, on which of their
// complaints engineers record a preventive action (often not the first),
// whether it holds, and gives some problems a second attempt.
func (g *gen) preventiveActions() {
	for _, p := range g.problems {
		if p.noise > 0 || len(p.occurrences) < 2 || !g.chance(0.55) {
			continue
		}
		k := min(g.r.IntN(4), len(p.occurrences)-1) // 0-based: the first to the fourth complaint
		g.preventOn(p, k, g.chance(0.55))
	}
}

// preventOn schedules a preventive action on the k-th occurrence.
func (g *gen) preventOn(p *problem, k int, effective bool) {
	// The occurrence's time, not its index: a later plan or prevention may
	// still drop or add occurrences of the problem.
	filed := p.occurrences[k]
	a := &preventiveAction{p: p, at: filed, done: g.between(7*day, 30*day), effective: effective}
	doneAt := filed.Add(6*day + a.done) // after the analysis and the solution
	if doneAt.After(g.end) {
		return
	}
	g.w.preventive = append(g.w.preventive, a)
	if effective {
		p.cut(doneAt)
		return
	}
	g.comeBack(p, doneAt)
	if g.chance(0.5) {
		for j, o := range p.occurrences {
			if o.After(doneAt) {
				g.preventOn(p, j, g.chance(0.7))
				return
			}
		}
	}
}

// plan is a preventive plan over one to three problems of a station.
type plan struct {
	id        string
	station   string
	problems  []*problem
	drafted   time.Time
	fate      string // started, approved, submitted, rejected
	effective bool
}

// planPrevention drafts preventive plans over problems still coming back:
// most are approved and started, one waits for approval and one is
// rejected.
func (g *gen) planPrevention() {
	open := map[string][]*problem{}
	for _, p := range g.problems {
		if p.noise == 0 && !p.prevented && len(p.occurrences) >= 3 {
			open[p.station] = append(open[p.station], p)
		}
	}
	fates := []string{"submitted", "rejected", "approved"}
	for range 6 + g.r.IntN(4) {
		fates = append(fates, "started")
	}
	g.r.Shuffle(len(fates), func(i, j int) { fates[i], fates[j] = fates[j], fates[i] })
	for _, fate := range fates {
		station := pick(g.r, stations[:7])
		cands := open[station]
		if len(cands) == 0 {
			continue
		}
		n := min(len(cands), 1+g.r.IntN(3))
		g.r.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
		pl := &plan{station: station, problems: slices.Clone(cands[:n]), fate: fate, effective: g.chance(0.5)}
		open[station] = cands[n:]
		// Drafted after the third occurrence of its first problem.
		pl.drafted = pl.problems[0].occurrences[2].Add(g.between(2*day, 20*day))
		if pl.drafted.After(g.end.Add(-30 * day)) {
			continue
		}
		g.plans = append(g.plans, pl)
		if fate != "started" {
			continue
		}
		startedAt := pl.drafted.Add(8 * day) // submitted, approved and started within a week or so
		for _, p := range pl.problems {
			if pl.effective {
				p.cut(startedAt)
			} else {
				g.comeBack(p, startedAt)
			}
		}
	}
}

// fileComplaints turns occurrences into complaints, adds the duplicates
// people file, and writes every history.
func (g *gen) fileComplaints() {
	for _, p := range g.problems {
		for _, t := range p.occurrences {
			c := g.newComplaint(p, t)
			p.complaints = append(p.complaints, c)
			if g.chance(0.05) { // the same defect filed twice by the station
				d := g.newComplaint(p, t.Add(g.between(2*hour, 3*day)))
				d.dupOf, d.filer, d.station, d.lang, d.part = c, c.filer, c.station, c.lang, c.part
				d.arrived = g.arrival(d.station, d.filed)
				p.complaints = append(p.complaints, d)
			}
		}
	}
	for _, p := range g.problems {
		for _, c := range p.complaints {
			if c.filed.Before(g.end) {
				g.complaints = append(g.complaints, c)
			}
		}
	}
	slices.SortFunc(g.complaints, func(a, b *complaint) int { return a.filed.Compare(b.filed) })
	g.number()
	for _, c := range g.complaints {
		g.w.live(c)
	}
	g.w.writePreventive()
	for _, pl := range g.plans {
		g.w.writePlan(pl)
	}
}

// arrival is when the server receives what a station files at t.
func (g *gen) arrival(station string, t time.Time) time.Time {
	if station == g.late.station && !t.Before(g.late.from) && t.Before(g.late.to) {
		return g.late.to.Add(time.Duration(g.r.IntN(240)) * time.Minute)
	}
	return t
}

// number gives each complaint its number at its filing station, in filing
// order.
func (g *gen) number() {
	next := map[string]int{}
	for _, c := range g.complaints {
		next[c.station]++
		c.number = fmt.Sprintf("%s-%d-%04d", c.station, c.filed.Year(), next[c.station])
	}
}

// severityOf draws a severity: most defects are minor.
func (g *gen) severity() domain.Severity {
	switch x := g.r.Float64(); {
	case x < 0.1:
		return domain.SeverityCritical
	case x < 0.45:
		return domain.SeverityMajor
	}
	return domain.SeverityMinor
}

// downstream picks the station that finds the defect: the next one most
// of the time, sometimes one further down the flow.
func (g *gen) downstream(supplier string) string {
	i := slices.Index(stations, supplier)
	if g.chance(0.8) || i+2 >= len(stations) {
		return stations[i+1]
	}
	return stations[i+2+g.r.IntN(len(stations)-i-2)]
}
