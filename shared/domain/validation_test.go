package domain_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"boucle/shared/domain"
	"boucle/shared/hlc"

	"github.com/google/uuid"
)

var (
	long  = strings.Repeat("é", 4001) // one character over the limit of free text
	short = strings.Repeat("é", 121)  // one over titles, part references, lots
)

// badPayloads lists, for every payload type, a valid payload and the ways
// to break it, each naming the field at fault.
func badPayloads() []struct {
	name  string
	p     domain.Payload
	field string // "" for a valid payload
} {
	type c = struct {
		name  string
		p     domain.Payload
		field string
	}
	filed := func(f func(*domain.ComplaintFiledPayload)) *domain.ComplaintFiledPayload {
		p := filedPayload("PRESS2-2026-0042")
		f(p)
		return p
	}
	action := func(f func(*domain.ActionAssignedPayload)) *domain.ActionAssignedPayload {
		p := actionPayload(cid)
		f(p)
		return p
	}
	plan := func(f func(*domain.PlanContentPayload)) *domain.PlanContentPayload {
		p := planPayload("Punch wear")
		f(p)
		return p
	}
	deadline := epoch.Add(48 * time.Hour)
	att := func(f func(*domain.Attachment)) *domain.AttachmentPayload {
		a := domain.Attachment{SHA256: sha('f'), Name: "x.jpg", Size: 1}
		f(&a)
		return &domain.AttachmentPayload{Attachment: a}
	}
	return []c{
		{"filed/ok", filed(func(p *domain.ComplaintFiledPayload) {}), ""},
		{"filed/complaint without remedy", filed(func(p *domain.ComplaintFiledPayload) { p.Kind, p.Remedy = domain.KindComplaint, "" }), ""},
		{"filed/bad filing station", filed(func(p *domain.ComplaintFiledPayload) { p.FilingStation = "press 2" }), "filing_station"},
		{"filed/bad supplier station", filed(func(p *domain.ComplaintFiledPayload) { p.SupplierStation = "" }), "supplier_station"},
		{"filed/supplier is the filer", filed(func(p *domain.ComplaintFiledPayload) { p.SupplierStation = "PRESS2" }), "supplier_station"},
		{"filed/number of another station", filed(func(p *domain.ComplaintFiledPayload) { p.Number = "CUT1-2026-0042" }), "number"},
		{"filed/number without counter", filed(func(p *domain.ComplaintFiledPayload) { p.Number = "PRESS2-2026-42" }), "number"},
		{"filed/number of series B", filed(func(p *domain.ComplaintFiledPayload) { p.Number = "PRESS2-2026-B0042" }), ""},
		{"filed/number of a lower-case series", filed(func(p *domain.ComplaintFiledPayload) { p.Number = "PRESS2-2026-b0042" }), "number"},
		{"filed/number of a long series", filed(func(p *domain.ComplaintFiledPayload) { p.Number = "PRESS2-2026-ABCD0042" }), "number"},
		{"filed/zero quantity", filed(func(p *domain.ComplaintFiledPayload) { p.Quantity = 0 }), "quantity"},
		{"filed/huge quantity", filed(func(p *domain.ComplaintFiledPayload) { p.Quantity = 2_000_000_000 }), "quantity"},
		{"filed/no category", filed(func(p *domain.ComplaintFiledPayload) { p.Category = "" }), "category"},
		{"filed/bad category", filed(func(p *domain.ComplaintFiledPayload) { p.Category = "Dimensional" }), "category"},
		{"filed/bad severity", filed(func(p *domain.ComplaintFiledPayload) { p.Severity = "blocking" }), "severity"},
		{"filed/bad kind", filed(func(p *domain.ComplaintFiledPayload) { p.Kind = "grumble" }), "kind"},
		{"filed/claim without remedy", filed(func(p *domain.ComplaintFiledPayload) { p.Remedy = "" }), "remedy"},
		{"filed/claim with unknown remedy", filed(func(p *domain.ComplaintFiledPayload) { p.Remedy = "refund" }), "remedy"},
		{"filed/complaint with remedy", filed(func(p *domain.ComplaintFiledPayload) { p.Kind = domain.KindComplaint }), "remedy"},
		{"filed/too many attachments", filed(func(p *domain.ComplaintFiledPayload) {
			p.Attachments = make([]domain.Attachment, 21)
		}), "attachments"},
		{"filed/no part", filed(func(p *domain.ComplaintFiledPayload) { p.PartRef = "" }), "part_ref"},
		{"filed/long part", filed(func(p *domain.ComplaintFiledPayload) { p.PartRef = short }), "part_ref"},
		{"filed/long lot", filed(func(p *domain.ComplaintFiledPayload) { p.Lot = short }), "lot"},
		{"filed/no description", filed(func(p *domain.ComplaintFiledPayload) { p.Description = "" }), "description"},
		{"filed/long description", filed(func(p *domain.ComplaintFiledPayload) { p.Description = long }), "description"},
		{"filed/bad sha", filed(func(p *domain.ComplaintFiledPayload) {
			p.Attachments = append(p.Attachments, domain.Attachment{SHA256: strings.ToUpper(sha('a')), Name: "x", Size: 1})
		}), "attachments[1].sha256"},
		{"filed/empty file", filed(func(p *domain.ComplaintFiledPayload) { p.Attachments[0].Size = 0 }), "attachments[0].size"},
		{"filed/file too big", filed(func(p *domain.ComplaintFiledPayload) { p.Attachments[0].Size = domain.MaxAttachmentBytes + 1 }), "attachments[0].size"},
		{"filed/file without name", filed(func(p *domain.ComplaintFiledPayload) { p.Attachments[0].Name = "" }), "attachments[0].name"},

		{"acknowledge/ok", &domain.AcknowledgePayload{Deadline: deadline, Assignee: "eric"}, ""},
		{"acknowledge/no deadline", &domain.AcknowledgePayload{Assignee: "eric"}, "deadline"},
		{"acknowledge/deadline out of range", &domain.AcknowledgePayload{Deadline: time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC), Assignee: "eric"}, "deadline"},
		{"acknowledge/bad assignee", &domain.AcknowledgePayload{Deadline: deadline, Assignee: "Eric M."}, "assignee"},
		{"acknowledge/long note", &domain.AcknowledgePayload{Deadline: deadline, Assignee: "eric", Note: long}, "note"},

		{"assign/ok", &domain.AssignPayload{Assignee: "erin"}, ""},
		{"assign/nobody", &domain.AssignPayload{}, "assignee"},

		{"reschedule/ok", &domain.ReschedulePayload{Deadline: deadline, Reason: "late parts"}, ""},
		{"reschedule/no deadline", &domain.ReschedulePayload{Reason: "late parts"}, "deadline"},
		{"reschedule/no reason", &domain.ReschedulePayload{Deadline: deadline}, "reason"},

		{"analysis/ok", &domain.AnalysisPayload{Whys: &[]string{"a", "b", "c", "d", "e"}}, ""},
		{"analysis/clear containment", &domain.AnalysisPayload{Containment: ptr("")}, ""},
		{"analysis/nothing", &domain.AnalysisPayload{}, "analysis"},
		{"analysis/long containment", &domain.AnalysisPayload{Containment: &long}, "containment"},
		{"analysis/six whys", &domain.AnalysisPayload{Whys: &[]string{"a", "b", "c", "d", "e", "f"}}, "whys"},
		{"analysis/empty why", &domain.AnalysisPayload{Whys: &[]string{"a", ""}}, "whys[1]"},
		{"analysis/long why", &domain.AnalysisPayload{Whys: &[]string{long}}, "whys[0]"},
		{"analysis/7th M", &domain.AnalysisPayload{Ishikawa: ptr(domain.Ishikawa("money"))}, "ishikawa"},
		{"analysis/long root cause", &domain.AnalysisPayload{RootCause: &long}, "root_cause"},

		{"propose/ok", proposePayload("s1", "s2"), ""},
		{"propose/nothing", &domain.ProposeSolutionPayload{}, "options"},
		{"propose/eleven", proposePayload("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"), "options"},
		{"propose/no id", proposePayload("s1", ""), "options[1].id"},
		{"propose/same id", proposePayload("s1", "s2", "s1"), "options[2].id"},
		{"propose/long id", proposePayload(strings.Repeat("s", 41)), "options[0].id"},
		{"propose/no text", &domain.ProposeSolutionPayload{Options: []domain.SolutionOption{{ID: "s1"}}}, "options[0].text"},

		{"choose/ok", &domain.ChooseSolutionPayload{SolutionID: "s1"}, ""},
		{"choose/nothing", &domain.ChooseSolutionPayload{}, "solution_id"},
		{"choose/long comment", &domain.ChooseSolutionPayload{SolutionID: "s1", Comment: long}, "comment"},

		{"link/ok", linkPayload("a1", domain.ActionContainment), ""},
		{"link/no action", &domain.LinkActionPayload{Kind: domain.ActionCorrective, Title: "x"}, "action_id"},
		{"link/bad kind", &domain.LinkActionPayload{ActionID: "a1", Kind: "curative", Title: "x"}, "kind"},
		{"link/no title", &domain.LinkActionPayload{ActionID: "a1", Kind: domain.ActionCorrective}, "title"},

		{"resolve/ok", &domain.ResolvePayload{Summary: "done"}, ""},
		{"resolve/no summary", &domain.ResolvePayload{}, "summary"},

		{"verify/ok", &domain.VerifyPayload{Rating: 5}, ""},
		{"verify/no rating", &domain.VerifyPayload{}, "rating"},
		{"verify/six stars", &domain.VerifyPayload{Rating: 6}, "rating"},
		{"verify/long comment", &domain.VerifyPayload{Rating: 1, Comment: long}, "comment"},

		{"reason/ok", reason("x"), ""},
		{"reason/none", reason(""), "reason"},
		{"reason/long", reason(long), "reason"},

		{"note/ok", &domain.NotePayload{}, ""},
		{"note/long", &domain.NotePayload{Note: long}, "note"},

		{"escalate/ok", &domain.EscalatePayload{Supervisor: "sam", Reason: "late"}, ""},
		{"escalate/nobody", &domain.EscalatePayload{Reason: "late"}, "supervisor"},
		{"escalate/no reason", &domain.EscalatePayload{Supervisor: "sam"}, "reason"},

		{"duplicate/ok", &domain.DuplicatePayload{Of: "c0"}, ""},
		{"duplicate/of nothing", &domain.DuplicatePayload{Number: "PRESS2-2026-0001"}, "of"},

		{"message/ok", &domain.MessagePayload{Text: "hi"}, ""},
		{"message/legacy plain note", &domain.MessagePayload{Text: "hi", Internal: true}, ""},
		{"message/sealed note", &domain.MessagePayload{Internal: true, Sealed: "k1:AbC-_9"}, ""},
		{"message/sealed not internal", &domain.MessagePayload{Sealed: "k1:AbC"}, "sealed"},
		{"message/sealed with text", &domain.MessagePayload{Internal: true, Sealed: "k1:AbC", Text: "leak"}, "text"},
		{"message/sealed no kid", &domain.MessagePayload{Internal: true, Sealed: ":AbC"}, "sealed"},
		{"message/sealed no colon", &domain.MessagePayload{Internal: true, Sealed: "AbC"}, "sealed"},
		{"message/sealed not base64url", &domain.MessagePayload{Internal: true, Sealed: "k1:Ab+/="}, "sealed"},
		{"message/sealed too long", &domain.MessagePayload{Internal: true, Sealed: "k1:" + strings.Repeat("A", 30000)}, "sealed"},
		{"message/empty", &domain.MessagePayload{}, "text"},
		{"message/long", &domain.MessagePayload{Text: long}, "text"},

		{"attachment/ok", att(func(*domain.Attachment) {}), ""},
		{"attachment/short sha", att(func(a *domain.Attachment) { a.SHA256 = a.SHA256[1:] }), "attachment.sha256"},
		{"attachment/negative size", att(func(a *domain.Attachment) { a.Size = -1 }), "attachment.size"},
		{"attachment/long name", att(func(a *domain.Attachment) { a.Name = strings.Repeat("n", 256) }), "attachment.name"},

		{"resolve conflict/ok", &domain.ResolveConflictPayload{Field: "root_cause", Value: json.RawMessage(`"x"`)}, ""},
		{"resolve conflict/no field", &domain.ResolveConflictPayload{Value: json.RawMessage(`"x"`)}, "field"},
		{"resolve conflict/unknown field", &domain.ResolveConflictPayload{Field: "status", Value: json.RawMessage(`"closed"`)}, "field"},
		{"resolve conflict/no value", &domain.ResolveConflictPayload{Field: "root_cause"}, "value"},
		{"resolve conflict/not json", &domain.ResolveConflictPayload{Field: "root_cause", Value: json.RawMessage(`x`)}, "value"},
		{"resolve conflict/wrong type", &domain.ResolveConflictPayload{Field: "whys", Value: json.RawMessage(`"one"`)}, "value"},
		{"resolve conflict/bad assignee", &domain.ResolveConflictPayload{Field: "assignee", Value: json.RawMessage(`"Eric M."`)}, "value"},
		{"resolve conflict/no deadline", &domain.ResolveConflictPayload{Field: "deadline", Value: json.RawMessage(`"0001-01-01T00:00:00Z"`)}, "value"},
		{"resolve conflict/7th M", &domain.ResolveConflictPayload{Field: "ishikawa", Value: json.RawMessage(`"money"`)}, "value"},
		{"resolve conflict/six whys", &domain.ResolveConflictPayload{Field: "whys", Value: json.RawMessage(`["a","b","c","d","e","f"]`)}, "value"},
		{"resolve conflict/bad owner", &domain.ResolveConflictPayload{Field: "owner", Value: json.RawMessage(`""`)}, "value"},
		{"resolve conflict/no title", &domain.ResolveConflictPayload{Field: "title", Value: json.RawMessage(`""`)}, "value"},
		{"resolve conflict/bad station", &domain.ResolveConflictPayload{Field: "supplier_station", Value: json.RawMessage(`"cut 1"`)}, "value"},
		{"resolve conflict/no category", &domain.ResolveConflictPayload{Field: "categories", Value: json.RawMessage(`[]`)}, "value"},

		{"action/ok", action(func(*domain.ActionAssignedPayload) {}), ""},
		{"action/preventive in a plan", action(func(p *domain.ActionAssignedPayload) {
			p.Kind, p.ComplaintID, p.PlanID = domain.ActionPreventive, "", "p1"
		}), ""},
		{"action/bad kind", action(func(p *domain.ActionAssignedPayload) { p.Kind = "" }), "kind"},
		{"action/no title", action(func(p *domain.ActionAssignedPayload) { p.Title = "" }), "title"},
		{"action/long title", action(func(p *domain.ActionAssignedPayload) { p.Title = short }), "title"},
		{"action/long description", action(func(p *domain.ActionAssignedPayload) { p.Description = long }), "description"},
		{"action/no owner", action(func(p *domain.ActionAssignedPayload) { p.Owner = "" }), "owner"},
		{"action/no due date", action(func(p *domain.ActionAssignedPayload) { p.Due = time.Time{} }), "due"},
		{"action/due in 2300", action(func(p *domain.ActionAssignedPayload) { p.Due = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC) }), "due"},
		{"action/answers nothing", action(func(p *domain.ActionAssignedPayload) { p.ComplaintID = "" }), "complaint_id"},
		{"action/corrective in a plan", action(func(p *domain.ActionAssignedPayload) { p.PlanID = "p1" }), "plan_id"},

		{"action rescheduled/ok", &domain.ActionRescheduledPayload{Owner: "erin", Reason: "leave"}, ""},
		{"action rescheduled/nothing", &domain.ActionRescheduledPayload{Reason: "leave"}, "owner"},
		{"action rescheduled/bad owner", &domain.ActionRescheduledPayload{Owner: "Erin", Reason: "leave"}, "owner"},
		{"action rescheduled/bad due", &domain.ActionRescheduledPayload{Due: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), Reason: "leave"}, "due"},
		{"action rescheduled/no reason", &domain.ActionRescheduledPayload{Due: deadline}, "reason"},

		{"verdict/ok", &domain.VerdictPayload{Effective: true}, ""},
		{"verdict/too much evidence", &domain.VerdictPayload{Evidence: make([]string, 201)}, "evidence"},
		{"verdict/long note", &domain.VerdictPayload{Note: long}, "note"},

		{"plan/ok", plan(func(*domain.PlanContentPayload) {}), ""},
		{"plan/no title", plan(func(p *domain.PlanContentPayload) { p.Title = "" }), "title"},
		{"plan/long objective", plan(func(p *domain.PlanContentPayload) { p.Objective = long }), "objective"},
		{"plan/bad supplier", plan(func(p *domain.PlanContentPayload) { p.SupplierStation = "" }), "supplier_station"},
		{"plan/no category", plan(func(p *domain.PlanContentPayload) { p.Categories = nil }), "categories"},
		{"plan/bad category", plan(func(p *domain.PlanContentPayload) { p.Categories = []string{"dimensional", "Bad One"} }), "categories[1]"},
		{"plan/too many complaints", plan(func(p *domain.PlanContentPayload) { p.Complaints = make([]string, 501) }), "complaints"},

		{"sign-off/ok", signOff(), ""},
		{"sign-off/no meaning", &domain.SignOffPayload{Comment: "ok"}, "meaning"},
		{"sign-off/long meaning", &domain.SignOffPayload{Meaning: strings.Repeat("m", 241), Comment: "ok"}, "meaning"},
		{"sign-off/no comment", &domain.SignOffPayload{Meaning: "approved"}, "comment"},

		{"station/ok", &domain.StationPayload{Name: "Press 2"}, ""},
		{"station/no name", &domain.StationPayload{}, "name"},

		{"user/ok", &domain.UserPayload{DisplayName: "Olga", Role: domain.RoleOperator}, ""},
		{"user/no name", &domain.UserPayload{Role: domain.RoleOperator}, "display_name"},
		{"user/system account", &domain.UserPayload{DisplayName: "Bot", Role: domain.RoleSystem}, "role"},
		{"user/bad station", &domain.UserPayload{DisplayName: "Olga", Role: domain.RoleOperator, Station: "press2"}, "station"},

		{"category/ok", &domain.CategoryPayload{LabelEN: "Burr", LabelFR: "Bavure"}, ""},
		{"category/no english", &domain.CategoryPayload{LabelFR: "Bavure"}, "label_en"},
		{"category/no french", &domain.CategoryPayload{LabelEN: "Burr"}, "label_fr"},

		{"severity/ok", &domain.SeverityPayload{AckHours: 1, ResolveHours: 1}, ""},
		{"problem decision/ok", &domain.ProblemDecisionPayload{Problem: "c1", Note: "same burrs"}, ""},
		{"problem decision/no problem", &domain.ProblemDecisionPayload{}, "problem"},
		{"problem decision/long id", &domain.ProblemDecisionPayload{Problem: strings.Repeat("p", 121)}, "problem"},
		{"problem merged/ok", &domain.ProblemMergedPayload{Into: "c2"}, ""},
		{"problem merged/no target", &domain.ProblemMergedPayload{Note: "x"}, "into"},
		{"problem split/ok", &domain.ProblemSplitPayload{From: "c2", Complaints: []string{"c3"}}, ""},
		{"problem split/no complaints", &domain.ProblemSplitPayload{From: "c2"}, "complaints"},
		{"problem split/blank complaint", &domain.ProblemSplitPayload{From: "c2", Complaints: []string{"c3", ""}}, "complaints[1]"},
		{"problem split/no origin", &domain.ProblemSplitPayload{Complaints: []string{"c3"}}, "from"},
		{"severity/no ack", &domain.SeverityPayload{ResolveHours: 24}, "ack_hours"},
		{"severity/ack after 90 days", &domain.SeverityPayload{AckHours: 24*90 + 1, ResolveHours: 24 * 365}, "ack_hours"},
		{"severity/resolve before ack", &domain.SeverityPayload{AckHours: 8, ResolveHours: 4}, "resolve_hours"},
		{"severity/resolve after a year", &domain.SeverityPayload{AckHours: 8, ResolveHours: 24*365 + 1}, "resolve_hours"},
	}
}

