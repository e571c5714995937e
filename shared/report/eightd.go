package report

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"boucle/shared/domain"
)

// EightD is what the 8D report of one complaint is made from.
type EightD struct {
	// Complaint is the complaint's folded state (Tx.Complaint): the
	// complaint itself, and its open conflicts and flags, which the report
	// lists so that nobody signs off a record still in dispute.
	Complaint *domain.State
	// Actions are the complaint's actions (ListActions with its
	// ComplaintID), every kind and status.
	Actions []domain.Action
	// Plans are the preventive plans that name the complaint or hold one of
	// its preventive actions.
	Plans []domain.Plan
	// Timeline is every event of the complaint and its actions in fold
	// order (Tx.Timeline, converted entry by entry).
	Timeline  []TimelineEvent
	Directory *Directory
	Lang      Lang
	// Location is the zone dates are printed in; nil is the machine's.
	Location *time.Location
	// GeneratedAt is printed in the footer and stored as the file's date;
	// zero uses the latest event's time, so that the same record always
	// gives the same bytes.
	GeneratedAt time.Time
}

// ErrNoComplaint is returned for an 8D without a complaint to report on.
var ErrNoComplaint = errors.New("report: the 8D needs the state of a filed complaint")

// WriteEightD writes the PDF 8D report of one complaint: D1 to D8, the open
// conflicts if any, then the whole timeline.
func WriteEightD(w io.Writer, in EightD) error {
	if in.Complaint == nil || in.Complaint.Complaint == nil {
		return ErrNoComplaint
	}
	r := newEightDWriter(in)
	r.titleBlock()
	r.team()
	r.problem()
	r.containment()
	r.rootCause()
	r.solution()
	r.corrective()
	r.prevention()
	r.closure()
	r.integrity()
	r.timeline()
	return r.d.write(w)
}

// eightD holds what the sections share while writing.
type eightD struct {
	in   EightD
	c    *domain.Complaint
	d    *doc
	l    Lang
	z    *time.Location
	dir  *Directory
	desc *describer
}

func newEightDWriter(in EightD) *eightD {
	c := in.Complaint.Complaint
	z := loc(in.Location)
	gen := in.GeneratedAt
	if gen.IsZero() {
		gen = latestEvent(in.Timeline, c.FiledAt)
	}
	l := in.Lang
	d := newDoc(pdfOptions{title: l.t("8d.title"), subject: c.Number, lang: l, generatedAt: gen,
		footer: c.Number + " · " + fmt.Sprintf(l.t("8d.generated"), shortTime(gen, z))})
	titles := map[string]string{}
	for _, a := range in.Actions {
		titles[a.ID] = a.Title
	}
	return &eightD{in: in, c: c, d: d, l: l, z: z, dir: in.Directory,
		desc: &describer{lang: l, dir: in.Directory, z: z, titles: titles}}
}

func latestEvent(tl []TimelineEvent, fallback time.Time) time.Time {
	t := fallback
	for _, e := range tl {
		if et := e.Event.HLC.Time(); et.After(t) {
			t = et
		}
	}
	return t
}

// titleBlock opens the first page: the number, the status and what failed.
func (r *eightD) titleBlock() {
	c, d := r.c, r.d
	d.font("B", 18, pdfPrimary)
	d.lines([]string{r.l.t("8d.title") + " — " + c.Number}, 9, d.width, "L")
	d.para(strings.Join([]string{r.l.status(c.Status), c.PartRef, r.dir.CategoryLabel(c.Category, r.l),
		r.l.severity(c.Severity)}, " · "), "", 10, pdfMuted)
	d.pdf.Ln(1)
}

// member is one person of the D1 team with every part they took.
type member struct {
	login string
	roles []string
}

// team lists everyone who took part, each once, in order of appearance.
func (r *eightD) team() {
	r.d.section(r.l.t("8d.d1"))
	var ms []*member
	add := func(login, roleKey string) {
		if login == "" {
			return
		}
		role := r.l.t(roleKey)
		i := slices.IndexFunc(ms, func(m *member) bool { return m.login == login })
		if i < 0 {
			ms = append(ms, &member{login: login})
			i = len(ms) - 1
		}
		if !slices.Contains(ms[i].roles, role) {
			ms[i].roles = append(ms[i].roles, role)
		}
	}
	c := r.c
	add(c.FiledBy, "8d.filer")
	add(c.Assignee, "8d.assignee")
	add(c.AcknowledgedBy, "8d.acknowledger")
	r.eventAuthors(add)
	for _, a := range r.in.Actions {
		add(a.Owner, "8d.action_owner")
		add(a.VerifiedBy, "8d.verifier")
	}
	for _, p := range r.in.Plans {
		for _, s := range p.SignOffs {
			if s.Decision == domain.PlanStatusApproved {
				add(s.By, "8d.approver")
			}
		}
	}
	for _, e := range c.Escalations {
		add(e.Supervisor, "8d.escalated_to")
	}
	r.teamTable(ms)
}

