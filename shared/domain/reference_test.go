package domain_test

import (
	"testing"
	"time"

	"boucle/shared/domain"
)

// refEvent is one admin event on reference data.
type refEvent struct {
	typ domain.EventType
	id  string
	p   domain.Payload
}

func TestReferenceTransitions(t *testing.T) {
	var (
		station = func(name string) *domain.StationPayload { return &domain.StationPayload{Name: name} }
		user    = func(name string) *domain.UserPayload {
			return &domain.UserPayload{DisplayName: name, Role: domain.RoleOperator, Station: "PRESS2"}
		}
		category = func(en string) *domain.CategoryPayload {
			return &domain.CategoryPayload{LabelEN: en, LabelFR: en + " (fr)"}
		}
		severity = &domain.SeverityPayload{AckHours: 4, ResolveHours: 72}

		defineStation  = refEvent{domain.StationDefined, "PRESS2", station("Press 2")}
		registerUser   = refEvent{domain.UserRegistered, "olga", user("Olga")}
		defineCategory = refEvent{domain.CategoryDefined, "burr", category("Burr")}
	)
	type want struct {
		code        domain.Code
		rule, field string
		check       func(*domain.State) bool
	}
	ok := func(check func(*domain.State) bool) want { return want{check: check} }
	tests := []struct {
		name   string
		before []refEvent
		event  refEvent
		want   want
	}{
		{"station.defined", nil, defineStation, ok(func(s *domain.State) bool { return *s.Station == domain.Station{Code: "PRESS2", Name: "Press 2"} })},
		{"station.defined/twice", []refEvent{defineStation}, defineStation, want{code: domain.EConflict, rule: "station.unique"}},
		{"station.defined/bad code", nil, refEvent{domain.StationDefined, "press 2", station("Press 2")}, want{code: domain.EInvalid, field: "entity_id"}},
		{"station.defined/after retirement", []refEvent{defineStation, {domain.StationRetired, "PRESS2", reason("moved")}},
			refEvent{domain.StationDefined, "PRESS2", station("Press 2 (new)")},
			ok(func(s *domain.State) bool { return !s.Station.Retired && s.Station.Name == "Press 2 (new)" })},
		{"station.updated", []refEvent{defineStation}, refEvent{domain.StationUpdated, "PRESS2", station("Big press")},
			ok(func(s *domain.State) bool { return s.Station.Name == "Big press" })},
		{"station.updated/missing", nil, refEvent{domain.StationUpdated, "PRESS2", station("x")}, want{code: domain.ENotFound, rule: "station.exists"}},
		{"station.retired", []refEvent{defineStation}, refEvent{domain.StationRetired, "PRESS2", reason("moved")},
			ok(func(s *domain.State) bool { return s.Station.Retired })},
		{"station.retired/missing", nil, refEvent{domain.StationRetired, "PRESS2", reason("x")}, want{code: domain.ENotFound, rule: "station.exists"}},

		{"user.registered", nil, registerUser, ok(func(s *domain.State) bool {
			return *s.User == domain.User{Login: "olga", DisplayName: "Olga", Role: domain.RoleOperator, Station: "PRESS2"}
		})},
		{"user.registered/twice", []refEvent{registerUser}, registerUser, want{code: domain.EConflict, rule: "user.unique"}},
		{"user.registered/bad login", nil, refEvent{domain.UserRegistered, "Olga B", user("Olga")}, want{code: domain.EInvalid, field: "entity_id"}},
		{"user.updated", []refEvent{registerUser}, refEvent{domain.UserUpdated, "olga", &domain.UserPayload{DisplayName: "Olga B.", Role: domain.RoleEngineer}},
			ok(func(s *domain.State) bool {
				return *s.User == domain.User{Login: "olga", DisplayName: "Olga B.", Role: domain.RoleEngineer}
			})},
		{"user.updated/missing", nil, refEvent{domain.UserUpdated, "olga", user("x")}, want{code: domain.ENotFound, rule: "user.exists"}},
		{"user.disabled", []refEvent{registerUser}, refEvent{domain.UserDisabled, "olga", reason("left")},
			ok(func(s *domain.State) bool { return s.User.Disabled })},
		{"user.disabled/missing", nil, refEvent{domain.UserDisabled, "olga", reason("left")}, want{code: domain.ENotFound, rule: "user.exists"}},
		{"user.enabled", []refEvent{registerUser, {domain.UserDisabled, "olga", reason("left")}}, refEvent{domain.UserEnabled, "olga", &domain.NotePayload{}},
			ok(func(s *domain.State) bool { return !s.User.Disabled })},
		{"user.enabled/missing", nil, refEvent{domain.UserEnabled, "olga", &domain.NotePayload{}}, want{code: domain.ENotFound, rule: "user.exists"}},

		{"category.defined", nil, defineCategory, ok(func(s *domain.State) bool {
			return *s.Category == domain.Category{Code: "burr", LabelEN: "Burr", LabelFR: "Burr (fr)"}
		})},
		{"category.defined/twice", []refEvent{defineCategory}, defineCategory, want{code: domain.EConflict, rule: "category.unique"}},
		{"category.defined/bad code", nil, refEvent{domain.CategoryDefined, "Burr", category("Burr")}, want{code: domain.EInvalid, field: "entity_id"}},
		{"category.defined/after retirement", []refEvent{defineCategory, {domain.CategoryRetired, "burr", reason("merged")}}, defineCategory,
			ok(func(s *domain.State) bool { return !s.Category.Retired })},
		{"category.updated", []refEvent{defineCategory}, refEvent{domain.CategoryUpdated, "burr", category("Burrs")},
			ok(func(s *domain.State) bool { return s.Category.LabelEN == "Burrs" && s.Category.LabelFR == "Burrs (fr)" })},
		{"category.updated/missing", nil, refEvent{domain.CategoryUpdated, "burr", category("x")}, want{code: domain.ENotFound, rule: "category.exists"}},
		{"category.retired", []refEvent{defineCategory}, refEvent{domain.CategoryRetired, "burr", reason("merged")},
			ok(func(s *domain.State) bool { return s.Category.Retired })},
		{"category.retired/missing", nil, refEvent{domain.CategoryRetired, "burr", reason("x")}, want{code: domain.ENotFound, rule: "category.exists"}},

		{"severity.configured", nil, refEvent{domain.SeverityConfigured, "major", severity}, ok(func(s *domain.State) bool {
			return *s.Severity == domain.SeverityConfig{Severity: domain.SeverityMajor, AckHours: 4, ResolveHours: 72} &&
				s.Severity.AckWithin() == 4*time.Hour && s.Severity.ResolveWithin() == 72*time.Hour
		})},
		{"severity.configured/again", []refEvent{{domain.SeverityConfigured, "major", severity}},
			refEvent{domain.SeverityConfigured, "major", &domain.SeverityPayload{AckHours: 8, ResolveHours: 120}},
			ok(func(s *domain.State) bool { return s.Severity.AckHours == 8 && s.Severity.ResolveHours == 120 })},
		{"severity.configured/unknown", nil, refEvent{domain.SeverityConfigured, "huge", severity}, want{code: domain.EInvalid, field: "entity_id"}},
	}
	covered := map[domain.EventType]bool{}
	for _, tt := range tests {
		covered[tt.event.typ] = true
		t.Run(tt.name, func(t *testing.T) {
			r := newWorld().replica("server", adam, domain.RoleAdmin, 0)
			for _, e := range tt.before {
				r.mustEmit(t, e.typ, e.id, e.p)
			}
			_, err := r.emit(tt.event.typ, tt.event.id, tt.event.p)
			switch {
			case tt.want.check != nil:
				if err != nil {
					t.Fatal(err)
				}
				et, _ := domain.EntityOf(tt.event.typ)
				if s := r.state(domain.EntityKey{Type: et, ID: tt.event.id}); !tt.want.check(s) {
					t.Fatalf("unexpected state %+v %+v %+v %+v", s.Station, s.User, s.Category, s.Severity)
				}
			case tt.want.rule != "":
				wantRule(t, err, tt.want.code, tt.want.rule)
			default:
				wantField(t, err, tt.want.code, tt.want.field)
			}
		})
	}
	for _, typ := range domain.EventTypes() {
		et, _ := domain.EntityOf(typ)
		if (et == domain.EntityStation || et == domain.EntityUser || et == domain.EntityCategory || et == domain.EntitySeverity) && !covered[typ] {
			t.Errorf("%s is not tested", typ)
		}
	}
}