func TestPayloadValidation(t *testing.T) {
	for _, tt := range badPayloads() {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("valid payload refused: %v", err)
				}
				return
			}
			wantField(t, err, domain.EInvalid, tt.field)
			if domain.ErrorMessage(err) == "" {
				t.Fatal("no message")
			}
		})
	}
}

// Every payload type of the registry has cases in badPayloads: a valid
// payload of the right type is written here for every event type, and the
// registry must decode it to that type.
func TestPayloadValidationCoversEveryPayload(t *testing.T) {
	tested := map[reflect.Type]bool{}
	for _, tt := range badPayloads() {
		if tt.field != "" {
			tested[reflect.TypeOf(tt.p)] = true
		}
	}
	station := &domain.StationPayload{Name: "Press 2"}
	user := &domain.UserPayload{DisplayName: "Olga", Role: domain.RoleOperator}
	category := &domain.CategoryPayload{LabelEN: "Burr", LabelFR: "Bavure"}
	resolution := &domain.ResolveConflictPayload{Field: "owner", Value: json.RawMessage(`"eric"`)}
	verdict := &domain.VerdictPayload{}
	note := &domain.NotePayload{}
	samples := map[domain.EventType]domain.Payload{
		domain.ComplaintFiled:                  filedPayload("PRESS2-2026-0001"),
		domain.ComplaintAcknowledged:           ackPayload(),
		domain.ComplaintAssigned:               &domain.AssignPayload{Assignee: "eric"},
		domain.ComplaintDeadlineRescheduled:    &domain.ReschedulePayload{Deadline: epoch, Reason: "x"},
		domain.ComplaintAnalysisRecorded:       analysisPayload("x"),
		domain.ComplaintSolutionProposed:       proposePayload("s1"),
		domain.ComplaintSolutionChosen:         &domain.ChooseSolutionPayload{SolutionID: "s1"},
		domain.ComplaintActionLinked:           linkPayload("a1", domain.ActionCorrective),
		domain.ComplaintResolved:               &domain.ResolvePayload{Summary: "x"},
		domain.ComplaintVerified:               &domain.VerifyPayload{Rating: 3},
		domain.ComplaintReopened:               reason("x"),
		domain.ComplaintRejected:               reason("x"),
		domain.ComplaintReexaminationRequested: reason("x"),
		domain.ComplaintEscalated:              &domain.EscalatePayload{Supervisor: "sam", Reason: "x"},
		domain.ComplaintMarkedDuplicate:        &domain.DuplicatePayload{Of: "c0"},
		domain.ComplaintWithdrawn:              reason("x"),
		domain.ComplaintMessagePosted:          &domain.MessagePayload{Text: "x"},
		domain.ComplaintAttachmentAdded:        &domain.AttachmentPayload{Attachment: domain.Attachment{SHA256: sha('1'), Name: "x", Size: 1}},
		domain.ComplaintConflictResolved:       resolution,
		domain.ActionAssigned:                  actionPayload(cid),
		domain.ActionStarted:                   note,
		domain.ActionCompleted:                 note,
		domain.ActionVerified:                  verdict,
		domain.ActionCancelled:                 reason("x"),
		domain.ActionRescheduled:               &domain.ActionRescheduledPayload{Owner: "eric", Reason: "x"},
		domain.ActionConflictResolved:          resolution,
		domain.ActionEffectivenessMeasured:     verdict,
		domain.PlanDrafted:                     planPayload("x"),
		domain.PlanRevised:                     planPayload("x"),
		domain.PlanSubmitted:                   note,
		domain.PlanApproved:                    signOff(),
		domain.PlanRejected:                    signOff(),
		domain.PlanStarted:                     note,
		domain.PlanEvaluated:                   verdict,
		domain.PlanConflictResolved:            resolution,
		domain.StationDefined:                  station,
		domain.StationUpdated:                  station,
		domain.StationRetired:                  reason("x"),
		domain.UserRegistered:                  user,
		domain.UserUpdated:                     user,
		domain.UserDisabled:                    reason("x"),
		domain.UserEnabled:                     note,
		domain.CategoryDefined:                 category,
		domain.CategoryUpdated:                 category,
		domain.CategoryRetired:                 reason("x"),
		domain.SeverityConfigured:              &domain.SeverityPayload{AckHours: 1, ResolveHours: 2},
		domain.ComplaintProblemConfirmed:       &domain.ProblemDecisionPayload{Problem: "c0"},
		domain.ComplaintProblemMoved:           &domain.ProblemDecisionPayload{Problem: "p1", OtherSupplier: true},
		domain.ComplaintProblemDenied:          &domain.ProblemDecisionPayload{Problem: "c0"},
		domain.ProblemMerged:                   &domain.ProblemMergedPayload{Into: "p2"},
		domain.ProblemSplit:                    &domain.ProblemSplitPayload{From: "p2", Complaints: []string{"c1"}},
		domain.ProblemConflictResolved:         resolution,
	}
	for _, typ := range domain.EventTypes() {
		sample, ok := samples[typ]
		if !ok {
			t.Errorf("%s: no sample payload", typ)
			continue
		}
		e, err := domain.NewEvent(typ, "x", sample)
		if err != nil {
			t.Fatal(err)
		}
		p, err := domain.DecodePayload(&e)
		if err != nil {
			t.Errorf("%s: %v", typ, err)
			continue
		}
		if reflect.TypeOf(p) != reflect.TypeOf(sample) {
			t.Errorf("%s decodes to %T, not %T", typ, p, sample)
		}
		if !tested[reflect.TypeOf(p)] {
			t.Errorf("%s: no bad payload of type %T", typ, p)
		}
	}
}

