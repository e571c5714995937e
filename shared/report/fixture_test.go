package report_test

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"boucle/shared/domain"
	"boucle/shared/hlc"
	"boucle/shared/report"

	"github.com/google/uuid"
)

// paris is the plant's zone in the fixtures: dates in the documents are
// checked in it.
var paris = mustZone("Europe/Paris")

func mustZone(name string) *time.Location {
	z, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return z
}

// users, stations and categories of the fixture plant.
var (
	fixtureUsers = []domain.User{
		{Login: "c.lefevre", DisplayName: "Camille Lefèvre", Role: domain.RoleOperator, Station: "PEINT"},
		{Login: "a.benali", DisplayName: "Amine Benali", Role: domain.RoleEngineer, Station: "QUALITE"},
		{Login: "j.moreau", DisplayName: "Julie Moreau", Role: domain.RoleEngineer, Station: "PRESSE2"},
		{Login: "t.nguyen", DisplayName: "Thành Nguyễn", Role: domain.RoleEngineer, Station: "PRESSE2"},
		{Login: "s.girard", DisplayName: "Sophie Girard", Role: domain.RoleManager},
		{Login: "f.roux", DisplayName: "François Roux", Role: domain.RoleManager},
		{Login: "m.dubois", DisplayName: "Marc Dubois", Role: domain.RoleEngineer, Station: "SOUD"},
		{Login: "l.garcia", DisplayName: "Lucía García", Role: domain.RoleEngineer, Station: "USIN"},
		{Login: "k.haddad", DisplayName: "Karim Haddad", Role: domain.RoleEngineer, Station: "EMB"},
	}
	fixtureStations = []domain.Station{
		{Code: "PEINT", Name: "Peinture"}, {Code: "PRESSE2", Name: "Presse 2"}, {Code: "SOUD", Name: "Soudure robotisée"},
		{Code: "USIN", Name: "Usinage"}, {Code: "EMB", Name: "Emballage et expédition"}, {Code: "MONT", Name: "Montage final"},
		{Code: "QUALITE", Name: "Laboratoire qualité"},
	}
)

func fixtureDirectory() *report.Directory {
	return report.NewDirectory(fixtureUsers, fixtureStations, domain.DefaultCategories)
}

// recorder emits events as workstations would: each replica its own
// sequence, the clock moving forward, every event naming the entity's
// latest event as parent, so the fold sees no concurrency.
type recorder struct {
	tb     testing.TB
	now    time.Time
	seq    map[string]uint64
	heads  map[domain.EntityKey]uuid.UUID
	n      uint64
	events []domain.Event
}

func newRecorder(tb testing.TB, start time.Time) *recorder {
	return &recorder{tb: tb, now: start, seq: map[string]uint64{}, heads: map[domain.EntityKey]uuid.UUID{}}
}

// emit records an event after some time has passed.
func (r *recorder) emit(after time.Duration, replica, author string, role domain.Role, t domain.EventType, entity string, p domain.Payload) {
	r.tb.Helper()
	r.now = r.now.Add(after)
	e, err := domain.NewEvent(t, entity, p)
	if err != nil {
		r.tb.Fatal(err)
	}
	r.n++
	// Deterministic UUIDv7: the time in the first 48 bits, the counter in
	// the random part.
	binary.BigEndian.PutUint64(e.ID[:8], uint64(r.now.UnixMilli())<<16)
	binary.BigEndian.PutUint64(e.ID[8:], r.n)
	e.ID[6], e.ID[7], e.ID[8] = 0x70, 0, 0x80
	r.seq[replica]++
	e.HLC, e.Replica, e.Seq, e.Author, e.Role = hlc.FromTime(r.now), replica, r.seq[replica], author, role
	if h, ok := r.heads[e.Key()]; ok {
		e.Parents = []uuid.UUID{h}
	}
	if err := domain.Validate(&e); err != nil {
		r.tb.Fatalf("%s: %v", t, err)
	}
	r.heads[e.Key()] = e.ID
	r.events = append(r.events, e)
}

func str(s string) *string { return &s }

const (
	complaintID = "0192f0aa-0000-7000-8000-000000000042"
	planID      = "plan-garnitures-presse2"
)

var sha = func(seed string) string {
	return fmt.Sprintf("%064x", []byte(seed))[:64]
}

