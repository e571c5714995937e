package demo

import (
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// plans writes three preventive plans: one approved with a manager's
// sign-off and under way, one awaiting approval, one rejected and being
// revised.
func (g *gen) plans() {
	julien, sophie, karim, claire := userByLogin("julien.moreau"), userByLogin("sophie.bernard"), userByLogin("karim.haddad"), userByLogin(manager)

	// The story's effective plan (story.go): it names the burrs complaints
	// and the burrs stop.
	p1 := g.plan(g.start.Add(time.Duration(planDay)*day), julien, &domain.PlanContentPayload{
		Title:           "Maîtrise des bavures en sortie de découpe laser",
		Objective:       "Zéro réclamation « bavures » de PRESS2 contre CUT1 sur trois mois consécutifs.",
		SupplierStation: "CUT1", Categories: []string{"dimensional"}}, func(l *life) bool { return l.d == &defects[burrs] })
	acts := p1.actions(julien, []string{"Suivi automatique des heures de buse sur le laser", "Contrôle au toucher des bords en fin de poste"}, 20*day)
	if p1.submit(julien, acts) && p1.step(day, 2*day, claire, p1.cmd(domain.PlanApproved, &domain.SignOffPayload{
		Meaning: "J'approuve ce plan préventif, ses moyens et son calendrier.",
		Comment: "Budget validé pour deux jeux de buses de rechange ; point d'avancement mensuel."})) {
		p1.step(day, 2*day, julien, p1.cmd(domain.PlanStarted, &domain.NotePayload{Note: "Lancement avec l'équipe CUT1."}))
		p1.carryOut(acts[0], julien, true)
		p1.carryOut(acts[1], julien, false)
	}

	p2 := g.plan(g.end.Add(-12*day), sophie, &domain.PlanContentPayload{
		Title:           "Protect painted parts from paint line to packing",
		Objective:       "Halve handling damage and surface complaints on painted parts within two months.",
		SupplierStation: "PAINT4", Categories: []string{"surface", "contamination"}}, nil)
	p2.submit(sophie, p2.actions(sophie, []string{"Foam-lined racks between PAINT4 and ASSY5", "Weekly booth filter check in TPM"}, 30*day))

	p3 := g.plan(g.start.Add(70*day), karim, &domain.PlanContentPayload{
		Title:           "Fiabiliser l'étiquetage et le comptage des colis",
		Objective:       "Aucune erreur d'étiquette ni de quantité à l'expédition.",
		SupplierStation: "PACK7", Categories: []string{"labelling", "quantity", "handling_damage"}}, nil)
	if p3.submit(karim, nil) && p3.step(day, 3*day, claire, p3.cmd(domain.PlanRejected, &domain.SignOffPayload{
		Meaning: "Je refuse ce plan en l'état.",
		Comment: "Périmètre trop large : commencer par le comptage à PACK7, avec un indicateur."})) {
		content := p3.content
		content.Title, content.Categories = "Fiabiliser le comptage des colis à PACK7", []string{"quantity"}
		p3.step(day, 3*day, karim, p3.cmd(domain.PlanRevised, content))
	}
}

// planLife is a plan's history being written, like a complaint's.
type planLife struct {
	*life
	content *domain.PlanContentPayload
}

// plan drafts a plan linking the supplier's complaints filed so far (those
// names accepts, when given).
func (g *gen) plan(at time.Time, by User, content *domain.PlanContentPayload, names func(*life) bool) *planLife {
	p := &planLife{life: &life{g: g, id: newID(), at: at}, content: content}
	for _, c := range g.filed {
		if c.d.supplier == content.SupplierStation && c.filedAt.Before(at) && len(content.Complaints) < 8 && (names == nil || names(c)) {
			content.Complaints = append(content.Complaints, c.id)
		}
	}
	p.step(0, 0, by, p.cmd(domain.PlanDrafted, content))
	return p
}

// actions assigns the plan's preventive actions, due within due.
func (p *planLife) actions(by User, titles []string, due time.Duration) []string {
	var ids []string
	for _, t := range titles {
		id := newID()
		if !p.step(2*hour, day, by, boltstore.Command{Type: domain.ActionAssigned, EntityID: id, Payload: &domain.ActionAssignedPayload{
			Kind: domain.ActionPreventive, Title: t, Owner: by.Login, Due: p.at.Add(due).Truncate(hour), PlanID: p.id}}) {
			break
		}
		ids = append(ids, id)
	}
	return ids
}

// submit lists the actions in the plan and submits it for approval.
func (p *planLife) submit(by User, actions []string) bool {
	if len(actions) > 0 {
		c := *p.content
		c.Actions = actions
		p.content = &c
		if !p.step(hour, 4*hour, by, p.cmd(domain.PlanRevised, p.content)) {
			return false
		}
	}
	return p.step(hour, day, by, p.cmd(domain.PlanSubmitted, &domain.NotePayload{Note: "Prêt pour validation / ready for approval."}))
}

// carryOut starts a preventive action and, when done, completes it.
func (p *planLife) carryOut(id string, by User, done bool) {
	at := p.at
	act := func(lo, hi time.Duration, t domain.EventType, pl domain.Payload) bool {
		return p.step(lo, hi, by, boltstore.Command{Type: t, EntityID: id, Payload: pl})
	}
	if act(day, 3*day, domain.ActionStarted, &domain.NotePayload{}) && done {
		act(5*day, 12*day, domain.ActionCompleted, &domain.NotePayload{Note: "En place et suivi au quotidien."})
	}
	p.at, p.stopped = at, false // the next action starts from the plan's time, not this one's
}