// The same errors come out of the whole event path: Validate, and Decide
// on a workstation.
func TestValidateEventNamesPayloadField(t *testing.T) {
	e, err := domain.NewEvent(domain.ComplaintFiled, cid, filedPayload("PRESS2-2026-0042"))
	if err != nil {
		t.Fatal(err)
	}
	e.ID, e.HLC, e.Replica, e.Seq, e.Author, e.Role = uuid.Must(uuid.NewV7()), 1, "ws", 1, olga, domain.RoleOperator
	if err := domain.Validate(&e); err != nil {
		t.Fatal(err)
	}
	e.Payload = json.RawMessage(`{"number":"PRESS2-2026-0042","filing_station":"PRESS2","supplier_station":"CUT1","quantity":-1}`)
	wantField(t, domain.Validate(&e), domain.EInvalid, "quantity")

	e.Payload = json.RawMessage(`{"quantity":"forty"}`)
	wantField(t, domain.Validate(&e), domain.EMalformed, "quantity")
	e.Payload = json.RawMessage(`{"quantity":`)
	wantField(t, domain.Validate(&e), domain.EMalformed, "payload")

	e.Payload = json.RawMessage(`{}`)
	e.EntityType = domain.EntityAction
	wantField(t, domain.Validate(&e), domain.EInvalid, "entity_type")

	r := newDesk()
	p := filedPayload("PRESS2-2026-0042")
	p.Attachments[0].SHA256 = "nope"
	_, err = r.emit(domain.ComplaintFiled, cid, p)
	wantField(t, err, domain.EInvalid, "attachments[0].sha256")
	if len(r.events) != 0 {
		t.Fatal("an invalid event was recorded")
	}

	_, err = domain.NewEvent("complaint.exploded", cid, p)
	wantField(t, err, domain.EInvalid, "type")
}

