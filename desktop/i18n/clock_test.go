package i18n_test

import (
	"strings"
	"testing"
	"time"

	"boucle/desktop/i18n"
	"boucle/shared/boltstore"
)

// The refusal to record with a clock far ahead is said in words, in the
// language's units, in English and in French.
func TestClockAheadErrorInWords(t *testing.T) {
	for lang, want := range map[string]string{"en": "clock is 2 d 0 h ahead of the server's", "fr": "a 2 j 0 h d'avance sur celle du serveur"} {
		if err := i18n.Init(lang); err != nil {
			t.Fatal(err)
		}
		if msg := i18n.Error(&boltstore.ClockAheadError{Ahead: 48 * time.Hour}); !strings.Contains(msg, want) {
			t.Errorf("%s: shown %q", lang, msg)
		}
	}
	_ = i18n.Init("en")
}
