package actions

import (
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"boucle/desktop/i18n"
	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/desktop/viewmodel"
	"boucle/shared/domain"
)

// A card shown before the action was cancelled elsewhere: "Mark done" is
// refused in a dialog, in words of the language (it said "Plus possible :
// not allowed while cancelled"), and the board drops it.
func TestMarkDoneRefusedInADialog(t *testing.T) {
	for _, language := range i18n.Languages {
		t.Run(language, func(t *testing.T) {
			// Given Léa's board with her open action
			s, _ := withAction(t)
			env, _ := uitest.New(t)
			if err := i18n.Init(language); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = i18n.Init("en") })
			m := viewmodel.New(s, "", nil)
			m.SetSession(model.Session{Login: fixture.Engineer2.Login, Role: domain.RoleEngineer})
			b := NewBoard(env, m, func(string) {})
			uitest.Show(env, b.Object())
			b.Load()
			// When Paul cancels it meanwhile, and she marks it done
			paul := viewmodel.New(s, "", nil)
			paul.SetSession(model.Session{Login: fixture.Engineer.Login, Role: domain.RoleEngineer})
			if err := paul.CancelAction(b.Rows()[0].ID, "Lot scrapped"); err != nil {
				t.Fatal(err)
			}
			test.Tap(uitest.FindButton(b.Object(), lang.X("board.mark_done", "")))
			// Then a dialog says it was not done, and why
			dlg := uitest.TopOverlay(env.Win)
			if dlg == nil || !uitest.HasText(dlg, lang.X("error.title", "")) {
				t.Fatal("no dialog for the refusal")
			}
			said := lang.X("error.action_moved", "", map[string]any{"Status": i18n.ActionStatus(domain.ActionStatusCancelled)})
			if !uitest.HasText(dlg, said) || uitest.HasText(dlg, "not allowed") {
				t.Errorf("the dialog says %q, want %q", uitest.Texts(dlg, ""), said)
			}
			if len(b.Rows()) != 0 {
				t.Errorf("the cancelled action is still on the board: %+v", b.Rows())
			}
		})
	}
}
