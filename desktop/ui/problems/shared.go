package problems

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// What the complaint's problem panel and the problem page share: the
// reasons of a score and the refusals in words, the picker of problems,
// the confirmations.

// ReasonText says one reason of a score in words, with its weight.
func ReasonText(r analytics.Reason) string {
	return fmt.Sprintf("%s (%+.2f)", ReasonWords(r), r.Weight)
}

// ReasonWords says one reason of a score in words.
func ReasonWords(r analytics.Reason) string {
	d := map[string]any{"Detail": r.Detail}
	var text string
	switch r.Code {
	case analytics.ReasonDecided:
		text = lang.X("problem.reason.decided", "an engineer decided")
	case analytics.ReasonSamePart:
		text = lang.X("problem.reason.same_part", "the same part ({{.Detail}}), however written", d)
	case analytics.ReasonPartTypo:
		text = lang.X("problem.reason.part_typo", "a part one typing slip away ({{.Detail}})", d)
	case analytics.ReasonOtherPart:
		text = lang.X("problem.reason.other_part", "another part than the problem's")
	case analytics.ReasonSimilarText:
		text = lang.X("problem.reason.similar_text", "descriptions alike: {{.Detail}}", d)
	case analytics.ReasonDifferentText:
		text = lang.X("problem.reason.different_text", "descriptions share little")
	case analytics.ReasonSameCategory:
		text = lang.X("problem.reason.same_category", "a category of the problem")
	case analytics.ReasonOtherCategory:
		text = lang.X("problem.reason.other_category", "a category the problem never had")
	case analytics.ReasonSameCauseFamily:
		text = lang.X("problem.reason.same_family", "the cause family found for the problem ({{.Family}})", map[string]any{"Family": i18n.Ishikawa(domain.Ishikawa(r.Detail))})
	case analytics.ReasonOtherCauseFamily:
		text = lang.X("problem.reason.other_family", "another cause family than the problem's ({{.Family}})", map[string]any{"Family": i18n.Ishikawa(domain.Ishikawa(r.Detail))})
	case analytics.ReasonSimilarCause:
		text = lang.X("problem.reason.similar_cause", "root causes alike: {{.Detail}}", d)
	case analytics.ReasonDifferentCause:
		text = lang.X("problem.reason.different_cause", "root causes unlike")
	case analytics.ReasonLikeComplaint:
		text = lang.X("problem.reason.like_complaint", "worded like one of its complaints")
	case analytics.ReasonKinProblem:
		text = lang.X("problem.reason.kin_problem", "worded like the same failure on another part")
	default:
		text = string(r.Code)
	}
	return text
}

// RuleWords says a refused decision's rule in words; "" for a rule
// it does not know.
func RuleWords(rule string) string {
	switch rule {
	case "problem.merge_self":
		return lang.X("problem.rule.merge_self", "A problem cannot be merged into itself (they are already one problem).")
	case "problem.merge_cycle":
		return lang.X("problem.rule.merge_cycle", "That problem was merged into this one: merging this one into it would close a loop. A problem cannot be merged into one of its descendants.")
	case "problem.other_supplier":
		return lang.X("problem.rule.other_supplier", "The problems are about two supplier stations: confirm that the same failure crosses stations.")
	case "problem.exists":
		return lang.X("problem.rule.exists", "That problem no longer exists (merged or emptied meanwhile): reload and choose again.")
	case "problem.split_all":
		return lang.X("problem.rule.split_all", "A split leaves at least one complaint in the problem: to move them all, merge the problem instead.")
	case "problem.split_member":
		return lang.X("problem.rule.split_member", "A chosen complaint is no longer in this problem: reload and choose again.")
	}
	return ""
}

// Picker lists problems to choose one, with a filter on the number,
// the title and the station.
type Picker struct {
	all, shown []model.ProblemRef
	filter     *widget.Entry
	list       *widget.List
	chosen     int // index into shown, -1
	obj        fyne.CanvasObject
}

// NewPicker builds a picker over choices, in their order (the view
// model puts the problems of the complaint's supplier station first).
func NewPicker(choices []model.ProblemRef) *Picker {
	p := &Picker{all: choices, shown: choices, chosen: -1}
	p.filter = widget.NewEntry()
	p.filter.SetPlaceHolder(lang.X("problem.picker.filter", "Filter by number, part or words"))
	p.filter.OnChanged = func(string) { p.apply() }
	p.list = widget.NewList(func() int { return len(p.shown) }, func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, func(i widget.ListItemID, o fyne.CanvasObject) {
		o.(*widget.Label).SetText(p.label(p.shown[i]))
	})
	p.list.OnSelected = func(i widget.ListItemID) { p.chosen = i }
	p.list.OnUnselected = func(widget.ListItemID) { p.chosen = -1 }
	empty := lowLabel(lang.X("problem.picker.empty", "No other problem yet."))
	if len(choices) > 0 {
		empty.Hide()
	}
	p.obj = container.NewBorder(container.NewVBox(p.filter, empty), nil, nil, nil, p.list)
	return p
}

func (p *Picker) label(r model.ProblemRef) string {
	// The station and the count first: a long title is cut at the end.
	return r.SupplierStation + " · " + Complaints(r.Complaints) +
		" · " + r.Name()
}

func (p *Picker) apply() {
	q := strings.ToLower(strings.TrimSpace(p.filter.Text))
	p.shown = nil
	for _, r := range p.all {
		if q == "" || strings.Contains(strings.ToLower(p.label(r)), q) {
			p.shown = append(p.shown, r)
		}
	}
	p.chosen = -1
	p.list.UnselectAll()
	p.list.Refresh()
}

// Object is the picker's widget tree.
func (p *Picker) Object() fyne.CanvasObject { return p.obj }

// Choose selects the i-th problem shown (tests, keyboard).
func (p *Picker) Choose(i int) { p.list.Select(i) }

// Shown lists the problems shown, filter applied.
func (p *Picker) Shown() []model.ProblemRef { return p.shown }

// Filter types a filter.
func (p *Picker) Filter(text string) { p.filter.SetText(text) }

// Chosen is the problem chosen, false when none is.
func (p *Picker) Chosen() (model.ProblemRef, bool) {
	if p.chosen < 0 || p.chosen >= len(p.shown) {
		return model.ProblemRef{}, false
	}
	return p.shown[p.chosen], true
}

func lowLabel(text string) *widget.Label {
	l := ui.Wrapped(text)
	l.Importance = widget.LowImportance
	return l
}

// Confirm asks a question with our own buttons (the action's name and
// Cancel, in the app's language) and calls fn with the answer; it returns
// the dialog shown (tests tap its buttons).
func Confirm(win fyne.Window, title, question, action string, fn func(bool)) dialog.Dialog {
	text := widget.NewLabel(question)
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(title, action, lang.X("action.cancel", "Cancel"), ui.MinSize(text, 520, 0), fn, win)
	d.Show()
	return d
}

// ProblemLink is a problem's name that opens it, cut with an ellipsis
// when the line is narrow.
func ProblemLink(r model.ProblemRef, open func()) *widget.Hyperlink {
	l := widget.NewHyperlink(r.Name(), nil)
	l.Truncation = fyne.TextTruncateEllipsis
	l.OnTapped = open
	return l
}

// Complaints counts complaints in words: "1 complaint", "4 complaints".
func Complaints(n int) string {
	if n == 1 {
		return lang.X("problem.count_one", "1 complaint")
	}
	return lang.X("problem.picker.count", "{{.Count}} complaints", map[string]any{"Count": n})
}
