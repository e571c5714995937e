package dashboard

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/shared/domain"
)

// tileTexts lists the texts drawn in each figure tile.
func tileTexts(d *Screen) [][]string {
	var out [][]string
	for _, o := range d.tiles.Objects {
		out = append(out, uitest.Drawn(o, ""))
	}
	return out
}

func TestEveryFigureIsExplained(t *testing.T) {
	// Given the dashboard over the seeded plant, last 30 days
	env, m, _ := setup(t)
	d := New(env, m)
	uitest.Show(env, d.Content().Object)
	d.Load()
	// Then every tile says what it counts and over which period: the
	// period's figures name it, the snapshots say "now"
	tiles := tileTexts(d)
	if len(tiles) < 11 {
		t.Fatalf("%d tiles", len(tiles))
	}
	for _, texts := range tiles {
		all := strings.Join(texts, " | ")
		if !strings.Contains(all, "last 30 days") && !strings.Contains(all, "now") {
			t.Errorf("tile without its period: %s", all)
		}
	}
	// And "countable" and the recurrences are defined where they are shown
	for _, want := range []string{"not rejected, duplicate or withdrawn", "a problem already seen"} {
		if !uitest.HasText(d.tiles, want) {
			t.Errorf("no explanation %q in %v", want, tiles)
		}
	}
	// When the manager picks the last 12 months, the help follows
	d.period.SetSelectedIndex(2)
	if !uitest.HasText(d.tiles, "last 12 months") {
		t.Errorf("help does not follow the period: %v", tileTexts(d))
	}
}

func TestPlansTileFollowsAnApproval(t *testing.T) {
	// Given a preventive plan waiting for the manager's signature
	env, m, s := setup(t)
	c := fixture.File(t, s, fixture.Filing("Burr"))
	plan := fixture.Submitted(t, s, c)
	d := New(env, m)
	uitest.Show(env, d.Content().Object)
	d.Load()
	if !uitest.HasText(d.tiles, "Plans to approve") || !tileShows(d, "Plans to approve", "1") {
		t.Fatalf("tiles = %v", tileTexts(d))
	}
	// When the manager approves it and the dashboard is shown again
	fixture.Do(t, s, fixture.Manager, domain.PlanApproved, plan, &domain.SignOffPayload{Meaning: "I approve", Comment: "Go"})
	d.Content().Refresh()
	// Then it no longer waits, and counts as approved
	if !tileShows(d, "Plans to approve", "0") || !tileShows(d, "Plans to approve", "1 approved") {
		t.Fatalf("after approval, tiles = %v", tileTexts(d))
	}
}

// tileShows reports whether the tile whose first line is label draws a
// line that is, or starts with, value.
func tileShows(d *Screen, label, value string) bool {
	for _, texts := range tileTexts(d) {
		if len(texts) == 0 || texts[0] != label {
			continue
		}
		for _, s := range texts[1:] {
			if s == value || strings.HasPrefix(s, value+" ") {
				return true
			}
		}
	}
	return false
}

func TestRecurringProblemNumbersOpenTheirComplaint(t *testing.T) {
	// Given the dashboard with one cluster of three similar complaints
	env, m, _ := setup(t)
	d := New(env, m)
	var opened string
	d.OpenComplaint = func(id string) { opened = id }
	uitest.Show(env, d.Content().Object)
	d.Load()
	if len(d.Data.Clusters) != 1 {
		t.Fatalf("clusters = %+v", d.Data.Clusters)
	}
	cl := d.Data.Clusters[0]
	// When the manager taps a complaint number of the cluster
	b := uitest.FindButton(d.clusters, cl.Numbers[1])
	if b == nil {
		t.Fatalf("no button %q in %v", cl.Numbers[1], uitest.Texts(d.clusters, ""))
	}
	test.Tap(b)
	// Then that complaint opens
	page, err := m.ListComplaints(model.ComplaintQuery{Text: cl.Numbers[1]}, "")
	if err != nil || len(page.Rows) != 1 {
		t.Fatalf("look-up of %s: %v %+v", cl.Numbers[1], err, page.Rows)
	}
	if opened != page.Rows[0].ID {
		t.Errorf("opened %q, want %q", opened, page.Rows[0].ID)
	}
}
