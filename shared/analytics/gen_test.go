package analytics_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// genPlant is a synthetic plant for the benchmarks: n complaints over the
// year 2025 between eight stations, with the actions, plans, reopenings and
// escalations their events would have produced. It builds folded states
// directly (replaying ~1M events through the fold would only slow the
// benchmarks' set-up); events counts how many events those states stand for.
type genPlant struct {
	in     analytics.Input
	now    time.Time
	events int
}

var (
	genStations = []string{"DECOUPE", "EMBOUT", "PRESSE", "SOUDURE", "PEINT", "MONTAGE", "CONTROLE", "EXPED"}
	genStart    = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	genEnd      = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

// genDefects are description openings by category, French and English.
var genDefects = map[string][]string{
	"surface":         {"rayures profondes", "rayure légère", "éraflures", "traces de graisse", "peinture écaillée", "scratches", "scratched surface", "coulures de peinture", "piqûres", "aspect terne"},
	"dimensional":     {"cote hors tolérance", "diamètre trop grand", "perçage décalé", "longueur trop courte", "out of tolerance", "hole misaligned", "planéité non conforme", "filetage abîmé", "épaisseur insuffisante", "wrong diameter"},
	"missing_part":    {"vis manquante", "écrou absent", "missing screw", "mauvaise référence", "wrong part", "rondelle manquante", "clip absent", "joint manquant"},
	"contamination":   {"copeaux dans le logement", "huile sur les pièces", "poussière", "chips in the bore", "oil contamination", "résidus de soudure", "calamine"},
	"handling_damage": {"pièce tordue", "chocs de manutention", "bent bracket", "dented cover", "bosse sur le bord", "emballage déchiré", "dropped parts"},
	"labelling":       {"étiquette illisible", "étiquette manquante", "wrong label", "mauvais lot indiqué", "fiche suiveuse absente", "code barre illisible"},
	"quantity":        {"quantité incorrecte", "pièces en moins", "short delivery", "surplus de pièces", "bac incomplet"},
	"late_delivery":   {"livraison en retard", "late delivery", "rupture en ligne", "attente de pièces", "retard de lot"},
	"functional":      {"fuite au test", "leak at test", "couple de serrage insuffisant", "bruit anormal", "soudure cassée", "cracked weld", "grippage"},
	"other":           {"problème divers", "anomalie constatée", "non-conformité", "other issue"},
}

var (
	genWhere = []string{"sur le carter", "sur la bride", "on the housing", "sur le support moteur", "sur la face avant", "on the bracket", "au fond du bac", "sur le couvercle", "côté opérateur", "on the flange", "sur l'axe", "dans l'alésage"}
	genWhen  = []string{"constaté au contrôle réception", "found at incoming inspection", "vu en début de poste", "détecté par l'opérateur", "lot entier concerné", "pièces mises en quarantaine", "seen on the line", "plusieurs bacs touchés", "retouche impossible", "tri à 100 % lancé"}
	genKinds = []domain.Kind{domain.KindComplaint, domain.KindComplaint, domain.KindComplaint, domain.KindClaim}
)

// genCategories weights the categories as a plant would see them.
var genCategories = []string{"surface", "surface", "surface", "dimensional", "dimensional", "dimensional", "missing_part", "missing_part",
	"contamination", "handling_damage", "handling_damage", "labelling", "quantity", "late_delivery", "functional", "other"}

func generatePlant(n int, seed uint64) *genPlant {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	g := &genPlant{now: genEnd}
	for _, s := range genStations {
		g.in.Stations = append(g.in.Stations, domain.Station{Code: s, Name: strings.ToLower(s)})
	}
	g.in.Categories = domain.DefaultCategories
	span := genEnd.Sub(genStart)
	for i := range n {
		c := g.complaint(r, i, genStart.Add(time.Duration(r.Int64N(int64(span)))).Truncate(time.Millisecond))
		g.in.Complaints = append(g.in.Complaints, c)
	}
	for i := range g.in.Complaints {
		g.actions(r, &g.in.Complaints[i])
	}
	g.plans(r, n/300)
	return g
}

func (g *genPlant) complaint(r *rand.Rand, i int, filed time.Time) domain.Complaint {
	si := r.IntN(len(genStations) - 1)
	if r.IntN(10) == 0 {
		si = r.IntN(len(genStations) - 1)
	}
	cat := genCategories[r.IntN(len(genCategories))]
	sev := domain.Severities[min(r.IntN(10)/4, 2)]
	c := domain.Complaint{
		ID: fmt.Sprintf("c%06d", i), Number: fmt.Sprintf("%s-2025-%05d", genStations[si+1], i),
		FilingStation: genStations[si+1], SupplierStation: genStations[si],
		PartRef: fmt.Sprintf("P-%04d", 1000+r.IntN(400)), Lot: fmt.Sprintf("L%05d", r.IntN(30000)),
		Quantity: 1 + r.IntN(200), Category: cat, Severity: sev, Kind: genKinds[r.IntN(len(genKinds))],
		Description: genDescription(r, cat), FiledBy: fmt.Sprintf("op%02d", r.IntN(60)), FiledAt: filed,
		Status: domain.StatusNew, StatusChangedAt: filed,
	}
	g.events++
	g.lifecycle(r, &c)
	return c
}

func genDescription(r *rand.Rand, cat string) string {
	d := genDefects[cat]
	parts := []string{d[r.IntN(len(d))], genWhere[r.IntN(len(genWhere))]}
	if r.IntN(2) == 0 {
		parts = append(parts, genWhen[r.IntN(len(genWhen))])
	}
	if r.IntN(3) == 0 {
		parts = append(parts, fmt.Sprintf("machine M%02d", r.IntN(60)))
	}
	return strings.Join(parts, ", ")
}

// lifecycle moves the complaint along its loop as its events would have:
// most are closed by the end of the year; a few are rejected, marked
// duplicate, withdrawn, reopened or escalated.
func (g *genPlant) lifecycle(r *rand.Rand, c *domain.Complaint) {
	switch x := r.IntN(100); {
	case x < 2:
		c.Status, c.DuplicateOf = domain.StatusDuplicate, "c000000"
		g.events++
		return
	case x < 3:
		c.Status, c.WithdrawnReason = domain.StatusWithdrawn, "erreur de saisie"
		g.events++
		return
	}
	ack := c.FiledAt.Add(time.Duration(1+r.IntN(48*60)) * time.Minute)
	if ack.After(g.now) {
		return
	}
	cfg := domain.DefaultSeverity(c.Severity)
	c.Status, c.AcknowledgedAt, c.AcknowledgedBy = domain.StatusAcknowledged, ack, "eng01"
	c.Deadline = c.FiledAt.Add(cfg.ResolveWithin())
	c.Assignee = fmt.Sprintf("eng%02d", r.IntN(20))
	g.events++
	if r.IntN(100) < 3 {
		c.Status, c.RejectionReason = domain.StatusRejected, "conforme au plan"
		g.events++
		return
	}
	if r.IntN(100) < 8 {
		c.Escalations = append(c.Escalations, domain.Escalation{By: "system", Supervisor: "mgr01", Reason: "deadline", Automatic: true, At: c.Deadline})
		g.events++
	}
	resolved := c.FiledAt.Add(time.Duration(2+r.IntN(14*24)) * time.Hour)
	if resolved.After(g.now) {
		c.Status = domain.StatusInvestigating
		g.events += 2
		return
	}
	c.Status, c.ResolvedAt, c.Resolution = domain.StatusResolved, resolved, "tri et reprise"
	g.events += 5 // analysis, proposal, choice, action link, resolution
	if r.IntN(100) < 6 {
		c.Reopens++
		resolved = resolved.Add(time.Duration(24+r.IntN(7*24)) * time.Hour)
		c.ResolvedAt = resolved
		g.events += 2
	}
	closed := resolved.Add(time.Duration(1+r.IntN(72)) * time.Hour)
	if closed.After(g.now) {
		return
	}
	c.Status, c.ClosedAt, c.Rating = domain.StatusClosed, closed, genRating(r)
	g.events++
}

func genRating(r *rand.Rand) int {
	return []int{1, 2, 3, 3, 4, 4, 4, 5, 5, 5}[r.IntN(10)]
}

// actions gives a complaint its containment, corrective and preventive
// actions, most done, some late.
func (g *genPlant) actions(r *rand.Rand, c *domain.Complaint) {
	if c.AcknowledgedAt.IsZero() || !c.Status.Open() && c.Status != domain.StatusClosed {
		return
	}
	kinds := []domain.ActionKind{domain.ActionContainment}
	if r.IntN(10) < 6 {
		kinds = append(kinds, domain.ActionCorrective)
	}
	if r.IntN(10) < 3 {
		kinds = append(kinds, domain.ActionPreventive)
	}
	for j, k := range kinds {
		a := domain.Action{ID: fmt.Sprintf("%s-a%d", c.ID, j), Kind: k, Title: string(k) + " " + c.Number,
			Owner: fmt.Sprintf("eng%02d", r.IntN(20)), Due: c.AcknowledgedAt.Add(time.Duration(1+r.IntN(30)) * Day),
			ComplaintID: c.ID, Status: domain.ActionStatusOpen, AssignedBy: "eng01", AssignedAt: c.AcknowledgedAt}
		c.Actions = append(c.Actions, domain.ActionLink{ID: a.ID, Kind: k, Title: a.Title})
		g.events += 2 // assigned, linked
		done := a.AssignedAt.Add(time.Duration(1+r.IntN(40*24)) * time.Hour)
		if done.Before(g.now) && r.IntN(10) < 9 {
			a.Status, a.StartedAt, a.DoneAt = domain.ActionStatusDone, a.AssignedAt.Add(time.Hour), done
			g.events += 2
		}
		g.in.Actions = append(g.in.Actions, a)
	}
}

const Day = analytics.Day

// plans drafts n preventive plans, each against the station and category
// of a few complaints, approved and mostly started.
func (g *genPlant) plans(r *rand.Rand, n int) {
	cs := g.in.Complaints
	for i := range n {
		seed := &cs[r.IntN(len(cs))]
		p := domain.Plan{ID: fmt.Sprintf("plan%04d", i), Title: "Prévention " + seed.Category + " " + seed.SupplierStation,
			SupplierStation: seed.SupplierStation, Categories: []string{seed.Category}, Complaints: []string{seed.ID},
			Status: domain.PlanStatusApproved, DraftedBy: "eng01", DraftedAt: seed.FiledAt.Add(3 * Day)}
		approved := p.DraftedAt.Add(2 * Day)
		p.SubmittedAt = p.DraftedAt.Add(Day)
		p.SignOffs = []domain.SignOff{{Decision: domain.PlanStatusApproved, By: "mgr01", Role: domain.RoleManager, At: approved, Meaning: "approve"}}
		g.events += 3
		if started := approved.Add(Day); started.Before(g.now) && r.IntN(10) < 8 {
			p.Status, p.StartedAt = domain.PlanStatusInProgress, started
			g.events++
		}
		g.in.Plans = append(g.in.Plans, p)
	}
}
