package analytics_test

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// TestThemes works the monthly themes of the fixture out by hand. Terms per
// complaint (stop words gone, stems):
//
//	C00 (Dec)  rayur profond cart
//	C01        peintur ecaill capot
//	C02        cot hor toler brid diametr trop grand
//	C03        rayur profond cart lot enti
//	C04        scratch hood paint
//	C05        longueur trop court piec decoup hor cot
//	C06        rayur cart emboutissag
//	C07 (Feb)  coulur peintur capot
//	C08        longueur hor toler trac graiss flan
//	C09        etiquet illis bac
//	C10        rayur profond cart
//	C11        capot tordu choc manutent
//	C12        diametr trop grand brid
//	C13        trac graiss flan huil
func TestThemes(t *testing.T) {
	got := fixture().Themes(fixPer, analytics.Settings{}, analytics.ThemeOptions{Period: analytics.Month, MinCount: 2})
	eq(t, "periods", len(got), 2)
	jan, feb := got[0], got[1]
	eq(t, "jan", jan.Period, "2026-01")
	eq(t, "jan complaints", jan.Complaints, 6) // C01–C06
	// In 2 January complaints: cot, hor, trop (C02 C05; none in December:
	// +2), cart and rayur (C03 C06; C00 in December: +1). Sorted by count,
	// then delta, then term. Labels: the most frequent surface form over
	// what was read ("rayures" 3 times, "rayure" once).
	eq(t, "jan terms", jan.Terms, []analytics.Theme{
		{Term: "cot", Label: "cote", Count: 2, Previous: 0, Delta: 2, Complaints: []string{"C02", "C05"}, Problems: []analytics.ProblemID{"C02", "C05"}},
		{Term: "hor", Label: "hors", Count: 2, Previous: 0, Delta: 2, Complaints: []string{"C02", "C05"}, Problems: []analytics.ProblemID{"C02", "C05"}},
		{Term: "trop", Label: "trop", Count: 2, Previous: 0, Delta: 2, Complaints: []string{"C02", "C05"}, Problems: []analytics.ProblemID{"C02", "C05"}},
		{Term: "cart", Label: "carter", Count: 2, Previous: 1, Delta: 1, Complaints: []string{"C03", "C06"}, Problems: []analytics.ProblemID{"C00"}},
		{Term: "rayur", Label: "rayures", Count: 2, Previous: 1, Delta: 1, Complaints: []string{"C03", "C06"}, Problems: []analytics.ProblemID{"C00"}},
	})
	// no two-word phrase is in two January complaints ("rayur profond" is
	// in C03 only; C05 has "hor cot", C02 "cot hor")
	eq(t, "jan phrases", jan.Phrases, []analytics.Theme{})
	eq(t, "feb complaints", feb.Complaints, 7) // C07–C13
	// flan, graiss, trac: C08 C13, none in January (+2); capot: C07 C11,
	// C01 in January (+1)
	eq(t, "feb terms", feb.Terms, []analytics.Theme{
		{Term: "flan", Label: "flans", Count: 2, Previous: 0, Delta: 2, Complaints: []string{"C08", "C13"}, Problems: []analytics.ProblemID{"C05", "C13"}},
		{Term: "graiss", Label: "graisse", Count: 2, Previous: 0, Delta: 2, Complaints: []string{"C08", "C13"}, Problems: []analytics.ProblemID{"C05", "C13"}},
		{Term: "trac", Label: "traces", Count: 2, Previous: 0, Delta: 2, Complaints: []string{"C08", "C13"}, Problems: []analytics.ProblemID{"C05", "C13"}},
		{Term: "capot", Label: "capot", Count: 2, Previous: 1, Delta: 1, Complaints: []string{"C07", "C11"}, Problems: []analytics.ProblemID{"C07"}},
	})
	// "traces de graisse sur les flans" in C08 and C13, labelled as written
	// (stop words between included), of two problems (C08 recurs C05); in
	// C08 "tolérance"
	// and "traces" are split by a comma, so "toler trac" is not a phrase
	eq(t, "feb phrases", feb.Phrases, []analytics.Theme{
		{Term: "graiss flan", Label: "graisse sur les flans", Count: 2, Previous: 0, Delta: 2, Complaints: []string{"C08", "C13"}, Problems: []analytics.ProblemID{"C05", "C13"}},
		{Term: "trac graiss", Label: "traces de graisse", Count: 2, Previous: 0, Delta: 2, Complaints: []string{"C08", "C13"}, Problems: []analytics.ProblemID{"C05", "C13"}},
	})
	t.Run("Weeks", func(t *testing.T) {
		w := fixture().Themes(fixPer, analytics.Settings{}, analytics.ThemeOptions{Period: analytics.Week, Top: 1, MinCount: 1})
		eq(t, "weeks", len(w), 9) // 2026-W01 to 2026-W09
		// W02 holds C01–C04, which share no term: every term counts 1, W01
		// is empty (delta +1), so the first by term wins: "brid"
		eq(t, "W02", w[1].Terms, []analytics.Theme{{Term: "brid", Label: "bride", Count: 1, Previous: 0, Delta: 1, Complaints: []string{"C02"}, Problems: []analytics.ProblemID{"C02"}}})
		// W04 holds C06 only; W03 (C05) shares none of its terms
		eq(t, "W04", w[3].Terms, []analytics.Theme{{Term: "cart", Label: "carter", Count: 1, Previous: 0, Delta: 1, Complaints: []string{"C06"}, Problems: []analytics.ProblemID{"C00"}}})
		eq(t, "W05 empty", w[4], analytics.ThemePeriod{Period: "2026-W05", Start: at("2026-01-26 00:00"), Terms: []analytics.Theme{}, Phrases: []analytics.Theme{}})
	})
}