// eventAuthors adds the people whose events shaped the 8D: engineers who
// analysed, proposed or resolved, the complainant who chose and confirmed.
func (r *eightD) eventAuthors(add func(login, roleKey string)) {
	for _, te := range r.in.Timeline {
		e := te.Event
		if te.Rejected || e.EntityType != domain.EntityComplaint {
			continue
		}
		switch e.Type {
		case domain.ComplaintSolutionChosen:
			add(e.Author, "8d.chooser")
		case domain.ComplaintVerified:
			add(e.Author, "8d.closer")
		case domain.ComplaintAnalysisRecorded, domain.ComplaintSolutionProposed, domain.ComplaintResolved:
			add(e.Author, "8d.engineer")
		}
	}
}

func (r *eightD) teamTable(ms []*member) {
	cols := []tcol{{r.l.t("8d.name"), 26, "L"}, {r.l.t("8d.login"), 18, "L"},
		{r.l.t("8d.station"), 22, "L"}, {r.l.t("8d.member"), 44, "L"}}
	rows := make([]trow, len(ms))
	for i, m := range ms {
		rows[i] = trow{cells: []string{r.dir.UserName(m.login), m.login,
			r.dir.StationName(r.dir.UserStation(m.login)), strings.Join(m.roles, ", ")}}
	}
	r.d.table(cols, rows, 8.5)
}

// problem is D2: what failed, where, how much, with the evidence files.
func (r *eightD) problem() {
	c, l, dir := r.c, r.l, r.dir
	r.d.section(l.t("8d.d2"))
	kind := l.kind(c.Kind)
	if c.Remedy != "" {
		kind += " — " + l.remedy(c.Remedy)
	}
	r.d.fields([]field{
		{l.t("col.number"), c.Number},
		{l.t("col.status"), l.status(c.Status)},
		{l.t("8d.stations"), fmt.Sprintf(l.t("8d.stations_value"), dir.StationName(c.FilingStation), dir.StationName(c.SupplierStation))},
		{l.t("col.part"), c.PartRef},
		{l.t("col.lot"), c.Lot},
		{l.t("col.quantity"), itoa(c.Quantity)},
		{l.t("col.category"), dir.CategoryLabel(c.Category, l)},
		{l.t("col.severity"), l.severity(c.Severity)},
		{l.t("col.kind"), kind},
		{l.t("col.filed_at"), shortTime(c.FiledAt, r.z) + " — " + dir.UserName(c.FiledBy)},
		{l.t("col.deadline"), shortTime(c.Deadline, r.z)},
		{l.t("col.description"), c.Description},
	})
	r.d.subheading(l.t("8d.attachments"))
	if len(c.Attachments) == 0 {
		r.d.note(l.t("8d.no_attachment"))
		return
	}
	rows := make([]trow, len(c.Attachments))
	for i, a := range c.Attachments {
		rows[i] = trow{mono: 2, cells: []string{a.Name, byteSize(a.Size), a.SHA256}}
	}
	r.d.table([]tcol{{l.t("8d.file"), 34, "L"}, {l.t("8d.size"), 10, "R"}, {l.t("8d.sha"), 66, "L"}}, rows, 8)
}

// byteSize writes a file size for people.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// containment is D3: the containment text and the containment actions.
func (r *eightD) containment() {
	r.d.section(r.l.t("8d.d3"))
	r.d.fields([]field{{r.l.t("8d.containment_text"), firstNonEmpty(r.c.Containment, r.l.t("8d.not_recorded"))}})
	r.actionTable(domain.ActionContainment)
}

// rootCause is D4: the five whys, the 6M family and the statement.
func (r *eightD) rootCause() {
	c, l := r.c, r.l
	r.d.section(l.t("8d.d4"))
	var fs []field
	for i, w := range c.Whys {
		fs = append(fs, field{fmt.Sprintf(l.t("8d.why"), i+1), w})
	}
	if len(fs) == 0 {
		fs = append(fs, field{l.t("8d.whys"), l.t("8d.not_recorded")})
	}
	fs = append(fs, field{l.t("col.ishikawa"), l.ishikawa(c.Ishikawa)})
	r.d.fields(fs)
	r.d.subheading(l.t("col.root_cause"))
	if c.RootCause == "" {
		r.d.note(l.t("8d.not_recorded"))
		return
	}
	r.d.para(c.RootCause, "B", 9.5, pdfText)
}

