package report

import (
	"strings"

	"boucle/shared/domain"
)

// Lang is the language of a document.
type Lang string

const (
	English Lang = "en"
	French  Lang = "fr"
)

// ParseLang reads a language preference ("fr", "fr-FR", "en"...); anything
// that is not French is English, the app's fallback.
func ParseLang(s string) Lang {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), "fr") {
		return French
	}
	return English
}

// text is one label in both languages.
type text struct{ en, fr string }

func (l Lang) pick(t text) string {
	if l == French {
		return t.fr
	}
	return t.en
}

// t returns the label of key. A missing key shows as "?key" rather than
// failing a document; TestLabelsComplete checks that none is missing.
func (l Lang) t(key string) string {
	if v, ok := labels[key]; ok {
		return l.pick(v)
	}
	return "?" + key
}

// labels holds the wording of every heading, column and sentence. The
// wording of statuses and kinds is the desktop app's (desktop/i18n), so a
// report reads like the screen it came from.
var labels = map[string]text{
	// Export columns: complaints.
	"col.number":           {"Number", "Numéro"},
	"col.status":           {"Status", "Statut"},
	"col.filing_station":   {"Filing station", "Poste client"},
	"col.supplier_station": {"Supplier station", "Poste fournisseur"},
	"col.part":             {"Part", "Pièce"},
	"col.lot":              {"Lot", "Lot"},
	"col.quantity":         {"Quantity", "Quantité"},
	"col.category":         {"Category", "Catégorie"},
	"col.severity":         {"Severity", "Gravité"},
	"col.kind":             {"Kind", "Type"},
	"col.remedy":           {"Remedy", "Réparation demandée"},
	"col.description":      {"Description", "Description"},
	"col.filed_by":         {"Filed by", "Déposée par"},
	"col.filed_at":         {"Filed at", "Déposée le"},
	"col.assignee":         {"Assignee", "Responsable"},
	"col.acknowledged_at":  {"Acknowledged at", "Prise en compte le"},
	"col.deadline":         {"Deadline", "Échéance"},
	"col.containment":      {"Containment", "Confinement"},
	"col.ishikawa":         {"6M family", "Famille 6M"},
	"col.root_cause":       {"Root cause", "Cause racine"},
	"col.resolution":       {"Resolution", "Résolution"},
	"col.resolved_at":      {"Resolved at", "Résolue le"},
	"col.closed_at":        {"Closed at", "Close le"},
	"col.rating":           {"Satisfaction (1–5)", "Satisfaction (1–5)"},
	"col.rating_comment":   {"Satisfaction comment", "Commentaire de satisfaction"},
	"col.reopens":          {"Reopens", "Réouvertures"},
	"col.escalations":      {"Escalations", "Escalades"},
	"col.actions":          {"Actions", "Actions"},
	"col.overdue":          {"Overdue", "En retard"},
	"col.id":               {"Id", "Identifiant"},

	// Export columns: actions.
	"col.action_kind":   {"Action kind", "Type d'action"},
	"col.title":         {"Title", "Intitulé"},
	"col.owner":         {"Owner", "Pilote"},
	"col.due":           {"Due", "Échéance"},
	"col.complaint":     {"Complaint", "Réclamation"},
	"col.plan":          {"Preventive plan", "Plan préventif"},
	"col.assigned_by":   {"Assigned by", "Confiée par"},
	"col.assigned_at":   {"Assigned at", "Confiée le"},
	"col.started_at":    {"Started at", "Démarrée le"},
	"col.done_at":       {"Done at", "Faite le"},
	"col.verified_by":   {"Verified by", "Vérifiée par"},
	"col.verified_at":   {"Verified at", "Vérifiée le"},
	"col.verdict":       {"Verdict", "Verdict"},
	"col.cancel_reason": {"Cancellation reason", "Motif d'annulation"},

	"yes":    {"yes", "oui"},
	"no":     {"no", "non"},
	"others": {"Others", "Autres"},

	"sheet.complaints": {"Complaints", "Réclamations"},
	"sheet.actions":    {"Actions", "Actions"},

	// Charts.
	"chart.count":      {"Complaints", "Réclamations"},
	"chart.cumulative": {"Cumulative %", "% cumulé"},
	"chart.figures":    {"Bars: complaints · cumulative %", "Barres : réclamations · % cumulé"},
	"chart.days":       {"Days", "Jours"},
	"chart.median":     {"median", "médiane"},
	"chart.p90":        {"p90", "p90"},

	// 8D report.
	"8d.title":            {"8D report", "Rapport 8D"},
	"8d.d1":               {"D1 · Team", "D1 · Équipe"},
	"8d.d2":               {"D2 · Problem", "D2 · Problème"},
	"8d.d3":               {"D3 · Containment", "D3 · Confinement"},
	"8d.d4":               {"D4 · Root cause", "D4 · Cause racine"},
	"8d.d5":               {"D5 · Chosen solution", "D5 · Solution retenue"},
	"8d.d6":               {"D6 · Corrective actions and verification", "D6 · Actions correctives et vérification"},
	"8d.d7":               {"D7 · Prevention", "D7 · Prévention"},
	"8d.d8":               {"D8 · Closure", "D8 · Clôture"},
	"8d.timeline":         {"Timeline", "Historique"},
	"8d.integrity":        {"Open conflicts and flags", "Conflits et signalements ouverts"},
	"8d.member":           {"Role in the 8D", "Rôle dans le 8D"},
	"8d.name":             {"Name", "Nom"},
	"8d.login":            {"Login", "Identifiant"},
	"8d.station":          {"Station", "Poste"},
	"8d.filer":            {"Complainant (filed)", "Client (dépôt)"},
	"8d.engineer":         {"Quality engineer", "Ingénieur qualité"},
	"8d.assignee":         {"Engineer in charge", "Ingénieur responsable"},
	"8d.acknowledger":     {"Acknowledged", "Prise en compte"},
	"8d.action_owner":     {"Action owner", "Pilote d'action"},
	"8d.verifier":         {"Verified an action", "Vérification d'action"},
	"8d.approver":         {"Approved the plan", "Approbation du plan"},
	"8d.chooser":          {"Chose the solution", "Choix de la solution"},
	"8d.closer":           {"Confirmed the resolution", "Confirmation de la résolution"},
	"8d.escalated_to":     {"Escalated to", "Escalade vers"},
	"8d.stations":         {"Stations", "Postes"},
	"8d.stations_value":   {"%s (client) ← %s (supplier)", "%s (client) ← %s (fournisseur)"},
	"8d.attachments":      {"Attachments", "Pièces jointes"},
	"8d.no_attachment":    {"No attachment.", "Aucune pièce jointe."},
	"8d.file":             {"File", "Fichier"},
	"8d.size":             {"Size", "Taille"},
	"8d.sha":              {"SHA-256", "SHA-256"},
	"8d.containment_text": {"Containment", "Confinement"},
	"8d.not_recorded":     {"Not recorded yet.", "Pas encore renseigné."},
	"8d.no_action":        {"No action.", "Aucune action."},
	"8d.whys":             {"5 whys", "5 pourquoi"},
	"8d.why":              {"Why %d", "Pourquoi %d"},
	"8d.verification":     {"Verification", "Vérification"},
	"8d.option":           {"Option", "Solution"},
	"8d.proposed_by":      {"Proposed by", "Proposée par"},
	"8d.chosen":           {"Chosen", "Retenue"},
	"8d.chosen_mark":      {"chosen", "retenue"},
	"8d.choice_comment":   {"Complainant's comment", "Commentaire du client"},
	"8d.no_choice":        {"No solution chosen yet.", "Aucune solution choisie pour l'instant."},
	"8d.plans":            {"Preventive plans", "Plans préventifs"},
	"8d.objective":        {"Objective", "Objectif"},
	"8d.scope":            {"Scope", "Périmètre"},
	"8d.signoffs":         {"Sign-offs", "Signatures"},
	"8d.no_plan":          {"No preventive plan.", "Aucun plan préventif."},
	"8d.rating":           {"Satisfaction", "Satisfaction"},
	"8d.rating_value":     {"%d / 5", "%d / 5"},
	"8d.not_closed":       {"Not closed: the complaint is %s.", "Non close : la réclamation est « %s »."},
	"8d.rejected_reason":  {"Rejection reason", "Motif de rejet"},
	"8d.withdrawn_reason": {"Withdrawal reason", "Motif de retrait"},
	"8d.duplicate_of":     {"Duplicate of", "Doublon de"},
	"8d.when":             {"When", "Quand"},
	"8d.who":              {"Who", "Qui"},
	"8d.role":             {"Role", "Rôle"},
	"8d.replica":          {"Station / replica", "Poste / réplique"},
	"8d.what":             {"What", "Quoi"},
	"8d.conflict":         {"Field %s has concurrent values: %s", "Le champ %s a des valeurs concurrentes : %s"},
	"8d.flag":             {"%s by %s refused (%s): %s", "%s par %s refusé (%s) : %s"},
	"8d.generated":        {"Generated %s", "Édité le %s"},
	"page":                {"Page %d / %s", "Page %d / %s"},

	// Monthly report.
	"m.title":          {"Monthly plant report", "Rapport mensuel de l'usine"},
	"m.period":         {"Period", "Période"},
	"m.scope":          {"Scope", "Périmètre"},
	"m.all":            {"All stations and categories", "Tous les postes et catégories"},
	"m.headline":       {"Headline indicators", "Indicateurs clés"},
	"m.filed":          {"Complaints filed", "Réclamations déposées"},
	"m.countable":      {"%d countable", "%d comptabilisées"},
	"m.ack":            {"Time to acknowledge", "Délai de prise en compte"},
	"m.resolve":        {"Time to resolve", "Délai de résolution"},
	"m.median_p90":     {"median · p90 %s", "médiane · p90 %s"},
	"m.by_deadline":    {"Resolved by deadline", "Résolues dans les délais"},
	"m.first_time":     {"First-time resolution", "Résolues du premier coup"},
	"m.reopen":         {"Reopen rate", "Taux de réouverture"},
	"m.escalation":     {"Escalation rate", "Taux d'escalade"},
	"m.recurrence":     {"Recurrence rate", "Taux de récurrence"},
	"m.after_prev":     {"%d after prevention", "%d après prévention"},
	"m.satisfaction":   {"Satisfaction", "Satisfaction"},
	"m.rated":          {"%d rated · net %s", "%d notes · net %s"},
	"m.overdue":        {"Overdue actions", "Actions en retard"},
	"m.overdue_now":    {"at %s", "au %s"},
	"m.of":             {"%d / %d", "%d / %d"},
	"m.pareto_cat":     {"Pareto of categories", "Pareto des catégories"},
	"m.pareto_sup":     {"Pareto of supplier stations", "Pareto des postes fournisseurs"},
	"m.trend":          {"Complaints per week (13 complete weeks)", "Réclamations par semaine (13 semaines complètes)"},
	"m.ttr":            {"Time to resolve (complaints of the month)", "Délai de résolution (réclamations du mois)"},
	"m.scorecards":     {"Station scorecards", "Fiches des postes"},
	"m.received":       {"Received", "Reçues"},
	"m.filed_client":   {"Filed", "Déposées"},
	"m.ack_med":        {"Ack. median", "Prise en compte méd."},
	"m.res_med":        {"Resolve median", "Résolution méd."},
	"m.res_p90":        {"Resolve p90", "Résolution p90"},
	"m.recurrences":    {"Recurrences", "Récurrences"},
	"m.open_actions":   {"Open actions", "Actions ouvertes"},
	"m.overdue_short":  {"Overdue", "En retard"},
	"m.prevention":     {"Preventive plans and actions", "Plans et actions préventifs"},
	"m.prev_month":     {"Done in the month", "Réalisés dans le mois"},
	"m.prev_plans":     {"Plans", "Plans"},
	"m.prev_actions":   {"Preventive actions", "Actions préventives"},
	"m.effective":      {"Effective", "Efficaces"},
	"m.ineffective":    {"Ineffective", "Inefficaces"},
	"m.pending":        {"Pending", "En observation"},
	"m.plans_year":     {"Plans started in the last 12 months", "Plans démarrés sur les 12 derniers mois"},
	"m.started":        {"Started", "Démarré le"},
	"m.window_end":     {"Window ends", "Fin d'observation"},
	"m.evidence":       {"Complaints since", "Réclamations depuis"},
	"m.no_plan":        {"No plan started in the last 12 months.", "Aucun plan démarré sur les 12 derniers mois."},
	"m.more_rows":      {"… and %d more.", "… et %d autres."},
	"m.overdue_owner":  {"Overdue actions by owner", "Actions en retard par pilote"},
	"m.overdue_none":   {"No overdue action.", "Aucune action en retard."},
	"m.count":          {"Count", "Nombre"},
	"m.station_column": {"Station", "Poste"},

	"verdict.effective":   {"Effective", "Efficace"},
	"verdict.ineffective": {"Ineffective", "Inefficace"},
	"verdict.pending":     {"Pending", "En observation"},

	"unit.min":  {"%d min", "%d min"},
	"unit.hour": {"%s h", "%s h"},
	"unit.day":  {"%s d", "%s j"},
}

