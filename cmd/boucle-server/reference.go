package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"

	"boucle/shared/domain"
	"boucle/syncserver"
)

// The administration commands of the directory and reference data beyond
// users' registration and stations' definition (admin.go). They call the
// same Admin commands as the admin API, so they refuse the same input.

func userUpdateFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.Name, "name", "", "display name (unchanged when not given)")
	fs.StringVar(&c.Role, "role", "", "operator, engineer, manager or admin (unchanged when not given)")
	fs.StringVar(&c.Station, "station", "", "home station; \"-\" for none (unchanged when not given)")
}

func noteFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.Note, "note", "", "a note, recorded in the event")
}

func labelFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.LabelEN, "en", "", "label in English (required)")
	fs.StringVar(&c.LabelFR, "fr", "", "label in French (required)")
}

func severityFlags(fs *flag.FlagSet, c *config) {
	fs.IntVar(&c.AckHours, "ack-hours", 0, "hours to acknowledge, from filing (required)")
	fs.IntVar(&c.ResolveHours, "resolve-hours", 0, "hours to resolve, from filing (required)")
}

// runUserUpdate changes the flags given and keeps the rest.
func (m *Main) runUserUpdate(ctx context.Context) error {
	return m.withAdmin(func(a syncserver.AdminAPI) error {
		users, err := a.Users(ctx)
		if err != nil {
			return err
		}
		var upd *syncserver.UserUpdate
		for _, u := range users {
			if u.Login == m.args[0] {
				upd = &syncserver.UserUpdate{DisplayName: u.DisplayName, Role: u.Role, Station: u.Station}
			}
		}
		if upd == nil {
			return domain.RuleError(domain.ENotFound, "user.exists", "no user %s", m.args[0])
		}
		if m.cfg.Name != "" {
			upd.DisplayName = m.cfg.Name
		}
		if m.cfg.Role != "" {
			upd.Role = domain.Role(m.cfg.Role)
		}
		switch m.cfg.Station {
		case "":
		case "-":
			upd.Station = ""
		default:
			upd.Station = m.cfg.Station
		}
		u, err := a.UpdateUser(ctx, m.args[0], *upd)
		if err == nil {
			fmt.Fprintf(m.Stdout, "%s: %s, %s, station %q.\n", u.Login, u.DisplayName, u.Role, u.Station)
		}
		return err
	})
}

func (m *Main) runUserEnable(ctx context.Context) error {
	return m.withAdmin(func(a syncserver.AdminAPI) error {
		if _, err := a.EnableUser(ctx, m.args[0], m.cfg.Note); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%s enabled.\n", m.args[0])
		return nil
	})
}

func (m *Main) runStationRename(ctx context.Context) error {
	return m.withAdmin(func(a syncserver.AdminAPI) error {
		st, err := a.RenameStation(ctx, m.args[0], m.cfg.Name)
		if err == nil {
			fmt.Fprintf(m.Stdout, "station %s is now %q.\n", st.Code, st.Name)
		}
		return err
	})
}

func (m *Main) runStationRetire(ctx context.Context) error {
	return m.withAdmin(func(a syncserver.AdminAPI) error {
		if _, err := a.RetireStation(ctx, m.args[0], m.cfg.Reason); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "station %s retired.\n", m.args[0])
		return nil
	})
}

func (m *Main) runCategoryList(ctx context.Context) error {
	return m.withAdmin(func(a syncserver.AdminAPI) error {
		cats, err := a.Categories(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(w, "CODE\tENGLISH\tFRENCH\tSTATE")
		for _, c := range cats {
			state := "active"
			if c.Retired {
				state = "retired"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", c.Code, c.LabelEN, c.LabelFR, state)
		}
		return w.Flush()
	})
}

func (m *Main) runCategoryAdd(ctx context.Context) error {
	return m.withAdmin(func(a syncserver.AdminAPI) error {
		c, err := a.AddCategory(ctx, syncserver.NewCategory{Code: m.args[0], LabelEN: m.cfg.LabelEN, LabelFR: m.cfg.LabelFR})
		if err == nil {
			fmt.Fprintf(m.Stdout, "category %s defined.\n", c.Code)
		}
		return err
	})
}

func (m *Main) runCategoryRelabel(ctx context.Context) error {
	return m.withAdmin(func(a syncserver.AdminAPI) error {
		c, err := a.RelabelCategory(ctx, m.args[0], syncserver.CategoryLabels{LabelEN: m.cfg.LabelEN, LabelFR: m.cfg.LabelFR})
		if err == nil {
			fmt.Fprintf(m.Stdout, "category %s: %q / %q.\n", c.Code, c.LabelEN, c.LabelFR)
		}
		return err
	})
}

func (m *Main) runCategoryRetire(ctx context.Context) error {
	return m.withAdmin(func(a syncserver.AdminAPI) error {
		if _, err := a.RetireCategory(ctx, m.args[0], m.cfg.Reason); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "category %s retired.\n", m.args[0])
		return nil
	})
}

func (m *Main) runSeverityList(ctx context.Context) error {
	return m.withAdmin(func(a syncserver.AdminAPI) error {
		sev, err := a.Severities(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(w, "SEVERITY\tACKNOWLEDGE (H)\tRESOLVE (H)")
		for _, s := range sev {
			fmt.Fprintf(w, "%s\t%d\t%d\n", s.Severity, s.AckHours, s.ResolveHours)
		}
		return w.Flush()
	})
}

func (m *Main) runSeveritySet(ctx context.Context) error {
	return m.withAdmin(func(a syncserver.AdminAPI) error {
		s, err := a.ConfigureSeverity(ctx, domain.Severity(m.args[0]), syncserver.SeverityDeadlines{AckHours: m.cfg.AckHours, ResolveHours: m.cfg.ResolveHours})
		if err == nil {
			fmt.Fprintf(m.Stdout, "%s: acknowledge within %d h, resolve within %d h.\n", s.Severity, s.AckHours, s.ResolveHours)
		}
		return err
	})
}
