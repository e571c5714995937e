package report_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"boucle/shared/analytics"
	"boucle/shared/report"
)

func monthlyInput(n int) report.Monthly {
	cs, as, ps := plantFixture(n)
	ds := analytics.NewDataset(analytics.Input{Complaints: cs, Actions: as, Plans: ps, Stations: fixtureStations})
	return report.Monthly{Dataset: ds, Month: time.Date(2026, 3, 15, 0, 0, 0, 0, paris),
		Settings: analytics.Settings{Location: paris}, Now: time.Date(2026, 4, 1, 0, 0, 0, 0, paris),
		Plant: "Usine de Vénissieux", Directory: fixtureDirectory(), Lang: report.French, Complaints: cs}
}

func writeMonthly(t *testing.T, in report.Monthly) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := report.WriteMonthly(&buf, in); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestMonthly(t *testing.T) {
	in := monthlyInput(400)
	b := writeMonthly(t, in)
	dump(t, "monthly.pdf", b)
	if n := checkPDF(t, b); n < 2 {
		t.Errorf("%d pages", n)
	}
	if n := bytes.Count(b, []byte("/Subtype /Image")); n != 4 {
		t.Errorf("%d images, want 2 Paretos, the trend and the time to resolve", n)
	}
	// The figures printed are analytics' figures for March in Paris.
	f := analytics.Filter{From: time.Date(2026, 3, 1, 0, 0, 0, 0, paris), To: time.Date(2026, 4, 1, 0, 0, 0, 0, paris)}
	rep := in.Dataset.Indicators(f, in.Settings, in.Now)
	text := pdfText(t, b)
	containsAll(t, text, "Rapport mensuel de l'usine — mars 2026", "Usine de Vénissieux", "2026-03-01 → 2026-03-31",
		"Indicateurs clés", "Fiches des postes", "Plans et actions préventifs", "Actions en retard par pilote",
		// pdftotext reads the tiles row by row: labels, then values.
		fmt.Sprintf("Résolues dans les délais %d %s", rep.Filed, strings.ReplaceAll(fmt.Sprintf("%.1f h", rep.TimeToAcknowledge.Median.Hours()), ".", ",")),
		fmt.Sprintf("%d comptabilisées", rep.Countable),
		fmt.Sprintf("%d / %d", rep.ResolvedByDeadline.Num, rep.ResolvedByDeadline.Den),
		"PRESSE2 · Presse 2", "Maintenance préventive des garnitures — PRESSE2", "Julie Moreau")
	if rep.Filed < 50 {
		t.Fatalf("fixture month has %d complaints", rep.Filed)
	}
	checkInsidePage(t, b)
}

func TestMonthlyEnglishWithoutComplaints(t *testing.T) {
	in := monthlyInput(200)
	in.Lang, in.Complaints, in.Plant = report.English, nil, ""
	in.Filter = analytics.Filter{SupplierStation: "PRESSE2"}
	b := writeMonthly(t, in)
	if n := bytes.Count(b, []byte("/Subtype /Image")); n != 3 {
		t.Errorf("%d images: without the complaints, no time-to-resolve histogram", n)
	}
	containsAll(t, pdfText(t, b), "Monthly plant report — March 2026", "Supplier station: PRESSE2 · Presse 2",
		"Headline indicators", "Station scorecards")
}

// TestMonthlyEmpty: a month without complaints still gives a report, with
// dashes where there is nothing to divide.
func TestMonthlyEmpty(t *testing.T) {
	in := monthlyInput(50)
	in.Month, in.Now = time.Date(2026, 7, 1, 0, 0, 0, 0, paris), time.Time{}
	text := pdfText(t, writeMonthly(t, in))
	containsAll(t, text, "juillet 2026", "Résolues dans les délais 0 —", "0 comptabilisées")
	if !strings.Contains(text, "au 2026-08-01") {
		t.Error("zero Now: the snapshot should be taken at the end of the month")
	}
}

func TestMonthlyWithoutDataset(t *testing.T) {
	if err := report.WriteMonthly(&bytes.Buffer{}, report.Monthly{}); !errors.Is(err, report.ErrNoDataset) {
		t.Errorf("err %v, want ErrNoDataset", err)
	}
}
