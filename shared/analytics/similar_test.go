package analytics_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"boucle/shared/analytics"
)

func fixtureIndex() *analytics.Index {
	ix := analytics.NewIndex(analytics.IndexOptions{})
	ix.AddAll(fixtureComplaints())
	return ix
}

func ids(ms []analytics.Match) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

func TestTerms(t *testing.T) {
	// stop words of both languages go, accents fold, both stemmers apply
	eq(t, "french", analytics.Terms("Rayures profondes sur le carter"), []string{"rayur", "profond", "cart"})
	eq(t, "singular", analytics.Terms("rayure profonde"), []string{"rayur", "profond"})
	eq(t, "english", analytics.Terms("Scratched parts, scratches"), []string{"scratch", "part", "scratch"})
	eq(t, "accents", analytics.Terms("Étiquette ÉTIQUETTE etiquette"), []string{"etiquet", "etiquet", "etiquet"})
	eq(t, "stop words only", analytics.Terms("sur le la les de des the on of a à été"), []string(nil))
	eq(t, "numbers and references", analytics.Terms("12 vis M8 l'usure"), []string{"vis", "m8", "usur"})
}

func TestSimilar(t *testing.T) {
	ix := fixtureIndex()
	eq(t, "len", ix.Len(), 15)

	t.Run("NearDuplicateFirst", func(t *testing.T) {
		// C10 and C00 hold exactly these words (on the tie, C10, filed
		// later, comes first). Cosine then prefers C14 ("rayures carter",
		// two of three words and nothing else) to C03, which has all three
		// plus two rare words ("lot entier") that lengthen its vector.
		for _, q := range []string{"Rayures profondes sur le carter", "rayure profonde carter"} {
			got := ix.Similar(q, "", 5)
			eq(t, q, ids(got), []string{"C10", "C00", "C14", "C03", "C06"})
			eq(t, "tie", got[0].Score, got[1].Score)
			for i := 1; i < len(got); i++ {
				if got[i].Score > got[i-1].Score || got[i].Score <= 0 || got[0].Score > 1 {
					t.Errorf("scores not decreasing in (0, 1]: %+v", got)
				}
			}
		}
	})
	t.Run("Stemming", func(t *testing.T) {
		got := ix.Similar("rayure", "", 10) // matches "Rayures" and "Rayure"
		eq(t, "rayure", sorted(ids(got)), []string{"C00", "C03", "C06", "C10", "C14"})
		got = ix.Similar("scratched", "", 10) // matches "Scratches"
		eq(t, "scratched", ids(got), []string{"C04"})
		eq(t, "shared", got[0].Shared, []string{"scratches"})
		eq(t, "cross words", ids(ix.Similar("painted hood", "", 1)), []string{"C04"})
	})
	t.Run("StopWordsIgnored", func(t *testing.T) {
		eq(t, "only stop words", ids(ix.Similar("sur le la les de the on", "", 5)), []string{})
		// "sur le" is in nearly every description; it must not change the ranking
		eq(t, "with", ids(ix.Similar("graisse sur les flans", "", 2)), ids(ix.Similar("graisse flans", "", 2)))
	})
	t.Run("Accents", func(t *testing.T) {
		eq(t, "etiquette", ids(ix.Similar("ETIQUETTE illisible", "", 5)), []string{"C09"})
	})
	t.Run("Supplier", func(t *testing.T) {
		eq(t, "PEINT has no scratch on carters", ids(ix.Similar("rayures carter", "PEINT", 5)), []string{})
		for _, m := range ix.Similar("capot", "PEINT", 5) {
			eq(t, "supplier", m.SupplierStation, "PEINT")
		}
	})
	t.Run("PartAndExclude", func(t *testing.T) {
		// part P-200 is on C02 and C12 only; equal scores, latest first
		eq(t, "part", ids(ix.SimilarTo(analytics.Query{PartRef: "p-200"}, 5)), []string{"C12", "C02"})
		got := ix.SimilarTo(analytics.Query{Text: "Diamètre trop grand sur la bride", ExcludeID: "C12"}, 1)
		eq(t, "exclude", ids(got), []string{"C02"})
	})
	t.Run("RemoveAndAdd", func(t *testing.T) {
		ix := fixtureIndex()
		before := ix.Similar("Rayures profondes sur le carter", "", 5)
		ix.Remove("C10")
		eq(t, "removed", ids(ix.Similar("Rayures profondes sur le carter", "", 1)), []string{"C00"})
		eq(t, "len", ix.Len(), 14)
		c10 := fixtureComplaints()[10]
		ix.Add(&c10)
		eq(t, "back", ix.Similar("Rayures profondes sur le carter", "", 5), before)
		ix.Remove("nope") // unknown ids are ignored
	})
}

