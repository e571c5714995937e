package dashboard

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/canvas"
	"github.com/xuri/excelize/v2"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/desktop/viewmodel"
	"boucle/shared/boltstore"
)

// setup seeds a plant with three complaints of PRESS2 against CUT1, same
// part and category: the first acknowledged, the second resolved, the
// third only filed. The second and third are recurrences of the first.
func setup(t *testing.T) (ui.Env, *viewmodel.Model, *boltstore.Store) {
	t.Helper()
	env, _ := uitest.New(t)
	s := fixture.Open(t)
	fixture.Seed(t, s)
	fixture.Acknowledged(t, s, "Burr on the bracket edge after cutting")
	fixture.Resolved(t, s, "Burr on the bracket edge, sharp to touch")
	fixture.File(t, s, fixture.Filing("Burr on the bracket edge again"))
	m := viewmodel.New(s, "", nil)
	m.SetSession(model.Session{Login: fixture.Manager.Login, Role: fixture.Manager.Role})
	return env, m, s
}

func TestDashboardShowsTheIndicators(t *testing.T) {
	// Given three complaints filed today, two of them recurrences
	env, m, _ := setup(t)
	// When the manager opens the dashboard (last 30 days, every station)
	d := New(env, m)
	uitest.Show(env, d.Content().Object)
	d.Load()
	// Then the volume is 3 and the recurrence rate 2 of 3
	if d.Data.Report.Filed != 3 {
		t.Errorf("filed = %d, want 3", d.Data.Report.Filed)
	}
	if r := d.Data.Report.Recurrence; r.Num != 2 || r.Den != 3 {
		t.Errorf("recurrence = %+v, want 2/3", r)
	}
	obj := d.Content().Object
	if !uitest.HasText(obj, "Complaints filed") || !uitest.HasText(obj, "67 %") || !uitest.HasText(obj, "2 / 3") {
		t.Errorf("tiles = %v", uitest.Texts(obj, ""))
	}
	// And one escalation-free, reopen-free figure reads as a rate of 0
	if !uitest.HasText(obj, "0 / 3") {
		t.Errorf("escalation tile missing: %v", uitest.Texts(obj, "%"))
	}
	// And the clusters list the three complaints together
	if len(d.Data.Clusters) != 1 || len(d.Data.Clusters[0].Numbers) != 3 {
		t.Errorf("clusters = %+v", d.Data.Clusters)
	}
}

func TestDashboardChartsAreImages(t *testing.T) {
	// Given the seeded plant
	env, m, _ := setup(t)
	// When the dashboard loads
	d := New(env, m)
	uitest.Show(env, d.Content().Object)
	d.Load()
	// Then the four charts are PNGs of the requested size, shown as images
	for i, b := range [][]byte{d.Charts.Categories, d.Charts.Suppliers, d.Charts.Trend, d.Charts.Resolve} {
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("chart %d: %v", i, err)
		}
		if img.Bounds().Dx() != ChartWidth || img.Bounds().Dy() != ChartHeight {
			t.Errorf("chart %d is %v", i, img.Bounds())
		}
	}
	for i, c := range d.charts {
		if c.Resource == nil || len(c.Resource.Content()) == 0 || c.FillMode != canvas.ImageFillContain {
			t.Errorf("image %d is empty", i)
		}
	}
}

func TestStationFilter(t *testing.T) {
	// Given the dashboard over the seeded plant
	env, m, _ := setup(t)
	d := New(env, m)
	uitest.Show(env, d.Content().Object)
	d.Load()
	// When the manager picks a station that received nothing (ASSY is first)
	d.station.SetSelectedIndex(1)
	// Then the filter names it and the volume is 0
	if d.Query().Station != "ASSY" || d.Data.Report.Filed != 0 {
		t.Errorf("query %+v, filed %d", d.Query(), d.Data.Report.Filed)
	}
}

func TestExports(t *testing.T) {
	// Given the seeded plant
	_, m, _ := setup(t)
	dir := t.TempDir()
	q := model.DashboardQuery{Period: model.Last30Days}
	write := func(kind model.ExportKind) string {
		t.Helper()
		path := filepath.Join(dir, string(kind))
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Export(kind, q, "en", f); err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		return path
	}
	// When the complaints are exported as XLSX
	x, err := excelize.OpenFile(write(model.ExportComplaintsXLSX))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	// Then the workbook opens with a header row and the three complaints
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil || len(rows) != 4 {
		t.Errorf("rows = %d, %v", len(rows), err)
	}
	// When the actions and the complaints are exported as CSV
	for _, k := range []model.ExportKind{model.ExportComplaintsCSV, model.ExportActionsCSV, model.ExportActionsXLSX} {
		if b, _ := os.ReadFile(write(k)); len(b) == 0 {
			t.Errorf("%s is empty", k)
		}
	}
	// When the monthly report of this month is written
	q = model.DashboardQuery{Period: model.Month}
	b, _ := os.ReadFile(write(model.ExportMonthlyPDF))
	// Then it is a PDF
	if !strings.HasPrefix(string(b), "%PDF") {
		t.Errorf("monthly starts with %q", b[:min(8, len(b))])
	}
}

func TestFileName(t *testing.T) {
	// Given the dashboard's query for CUT1, when an export is offered
	now := mustDay(t, "2026-11-23")
	got := FileName(model.ExportComplaintsXLSX, model.DashboardQuery{Station: "CUT1"}, now)
	// Then the file is named after the station and the day
	if got != "boucle-CUT1-complaints-2026-11-23.xlsx" {
		t.Errorf("name = %q", got)
	}
}

func mustDay(t *testing.T, s string) (d time.Time) {
	t.Helper()
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
