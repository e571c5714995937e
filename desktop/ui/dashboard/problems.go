package dashboard

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/ui/model"
	"boucle/desktop/ui/problems"
)

// The dashboard's problems (issue 11): the recurrence figure opens the
// list of recurrences, and "Recurring problems" lists the problems that
// came back in the period, each opening its page.

// opensRecurrences marks the tile that opens the list of recurrences.
const opensRecurrences = "recurrences"

// tileFor is a figure tile, tappable when it opens a list.
func (s *Screen) tileFor(t Tile) fyne.CanvasObject {
	o := tile(t)
	if t.Opens != opensRecurrences {
		return o
	}
	return newTappable(o, s.openRecurrences)
}

// openRecurrences opens the list of the recurrences of the query.
func (s *Screen) openRecurrences() {
	if s.OpenRecurrences != nil {
		s.OpenRecurrences(s.q, PeriodPhrase(s.q))
	}
}

// showProblems lists the problems that came back in the period, with a
// button to the list of every recurrence.
func (s *Screen) showProblems(d model.Dashboard) {
	box := s.problems
	box.Objects = nil
	if len(d.Problems) == 0 {
		box.Add(widget.NewLabel(lang.X("dashboard.problems.none", "No problem came back in the period.")))
	}
	for i, p := range d.Problems {
		if i == maxProblemsShown {
			box.Add(widget.NewLabel(lang.X("dashboard.problems.more", "… and {{.Count}} more in the list of recurrences.", map[string]any{"Count": len(d.Problems) - i})))
			break
		}
		id := p.Problem.ID
		link := problems.ProblemLink(p.Problem, func() {
			if s.OpenProblem != nil {
				s.OpenProblem(id)
			}
		})
		count := widget.NewLabel(lang.X("dashboard.problems.count", "{{.Count}} recurrences", map[string]any{"Count": p.Recurrences}))
		if p.Recurrences == 1 {
			count.SetText(lang.X("dashboard.problems.count_one", "1 recurrence"))
		}
		right := container.NewHBox(count)
		if p.AfterPrevention > 0 {
			after := widget.NewLabel(lang.X("dashboard.problems.after", "{{.Count}} after prevention", map[string]any{"Count": p.AfterPrevention}))
			after.Importance = widget.DangerImportance
			right.Add(after)
		}
		box.Add(container.NewBorder(nil, nil, nil, right, link))
	}
	all := widget.NewButtonWithIcon(lang.X("dashboard.recurrences.open", "Every recurrence of the period ({{.Count}})",
		map[string]any{"Count": d.Report.Recurrence.Num}), theme.ListIcon(), s.openRecurrences)
	box.Add(container.NewHBox(all))
	box.Refresh()
}

// maxProblemsShown bounds the list on the dashboard: the rest are one tap
// away in the list of recurrences.
const maxProblemsShown = 8

// tappable makes a tile open something when tapped, with the pointer a
// link has.
type tappable struct {
	widget.BaseWidget
	content fyne.CanvasObject
	onTap   func()
}

func newTappable(content fyne.CanvasObject, onTap func()) *tappable {
	t := &tappable{content: content, onTap: onTap}
	t.ExtendBaseWidget(t)
	return t
}

func (t *tappable) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(t.content) }

// Tapped opens what the tile opens.
func (t *tappable) Tapped(*fyne.PointEvent) { t.onTap() }

// Cursor says the tile is a link.
func (t *tappable) Cursor() desktop.Cursor { return desktop.PointerCursor }

// recurrenceDetail is the recurrence tile's detail line: the fraction and
// the hint that it opens.
func recurrenceDetail(num, den int) string {
	return fmt.Sprintf("%d / %d · ", num, den) + lang.X("dashboard.recurrence.list", "tap for the list")
}

// showThemes lists the words most complaints of the period hold, each
// with the numbers of its problems, which open their page.
func (s *Screen) showThemes(d model.Dashboard) {
	box := s.themes
	box.Objects = nil
	if len(d.Themes) == 0 {
		box.Add(widget.NewLabel(lang.X("dashboard.themes.none", "No word comes back in the period's complaints.")))
	}
	for _, t := range d.Themes {
		label := widget.NewLabel(lang.X("dashboard.themes.line", "{{.Words}} — {{.Count}} complaints, problems:", map[string]any{"Words": t.Label, "Count": t.Count}))
		label.TextStyle.Bold = true
		row := container.NewHBox(label)
		for i, p := range t.Problems {
			if i == maxThemeProblems {
				row.Add(widget.NewLabel(lang.X("dashboard.themes.more", "and {{.Count}} more", map[string]any{"Count": len(t.Problems) - i})))
				break
			}
			id := p.ID
			b := widget.NewButton(p.Number, func() {
				if s.OpenProblem != nil {
					s.OpenProblem(id)
				}
			})
			b.Importance = widget.LowImportance
			row.Add(b)
		}
		box.Add(container.NewHScroll(row))
	}
	box.Refresh()
}

// maxThemeProblems bounds the problems named on a theme's line.
const maxThemeProblems = 4
