package admin

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/ui"
	"boucle/shared/domain"
)

func (s *Screen) categoriesHead() fyne.CanvasObject {
	add := s.addButton(lang.X("admin.category.add", "Define a category"), s.defineCategory)
	return container.NewHBox(add)
}

func (s *Screen) categoryRows() []entryRow {
	var rows []entryRow
	for _, c := range s.dir.Categories {
		text := c.Code + " · " + c.LabelEN + " / " + c.LabelFR
		if c.Retired {
			rows = append(rows, row(text+" · "+lang.X("admin.retired", "retired")))
			continue
		}
		rows = append(rows, row(text,
			s.rowButton(lang.X("admin.category.edit", "Edit the labels"), func() { s.editCategory(c) }),
			s.rowButton(lang.X("admin.category.retire", "Retire"), func() { s.retireCategory(c) })))
	}
	return rows
}

// labelFields adds the two labels to a form.
func labelFields(f *ui.Form, c domain.Category) (en, fr *widget.Entry) {
	en, fr = widget.NewEntry(), widget.NewEntry()
	en.SetText(c.LabelEN)
	fr.SetText(c.LabelFR)
	f.Add("label_en", lang.X("admin.field.label_en", "Label in English"), en)
	f.Add("label_fr", lang.X("admin.field.label_fr", "Label in French"), fr)
	return en, fr
}

func (s *Screen) defineCategory() {
	code := widget.NewEntry()
	code.SetPlaceHolder("burrs")
	f := ui.NewForm()
	f.Add("entity_id", lang.X("field.code", "Code"), code)
	f.Alias("code", "entity_id")
	en, fr := labelFields(f, domain.Category{})
	intro := ui.Wrapped(lang.X("admin.category.add_intro", "The code is how indicators and exports name the category (lower-case letters, digits or '_'); it cannot change afterwards."))
	s.showForm(lang.X("admin.category.add_title", "Define a category"), lang.X("admin.category.add_confirm", "Define the category"), intro, f,
		func() error {
			return s.m.DefineCategory(domain.Category{Code: strings.ToLower(strings.TrimSpace(code.Text)),
				LabelEN: strings.TrimSpace(en.Text), LabelFR: strings.TrimSpace(fr.Text)})
		}, s.changed)
}

func (s *Screen) editCategory(c domain.Category) {
	f := ui.NewForm()
	en, fr := labelFields(f, c)
	title := lang.X("admin.category.edit_title", "Labels of category {{.Code}}", map[string]any{"Code": c.Code})
	s.showForm(title, lang.X("admin.save", "Save"), nil, f,
		func() error {
			return s.m.UpdateCategory(domain.Category{Code: c.Code, LabelEN: strings.TrimSpace(en.Text), LabelFR: strings.TrimSpace(fr.Text)})
		}, s.changed)
}

func (s *Screen) retireCategory(c domain.Category) {
	q := lang.X("admin.category.retire_question",
		"Retire category {{.Code}} ({{.Label}})? It is no longer offered for new complaints; the complaints filed under it keep it, and the indicators still count them.",
		map[string]any{"Code": c.Code, "Label": c.LabelEN})
	s.showConfirm(lang.X("admin.category.retire_title", "Retire a category"), q, lang.X("admin.category.retire_confirm", "Retire the category"), lang.X("field.reason", "Reason"),
		func(reason string) error { return s.m.RetireCategory(c.Code, strings.TrimSpace(reason)) })
}