// TestIndexDeterminism: the same complaints added in any order, with
// removals and re-additions on the way, give the same matches and scores,
// to the bit.
func TestIndexDeterminism(t *testing.T) {
	want := fixtureIndex()
	cs := fixtureComplaints()
	r := rand.New(rand.NewPCG(1, 2))
	for range 5 {
		r.Shuffle(len(cs), func(i, j int) { cs[i], cs[j] = cs[j], cs[i] })
		ix := analytics.NewIndex(analytics.IndexOptions{})
		for i := range cs {
			ix.Add(&cs[i])
		}
		for _, i := range []int{3, 7} {
			ix.Remove(cs[i].ID)
			ix.Add(&cs[i])
		}
		for _, q := range []string{"Rayures profondes sur le carter", "capot peinture", "flans graisse", "bride", "scratch hood"} {
			eq(t, q, ix.Similar(q, "", 10), want.Similar(q, "", 10))
		}
		eq(t, "clusters", ix.Clusters(analytics.ClusterOptions{Threshold: 0.3}), want.Clusters(analytics.ClusterOptions{Threshold: 0.3}))
	}
}

func TestClusters(t *testing.T) {
	ix := fixtureIndex()
	cl := ix.Clusters(analytics.ClusterOptions{SameSupplier: true, Threshold: 0.5})
	groups := map[string][]string{}
	for _, c := range cl {
		groups[c.Complaints[0]] = c.Complaints
		if len(c.TopTerms) == 0 || len(c.TopTerms) > 5 {
			t.Errorf("top terms: %+v", c.TopTerms)
		}
	}
	// the scratched carters of PRESSE: C00–C03 (cos ≈ 0.59), C00–C14
	// (≈ 0.64), C06–C14 (≈ 0.58), while C06–C00 (≈ 0.47) is below the
	// threshold: single link joins C06 through C14. C10, a duplicate, is
	// left out.
	eq(t, "carter cluster", groups["C00"], []string{"C00", "C03", "C06", "C14"})
	eq(t, "carter cluster first", cl[0].Complaints[0], "C00")
	eq(t, "carter top term", cl[0].TopTerms[0].Label != "", true)
	// the oversized flanges of PRESSE
	eq(t, "bride cluster", groups["C02"], []string{"C02", "C12"})
	// the rejected label (C09) is in no cluster
	for _, c := range cl {
		if slices.Contains(c.Complaints, "C09") {
			t.Errorf("C09 clustered: %+v", c)
		}
	}
	t.Run("Period", func(t *testing.T) {
		// only February: C12 alone from the flanges, no group of two
		cl := ix.Clusters(analytics.ClusterOptions{SameSupplier: true, Threshold: 0.5, From: at("2026-02-01 00:00"), To: fixTo})
		for _, c := range cl {
			if slices.Contains(c.Complaints, "C02") {
				t.Errorf("C02 is from January: %+v", c)
			}
		}
	})
	t.Run("SameSupplier", func(t *testing.T) {
		for _, c := range cl {
			eq(t, "one supplier", len(c.SupplierStations), 1)
		}
	})
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
