package complaints

import (
	"testing"

	"fyne.io/fyne/v2/lang"

	"boucle/desktop/i18n"
	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/desktop/viewmodel"
	"boucle/shared/domain"
)

// One complaint is counted in the singular ("1 complaints" before), in
// English and in French.
func TestOneComplaintCountedInTheSingular(t *testing.T) {
	for language, want := range map[string]string{"en": "1 complaint", "fr": "1 réclamation"} {
		t.Run(language, func(t *testing.T) {
			env, _ := uitest.New(t)
			if err := i18n.Init(language); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = i18n.Init("en") })
			s := fixture.Open(t)
			fixture.Seed(t, s)
			fixture.File(t, s, fixture.Filing("Burr"))
			m := viewmodel.New(s, "", nil)
			m.SetSession(model.Session{Login: fixture.Engineer.Login, Role: domain.RoleEngineer})
			in := NewInbox(env, m, func(string) {})
			uitest.Show(env, in.Object())
			in.Load()
			if got := in.List.Count().Text; got != want {
				t.Errorf("count %q, want %q (%s)", got, want, lang.X("list.count", "", map[string]any{"N": 1, "More": ""}))
			}
		})
	}
}
