package boltstore

import (
	"slices"

	"boucle/shared/domain"
)

// StateSource is what reading the reference data takes from a store: one
// entity's state (ENotFound when it has none) and every state of a type.
// Both server adapters (this store, and PostgreSQL's) read the directory,
// stations, categories and severities through these functions, so the two
// answer alike.
type StateSource interface {
	State(k domain.EntityKey) (*domain.State, error)
	ForEachState(typ domain.EntityType, fn func(*domain.State)) error
}

// ReadUsers lists the user directory.
func ReadUsers(s StateSource) ([]domain.User, error) {
	var out []domain.User
	err := s.ForEachState(domain.EntityUser, func(st *domain.State) { out = append(out, *st.User) })
	return out, err
}

// ReadStations lists the stations, retired ones included (they are flagged).
func ReadStations(s StateSource) ([]domain.Station, error) {
	var out []domain.Station
	err := s.ForEachState(domain.EntityStation, func(st *domain.State) { out = append(out, *st.Station) })
	return out, err
}

// ReadCategories lists the defect categories.
func ReadCategories(s StateSource) ([]domain.Category, error) {
	var out []domain.Category
	err := s.ForEachState(domain.EntityCategory, func(st *domain.State) { out = append(out, *st.Category) })
	return out, err
}

// ReadSeverities returns the handling times of every severity, configured
// or default.
func ReadSeverities(s StateSource) ([]domain.SeverityConfig, error) {
	out := slices.Clone(domain.DefaultSeverities)
	for i, sev := range out {
		st, err := s.State(domain.EntityKey{Type: domain.EntitySeverity, ID: string(sev.Severity)})
		switch {
		case domain.ErrorCode(err) == domain.ENotFound:
		case err != nil:
			return nil, err
		case st.Severity != nil:
			out[i] = *st.Severity
		}
	}
	return out, nil
}

// ReadSeverity returns the handling times of one severity.
func ReadSeverity(s StateSource, sev domain.Severity) (domain.SeverityConfig, error) {
	all, err := ReadSeverities(s)
	if err != nil {
		return domain.SeverityConfig{}, err
	}
	for _, c := range all {
		if c.Severity == sev {
			return c, nil
		}
	}
	return domain.DefaultSeverity(sev), nil
}