func TestNewEventFillsTypeAndSchema(t *testing.T) {
	e, err := domain.NewEvent(domain.ActionStarted, aid, &domain.NotePayload{Note: "go"})
	if err != nil {
		t.Fatal(err)
	}
	if e.EntityType != domain.EntityAction || e.EntityID != aid || e.Type != domain.ActionStarted || e.Schema != 1 ||
		string(e.Payload) != `{"note":"go"}` || !e.Known() {
		t.Fatalf("%+v", e)
	}
}

func TestEnvelopeValidation(t *testing.T) {
	valid := func() domain.Event {
		e, err := domain.NewEvent(domain.ComplaintMessagePosted, cid, &domain.MessagePayload{Text: "hi"})
		if err != nil {
			t.Fatal(err)
		}
		e.ID, e.HLC, e.Replica, e.Seq, e.Author, e.Role = uuid.Must(uuid.NewV7()), 1, "ws", 1, olga, domain.RoleOperator
		return e
	}
	if e := valid(); e.ValidateEnvelope() != nil {
		t.Fatal(e.ValidateEnvelope())
	}
	tests := []struct {
		name   string
		breaks func(*domain.Event)
		code   domain.Code
		field  string
	}{
		{"nil id", func(e *domain.Event) { e.ID = uuid.Nil }, domain.EMalformed, "id"},
		{"v4 id", func(e *domain.Event) { e.ID = uuid.New() }, domain.EMalformed, "id"},
		{"v7 id, wrong variant", func(e *domain.Event) { e.ID[8] &^= 0x80 }, domain.EMalformed, "id"},
		{"zero hlc", func(e *domain.Event) { e.HLC = 0 }, domain.EMalformed, "hlc"},
		{"hlc 2^64-1", func(e *domain.Event) { e.HLC = hlc.Max }, domain.EMalformed, "hlc"},
		{"hlc past 2200", func(e *domain.Event) { e.HLC = hlc.Limit + 1 }, domain.EMalformed, "hlc"},
		{"seq 0", func(e *domain.Event) { e.Seq = 0 }, domain.EMalformed, "seq"},
		{"schema 0", func(e *domain.Event) { e.Schema = 0 }, domain.EMalformed, "schema"},
		{"too many parents", func(e *domain.Event) { e.Parents = make([]uuid.UUID, domain.MaxParents+1) }, domain.EMalformed, "parents"},
		{"payload too large", func(e *domain.Event) {
			e.Payload = json.RawMessage(`{"text":"` + strings.Repeat("x", domain.MaxPayloadBytes) + `"}`)
		}, domain.ETooLarge, "payload"},
		{"no replica", func(e *domain.Event) { e.Replica = "" }, domain.EMalformed, "replica"},
		{"empty author", func(e *domain.Event) { e.Author = "" }, domain.EMalformed, "author"},
		{"no role", func(e *domain.Event) { e.Role = "" }, domain.EMalformed, "role"},
		{"no entity type", func(e *domain.Event) { e.EntityType = "" }, domain.EMalformed, "entity_type"},
		{"no entity id", func(e *domain.Event) { e.EntityID = "" }, domain.EMalformed, "entity_id"},
		{"long entity id", func(e *domain.Event) { e.EntityID = strings.Repeat("c", 129) }, domain.EMalformed, "entity_id"},
		{"author not UTF-8", func(e *domain.Event) { e.Author = "ol\xffga" }, domain.EMalformed, "author"},
		{"no type", func(e *domain.Event) { e.Type = "" }, domain.EMalformed, "type"},
		{"no payload", func(e *domain.Event) { e.Payload = nil }, domain.EMalformed, "payload"},
		{"payload an array", func(e *domain.Event) { e.Payload = json.RawMessage(`["hi"]`) }, domain.EMalformed, "payload"},
		{"payload a string", func(e *domain.Event) { e.Payload = json.RawMessage(`"hi"`) }, domain.EMalformed, "payload"},
		{"payload not JSON", func(e *domain.Event) { e.Payload = json.RawMessage(`{"text":`) }, domain.EMalformed, "payload"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := valid()
			tt.breaks(&e)
			wantField(t, e.ValidateEnvelope(), tt.code, tt.field)
			wantField(t, domain.Validate(&e), tt.code, tt.field)
		})
	}
}

