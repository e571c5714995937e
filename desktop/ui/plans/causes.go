package plans

import (
	"strings"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/shared/domain"
)

// renderCauses shows the analyses of the plan's complaints: what the plan
// has to prevent, read where it is approved. Each names its complaint
// (a tap opens it), the root cause with its Ishikawa branch, then the whys.
func (s *Screen) renderCauses() {
	b := s.body
	b.Add(ui.Heading(lang.X("plan.causes", "Root causes")))
	if len(s.d.Causes) == 0 {
		b.Add(ui.Wrapped(lang.X("plan.causes_none", "None of its complaints is analysed yet.")))
		return
	}
	for _, c := range s.d.Causes {
		id := c.ComplaintID
		open := widget.NewButton(c.Number, func() { s.open(id) })
		open.Importance = widget.LowImportance
		b.Add(container.NewBorder(nil, nil, container.NewVBox(open), nil, ui.Wrapped(causeText(c))))
	}
}

// causeText is a cause on a few lines: the root cause (and its branch),
// then one line a why.
func causeText(c model.Cause) string {
	var lines []string
	root := c.RootCause
	if root == "" {
		root = lang.X("plan.cause_unknown", "Root cause not recorded yet")
	}
	if c.Ishikawa != "" {
		root += " (" + i18n.Ishikawa(c.Ishikawa) + ")"
	}
	lines = append(lines, root)
	for i, w := range c.Whys {
		if strings.TrimSpace(w) != "" {
			lines = append(lines, lang.X("plan.why", "Why {{.N}}: {{.Text}}", map[string]any{"N": i + 1, "Text": w}))
		}
	}
	return strings.Join(lines, "\n")
}

// openCarryAction offers the preventive actions of complaints against the
// plan's station; the one picked is copied into the plan, nothing typed.
func (s *Screen) openCarryAction() {
	ui.Load(s.env, func() ([]model.ActionRow, error) { return s.m.PlanActionCandidates(s.id) }, func(rows []model.ActionRow, err error) {
		if err != nil {
			ui.ShowError(s.env, err)
			return
		}
		pick := ui.NewSelect(nil, nil)
		for _, r := range rows {
			pick.Options = append(pick.Options, carryLabel(&s.ref, r))
		}
		s.panel(lang.X("plan.carry_action", "Add a complaint's preventive action"), lang.X("panel.assigned", "Action assigned."), func(f *ui.Form) {
			if len(rows) == 0 {
				f.Add("none", "", ui.Wrapped(lang.X("plan.carry_none", "No preventive action of a complaint against this station is left to add.")))
				return
			}
			s.add(f, "action", lang.X("plan.carry_which", "Preventive action"), pick)
		}, func() error {
			i := pick.SelectedIndex()
			if i < 0 || i >= len(rows) {
				return domain.FieldError("action", "choose a preventive action")
			}
			return s.m.CarryActionToPlan(s.id, rows[i].ID)
		})
		if len(rows) == 0 {
			s.submit.Disable() // nothing to add: only Cancel leads on
		}
	})
}

// carryLabel names a candidate: its complaint, title, owner and due date.
func carryLabel(ref *model.Reference, r model.ActionRow) string {
	return strings.Join([]string{r.ComplaintNumber, r.Title, ref.UserName(r.Owner),
		lang.X("board.due", "Due {{.Date}}", map[string]any{"Date": i18n.Date(r.Due)})}, " · ")
}