var statusLabels = map[domain.ComplaintStatus]text{
	domain.StatusNew:               {"New", "Nouvelle"},
	domain.StatusAcknowledged:      {"Acknowledged", "Prise en compte"},
	domain.StatusInvestigating:     {"Investigating", "En analyse"},
	domain.StatusSolutionProposed:  {"Solution proposed", "Solution proposée"},
	domain.StatusSolutionChosen:    {"Solution chosen", "Solution choisie"},
	domain.StatusActionsInProgress: {"Actions in progress", "Actions en cours"},
	domain.StatusResolved:          {"Resolved, to verify", "Résolue, à vérifier"},
	domain.StatusClosed:            {"Closed", "Close"},
	domain.StatusRejected:          {"Rejected", "Rejetée"},
	domain.StatusDuplicate:         {"Duplicate", "Doublon"},
	domain.StatusWithdrawn:         {"Withdrawn", "Retirée"},
}

var severityLabels = map[domain.Severity]text{
	domain.SeverityMinor:    {"Minor", "Mineure"},
	domain.SeverityMajor:    {"Major", "Majeure"},
	domain.SeverityCritical: {"Critical", "Critique"},
}

var kindLabels = map[domain.Kind]text{
	domain.KindComplaint: {"Complaint", "Plainte"},
	domain.KindClaim:     {"Claim (remedy demanded)", "Réclamation (réparation demandée)"},
}