// solution is D5: the options proposed and the one the complainant chose.
func (r *eightD) solution() {
	c, l := r.c, r.l
	r.d.section(l.t("8d.d5"))
	if len(c.Solutions) > 0 {
		rows := make([]trow, len(c.Solutions))
		for i, s := range c.Solutions {
			chosen := ""
			if s.ID == c.ChosenSolution {
				chosen = l.t("8d.chosen_mark")
			}
			rows[i] = trow{tone: &pdfGood, cells: []string{s.ID, s.Text,
				r.dir.UserName(s.ProposedBy) + "\n" + shortTime(s.At, r.z), chosen}}
		}
		r.d.table([]tcol{{l.t("8d.option"), 10, "L"}, {l.t("col.description"), 62, "L"},
			{l.t("8d.proposed_by"), 24, "L"}, {l.t("8d.chosen"), 12, "L"}}, rows, 8.5)
	}
	i := slices.IndexFunc(c.Solutions, func(s domain.Solution) bool { return s.ID == c.ChosenSolution })
	if i < 0 {
		r.d.note(l.t("8d.no_choice"))
		return
	}
	fs := []field{{l.t("8d.chosen"), c.Solutions[i].Text}}
	if comment := r.choiceComment(); comment != "" {
		fs = append(fs, field{l.t("8d.choice_comment"), comment})
	}
	r.d.fields(fs)
}

// choiceComment is the complainant's comment on the choice, which only the
// event carries.
func (r *eightD) choiceComment() string {
	comment := ""
	for _, te := range r.in.Timeline {
		if te.Event.Type != domain.ComplaintSolutionChosen || te.Rejected {
			continue
		}
		if p, err := domain.DecodePayload(&te.Event); err == nil {
			comment = p.(*domain.ChooseSolutionPayload).Comment
		}
	}
	return comment
}

// corrective is D6: the corrective actions with their verification.
func (r *eightD) corrective() {
	r.d.section(r.l.t("8d.d6"))
	r.actionTable(domain.ActionCorrective)
}

// prevention is D7: the preventive actions and the plans.
func (r *eightD) prevention() {
	l := r.l
	r.d.section(l.t("8d.d7"))
	r.actionTable(domain.ActionPreventive)
	r.d.subheading(l.t("8d.plans"))
	if len(r.in.Plans) == 0 {
		r.d.note(l.t("8d.no_plan"))
	}
	for _, p := range r.in.Plans {
		r.plan(p)
	}
}

func (r *eightD) plan(p domain.Plan) {
	l := r.l
	cats := make([]string, len(p.Categories))
	for i, c := range p.Categories {
		cats[i] = r.dir.CategoryLabel(c, l)
	}
	fs := []field{
		{l.t("col.title"), p.Title},
		{l.t("col.status"), l.planStatus(p.Status)},
		{l.t("8d.objective"), p.Objective},
		{l.t("8d.scope"), r.dir.StationName(p.SupplierStation) + " — " + strings.Join(cats, ", ")},
	}
	var signs []string
	for _, s := range p.SignOffs {
		signs = append(signs, fmt.Sprintf("%s — %s (%s), %s: %s — %s", l.planStatus(s.Decision),
			r.dir.UserName(s.By), l.role(s.Role), shortTime(s.At, r.z), s.Meaning, s.Comment))
	}
	fs = append(fs, field{l.t("8d.signoffs"), strings.Join(signs, "\n")})
	if !p.EvaluatedAt.IsZero() {
		fs = append(fs, field{l.t("col.verdict"), shortTime(p.EvaluatedAt, r.z) + " — " + l.planStatus(p.Status) + withNote("", p.Verdict)})
	}
	r.d.fields(fs)
}

// actionTable lists the complaint's actions of one kind with their
// verification, or says there is none.
func (r *eightD) actionTable(kind domain.ActionKind) {
	l := r.l
	var rows []trow
	for _, a := range r.in.Actions {
		if a.Kind == kind {
			rows = append(rows, r.actionRow(a))
		}
	}
	if len(rows) == 0 {
		r.d.note(l.t("8d.no_action"))
		return
	}
	r.d.table([]tcol{{l.t("col.title"), 38, "L"}, {l.t("col.owner"), 17, "L"}, {l.t("col.due"), 13, "L"},
		{l.t("col.done_at"), 13, "L"}, {l.t("8d.verification"), 29, "L"}, {l.t("col.status"), 14, "L"}}, rows, 8)
}

