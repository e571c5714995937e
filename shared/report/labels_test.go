package report_test

import (
	"testing"

	"boucle/shared/domain"
	"boucle/shared/report"
)

func TestLabelsComplete(t *testing.T) {
	missing, err := report.MissingLabels()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range missing {
		t.Errorf("label %s", m)
	}
}

func TestParseLang(t *testing.T) {
	for in, want := range map[string]report.Lang{"fr": report.French, "fr-CA": report.French, " FR ": report.French,
		"en": report.English, "": report.English, "de": report.English} {
		if got := report.ParseLang(in); got != want {
			t.Errorf("ParseLang(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDirectoryFallbacks(t *testing.T) {
	var nilDir *report.Directory
	if nilDir.UserName("x.y") != "x.y" || nilDir.StationName("PEINT") != "PEINT" || nilDir.CategoryLabel("surface", report.French) != "surface" {
		t.Error("a nil directory must show raw ids")
	}
	d := report.NewDirectory(fixtureUsers, fixtureStations, domain.DefaultCategories)
	if d.UserName("c.lefevre") != "Camille Lefèvre" || d.StationName("PRESSE2") != "PRESSE2 · Presse 2" ||
		d.CategoryLabel("labelling", report.French) != "Étiquetage / documentation" || d.UserStation("j.moreau") != "PRESSE2" {
		t.Error("directory lookups")
	}
}
