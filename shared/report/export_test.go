package report_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"boucle/shared/domain"
	"boucle/shared/report"

	"github.com/xuri/excelize/v2"
)

// exportComplaints are two complaints: one handled end to end with accents
// and a line break in its description, one still open past its deadline.
func exportComplaints() []domain.Complaint {
	filed := time.Date(2026, 3, 2, 7, 40, 0, 0, time.UTC)
	return []domain.Complaint{
		{ID: "c1", Number: "PEINT-2026-0042", FilingStation: "PEINT", SupplierStation: "PRESSE2", PartRef: "CARTER-7710-B",
			Lot: "L2603-17", Quantity: 120, Category: "surface", Severity: domain.SeverityMajor, Kind: domain.KindClaim,
			Remedy: domain.RemedySorting, Description: "Rayures profondes, côté fixation ;\n« pièces non peignables »",
			FiledBy: "c.lefevre", FiledAt: filed, Status: domain.StatusClosed, Assignee: "a.benali",
			AcknowledgedAt: filed.Add(9 * time.Hour), Deadline: filed.Add(5 * 24 * time.Hour), Ishikawa: domain.IshikawaMachine,
			RootCause: "Garniture usée", ResolvedAt: filed.Add(4 * 24 * time.Hour), ClosedAt: filed.Add(4*24*time.Hour + 5*time.Hour),
			Rating: 4, Reopens: 1, Escalations: []domain.Escalation{{Supervisor: "f.roux"}}},
		{ID: "c2", Number: "SOUD-2026-0007", FilingStation: "SOUD", SupplierStation: "USIN", PartRef: "AXE-12", Quantity: 3,
			Category: "dimensional", Severity: domain.SeverityCritical, Kind: domain.KindComplaint, Description: "Cote hors tolérance",
			FiledBy: "c.lefevre", FiledAt: filed.Add(24 * time.Hour), Status: domain.StatusInvestigating,
			Deadline: filed.Add(3 * 24 * time.Hour)},
	}
}

func exportActions() []domain.Action {
	due := time.Date(2026, 3, 6, 16, 0, 0, 0, time.UTC)
	return []domain.Action{
		{ID: "a1", Kind: domain.ActionCorrective, Title: "Remplacer la garniture", Owner: "j.moreau", Due: due, ComplaintID: "c1",
			Status: domain.ActionStatusEffective, AssignedBy: "a.benali", AssignedAt: due.Add(-72 * time.Hour),
			DoneAt: due.Add(-24 * time.Hour), VerifiedBy: "a.benali", VerifiedAt: due.Add(24 * time.Hour), Verdict: "Aucune rayure"},
		{ID: "a2", Kind: domain.ActionPreventive, Title: "Plan de maintenance", Owner: "t.nguyen", Due: due, PlanID: "p1",
			Status: domain.ActionStatusOpen, AssignedBy: "a.benali", AssignedAt: due.Add(-72 * time.Hour)},
	}
}

func exportOptions(l report.Lang) report.ExportOptions {
	dir := fixtureDirectory()
	dir.Complaints["c1"] = "PEINT-2026-0042"
	dir.Plans["p1"] = "Maintenance préventive des garnitures"
	return report.ExportOptions{Lang: l, Location: paris, Directory: dir, Now: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)}
}

func TestComplaintsCSV(t *testing.T) {
	t.Run("French with BOM and semicolons", func(t *testing.T) {
		opt := exportOptions(report.French)
		opt.BOM, opt.Comma = true, ';'
		var buf bytes.Buffer
		if err := report.WriteComplaintsCSV(&buf, exportComplaints(), opt); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(buf.Bytes(), []byte("\xef\xbb\xbf")) {
			t.Fatal("no UTF-8 byte-order mark")
		}
		r := csv.NewReader(bytes.NewReader(buf.Bytes()[3:]))
		r.Comma = ';'
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 {
			t.Fatalf("%d rows, want a header and 2", len(rows))
		}
		get := byHeader(t, rows)
		want := map[string][2]string{
			"Numéro":              {"PEINT-2026-0042", "SOUD-2026-0007"},
			"Statut":              {"Close", "En analyse"},
			"Quantité":            {"120", "3"},
			"Catégorie":           {"Aspect / surface", "Dimensionnel"},
			"Gravité":             {"Majeure", "Critique"},
			"Réparation demandée": {"Tri", ""},
			"Déposée par":         {"Camille Lefèvre", "Camille Lefèvre"},
			"Déposée le":          {"2026-03-02T08:40:00+01:00", "2026-03-03T08:40:00+01:00"},
			"Résolue le":          {"2026-03-06T08:40:00+01:00", ""},
			"Famille 6M":          {"Machine", ""},
			"Satisfaction (1–5)":  {"4", ""},
			"Escalades":           {"1", "0"},
			"En retard":           {"non", "oui"},
			"Description":         {"Rayures profondes, côté fixation ;\n« pièces non peignables »", "Cote hors tolérance"},
			"Identifiant":         {"c1", "c2"},
		}
		for col, vals := range want {
			for i, v := range vals {
				if got := get(col, i+1); got != v {
					t.Errorf("%s row %d = %q, want %q", col, i+1, got, v)
				}
			}
		}
	})
	t.Run("English without BOM", func(t *testing.T) {
		opt := exportOptions(report.English)
		opt.Now = time.Time{}
		var buf bytes.Buffer
		if err := report.WriteComplaintsCSV(&buf, exportComplaints(), opt); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if rows[0][0] != "Number" || slices.Contains(rows[0], "Overdue") {
			t.Errorf("header %q: want Number first and no Overdue column without Now", rows[0])
		}
		if get := byHeader(t, rows); get("Severity", 1) != "Major" || get("Kind", 1) != "Claim (remedy demanded)" {
			t.Errorf("row 1: %q", rows[1])
		}
	})
}

func TestActionsCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := report.WriteActionsCSV(&buf, exportActions(), exportOptions(report.French)); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows", len(rows))
	}
	get := byHeader(t, rows)
	for _, c := range []struct{ col, a1, a2 string }{
		{"Réclamation", "PEINT-2026-0042", ""},
		{"Plan préventif", "", "Maintenance préventive des garnitures"},
		{"Type d'action", "Corrective", "Préventive"},
		{"Pilote", "Julie Moreau", "Thành Nguyễn"},
		{"Statut", "Efficace", "Ouverte"},
		{"En retard", "non", "oui"},
		{"Échéance", "2026-03-06T17:00:00+01:00", "2026-03-06T17:00:00+01:00"},
		{"Vérifiée par", "Amine Benali", ""},
	} {
		if got := get(c.col, 1); got != c.a1 {
			t.Errorf("%s a1 = %q, want %q", c.col, got, c.a1)
		}
		if got := get(c.col, 2); got != c.a2 {
			t.Errorf("%s a2 = %q, want %q", c.col, got, c.a2)
		}
	}
}

// byHeader returns a getter of a cell by column title and row index.
func byHeader(t *testing.T, rows [][]string) func(col string, row int) string {
	return func(col string, row int) string {
		t.Helper()
		i := slices.Index(rows[0], col)
		if i < 0 {
			t.Fatalf("no column %q in %q", col, rows[0])
		}
		return rows[row][i]
	}
}

func TestComplaintsXLSX(t *testing.T) {
	var buf bytes.Buffer
	if err := report.WriteComplaintsXLSX(&buf, exportComplaints(), exportOptions(report.French)); err != nil {
		t.Fatal(err)
	}
	dump(t, "complaints.xlsx", buf.Bytes())
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); !slices.Equal(sheets, []string{"Réclamations"}) {
		t.Fatalf("sheets %q", sheets)
	}
	const sheet = "Réclamations"
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "Numéro" {
		t.Fatalf("%d rows, header %q", len(rows), rows[0])
	}
	for cell, want := range map[string]string{"A2": "PEINT-2026-0042", "G2": "120", "N2": "2026-03-02 08:40", "B3": "En analyse"} {
		if got, _ := f.GetCellValue(sheet, cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
	checkSheetLayout(t, f, sheet, len(rows[0]), 3)
}

func TestActionsXLSX(t *testing.T) {
	var buf bytes.Buffer
	if err := report.WriteActionsXLSX(&buf, exportActions(), exportOptions(report.English)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Actions")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "Complaint" || rows[1][3] != "Julie Moreau" || rows[2][5] != "Open" {
		t.Fatalf("rows %q", rows)
	}
	checkSheetLayout(t, f, "Actions", len(rows[0]), 3)
}

// checkSheetLayout checks what makes an export usable in Excel: the header
// frozen and styled, the filter over every row, the columns sized.
func checkSheetLayout(t *testing.T, f *excelize.File, sheet string, cols, rows int) {
	t.Helper()
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v (%v): header not frozen", panes, err)
	}
	style, _ := f.GetCellStyle(sheet, "A1")
	s, err := f.GetStyle(style)
	if err != nil || s.Font == nil || !s.Font.Bold || len(s.Fill.Color) == 0 {
		t.Errorf("header style %+v (%v): want bold on a fill", s, err)
	}
	tables, err := f.GetTables(sheet)
	last, _ := excelize.CoordinatesToCellName(cols, rows)
	if err != nil || len(tables) != 1 || tables[0].Range != "A1:"+last {
		t.Errorf("tables %+v (%v): want one over A1:%s for the filter buttons", tables, err, last)
	}
	if w, _ := f.GetColWidth(sheet, "A"); w < 15 {
		t.Errorf("column A width %v", w)
	}
}

func TestEmptyExports(t *testing.T) {
	var buf bytes.Buffer
	if err := report.WriteComplaintsXLSX(&buf, nil, report.ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Complaints")
	if len(rows) != 1 || rows[0][0] != "Number" {
		t.Errorf("rows %q", rows)
	}
	buf.Reset()
	if err := report.WriteActionsCSV(&buf, nil, report.ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(buf.String(), "\n"); lines != 1 {
		t.Errorf("%d lines, want the header alone", lines)
	}
}
