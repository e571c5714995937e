package shell

import (
	"fyne.io/fyne/v2"

	"boucle/desktop/ui"
)

// Views holding unsaved work (the report form with a draft) implement
// ui.Guard: the shell tells them when they come on screen and leave it,
// and asks them before closing them for good, top of the stack first.
// The inactivity sign-out asks nobody (nobody is there to answer): the
// form's draft is in the store already.

// Navigate opens the i-th screen of the menu once the views it closes
// let it: a form with a draft asks first.
func (s *Shell) Navigate(i int) { s.ask(s.stackViews(), func() { s.Show(i) }) }

// ask asks each guarded view of views in turn, then runs proceed; a view
// that keeps the user stops the chain.
func (s *Shell) ask(views []fyne.CanvasObject, proceed func()) {
	for len(views) > 0 {
		if g, ok := views[0].(ui.Guard); ok {
			rest := views[1:]
			g.Leave(func() { s.ask(rest, proceed) })
			return
		}
		views = views[1:]
	}
	proceed()
}

// stackViews lists the views of the navigation stack, top first, the
// root last.
func (s *Shell) stackViews() []fyne.CanvasObject {
	var out []fyne.CanvasObject
	for i := len(s.stack) - 1; i >= 0; i-- {
		out = append(out, s.stack[i].view)
	}
	if s.root.Object != nil {
		out = append(out, s.root.Object)
	}
	return out
}

// showing records the view on screen and tells the guarded views: the
// one covered or replaced is hidden, the new one shown.
func (s *Shell) showing(o fyne.CanvasObject) {
	if o == s.shown {
		return
	}
	if g, ok := s.shown.(ui.Guard); ok {
		g.OffScreen()
	}
	s.shown = o
	if g, ok := o.(ui.Guard); ok {
		g.OnScreen()
	}
}

// NavigateID opens a menu screen by its id as its menu button does (the
// views it closes asked first); false when the role has no such screen.
func (s *Shell) NavigateID(id string) bool {
	for i, sc := range s.screens {
		if sc.ID == id {
			s.Navigate(i)
			return true
		}
	}
	return false
}
