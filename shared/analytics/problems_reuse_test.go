package analytics

import (
	"reflect"
	"slices"
	"testing"

	"boucle/shared/domain"
)

// handlingFields are the complaint's fields that the problems are not
// found from (sameForProblems leaves them out).
var handlingFields = []string{"Attachments", "Status", "StatusChangedAt", "Assignee", "AcknowledgedBy", "AcknowledgedAt",
	"Deadline", "Actions", "ResolvedAt", "Rating", "RatingComment", "ClosedAt", "Reexaminations", "Reopens", "Escalations", "Messages"}

// comparedFields are those sameForProblems compares (Status only as far
// as it is countable).
var comparedFields = []string{"ID", "Number", "FilingStation", "SupplierStation", "PartRef", "Lot", "Quantity", "Category",
	"Severity", "Kind", "Remedy", "Description", "FiledBy", "FiledAt", "FiledOrder", "Containment", "Whys", "Ishikawa",
	"RootCause", "Solutions", "ChosenSolution", "Resolution", "RejectionReason", "DuplicateOf", "WithdrawnReason",
	"Problem", "NotProblems"}

// A field added to complaints must be placed: compared (a new input of
// the proposal, or anything not known to be handling) or handling.
func TestEveryComplaintFieldIsComparedOrHandling(t *testing.T) {
	typ := reflect.TypeFor[domain.Complaint]()
	for i := range typ.NumField() {
		name := typ.Field(i).Name
		if !slices.Contains(handlingFields, name) && !slices.Contains(comparedFields, name) {
			t.Errorf("domain.Complaint.%s: neither compared by sameForProblems nor listed as handling", name)
		}
	}
}

// Changing any compared field makes the complaint another one for the
// problems; changing a handling field does not (Status between two
// countable statuses).
func TestSameForProblemsComparesEveryComparedField(t *testing.T) {
	a := domain.Complaint{ID: "c1", Status: domain.StatusNew, Whys: []string{"w"}, NotProblems: []string{"p"},
		Solutions: []domain.Solution{{ID: "s"}}}
	for _, name := range comparedFields {
		b := a
		b.Whys, b.NotProblems, b.Solutions = slices.Clone(a.Whys), slices.Clone(a.NotProblems), slices.Clone(a.Solutions)
		f := reflect.ValueOf(&b).Elem().FieldByName(name)
		switch {
		case f.Kind() == reflect.String:
			f.SetString(f.String() + "x")
		case f.Kind() == reflect.Int:
			f.SetInt(f.Int() + 1)
		case f.Kind() == reflect.Slice:
			f.Set(reflect.Append(f, reflect.Zero(f.Type().Elem())))
		case f.Type() == reflect.TypeFor[domain.OrderKey]():
			b.FiledOrder.Replica = "r"
		case name == "FiledAt":
			b.FiledAt = b.FiledAt.Add(1)
		default:
			t.Fatalf("%s: no way to change it in this test", name)
		}
		if sameForProblems(&a, &b) {
			t.Errorf("%s changed, the complaint still the same for the problems", name)
		}
	}
	b := a
	b.Status, b.Assignee, b.Rating = domain.StatusAcknowledged, "eng", 4
	b.Actions = []domain.ActionLink{{ID: "a1"}}
	if !sameForProblems(&a, &b) {
		t.Error("handling changed the complaint for the problems")
	}
	b.Status = domain.StatusRejected
	if sameForProblems(&a, &b) {
		t.Error("a complaint no longer countable is the same for the problems")
	}
}
