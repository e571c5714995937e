// Package i18n loads Boucle's French and English translations into Fyne's
// lang package and holds the labels of the domain's values (statuses,
// severities, kinds...) and the date formats, so that every visible string
// goes through lang.X with a key the tests can check.
package i18n

import (
	"embed"
	"os"
	"strings"

	"fyne.io/fyne/v2/lang"
)

//go:embed translations
var files embed.FS

// Languages are the languages Boucle is translated into.
var Languages = []string{"en", "fr"}

// Init loads the translations. The language is pref ("fr" or "en") when
// set, otherwise the system locale's (French for any fr-* locale, English
// for anything else). Call it before building any screen: Fyne's lang
// package resolves strings when widgets are created.
func Init(pref string) error {
	if pref != "" {
		force(pref)
	}
	return lang.AddTranslationsFS(files, "translations")
}

// force makes Fyne's locale lookup (LC_ALL, LC_MESSAGES, LANG, then
// LANGUAGE) see pref. The lang package has no setter; LANGUAGE is the one
// variable it honours ahead of LANG, unless the locale is C or POSIX,
// which then has to go.
func force(pref string) {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := os.Getenv(v); s == "C" || s == "POSIX" || strings.HasPrefix(s, "C.") {
			os.Unsetenv(v)
		}
	}
	os.Setenv("LANGUAGE", pref)
}

// Lang returns the language in use, "en" or "fr". It asks the translator
// itself, so it always agrees with the strings on screen.
func Lang() string { return lang.X("meta.lang", "en") }

// Files returns the raw translation files by language, for the tests.
func Files() (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, l := range Languages {
		b, err := files.ReadFile("translations/" + l + ".json")
		if err != nil {
			return nil, err
		}
		out[l] = b
	}
	return out, nil
}
