package settings

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui/uitest"
)

// "Connect to a server" opens its dialog: a missing code is said under
// its field, an address where nothing answers under the address, in
// words of the language (it used to show Go's "dial tcp ... connection
// refused"), the workstation still standalone; Cancel closes it.
func TestConnectDialogSaysWhatIsWrong(t *testing.T) {
	for language, noAnswer := range map[string]string{
		"en": "No server answers at this address",
		"fr": "Aucun serveur ne répond à cette adresse",
	} {
		t.Run(language, func(t *testing.T) {
			// Given the settings of a standalone workstation
			env, _ := uitest.New(t)
			if err := i18n.Init(language); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = i18n.Init("en") })
			w := standalone(t)
			s := New(env, w)
			uitest.Show(env, s.Object())
			s.Load()
			// When the administrator taps "Connect to a server"
			test.Tap(uitest.FindButton(s.Object(), lang.X("sync.connect", "")))
			dlg := uitest.TopOverlay(env.Win)
			if dlg == nil || !uitest.HasText(dlg, lang.X("field.enrolment_code", "")) {
				t.Fatal("no connection dialog")
			}
			// And connects without a code
			server, code := dialogEntries(t, dlg)
			server.SetText("http://127.0.0.1:1")
			connect := uitest.FindButton(dlg, lang.X("firstrun.connect", ""))
			test.Tap(connect)
			if !uitest.HasText(dlg, lang.X("error.required", "")) {
				t.Fatalf("no error for the missing code: %v", uitest.Texts(dlg, ""))
			}
			// And with a code, to an address where nothing answers
			test.Type(code, "ABCD-EFGH")
			test.Tap(connect)
			// Then the address is said to be wrong, in words
			if !uitest.HasText(dlg, noAnswer) || uitest.HasText(dlg, "dial tcp") {
				t.Fatalf("said of the address: %q", uitest.Texts(dlg, "127.0.0.1"))
			}
			if w.Status().Enrolled {
				t.Fatal("enrolled without a server")
			}
			// And Cancel closes the dialog
			test.Tap(uitest.FindButton(dlg, lang.X("action.cancel", "")))
			if uitest.TopOverlay(env.Win) != nil {
				t.Fatal("the dialog stays after Cancel")
			}
		})
	}
}

// dialogEntries returns the dialog's two fields: the address, the code.
func dialogEntries(t *testing.T, dlg fyne.CanvasObject) (server, code *widget.Entry) {
	t.Helper()
	var entries []*widget.Entry
	uitest.Walk(dlg, func(o fyne.CanvasObject) bool {
		if e, ok := o.(*widget.Entry); ok {
			entries = append(entries, e)
		}
		return false
	})
	if len(entries) != 2 {
		t.Fatalf("%d fields in the dialog, want the address and the code", len(entries))
	}
	return entries[0], entries[1]
}