// eightDFixture is a realistic complaint handled end to end: filed with
// evidence, escalated, acknowledged, contained, analysed (5 whys, 6M),
// two solutions proposed and one chosen, corrective and preventive actions
// done and verified, a preventive plan approved, resolved and rated.
func eightDFixture(tb testing.TB) report.EightD {
	r := newRecorder(tb, time.Date(2026, 3, 2, 7, 40, 0, 0, time.UTC))
	const op, eng, eng2, eng3, mgr = "c.lefevre", "a.benali", "j.moreau", "t.nguyen", "s.girard"
	const wsPeint, wsQual, wsPresse, wsDir, srv = "ws-peint-01", "ws-qualite-02", "ws-presse2-01", "ws-direction", "server"
	cf := domain.ComplaintFiled
	r.emit(0, wsPeint, op, domain.RoleOperator, cf, complaintID, &domain.ComplaintFiledPayload{
		Number: "PEINT-2026-0042", FilingStation: "PEINT", SupplierStation: "PRESSE2", PartRef: "CARTER-7710-B",
		Lot: "L2603-17", Quantity: 120, Category: "surface", Severity: domain.SeverityMajor, Kind: domain.KindClaim,
		Remedy: domain.RemedySorting,
		Description: "Rayures profondes sur la face visible du carter, côté fixation : 120 pièces sur 400 du lot L2603-17. " +
			"Les rayures traversent l'apprêt, les pièces ne sont pas peignables en l'état. Ligne de peinture arrêtée 40 minutes " +
			"le temps de trier le conteneur. Photos jointes (vue d'ensemble et détail au grossissement ×10).",
		Attachments: []domain.Attachment{
			{SHA256: sha("photo-ensemble"), Name: "rayures-vue-ensemble.jpg", Size: 2_411_520, MediaType: "image/jpeg"},
			{SHA256: sha("photo-detail"), Name: "rayures-détail-x10.jpg", Size: 1_198_080, MediaType: "image/jpeg"},
		}})
	r.emit(20*time.Minute, wsPeint, op, domain.RoleOperator, domain.ComplaintAttachmentAdded, complaintID, &domain.AttachmentPayload{
		Attachment: domain.Attachment{SHA256: sha("fiche-tri"), Name: "fiche de tri PEINT 02-03.pdf", Size: 84_000, MediaType: "application/pdf"}})
	r.emit(8*time.Hour, srv, "boucle", domain.RoleSystem, domain.ComplaintEscalated, complaintID, &domain.EscalatePayload{
		Supervisor: "f.roux", Reason: "Délai de prise en compte dépassé (8 h pour une gravité majeure).", Automatic: true})
	r.emit(25*time.Minute, wsQual, eng, domain.RoleEngineer, domain.ComplaintAcknowledged, complaintID, &domain.AcknowledgePayload{
		Deadline: r.now.Add(5 * 24 * time.Hour), Assignee: eng, Note: "Je passe à la presse 2 ce matin."})
	r.emit(30*time.Minute, wsQual, eng, domain.RoleEngineer, domain.ActionAssigned, "act-tri", &domain.ActionAssignedPayload{
		Kind: domain.ActionContainment, Title: "Tri à 100 % du stock PRESSE2 et des en-cours", Owner: eng2,
		Description: "Trier le stock tampon (3 conteneurs) et l'en-cours de la presse ; isoler les pièces rayées en zone rouge.",
		Due:         r.now.Add(24 * time.Hour), ComplaintID: complaintID})
	r.emit(time.Minute, wsQual, eng, domain.RoleEngineer, domain.ComplaintActionLinked, complaintID, &domain.LinkActionPayload{
		ActionID: "act-tri", Kind: domain.ActionContainment, Title: "Tri à 100 % du stock PRESSE2 et des en-cours"})
	r.emit(5*time.Minute, wsQual, eng, domain.RoleEngineer, domain.ComplaintAnalysisRecorded, complaintID, &domain.AnalysisPayload{
		Containment: str("Tri à 100 % du stock tampon et de l'en-cours ; pièces rayées isolées en zone rouge ; contrôle visuel renforcé à la sortie presse jusqu'à nouvel ordre.")})
	r.emit(40*time.Minute, wsPresse, eng2, domain.RoleEngineer, domain.ActionStarted, "act-tri", &domain.NotePayload{})
	r.emit(6*time.Hour, wsPresse, eng2, domain.RoleEngineer, domain.ActionCompleted, "act-tri", &domain.NotePayload{
		Note: "1 240 pièces triées, 37 rayées isolées."})
	r.emit(20*time.Hour, wsQual, eng, domain.RoleEngineer, domain.ComplaintAnalysisRecorded, complaintID, &domain.AnalysisPayload{
		Whys: &[]string{
			"Pourquoi les carters sont-ils rayés ? Le poinçon P-12 frotte la face visible à la remontée.",
			"Pourquoi le poinçon frotte-t-il ? La garniture du dévêtisseur est usée de 0,8 mm.",
			"Pourquoi la garniture est-elle usée ? Elle n'a pas été changée depuis 140 000 frappes.",
			"Pourquoi n'a-t-elle pas été changée ? Elle ne figure pas dans le plan de maintenance préventive.",
			"Pourquoi n'y figure-t-elle pas ? L'outil a été modifié en 2024 sans mise à jour de la gamme de maintenance.",
		}})
	r.emit(10*time.Minute, wsQual, eng, domain.RoleEngineer, domain.ComplaintAnalysisRecorded, complaintID, &domain.AnalysisPayload{
		Ishikawa:  ptr(domain.IshikawaMachine),
		RootCause: str("Garniture du dévêtisseur de l'outil P-12 usée, absente du plan de maintenance préventive depuis la modification de l'outil en 2024."),
	})
	r.emit(15*time.Minute, wsQual, eng, domain.RoleEngineer, domain.ComplaintMessagePosted, complaintID, &domain.MessagePayload{
		Text: "Cause trouvée : garniture usée sur l'outil P-12. Deux solutions vous sont proposées ci-dessous.", Internal: false})
	r.emit(5*time.Minute, wsQual, eng, domain.RoleEngineer, domain.ComplaintSolutionProposed, complaintID, &domain.ProposeSolutionPayload{
		Options: []domain.SolutionOption{
			{ID: "s1", Text: "Remplacer la garniture du dévêtisseur, ajouter un contrôle visuel toutes les 100 pièces pendant un mois, et inscrire la garniture au plan de maintenance (toutes les 20 000 frappes)."},
			{ID: "s2", Text: "Remplacer l'outil P-12 complet par l'outil de secours (arrêt presse de 2 jours)."},
		}})
	r.emit(3*time.Hour, wsPeint, op, domain.RoleOperator, domain.ComplaintSolutionChosen, complaintID, &domain.ChooseSolutionPayload{
		SolutionID: "s1", Comment: "D'accord pour s1, à condition que le contrôle visuel soit tracé."})
	r.emit(30*time.Minute, wsQual, eng, domain.RoleEngineer, domain.ActionAssigned, "act-garniture", &domain.ActionAssignedPayload{
		Kind: domain.ActionCorrective, Title: "Remplacer la garniture du dévêtisseur de l'outil P-12", Owner: eng2,
		Due: r.now.Add(2 * 24 * time.Hour), ComplaintID: complaintID})
	r.emit(time.Minute, wsQual, eng, domain.RoleEngineer, domain.ComplaintActionLinked, complaintID, &domain.LinkActionPayload{
		ActionID: "act-garniture", Kind: domain.ActionCorrective, Title: "Remplacer la garniture du dévêtisseur de l'outil P-12"})
	r.emit(2*time.Minute, wsQual, eng, domain.RoleEngineer, domain.ActionAssigned, "act-controle", &domain.ActionAssignedPayload{
		Kind: domain.ActionCorrective, Title: "Contrôle visuel tracé toutes les 100 pièces pendant un mois", Owner: eng3,
		Due: r.now.Add(3 * 24 * time.Hour), ComplaintID: complaintID})
	r.emit(time.Minute, wsQual, eng, domain.RoleEngineer, domain.ComplaintActionLinked, complaintID, &domain.LinkActionPayload{
		ActionID: "act-controle", Kind: domain.ActionCorrective, Title: "Contrôle visuel tracé toutes les 100 pièces pendant un mois"})
	r.emit(2*time.Minute, wsQual, eng, domain.RoleEngineer, domain.ActionAssigned, "act-maintenance", &domain.ActionAssignedPayload{
		Kind: domain.ActionPreventive, Title: "Inscrire la garniture au plan de maintenance (20 000 frappes)", Owner: eng2,
		Due: r.now.Add(10 * 24 * time.Hour), ComplaintID: complaintID, PlanID: planID})
	r.emit(time.Minute, wsQual, eng, domain.RoleEngineer, domain.ComplaintActionLinked, complaintID, &domain.LinkActionPayload{
		ActionID: "act-maintenance", Kind: domain.ActionPreventive, Title: "Inscrire la garniture au plan de maintenance (20 000 frappes)"})
	r.emit(18*time.Hour, wsPresse, eng2, domain.RoleEngineer, domain.ActionStarted, "act-garniture", &domain.NotePayload{})
	r.emit(3*time.Hour, wsPresse, eng2, domain.RoleEngineer, domain.ActionCompleted, "act-garniture", &domain.NotePayload{
		Note: "Garniture remplacée, 50 pièces de validation conformes."})
	r.emit(2*time.Hour, wsPresse, eng3, domain.RoleEngineer, domain.ActionStarted, "act-controle", &domain.NotePayload{})
	r.emit(26*time.Hour, wsQual, eng, domain.RoleEngineer, domain.ActionVerified, "act-garniture", &domain.VerdictPayload{
		Effective: true, Note: "Aucune rayure sur 3 200 pièces depuis le remplacement."})
	r.emit(time.Hour, wsQual, eng, domain.RoleEngineer, domain.ComplaintResolved, complaintID, &domain.ResolvePayload{
		Summary: "Garniture du dévêtisseur remplacée sur l'outil P-12 ; contrôle visuel tracé toutes les 100 pièces jusqu'au 3 avril ; garniture inscrite au plan de maintenance préventive."})
	r.emit(5*time.Hour, wsPeint, op, domain.RoleOperator, domain.ComplaintVerified, complaintID, &domain.VerifyPayload{
		Rating: 4, Comment: "Plus de rayures depuis le changement ; merci pour la réactivité. Le tri initial a été un peu long."})
	r.emit(2*time.Hour, wsPresse, eng3, domain.RoleEngineer, domain.ActionCompleted, "act-controle", &domain.NotePayload{
		Note: "Fiches de contrôle archivées."})
	planEvents(r, eng, mgr, wsQual, wsDir)
	return finishEightD(tb, r)
}