// TestDeterminism: the same states in any order give the same report,
// scorecards, effectiveness, recurrences and themes, byte for byte in JSON.
func TestDeterminism(t *testing.T) {
	render := func(in analytics.Input) string {
		ds := analytics.NewDataset(in)
		b, err := json.Marshal([]any{
			ds.Indicators(fixPer, fixSet, fixNow), ds.Scorecards(fixPer, fixSet, fixNow),
			ds.Effectiveness(analytics.Filter{}, fixSet, fixNow), ds.Recurrences(fixSet).All(),
			ds.Themes(fixPer, fixSet, analytics.ThemeOptions{Period: analytics.Week}),
		})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	want := render(fixtureInput())
	r := rand.New(rand.NewPCG(7, 7))
	for range 10 {
		in := fixtureInput()
		r.Shuffle(len(in.Complaints), func(i, j int) { in.Complaints[i], in.Complaints[j] = in.Complaints[j], in.Complaints[i] })
		r.Shuffle(len(in.Actions), func(i, j int) { in.Actions[i], in.Actions[j] = in.Actions[j], in.Actions[i] })
		r.Shuffle(len(in.Plans), func(i, j int) { in.Plans[i], in.Plans[j] = in.Plans[j], in.Plans[i] })
		if got := render(in); got != want {
			t.Fatalf("order changed the figures:\n%s\n%s", got, want)
		}
	}
}

// TestThemesAreWordsPeopleUse: a theme is a word a person would use —
// never a number written as a word or a word that only hedges a quantity
// ("dix", "environ", "une dizaine", "about twelve") — shown as people
// write it, accents included, not as a stem: "déformées" even where most
// typed it without accents, "rayures" not "rayur".
func TestThemesAreWordsPeopleUse(t *testing.T) {
	texts := []string{
		"Environ dix pièces déformées sur le carter.",
		"environ dix pieces deformees, rayures",
		"Une dizaine de pièces deformees, rayures profondes.",
		"About twelve parts with rayures, deformees again",
	}
	var in analytics.Input
	for i, text := range texts {
		in.Complaints = append(in.Complaints, domain.Complaint{ID: string(rune('a' + i)), Number: "N", FilingStation: "PEINT",
			SupplierStation: "PRESSE", Category: "surface", Severity: domain.SeverityMinor, Kind: domain.KindComplaint,
			Status: domain.StatusNew, Description: text, FiledAt: time.Date(2026, 1, 5+i, 8, 0, 0, 0, time.UTC)})
	}
	ds := analytics.NewDataset(in)
	periods := ds.Themes(analytics.Filter{}, analytics.Settings{}, analytics.ThemeOptions{MinCount: 2, Top: 50})
	eq(t, "periods", len(periods), 1)
	var labels []string
	for _, th := range periods[0].Terms {
		labels = append(labels, th.Label)
	}
	fillers := []string{"dix", "environ", "dizaine", "about", "twelve"}
	for _, filler := range fillers {
		if slices.Contains(labels, filler) {
			t.Errorf("theme %q listed: %v", filler, labels)
		}
	}
	for _, word := range []string{"déformées", "rayures", "pièces"} {
		if !slices.Contains(labels, word) {
			t.Errorf("no theme %q: %v", word, labels)
		}
	}

	// A theme lists the problems of its complaints, which open.
	for _, th := range periods[0].Terms {
		if len(th.Problems) == 0 {
			t.Errorf("theme %q lists no problem", th.Label)
		}
		for _, p := range th.Problems {
			if !slices.ContainsFunc(th.Complaints, func(id string) bool { q, _ := ds.Problems().ProblemOf(id); return q == p }) {
				t.Errorf("theme %q lists problem %s, none of its complaints' %v", th.Label, p, th.Complaints)
			}
		}
	}

	// The clusters of the dashboard's recurring problems are named the
	// same way.
	ix := analytics.NewIndex(analytics.IndexOptions{})
	ix.AddAll(in.Complaints)
	clusters := ix.Clusters(analytics.ClusterOptions{Threshold: 0.2})
	eq(t, "clusters", len(clusters), 1)
	var top []string
	for _, tw := range clusters[0].TopTerms {
		top = append(top, tw.Label)
	}
	for _, filler := range fillers {
		if slices.Contains(top, filler) {
			t.Errorf("cluster named by %q: %v", filler, top)
		}
	}
	if !slices.Contains(top, "déformées") {
		t.Errorf("cluster terms %v: want déformées, with its accents", top)
	}
}
