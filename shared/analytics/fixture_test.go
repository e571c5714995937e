package analytics_test

import (
	"time"

	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// The fixture plant: four stations in a line, DECOUPE → PRESSE → PEINT →
// MONTAGE, each filing complaints against the one upstream. Fifteen
// complaints: C00 in December 2025, C01–C13 in January and February 2026
// (the period of the report), C14 in March. Every figure the tests expect
// is worked out by hand from the table below, in the comments next to it.
//
//	id   filed (2026)  filing   supplier part   category     sev  status         ack  TTR   deadline      rating notes
//	C00  12-15 09:00*  PEINT    PRESSE   P-100  surface      maj  closed         2h   72h   12-20 09:00*  4      *2025; preventive A0 done 12-20
//	C01  01-05 08:00   MONTAGE  PEINT    P-300  surface      min  closed         2h   96h   01-15 08:00   5      preventive A1 open, overdue
//	C02  01-06 09:00   PEINT    PRESSE   P-200  dimensional  maj  closed         4h   48h   01-11 09:00   4      claim; preventive A2b done 01-09
//	C03  01-07 10:00   PEINT    PRESSE   P-100  surface      maj  closed         5h   168h  01-12 10:00   2      recurs C00 (after A0); late
//	C04  01-08 14:00   MONTAGE  PEINT    P-300  surface      min  closed         8h   192h  01-18 14:00   3      recurs C01; reopened once
//	C05  01-12 07:00   PRESSE   DECOUPE  P-050  dimensional  crit closed         30h  36h   01-14 07:00   5      claim; escalated; preventive A5 done 01-20
//	C06  01-21 10:00   PEINT    PRESSE   P-100  surface      maj  resolved       2h   48h   01-26 10:00   -      recurs C00 (after A0)
//	C07  02-02 09:00   MONTAGE  PEINT    P-310  surface      min  investigating  3h   -     02-12 09:00   -      other part: no recurrence; escalated; late
//	C08  02-03 11:00   PRESSE   DECOUPE  P-050  dimensional  maj  investigating  1h   -     02-08 11:00   -      recurs C05 (after A5); reopened, unresolved; late
//	C09  02-04 15:00   MONTAGE  PEINT    P-400  labelling    min  rejected       2h   -     02-14 15:00   -      not countable
//	C10  02-05 08:00   PEINT    PRESSE   P-100  surface      maj  duplicate      -    -     -             -      not countable
//	C11  02-09 10:00   MONTAGE  PEINT    P-300  handling     min  withdrawn      -    -     -             -      not countable
//	C12  02-17 09:00   PEINT    PRESSE   P-200  dimensional  maj  closed         6h   72h   02-22 09:00   1      recurs C02 (after A2b and plan PL2)
//	C13  02-25 13:00   PRESSE   DECOUPE  P-060  contamination min acknowledged  24h  -     03-20 13:00   -      deadline rescheduled: still ahead
//	C14  03-04 10:00   PEINT    PRESSE   P-100  surface      maj  new            -    -     -             -      after the period; recurs C00
//
// Actions: A0 (preventive, C00, done 2025-12-20 10:00), A1 (preventive,
// C01, open, due 01-20, marc), A2 (corrective, C02, done 01-08), A2b
// (preventive, C02, done 01-09 10:00), A4 (preventive, C04, done 01-16
// 16:00), A5 (preventive, C05, done 01-20 12:00), A7 (containment, C07, in
// progress, due 02-10, marc), A8 (corrective, C08, open, due 03-20, lea),
// A12 (corrective, C12, open, due 03-01, lea), A13 (preventive, C13, done
// 02-27 10:00), APL2 (preventive, plan PL2 only, open, due 04-01, paul).
//
// Plans: PL1 PRESSE [surface] naming C03, approved 01-16, started 01-17
// 08:00; PL2 PRESSE [dimensional] naming C02, approved 01-20 09:00, started
// 02-18 09:00; PL3 DECOUPE [contamination, quantity], approved 01-05,
// started 01-06 08:00; PL4 PEINT [handling_damage], draft.
//
// The report is for January and February 2026, computed on 2026-03-16 with
// a 30-day effectiveness window and the default 90-day recurrence window.

var (
	fixFrom = at("2026-01-01 00:00")
	fixTo   = at("2026-03-01 00:00")
	fixNow  = at("2026-03-16 00:00")
	fixSet  = analytics.Settings{EffectivenessWindow: 30 * analytics.Day}
	fixPer  = analytics.Filter{From: fixFrom, To: fixTo}
)

// at parses "2006-01-02 15:04" in UTC; "" is the zero time.
func at(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// cx is one row of the table.
type cx struct {
	id, filing, supplier, part, lot, cat string
	sev                                  domain.Severity
	kind                                 domain.Kind
	status                               domain.ComplaintStatus
	filed, ack, deadline, resolved       string
	closed                               string
	rating, reopens                      int
	escalated                            bool
	desc                                 string
}

func (x cx) complaint() domain.Complaint {
	c := domain.Complaint{ID: x.id, Number: x.filing + "-2026-" + x.id[1:], FilingStation: x.filing,
		SupplierStation: x.supplier, PartRef: x.part, Lot: x.lot, Quantity: 10, Category: x.cat, Severity: x.sev,
		Kind: x.kind, Description: x.desc, FiledBy: "op", FiledAt: at(x.filed), Status: x.status,
		AcknowledgedAt: at(x.ack), Deadline: at(x.deadline), ResolvedAt: at(x.resolved), ClosedAt: at(x.closed),
		Rating: x.rating, Reopens: x.reopens}
	if c.Kind == "" {
		c.Kind = domain.KindComplaint
	}
	if x.escalated {
		c.Escalations = []domain.Escalation{{By: "system", Supervisor: "chef", Reason: "late", At: c.FiledAt.Add(time.Hour)}}
	}
	return c
}

const (
	major    = domain.SeverityMajor
	minor    = domain.SeverityMinor
	critical = domain.SeverityCritical
)

func fixtureComplaints() []domain.Complaint {
	rows := []cx{
		{id: "C00", filing: "PEINT", supplier: "PRESSE", part: "P-100", lot: "L1", cat: "surface", sev: major, status: domain.StatusClosed,
			filed: "2025-12-15 09:00", ack: "2025-12-15 11:00", deadline: "2025-12-20 09:00", resolved: "2025-12-18 09:00", closed: "2025-12-19 09:00", rating: 4,
			desc: "Rayures profondes sur le carter"},
		{id: "C01", filing: "MONTAGE", supplier: "PEINT", part: "P-300", lot: "L2", cat: "surface", sev: minor, status: domain.StatusClosed,
			filed: "2026-01-05 08:00", ack: "2026-01-05 10:00", deadline: "2026-01-15 08:00", resolved: "2026-01-09 08:00", closed: "2026-01-10 08:00", rating: 5,
			desc: "Peinture écaillée sur le capot"},
		{id: "C02", filing: "PEINT", supplier: "PRESSE", part: "P-200", lot: "L3", cat: "dimensional", sev: major, kind: domain.KindClaim, status: domain.StatusClosed,
			filed: "2026-01-06 09:00", ack: "2026-01-06 13:00", deadline: "2026-01-11 09:00", resolved: "2026-01-08 09:00", closed: "2026-01-09 09:00", rating: 4,
			desc: "Cote hors tolérance sur la bride, diamètre trop grand"},
		{id: "C03", filing: "PEINT", supplier: "PRESSE", part: "P-100", lot: "L7", cat: "surface", sev: major, status: domain.StatusClosed,
			filed: "2026-01-07 10:00", ack: "2026-01-07 15:00", deadline: "2026-01-12 10:00", resolved: "2026-01-14 10:00", closed: "2026-01-15 10:00", rating: 2,
			desc: "Rayures profondes sur le carter, lot entier"},
		{id: "C04", filing: "MONTAGE", supplier: "PEINT", part: "P-300", lot: "L4", cat: "surface", sev: minor, status: domain.StatusClosed,
			filed: "2026-01-08 14:00", ack: "2026-01-08 22:00", deadline: "2026-01-18 14:00", resolved: "2026-01-16 14:00", closed: "2026-01-17 14:00", rating: 3, reopens: 1,
			desc: "Scratches on the hood paint"},
		{id: "C05", filing: "PRESSE", supplier: "DECOUPE", part: "P-050", lot: "L5", cat: "dimensional", sev: critical, kind: domain.KindClaim, status: domain.StatusClosed,
			filed: "2026-01-12 07:00", ack: "2026-01-13 13:00", deadline: "2026-01-14 07:00", resolved: "2026-01-13 19:00", closed: "2026-01-14 07:00", rating: 5, escalated: true,
			desc: "Longueur trop courte, pièces découpées hors cote"},
		{id: "C06", filing: "PEINT", supplier: "PRESSE", part: "P-100", lot: "L6", cat: "surface", sev: major, status: domain.StatusResolved,
			filed: "2026-01-21 10:00", ack: "2026-01-21 12:00", deadline: "2026-01-26 10:00", resolved: "2026-01-23 10:00",
			desc: "Rayure sur le carter après emboutissage"},
		{id: "C07", filing: "MONTAGE", supplier: "PEINT", part: "P-310", lot: "L8", cat: "surface", sev: minor, status: domain.StatusInvestigating,
			filed: "2026-02-02 09:00", ack: "2026-02-02 12:00", deadline: "2026-02-12 09:00", escalated: true,
			desc: "Coulures de peinture sur le capot"},
		{id: "C08", filing: "PRESSE", supplier: "DECOUPE", part: "P-050", lot: "L9", cat: "dimensional", sev: major, status: domain.StatusInvestigating,
			filed: "2026-02-03 11:00", ack: "2026-02-03 12:00", deadline: "2026-02-08 11:00", reopens: 1,
			desc: "Longueur hors tolérance, traces de graisse sur les flans"},
		{id: "C09", filing: "MONTAGE", supplier: "PEINT", part: "P-400", lot: "L10", cat: "labelling", sev: minor, status: domain.StatusRejected,
			filed: "2026-02-04 15:00", ack: "2026-02-04 17:00", deadline: "2026-02-14 15:00",
			desc: "Étiquette illisible sur le bac"},
		{id: "C10", filing: "PEINT", supplier: "PRESSE", part: "P-100", lot: "L11", cat: "surface", sev: major, status: domain.StatusDuplicate,
			filed: "2026-02-05 08:00", desc: "Rayures profondes sur le carter"},
		{id: "C11", filing: "MONTAGE", supplier: "PEINT", part: "P-300", lot: "L12", cat: "handling_damage", sev: minor, status: domain.StatusWithdrawn,
			filed: "2026-02-09 10:00", desc: "Capot tordu, chocs de manutention"},
		{id: "C12", filing: "PEINT", supplier: "PRESSE", part: "P-200", lot: "L13", cat: "dimensional", sev: major, status: domain.StatusClosed,
			filed: "2026-02-17 09:00", ack: "2026-02-17 15:00", deadline: "2026-02-22 09:00", resolved: "2026-02-20 09:00", closed: "2026-02-21 09:00", rating: 1,
			desc: "Diamètre trop grand sur la bride"},
		{id: "C13", filing: "PRESSE", supplier: "DECOUPE", part: "P-060", lot: "L14", cat: "contamination", sev: minor, status: domain.StatusAcknowledged,
			filed: "2026-02-25 13:00", ack: "2026-02-26 13:00", deadline: "2026-03-20 13:00",
			desc: "Traces de graisse sur les flans, huile"},
		{id: "C14", filing: "PEINT", supplier: "PRESSE", part: "P-100", lot: "L15", cat: "surface", sev: major, status: domain.StatusNew,
			filed: "2026-03-04 10:00", desc: "Rayures sur le carter, encore"},
	}
	out := make([]domain.Complaint, len(rows))
	for i, r := range rows {
		out[i] = r.complaint()
	}
	return out
}

func action(id string, kind domain.ActionKind, complaint, plan string, status domain.ActionStatus, owner, due, done string) domain.Action {
	return domain.Action{ID: id, Kind: kind, Title: "action " + id, Owner: owner, Due: at(due), ComplaintID: complaint,
		PlanID: plan, Status: status, AssignedBy: "eng", AssignedAt: at("2025-12-01 00:00"), DoneAt: at(done)}
}

func fixtureActions() []domain.Action {
	const (
		prev, corr, cont = domain.ActionPreventive, domain.ActionCorrective, domain.ActionContainment
		open, inProgress = domain.ActionStatusOpen, domain.ActionStatusInProgress
		done             = domain.ActionStatusDone
	)
	return []domain.Action{
		action("A0", prev, "C00", "", done, "paul", "2025-12-31 00:00", "2025-12-20 10:00"),
		action("A1", prev, "C01", "", open, "marc", "2026-01-20 00:00", ""),
		action("A2", corr, "C02", "", done, "paul", "2026-01-10 00:00", "2026-01-08 12:00"),
		action("A2b", prev, "C02", "", domain.ActionStatusEffective, "paul", "2026-01-15 00:00", "2026-01-09 10:00"),
		action("A4", prev, "C04", "", done, "marc", "2026-01-31 00:00", "2026-01-16 16:00"),
		action("A5", prev, "C05", "", done, "lea", "2026-01-31 00:00", "2026-01-20 12:00"),
		action("A7", cont, "C07", "", inProgress, "marc", "2026-02-10 00:00", ""),
		action("A8", corr, "C08", "", open, "lea", "2026-03-20 00:00", ""),
		action("A12", corr, "C12", "", open, "lea", "2026-03-01 00:00", ""),
		action("A13", prev, "C13", "", done, "lea", "2026-03-15 00:00", "2026-02-27 10:00"),
		action("APL2", prev, "", "PL2", open, "paul", "2026-04-01 00:00", ""),
	}
}

func plan(id, supplier string, cats, complaints []string, status domain.PlanStatus, approved, started string) domain.Plan {
	p := domain.Plan{ID: id, Title: "plan " + id, SupplierStation: supplier, Categories: cats, Complaints: complaints,
		Status: status, DraftedBy: "eng", DraftedAt: at("2026-01-02 00:00"), StartedAt: at(started)}
	if approved != "" {
		p.SignOffs = []domain.SignOff{{Decision: domain.PlanStatusApproved, By: "dir", Role: domain.RoleManager, At: at(approved), Meaning: "approve"}}
	}
	return p
}

func fixturePlans() []domain.Plan {
	return []domain.Plan{
		plan("PL1", "PRESSE", []string{"surface"}, []string{"C03"}, domain.PlanStatusInProgress, "2026-01-16 09:00", "2026-01-17 08:00"),
		plan("PL2", "PRESSE", []string{"dimensional"}, []string{"C02"}, domain.PlanStatusInProgress, "2026-01-20 09:00", "2026-02-18 09:00"),
		plan("PL3", "DECOUPE", []string{"contamination", "quantity"}, nil, domain.PlanStatusInProgress, "2026-01-05 09:00", "2026-01-06 08:00"),
		plan("PL4", "PEINT", []string{"handling_damage"}, []string{"C11"}, domain.PlanStatusDraft, "", ""),
	}
}

func fixtureInput() analytics.Input {
	return analytics.Input{
		Complaints: fixtureComplaints(), Actions: fixtureActions(), Plans: fixturePlans(),
		Stations:   []domain.Station{{Code: "DECOUPE"}, {Code: "PRESSE"}, {Code: "PEINT"}, {Code: "MONTAGE"}, {Code: "ANCIEN", Retired: true}},
		Categories: domain.DefaultCategories,
	}
}

func fixture() *analytics.Dataset { return analytics.NewDataset(fixtureInput()) }