// planEvents drafts, approves and starts the preventive plan.
func planEvents(r *recorder, eng, mgr, wsQual, wsDir string) {
	r.emit(time.Hour, wsQual, eng, domain.RoleEngineer, domain.PlanDrafted, planID, &domain.PlanContentPayload{
		Title: "Maintenance préventive des garnitures — PRESSE2", SupplierStation: "PRESSE2",
		Objective:  "Plus aucune rayure de dévêtisseur sur les carters pendant 90 jours.",
		Categories: []string{"surface", "dimensional"}, Complaints: []string{complaintID}, Actions: []string{"act-maintenance"}})
	r.emit(time.Hour, wsQual, eng, domain.RoleEngineer, domain.PlanSubmitted, planID, &domain.NotePayload{})
	r.emit(20*time.Hour, wsDir, mgr, domain.RoleManager, domain.PlanApproved, planID, &domain.SignOffPayload{
		Meaning: "J'approuve ce plan et les moyens associés", Comment: "Budget garnitures validé pour l'année."})
	r.emit(2*time.Hour, wsQual, eng, domain.RoleEngineer, domain.PlanStarted, planID, &domain.NotePayload{})
}

// finishEightD folds the recorded events into the 8D's input.
func finishEightD(tb testing.TB, r *recorder) report.EightD {
	tb.Helper()
	states, unknown := domain.Fold(r.events)
	if len(unknown) > 0 {
		tb.Fatalf("%d unknown events", len(unknown))
	}
	in := report.EightD{Directory: fixtureDirectory(), Lang: report.French, Location: paris,
		GeneratedAt: time.Date(2026, 3, 9, 17, 0, 0, 0, time.UTC)}
	for k, s := range states {
		if len(s.Meta.Flags) > 0 || len(s.Meta.Conflicts) > 0 {
			tb.Fatalf("%s: flags %+v conflicts %+v", k, s.Meta.Flags, s.Meta.Conflicts)
		}
		switch {
		case s.Complaint != nil:
			in.Complaint = s
		case s.Action != nil:
			in.Actions = append(in.Actions, *s.Action)
		case s.Plan != nil:
			in.Plans = append(in.Plans, *s.Plan)
		}
	}
	slices.SortFunc(in.Actions, func(a, b domain.Action) int { return a.AssignedAt.Compare(b.AssignedAt) })
	for _, e := range r.events {
		if e.EntityType != domain.EntityPlan {
			in.Timeline = append(in.Timeline, report.TimelineEvent{Event: e})
		}
	}
	domain.SortEvents(r.events)
	return in
}

