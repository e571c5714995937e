package report

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/problems"
)

// maxKnown is how many known problems the form proposes.
const maxKnown = 3

// knownProblems is the "Looks like a known problem" panel: the problems
// of the plant the complaint being written most likely belongs to
// (analytics.Problems.Propose, the ranking the labelled plant measures),
// each a link to its page; hidden when nothing is likely.
type knownProblems struct {
	f     *Form
	list  *fyne.Container
	links []*widget.Hyperlink
	shown []model.ProblemProposal
	obj   *fyne.Container
	side  *fyne.Container // the side panel holding it
}

func newKnownProblems(f *Form) *knownProblems {
	k := &knownProblems{f: f, list: container.NewVBox()}
	k.obj = container.NewVBox(ui.Heading(lang.X("report.known", "Looks like a known problem")), k.list, widget.NewSeparator())
	k.obj.Hide()
	return k
}

// lookUpProblems asks for the known problems off the UI goroutine; a
// lookup asked while one runs replaces any waiting (the latest text wins).
func (f *Form) lookUpProblems() {
	d := f.draft()
	q := model.ProblemQuery{SupplierStation: d.SupplierStation, PartRef: d.PartRef, Category: d.Category, Description: d.Description}
	var got []model.ProblemProposal
	f.guesses.latest(func() error {
		var err error
		got, err = f.m.ProposeProblems(q, maxKnown)
		return err
	}, func(err error) {
		if err == nil && q.SupplierStation == f.station.Selected() {
			f.known.show(got)
		}
	})
}

func (k *knownProblems) show(ps []model.ProblemProposal) {
	k.list.RemoveAll()
	k.links, k.shown = k.links[:0], ps
	if len(ps) == 0 {
		k.obj.Hide()
		k.relayout()
		return
	}
	now := k.f.env.Now()
	for _, p := range ps {
		id := p.Problem.ID
		link := problems.ProblemLink(p.Problem, func() {
			if k.f.OpenProblem != nil {
				k.f.OpenProblem(id)
			}
		})
		k.links = append(k.links, link)
		facts := problems.Complaints(p.Problem.Complaints) + " · " +
			lang.X("report.known_last", "last seen {{.Ago}}", map[string]any{"Ago": i18n.Ago(p.Last, now)}) + " · " +
			likelihood(p.Likelihood)
		k.list.Add(container.NewVBox(link, ui.Wrapped(facts), reasonsLabel(reasonWords(p))))
	}
	k.obj.Show()
	k.relayout()
}

// relayout lays the side panel out again: the panel shown or hidden
// changes its height.
func (k *knownProblems) relayout() {
	if k.side != nil {
		k.side.Refresh()
	}
}

// likelihood says the ranking's likelihood in a word, not a percentage:
// it is a share among the problems compared, and a station with a single
// problem would read "100 %".
func likelihood(l float64) string {
	switch {
	case l >= 0.7:
		return lang.X("report.known_very_likely", "very likely")
	case l >= 0.4:
		return lang.X("report.known_likely", "likely")
	}
	return lang.X("report.known_possible", "possibly")
}

// reasonWords lists the reasons for the problem, those against left out:
// the panel says why it looks like it.
func reasonWords(p model.ProblemProposal) string {
	var ws []string
	for _, r := range p.Reasons {
		if r.Weight > 0 {
			ws = append(ws, problems.ReasonWords(r))
		}
	}
	return strings.Join(ws, "; ")
}

// reasonsLabel writes the reasons in italics at full contrast: the low
// importance grey of the first version could hardly be read on the form.
func reasonsLabel(text string) *widget.Label {
	l := ui.Wrapped(text)
	l.TextStyle.Italic = true
	return l
}

// KnownProblems lists the known problems shown (tests).
func (f *Form) KnownProblems() []model.ProblemProposal { return f.known.shown }

// knownLink is the i-th known problem's link (tests).
func (f *Form) knownLink(i int) *widget.Hyperlink { return f.known.links[i] }