func TestDefaultsAreValid(t *testing.T) {
	r := newWorld().replica("server", adam, domain.RoleAdmin, 0)
	if len(domain.DefaultCategories) != 10 {
		t.Fatalf("%d default categories, the issue lists 10", len(domain.DefaultCategories))
	}
	for _, c := range domain.DefaultCategories {
		r.mustEmit(t, domain.CategoryDefined, c.Code, &domain.CategoryPayload{LabelEN: c.LabelEN, LabelFR: c.LabelFR})
	}
	prev := 1 << 30
	for _, s := range domain.Severities {
		c := domain.DefaultSeverity(s)
		if c.Severity != s || c.AckHours >= prev {
			t.Fatalf("%s: %+v (the worse the defect, the sooner the answer)", s, c)
		}
		prev = c.AckHours
		r.mustEmit(t, domain.SeverityConfigured, string(s), &domain.SeverityPayload{AckHours: c.AckHours, ResolveHours: c.ResolveHours})
	}
	for _, code := range []string{"PRESS2", "CUT-1", "A_B"} {
		if !domain.ValidStationCode(code) {
			t.Errorf("%s should be a station code", code)
		}
	}
	for _, code := range []string{"", "press2", "PRESS 2", "ABCDEFGHIJKLMNOPQ"} {
		if domain.ValidStationCode(code) {
			t.Errorf("%q should not be a station code", code)
		}
	}
}