func TestErrors(t *testing.T) {
	for _, tt := range []struct {
		err  error
		code domain.Code
		msg  string
		text string
	}{
		{nil, "", "internal error", ""},
		{fmt.Errorf("disk on fire"), domain.EInternal, "internal error", "disk on fire"},
		{domain.FieldError("quantity", "must be at least %d", 1), domain.EInvalid, "must be at least 1", "invalid: quantity: must be at least 1"},
		{fmt.Errorf("wrapped: %w", domain.RuleError(domain.EConflict, "complaint.resolve", "not now")), domain.EConflict, "not now",
			"wrapped: conflict: complaint.resolve: not now"},
		{domain.Errorf(domain.ENotFound, "no %s", "c9"), domain.ENotFound, "no c9", "not_found: no c9"},
	} {
		if got := domain.ErrorCode(tt.err); got != tt.code {
			t.Errorf("ErrorCode(%v) = %q", tt.err, got)
		}
		if tt.err == nil {
			continue
		}
		if got := domain.ErrorMessage(tt.err); got != tt.msg {
			t.Errorf("ErrorMessage(%v) = %q", tt.err, got)
		}
		if got := tt.err.Error(); got != tt.text {
			t.Errorf("Error() = %q, want %q", got, tt.text)
		}
		if got := domain.AsError(tt.err); got.Code != tt.code || got.Message != tt.msg {
			t.Errorf("AsError(%v) = %+v", tt.err, got)
		}
	}
}

// A refused conflict resolution says which rule of the field it broke.
func TestResolutionValueNamesTheRule(t *testing.T) {
	for _, tt := range []struct{ field, value, says string }{
		{"categories", `[]`, "categories"},
		{"categories", `["Bad One"]`, "categories[0]"},
		{"whys", `["a",""]`, "whys[1]"},
		{"due", `"1970-01-01T00:00:00Z"`, "out of range"},
		{"ishikawa", `null`, "6M"},
	} {
		err := (&domain.ResolveConflictPayload{Field: tt.field, Value: json.RawMessage(tt.value)}).Validate()
		wantField(t, err, domain.EInvalid, "value")
		if !strings.Contains(domain.ErrorMessage(err), tt.says) {
			t.Errorf("%s = %s: %q does not mention %q", tt.field, tt.value, domain.ErrorMessage(err), tt.says)
		}
	}
}
