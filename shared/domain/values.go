package domain

import (
	"regexp"
	"time"
)

// Severity of a defect; each has default handling times (see reference.go).
type Severity string

const (
	SeverityMinor    Severity = "minor"
	SeverityMajor    Severity = "major"
	SeverityCritical Severity = "critical"
)

// Severities lists the severities, least severe first.
var Severities = []Severity{SeverityMinor, SeverityMajor, SeverityCritical}

// Kind separates a complaint (dissatisfaction expressed) from a claim (a
// complaint plus a remedy demanded).
type Kind string

const (
	KindComplaint Kind = "complaint"
	KindClaim     Kind = "claim"
)

// Remedy is what a claim demands.
type Remedy string

const (
	RemedyRework      Remedy = "rework"
	RemedyReplacement Remedy = "replacement"
	RemedySorting     Remedy = "sorting"
	RemedyCredit      Remedy = "credit"
	RemedyOther       Remedy = "other"
)

// Remedies lists the remedies a claim may demand.
var Remedies = []Remedy{RemedyRework, RemedyReplacement, RemedySorting, RemedyCredit, RemedyOther}

// Ishikawa is a cause family of the 6M diagram.
type Ishikawa string

const (
	IshikawaManpower    Ishikawa = "manpower"
	IshikawaMachine     Ishikawa = "machine"
	IshikawaMethod      Ishikawa = "method"
	IshikawaMaterial    Ishikawa = "material"
	IshikawaMeasurement Ishikawa = "measurement"
	IshikawaEnvironment Ishikawa = "environment" // "milieu"
)

// IshikawaFamilies lists the 6M.
var IshikawaFamilies = []Ishikawa{IshikawaManpower, IshikawaMachine, IshikawaMethod, IshikawaMaterial, IshikawaMeasurement, IshikawaEnvironment}

// ActionKind says what an action is for.
type ActionKind string

const (
	ActionContainment ActionKind = "containment" // stop the defect spreading now
	ActionCorrective  ActionKind = "corrective"  // remove the root cause
	ActionPreventive  ActionKind = "preventive"  // keep it from coming back
)

// ActionKinds lists the action kinds.
var ActionKinds = []ActionKind{ActionContainment, ActionCorrective, ActionPreventive}

func oneOf[T ~string](v T, allowed []T) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

var (
	stationCodeRe  = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{0,15}$`)
	categoryCodeRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)
	loginRe        = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,31}$`)
	sha256Re       = regexp.MustCompile(`^[0-9a-f]{64}$`)
	numberRe       = regexp.MustCompile(`^([A-Z0-9][A-Z0-9_-]{0,15})-(\d{4})-([A-Z]{0,3})(\d{4,})$`)
	seriesRe       = regexp.MustCompile(`^[A-Z]{1,3}$`)
)

// ValidStationCode reports whether s is a station code: upper-case letters,
// digits, '-' or '_', at most 16.
func ValidStationCode(s string) bool { return stationCodeRe.MatchString(s) }

// ValidNumberSeries reports whether s can be a workstation's complaint
// number series: 1 to 3 capital letters (PRESS2-2026-B0042 is number 42
// of series B).
func ValidNumberSeries(s string) bool { return seriesRe.MatchString(s) }

// ValidLogin reports whether s can be a user id.
func ValidLogin(s string) bool { return loginRe.MatchString(s) }

// ValidCategoryCode reports whether s can be a category code.
func ValidCategoryCode(s string) bool { return categoryCodeRe.MatchString(s) }

// requireText checks a required free-text field and its length in runes.
func requireText(field, v string, max int) error {
	if v == "" {
		return FieldError(field, "is required")
	}
	return optionalText(field, v, max)
}

func optionalText(field, v string, max int) error {
	if n := len([]rune(v)); n > max {
		return FieldError(field, "must be at most %d characters (got %d)", max, n)
	}
	return nil
}

func requireTime(field string, t time.Time) error {
	if t.IsZero() {
		return FieldError(field, "is required")
	}
	if t.Year() < 2000 || t.Year() > 2200 {
		return FieldError(field, "is out of range")
	}
	return nil
}

func requireLogin(field, v string) error {
	if !ValidLogin(v) {
		return FieldError(field, "must be a user id (lower-case letters, digits, '.', '_' or '-')")
	}
	return nil
}