var remedyLabels = map[domain.Remedy]text{
	domain.RemedyRework:      {"Rework", "Retouche"},
	domain.RemedyReplacement: {"Replacement", "Remplacement"},
	domain.RemedySorting:     {"Sorting", "Tri"},
	domain.RemedyCredit:      {"Credit", "Avoir"},
	domain.RemedyOther:       {"Other remedy", "Autre réparation"},
}

var ishikawaLabels = map[domain.Ishikawa]text{
	domain.IshikawaManpower:    {"Manpower", "Main-d'œuvre"},
	domain.IshikawaMachine:     {"Machine", "Machine"},
	domain.IshikawaMethod:      {"Method", "Méthode"},
	domain.IshikawaMaterial:    {"Material", "Matière"},
	domain.IshikawaMeasurement: {"Measurement", "Mesure"},
	domain.IshikawaEnvironment: {"Environment", "Milieu"},
}

var actionKindLabels = map[domain.ActionKind]text{
	domain.ActionContainment: {"Containment", "Confinement"},
	domain.ActionCorrective:  {"Corrective", "Corrective"},
	domain.ActionPreventive:  {"Preventive", "Préventive"},
}

var actionStatusLabels = map[domain.ActionStatus]text{
	domain.ActionStatusOpen:        {"Open", "Ouverte"},
	domain.ActionStatusInProgress:  {"In progress", "En cours"},
	domain.ActionStatusDone:        {"Done, to verify", "Faite, à vérifier"},
	domain.ActionStatusEffective:   {"Effective", "Efficace"},
	domain.ActionStatusIneffective: {"Ineffective", "Inefficace"},
	domain.ActionStatusCancelled:   {"Cancelled", "Annulée"},
}

