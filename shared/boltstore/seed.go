package boltstore

import "boucle/shared/domain"

// SeedReference records the default categories and severity settings as
// admin events, skipping those already defined, so a new plant (or a
// standalone workstation) starts with the usual reference data and admins
// edit it afterwards like any other.
func (s *Store) SeedReference(admin Actor) ([]domain.Event, error) {
	var out []domain.Event
	err := s.Update(func(t *Tx) error {
		out = out[:0]
		cmds, err := ReferenceSeed(func(k domain.EntityKey) (bool, error) {
			st, err := t.state(k)
			return st != nil, err
		})
		if err != nil {
			return err
		}
		for _, c := range cmds {
			e, err := t.Record(admin, c)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// ReferenceSeed returns the commands that define the default categories
// and severity settings that defined does not report as there already.
func ReferenceSeed(defined func(domain.EntityKey) (bool, error)) ([]Command, error) {
	var cmds []Command
	for _, c := range domain.DefaultCategories {
		there, err := defined(domain.EntityKey{Type: domain.EntityCategory, ID: c.Code})
		if err != nil {
			return nil, err
		}
		if !there {
			cmds = append(cmds, Command{Type: domain.CategoryDefined, EntityID: c.Code,
				Payload: &domain.CategoryPayload{LabelEN: c.LabelEN, LabelFR: c.LabelFR}})
		}
	}
	for _, sv := range domain.DefaultSeverities {
		there, err := defined(domain.EntityKey{Type: domain.EntitySeverity, ID: string(sv.Severity)})
		if err != nil {
			return nil, err
		}
		if !there {
			cmds = append(cmds, Command{Type: domain.SeverityConfigured, EntityID: string(sv.Severity),
				Payload: &domain.SeverityPayload{AckHours: sv.AckHours, ResolveHours: sv.ResolveHours}})
		}
	}
	return cmds, nil
}
