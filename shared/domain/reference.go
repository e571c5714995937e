package domain

import "time"

// Station is a workstation of the plant: the internal client of the one
// upstream and the internal supplier of the one downstream.
type Station struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Retired bool   `json:"retired,omitempty"`
}

// User is a person in the directory. Secrets live with the server's
// accounts, never here.
type User struct {
	Login       string `json:"login"`
	DisplayName string `json:"display_name"`
	Role        Role   `json:"role"`
	Station     string `json:"station,omitempty"`
	Disabled    bool   `json:"disabled,omitempty"`
}

// Category is a defect category, labelled in both languages of the app.
type Category struct {
	Code    string `json:"code"`
	LabelEN string `json:"label_en"`
	LabelFR string `json:"label_fr"`
	Retired bool   `json:"retired,omitempty"`
}

// SeverityConfig holds the default handling times of a severity.
type SeverityConfig struct {
	Severity     Severity `json:"severity"`
	AckHours     int      `json:"ack_hours"`
	ResolveHours int      `json:"resolve_hours"`
}

// AckWithin is the default time to acknowledge.
func (s SeverityConfig) AckWithin() time.Duration { return time.Duration(s.AckHours) * time.Hour }

// ResolveWithin is the default time to resolve, from filing.
func (s SeverityConfig) ResolveWithin() time.Duration {
	return time.Duration(s.ResolveHours) * time.Hour
}

// DefaultCategories are seeded in a new plant; admins edit them afterwards.
var DefaultCategories = []Category{
	{Code: "dimensional", LabelEN: "Dimensional", LabelFR: "Dimensionnel"},
	{Code: "surface", LabelEN: "Surface / appearance", LabelFR: "Aspect / surface"},
	{Code: "missing_part", LabelEN: "Missing or wrong part", LabelFR: "Pièce manquante ou erronée"},
	{Code: "contamination", LabelEN: "Contamination", LabelFR: "Contamination"},
	{Code: "handling_damage", LabelEN: "Handling damage", LabelFR: "Dommage de manutention"},
	{Code: "labelling", LabelEN: "Labelling / documentation", LabelFR: "Étiquetage / documentation"},
	{Code: "quantity", LabelEN: "Quantity", LabelFR: "Quantité"},
	{Code: "late_delivery", LabelEN: "Late delivery", LabelFR: "Livraison en retard"},
	{Code: "functional", LabelEN: "Functional failure", LabelFR: "Défaillance fonctionnelle"},
	{Code: "other", LabelEN: "Other", LabelFR: "Autre"},
}

// DefaultSeverities are the seeded handling times: the worse the defect,
// the sooner the supplier station must answer.
var DefaultSeverities = []SeverityConfig{
	{Severity: SeverityMinor, AckHours: 24, ResolveHours: 10 * 24},
	{Severity: SeverityMajor, AckHours: 8, ResolveHours: 5 * 24},
	{Severity: SeverityCritical, AckHours: 2, ResolveHours: 2 * 24},
}

// DefaultSeverity returns the seeded configuration of a severity.
func DefaultSeverity(s Severity) SeverityConfig {
	for _, c := range DefaultSeverities {
		if c.Severity == s {
			return c
		}
	}
	return DefaultSeverities[0]
}

// applyReference folds the events of stations, users, categories and
// severities. The entity id is the code, login or severity name.
func applyReference(c *change, p Payload) error {
	id, s := c.e.EntityID, c.s
	switch c.e.Type {
	case StationDefined:
		if !ValidStationCode(id) {
			return FieldError("entity_id", "a station code is upper-case letters, digits, '-' or '_' (at most 16)")
		}
		if s.Station != nil && !s.Station.Retired {
			return RuleError(EConflict, "station.unique", "station %s already exists", id)
		}
		s.Station = &Station{Code: id, Name: p.(*StationPayload).Name}
	case StationUpdated:
		if s.Station == nil {
			return RuleError(ENotFound, "station.exists", "no station %s", id)
		}
		writeField(c, "name", &s.Station.Name, p.(*StationPayload).Name)
	case StationRetired:
		if s.Station == nil {
			return RuleError(ENotFound, "station.exists", "no station %s", id)
		}
		s.Station.Retired = true
	case UserRegistered:
		if !ValidLogin(id) {
			return FieldError("entity_id", "a user id is lower-case letters, digits, '.', '_' or '-'")
		}
		if s.User != nil {
			return RuleError(EConflict, "user.unique", "user %s already exists", id)
		}
		u := p.(*UserPayload)
		s.User = &User{Login: id, DisplayName: u.DisplayName, Role: u.Role, Station: u.Station}
	case UserUpdated:
		if s.User == nil {
			return RuleError(ENotFound, "user.exists", "no user %s", id)
		}
		u := p.(*UserPayload)
		writeField(c, "display_name", &s.User.DisplayName, u.DisplayName)
		writeField(c, "role", &s.User.Role, u.Role)
		writeField(c, "station", &s.User.Station, u.Station)
	case UserDisabled, UserEnabled:
		if s.User == nil {
			return RuleError(ENotFound, "user.exists", "no user %s", id)
		}
		s.User.Disabled = c.e.Type == UserDisabled
	case CategoryDefined:
		if !ValidCategoryCode(id) {
			return FieldError("entity_id", "a category code is lower-case letters, digits or '_'")
		}
		if s.Category != nil && !s.Category.Retired {
			return RuleError(EConflict, "category.unique", "category %s already exists", id)
		}
		cp := p.(*CategoryPayload)
		s.Category = &Category{Code: id, LabelEN: cp.LabelEN, LabelFR: cp.LabelFR}
	case CategoryUpdated:
		if s.Category == nil {
			return RuleError(ENotFound, "category.exists", "no category %s", id)
		}
		cp := p.(*CategoryPayload)
		writeField(c, "label_en", &s.Category.LabelEN, cp.LabelEN)
		writeField(c, "label_fr", &s.Category.LabelFR, cp.LabelFR)
	case CategoryRetired:
		if s.Category == nil {
			return RuleError(ENotFound, "category.exists", "no category %s", id)
		}
		s.Category.Retired = true
	case SeverityConfigured:
		if !oneOf(Severity(id), Severities) {
			return FieldError("entity_id", "must be minor, major or critical")
		}
		sp := p.(*SeverityPayload)
		if s.Severity == nil {
			s.Severity = &SeverityConfig{Severity: Severity(id)}
		}
		writeField(c, "ack_hours", &s.Severity.AckHours, sp.AckHours)
		writeField(c, "resolve_hours", &s.Severity.ResolveHours, sp.ResolveHours)
	default:
		return RuleError(EInvalid, "reference.event", "%s is not a reference-data event", c.e.Type)
	}
	return nil
}