var planStatusLabels = map[domain.PlanStatus]text{
	domain.PlanStatusDraft:       {"Draft", "Brouillon"},
	domain.PlanStatusSubmitted:   {"Submitted for approval", "Soumis pour approbation"},
	domain.PlanStatusApproved:    {"Approved", "Approuvé"},
	domain.PlanStatusRejected:    {"Rejected", "Rejeté"},
	domain.PlanStatusInProgress:  {"In progress", "En cours"},
	domain.PlanStatusEffective:   {"Effective", "Efficace"},
	domain.PlanStatusIneffective: {"Ineffective", "Inefficace"},
}

var roleLabels = map[domain.Role]text{
	domain.RoleOperator: {"Operator", "Opérateur"},
	domain.RoleEngineer: {"Quality engineer", "Ingénieur qualité"},
	domain.RoleManager:  {"Plant manager", "Directeur d'usine"},
	domain.RoleAdmin:    {"Administrator", "Administrateur"},
	domain.RoleSystem:   {"Boucle (automatic)", "Boucle (automatique)"},
}

// enumLabel labels a domain value; an unknown value (written by a newer
// version) shows as itself.
func enumLabel[K ~string](l Lang, table map[K]text, v K) string {
	if v == "" {
		return ""
	}
	if t, ok := table[v]; ok {
		return l.pick(t)
	}
	return string(v)
}

func (l Lang) status(s domain.ComplaintStatus) string    { return enumLabel(l, statusLabels, s) }
func (l Lang) severity(s domain.Severity) string         { return enumLabel(l, severityLabels, s) }
func (l Lang) kind(k domain.Kind) string                 { return enumLabel(l, kindLabels, k) }
func (l Lang) remedy(r domain.Remedy) string             { return enumLabel(l, remedyLabels, r) }
func (l Lang) ishikawa(i domain.Ishikawa) string         { return enumLabel(l, ishikawaLabels, i) }
func (l Lang) actionKind(k domain.ActionKind) string     { return enumLabel(l, actionKindLabels, k) }
func (l Lang) actionStatus(s domain.ActionStatus) string { return enumLabel(l, actionStatusLabels, s) }
func (l Lang) planStatus(s domain.PlanStatus) string     { return enumLabel(l, planStatusLabels, s) }
func (l Lang) role(r domain.Role) string                 { return enumLabel(l, roleLabels, r) }

var monthNames = [12]text{
	{"January", "janvier"}, {"February", "février"}, {"March", "mars"}, {"April", "avril"},
	{"May", "mai"}, {"June", "juin"}, {"July", "juillet"}, {"August", "août"},
	{"September", "septembre"}, {"October", "octobre"}, {"November", "novembre"}, {"December", "décembre"},
}
