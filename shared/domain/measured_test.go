package domain_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"boucle/shared/domain"
)

// action.effectiveness_measured: the verdict the server measures from the
// data on a preventive action once done. It is recorded beside the
// people's verdict and never moves the status.

func measureStep(effective bool) step {
	return step{"system", domain.RoleSystem, domain.ActionEffectivenessMeasured, func() domain.Payload {
		p := &domain.VerdictPayload{Effective: effective, Note: "measured from the data"}
		if !effective {
			p.Evidence = []string{"c7", "c9"}
		}
		return p
	}}
}

func TestActionEffectivenessMeasured(t *testing.T) {
	for _, tt := range []struct {
		name      string
		from      domain.ActionStatus
		effective bool
	}{
		{"DoneEffective", domain.ActionStatusDone, true},
		{"DoneIneffective", domain.ActionStatusDone, false},
		{"VerifiedEffectiveMeasuredIneffective", domain.ActionStatusEffective, false},
		{"VerifiedIneffectiveMeasuredEffective", domain.ActionStatusIneffective, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// given an action in tt.from
			r := actionIn(t, tt.from)
			before := *r.action(aid)
			// when the system records the measured verdict
			s := measureStep(tt.effective)
			e := r.mustEmitAs(t, s.author, s.role, s.typ, aid, s.payload())
			// then the measurement is recorded and nothing else changes
			a := r.action(aid)
			if a.MeasuredEffective == nil || *a.MeasuredEffective != tt.effective {
				t.Fatalf("measured effective = %v, want %v", a.MeasuredEffective, tt.effective)
			}
			if !a.MeasuredAt.Equal(e.HLC.Time()) {
				t.Fatalf("measured at %s, want the event's time %s", a.MeasuredAt, e.HLC.Time())
			}
			wantEvidence := s.payload().(*domain.VerdictPayload).Evidence
			if !slices.Equal(a.MeasuredEvidence, wantEvidence) {
				t.Fatalf("evidence %v, want %v", a.MeasuredEvidence, wantEvidence)
			}
			if a.Status != tt.from || a.Verdict != before.Verdict || a.VerifiedBy != before.VerifiedBy || !a.DoneAt.Equal(before.DoneAt) {
				t.Fatalf("the measurement changed people's record: %+v, was %+v", a, before)
			}
		})
	}
}

func TestActionEffectivenessMeasuredRefused(t *testing.T) {
	for _, tt := range []struct {
		name string
		from domain.ActionStatus
	}{
		{"Open", domain.ActionStatusOpen},
		{"InProgress", domain.ActionStatusInProgress},
		{"Cancelled", domain.ActionStatusCancelled},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := actionIn(t, tt.from)
			s := measureStep(true)
			_, err := r.emitAs(s.author, s.role, s.typ, aid, s.payload())
			wantRule(t, err, domain.EConflict, "action.measure")
			if a := r.action(aid); a.MeasuredEffective != nil || a.Status != tt.from {
				t.Fatalf("refused measurement left %+v", a)
			}
		})
	}
	t.Run("AlreadyMeasured", func(t *testing.T) {
		r := actionIn(t, domain.ActionStatusDone)
		s := measureStep(false)
		r.mustEmitAs(t, s.author, s.role, s.typ, aid, s.payload())
		again := measureStep(true)
		_, err := r.emitAs(again.author, again.role, again.typ, aid, again.payload())
		wantRule(t, err, domain.EConflict, "action.measure")
		if a := r.action(aid); *a.MeasuredEffective {
			t.Fatal("a second measurement overwrote the first")
		}
	})
	t.Run("Missing", func(t *testing.T) {
		s := measureStep(true)
		_, err := newDesk().emitAs(s.author, s.role, s.typ, "nope", s.payload())
		wantRule(t, err, domain.ENotFound, "action.exists")
	})
}

// Only the software may record a measurement: people record their own
// verdict with action.verified.
func TestActionEffectivenessMeasuredPermission(t *testing.T) {
	for _, tt := range []struct {
		role domain.Role
		ok   bool
	}{
		{domain.RoleSystem, true},
		{domain.RoleOperator, false},
		{domain.RoleEngineer, false},
		{domain.RoleManager, false},
		{domain.RoleAdmin, false},
	} {
		t.Run(string(tt.role), func(t *testing.T) {
			err := domain.CheckPermission(tt.role, domain.ActionEffectivenessMeasured)
			if tt.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantRule(t, err, domain.EForbidden, "permission."+string(domain.ActionEffectivenessMeasured))
		})
	}
}

func TestActionEffectivenessMeasuredPayload(t *testing.T) {
	if et, ok := domain.EntityOf(domain.ActionEffectivenessMeasured); !ok || et != domain.EntityAction {
		t.Fatalf("entity = %s, %v", et, ok)
	}
	tooMany := make([]string, 201)
	for i := range tooMany {
		tooMany[i] = "c"
	}
	for _, tt := range []struct {
		name  string
		p     *domain.VerdictPayload
		field string
	}{
		{"OK", &domain.VerdictPayload{Effective: false, Note: "2 complaints", Evidence: tooMany[:200]}, ""},
		{"ErrEvidence", &domain.VerdictPayload{Evidence: tooMany}, "evidence"},
		{"ErrNote", &domain.VerdictPayload{Note: strings.Repeat("x", 100_000)}, "note"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, err := domain.NewEvent(domain.ActionEffectivenessMeasured, aid, tt.p)
			if err != nil {
				t.Fatal(err)
			}
			_, err = domain.DecodePayload(&e)
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantField(t, err, domain.EInvalid, tt.field)
		})
	}
}

// A measured false is kept apart from "not measured" once serialised, and
// people can still verify the action after the software measured it.
func TestActionEffectivenessMeasuredThenVerified(t *testing.T) {
	r := actionIn(t, domain.ActionStatusDone)
	raw, _ := json.Marshal(r.action(aid))
	if strings.Contains(string(raw), "measured") {
		t.Fatalf("an unmeasured action serialises measurement fields: %s", raw)
	}
	s := measureStep(false)
	r.mustEmitAs(t, s.author, s.role, s.typ, aid, s.payload())
	v := verdictStep(domain.ActionVerified, eric, domain.RoleEngineer, true)
	r.mustEmitAs(t, v.author, v.role, v.typ, aid, v.payload())
	a := r.action(aid)
	if a.Status != domain.ActionStatusEffective || a.MeasuredEffective == nil || *a.MeasuredEffective {
		t.Fatalf("status %s, measured %v", a.Status, a.MeasuredEffective)
	}
	raw, _ = json.Marshal(a)
	var back domain.Action
	if err := json.Unmarshal(raw, &back); err != nil || back.MeasuredEffective == nil || *back.MeasuredEffective || !slices.Equal(back.MeasuredEvidence, a.MeasuredEvidence) {
		t.Fatalf("round trip: %s → %+v, %v", raw, back, err)
	}
}