func ptr[T any](v T) *T { return &v }

// plantFixture is a plant's first quarter of 2026: n complaints filed over
// January to March by seven stations, categories in Pareto proportions,
// most handled in days, some rejected, reopened or escalated, with their
// actions (some overdue at the end of March) and a year of preventive
// plans. Seeded: the same n gives the same plant.
func plantFixture(n int) (complaints []domain.Complaint, actions []domain.Action, plans []domain.Plan) {
	rng := rand.New(rand.NewPCG(42, uint64(n)))
	start := time.Date(2026, 1, 1, 6, 0, 0, 0, paris)
	span := time.Date(2026, 4, 1, 0, 0, 0, 0, paris).Sub(start) - 18*time.Hour
	counters := map[string]int{}
	for i := range n {
		c := randomComplaint(rng, start.Add(time.Duration(rng.Int64N(int64(span)))), i)
		counters[c.FilingStation]++
		c.Number = fmt.Sprintf("%s-2026-%04d", c.FilingStation, counters[c.FilingStation])
		complaints = append(complaints, c)
		actions = append(actions, randomActions(rng, &complaints[len(complaints)-1])...)
	}
	return complaints, actions, fixturePlans()
}

var (
	suppliers  = []string{"PRESSE2", "PRESSE2", "PRESSE2", "SOUD", "SOUD", "USIN", "USIN", "PEINT", "EMB", "MONT"}
	clients    = map[string]string{"PRESSE2": "SOUD", "SOUD": "PEINT", "USIN": "MONT", "PEINT": "MONT", "EMB": "MONT", "MONT": "EMB"}
	categories = []string{"surface", "surface", "surface", "surface", "dimensional", "dimensional", "dimensional",
		"labelling", "labelling", "missing_part", "handling_damage", "contamination", "quantity", "functional", "late_delivery", "other"}
	owners       = []string{"a.benali", "j.moreau", "t.nguyen", "a.benali", "j.moreau", "m.dubois", "l.garcia", "k.haddad"}
	descriptions = []string{
		"Rayures profondes sur la face visible du carter.", "Cote de perçage hors tolérance (+0,3 mm) sur le diamètre 12.",
		"Étiquette illisible, référence client absente.", "Vis manquante sur l'ensemble support, deux pièces par bac.",
		"Bavures sur l'arête de découpe, blessantes au montage.", "Traces d'huile sur les pièces avant peinture.",
		"Emballage écrasé, pièces déformées à la réception.", "Soudure incomplète sur le cordon arrière.",
	}
)