func (r *eightD) actionRow(a domain.Action) trow {
	title := a.Title
	if a.Description != "" {
		title += "\n" + truncate(a.Description, 400)
	}
	verification := ""
	if !a.VerifiedAt.IsZero() {
		verification = r.dir.UserName(a.VerifiedBy) + ", " + shortDate(a.VerifiedAt, r.z) + withNote("", a.Verdict)
	}
	if a.CancelReason != "" {
		verification = a.CancelReason
	}
	row := trow{cells: []string{title, r.dir.UserName(a.Owner), shortDate(a.Due, r.z),
		shortDate(a.DoneAt, r.z), truncate(verification, 400), r.l.actionStatus(a.Status)}}
	switch a.Status {
	case domain.ActionStatusEffective:
		row.tone = &pdfGood
	case domain.ActionStatusIneffective:
		row.tone = &pdfBad
	}
	return row
}

// closure is D8: the resolution and the complainant's verdict, or why the
// complaint ended otherwise.
func (r *eightD) closure() {
	c, l := r.c, r.l
	r.d.section(l.t("8d.d8"))
	fs := []field{
		{l.t("col.resolution"), firstNonEmpty(c.Resolution, l.t("8d.not_recorded"))},
		{l.t("col.resolved_at"), shortTime(c.ResolvedAt, r.z)},
	}
	if c.Rating > 0 {
		fs = append(fs, field{l.t("8d.rating"), fmt.Sprintf(l.t("8d.rating_value"), c.Rating)},
			field{l.t("col.rating_comment"), c.RatingComment})
	}
	fs = append(fs, field{l.t("col.closed_at"), shortTime(c.ClosedAt, r.z)},
		field{l.t("col.reopens"), itoa(c.Reopens)}, field{l.t("col.escalations"), r.escalations()})
	fs = append(fs, r.endReason()...)
	r.d.fields(fs)
	if c.Status != domain.StatusClosed {
		r.d.note(fmt.Sprintf(l.t("8d.not_closed"), l.status(c.Status)))
	}
}

func (r *eightD) escalations() string {
	var out []string
	for _, e := range r.c.Escalations {
		s := fmt.Sprintf("%s — %s → %s: %s", shortTime(e.At, r.z), r.dir.UserName(e.By), r.dir.UserName(e.Supervisor), e.Reason)
		out = append(out, s)
	}
	if len(out) == 0 {
		return "0"
	}
	return strings.Join(out, "\n")
}

func (r *eightD) endReason() []field {
	c, l := r.c, r.l
	var fs []field
	if c.RejectionReason != "" {
		fs = append(fs, field{l.t("8d.rejected_reason"), c.RejectionReason})
	}
	if c.WithdrawnReason != "" {
		fs = append(fs, field{l.t("8d.withdrawn_reason"), c.WithdrawnReason})
	}
	if c.DuplicateOf != "" {
		fs = append(fs, field{l.t("8d.duplicate_of"), r.dir.ComplaintNumber(c.DuplicateOf)})
	}
	return fs
}

// integrity lists the complaint's unresolved conflicts and refused
// transitions, only when there are some.
func (r *eightD) integrity() {
	m := r.in.Complaint.Meta
	if len(m.Conflicts) == 0 && len(m.Flags) == 0 {
		return
	}
	l := r.l
	r.d.section(l.t("8d.integrity"))
	for _, c := range m.Conflicts {
		var vals []string
		for _, v := range c.Values {
			vals = append(vals, fmt.Sprintf("%s (%s)", string(v.Value), r.dir.UserName(v.Writer.Author)))
		}
		r.d.para(fmt.Sprintf(l.t("8d.conflict"), c.Field, strings.Join(vals, " / ")), "", 9, pdfBad)
	}
	for _, f := range m.Flags {
		r.d.para(fmt.Sprintf(l.t("8d.flag"), f.Type, r.dir.UserName(f.Author), f.Rule, f.Message), "", 9, pdfBad)
	}
}

// timeline lists every event: when, who, in which role, from which
// workstation, what.
func (r *eightD) timeline() {
	l := r.l
	r.d.section(l.t("8d.timeline"))
	rows := make([]trow, len(r.in.Timeline))
	for i, te := range r.in.Timeline {
		e := te.Event
		rows[i] = trow{cells: []string{shortTime(e.HLC.Time(), r.z), r.dir.UserName(e.Author),
			l.role(e.Role), e.Replica, r.desc.describe(te)}}
	}
	r.d.table([]tcol{{l.t("8d.when"), 15, "L"}, {l.t("8d.who"), 15, "L"}, {l.t("8d.role"), 14, "L"},
		{l.t("8d.replica"), 14, "L"}, {l.t("8d.what"), 52, "L"}}, rows, 7.5)
}