func randomComplaint(rng *rand.Rand, filed time.Time, i int) domain.Complaint {
	sup := suppliers[rng.IntN(len(suppliers))]
	c := domain.Complaint{ID: fmt.Sprintf("c%05d", i), FilingStation: clients[sup], SupplierStation: sup,
		PartRef: fmt.Sprintf("REF-%03d", rng.IntN(40)), Lot: fmt.Sprintf("L%04d", rng.IntN(9000)), Quantity: 1 + rng.IntN(300),
		Category: categories[rng.IntN(len(categories))], Severity: domain.Severities[rng.IntN(3)], Kind: domain.KindComplaint,
		Description: descriptions[rng.IntN(len(descriptions))], FiledBy: "c.lefevre", FiledAt: filed.UTC(),
		Status: domain.StatusNew, StatusChangedAt: filed.UTC()}
	end := time.Date(2026, 4, 1, 0, 0, 0, 0, paris)
	switch r := rng.IntN(100); {
	case r < 3:
		c.Status, c.RejectionReason = domain.StatusRejected, "Pièce conforme au plan."
		return c
	case r < 5:
		c.Status, c.DuplicateOf = domain.StatusDuplicate, "c00000"
		return c
	}
	ack := filed.Add(time.Duration(1+rng.ExpFloat64()*6*float64(time.Hour)) + 20*time.Minute)
	if ack.After(end) {
		return c
	}
	c.Status, c.AcknowledgedAt, c.AcknowledgedBy, c.Assignee = domain.StatusInvestigating, ack.UTC(), "a.benali", owners[rng.IntN(len(owners))]
	c.Deadline = filed.Add(time.Duration(3+rng.IntN(6)) * 24 * time.Hour).UTC()
	if rng.IntN(10) == 0 {
		c.Escalations = []domain.Escalation{{By: "boucle", Supervisor: "s.girard", Reason: "Délai dépassé", Automatic: true, At: ack.UTC()}}
	}
	resolved := ack.Add(time.Duration((0.5 + rng.ExpFloat64()*4) * 24 * float64(time.Hour)))
	if resolved.After(end) {
		c.Status = domain.StatusActionsInProgress
		return c
	}
	c.Status, c.ResolvedAt, c.Resolution = domain.StatusResolved, resolved.UTC(), "Cause supprimée, pièces triées."
	if rng.IntN(20) == 0 {
		c.Reopens = 1
	}
	if closed := resolved.Add(time.Duration(2+rng.IntN(40)) * time.Hour); closed.Before(end) && rng.IntN(10) < 8 {
		c.Status, c.ClosedAt, c.Rating = domain.StatusClosed, closed.UTC(), []int{2, 3, 4, 4, 4, 5, 5, 5, 1, 4}[rng.IntN(10)]
	}
	return c
}

func randomActions(rng *rand.Rand, c *domain.Complaint) []domain.Action {
	if c.AcknowledgedAt.IsZero() {
		return nil
	}
	var out []domain.Action
	for k, kind := range domain.ActionKinds[:1+rng.IntN(3)] {
		a := domain.Action{ID: fmt.Sprintf("%s-a%d", c.ID, k), Kind: kind, Title: "Action " + string(kind) + " " + c.Number,
			Owner: owners[rng.IntN(len(owners))], ComplaintID: c.ID, Status: domain.ActionStatusOpen,
			AssignedBy: "a.benali", AssignedAt: c.AcknowledgedAt, Due: c.AcknowledgedAt.Add(time.Duration(2+rng.IntN(12)) * 24 * time.Hour)}
		if !c.ResolvedAt.IsZero() {
			a.Status, a.DoneAt = domain.ActionStatusDone, c.ResolvedAt.Add(-time.Hour)
		} else if rng.IntN(2) == 0 {
			a.Status = domain.ActionStatusInProgress
		}
		c.Actions = append(c.Actions, domain.ActionLink{ID: a.ID, Kind: a.Kind, Title: a.Title})
		out = append(out, a)
	}
	return out
}

// fixturePlans are preventive plans of the year before, one failing.
func fixturePlans() []domain.Plan {
	plan := func(id, title, station string, cats []string, started time.Time, st domain.PlanStatus) domain.Plan {
		return domain.Plan{ID: id, Title: title, SupplierStation: station, Categories: cats, Status: st,
			DraftedBy: "a.benali", DraftedAt: started.AddDate(0, 0, -10), StartedAt: started,
			SignOffs: []domain.SignOff{{Decision: domain.PlanStatusApproved, By: "s.girard", Role: domain.RoleManager,
				At: started.AddDate(0, 0, -2), Meaning: "J'approuve", Comment: "OK"}}}
	}
	d := func(m time.Month, day int) time.Time { return time.Date(2025, m, day, 9, 0, 0, 0, time.UTC) }
	return []domain.Plan{
		plan("p1", "Maintenance préventive des garnitures — PRESSE2", "PRESSE2", []string{"surface"}, d(12, 1), domain.PlanStatusInProgress),
		plan("p2", "Étiquetage : double contrôle à l'emballage", "EMB", []string{"labelling"}, d(6, 15), domain.PlanStatusEffective),
		plan("p3", "Gabarit de perçage à détrompeur", "USIN", []string{"dimensional"}, d(10, 20), domain.PlanStatusInProgress),
		plan("p4", "Nettoyage des bacs avant peinture", "PEINT", []string{"contamination"}, d(4, 2), domain.PlanStatusEffective),
		plan("p5", "Formation au réglage des robots de soudure, équipes de nuit et du week-end", "SOUD", []string{"functional", "other"}, d(11, 5), domain.PlanStatusInProgress),
	}
}
