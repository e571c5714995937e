package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"boucle/shared/domain"

	"github.com/xuri/excelize/v2"
)

// ExportOptions say how the rows are written. The zero value writes English
// with dates in the machine's zone, logins and codes as they are.
type ExportOptions struct {
	Lang Lang
	// Location is the zone dates are written in (the plant's); nil is the
	// machine's. CSV dates carry their offset (ISO 8601); XLSX dates are
	// real date cells in that zone's wall-clock time.
	Location *time.Location
	// Directory names users, stations, categories, complaints and plans;
	// nil writes the raw logins, codes and ids.
	Directory *Directory
	// Now, when set, fills the Overdue column (a pending action past due, an
	// open complaint past its deadline); zero leaves it empty rather than
	// read the clock.
	Now time.Time
	// BOM starts a CSV with the UTF-8 byte-order mark, without which Excel
	// reads UTF-8 as the machine's code page and mangles accents.
	BOM bool
	// Comma is the CSV separator; 0 is ','. French Excel expects ';'.
	Comma rune
}

// column is one column of an export: its label key, its width in the
// spreadsheet (characters) and its value for a row. A value is a string, an
// int, a time.Time (zero is empty) or nil.
type column[T any] struct {
	key   string
	width float64
	value func(*T) any
}

// WriteComplaintsCSV writes the complaints, one a row, in the order given.
func WriteComplaintsCSV(w io.Writer, complaints []domain.Complaint, opt ExportOptions) error {
	return writeCSV(w, complaintColumns(opt), complaints, opt)
}

// WriteComplaintsXLSX writes the complaints as a one-sheet workbook.
func WriteComplaintsXLSX(w io.Writer, complaints []domain.Complaint, opt ExportOptions) error {
	return writeXLSX(w, opt.Lang.t("sheet.complaints"), complaintColumns(opt), complaints, opt)
}

// WriteActionsCSV writes the actions, one a row, in the order given.
func WriteActionsCSV(w io.Writer, actions []domain.Action, opt ExportOptions) error {
	return writeCSV(w, actionColumns(opt), actions, opt)
}

// WriteActionsXLSX writes the actions as a one-sheet workbook.
func WriteActionsXLSX(w io.Writer, actions []domain.Action, opt ExportOptions) error {
	return writeXLSX(w, opt.Lang.t("sheet.actions"), actionColumns(opt), actions, opt)
}

func complaintColumns(opt ExportOptions) []column[domain.Complaint] {
	l, d := opt.Lang, opt.Directory
	type c = domain.Complaint
	cols := []column[c]{
		{"col.number", 20, func(k *c) any { return k.Number }},
		{"col.status", 18, func(k *c) any { return l.status(k.Status) }},
		{"col.filing_station", 14, func(k *c) any { return k.FilingStation }},
		{"col.supplier_station", 14, func(k *c) any { return k.SupplierStation }},
		{"col.part", 16, func(k *c) any { return k.PartRef }},
		{"col.lot", 12, func(k *c) any { return k.Lot }},
		{"col.quantity", 10, func(k *c) any { return k.Quantity }},
		{"col.category", 22, func(k *c) any { return d.CategoryLabel(k.Category, l) }},
		{"col.severity", 11, func(k *c) any { return l.severity(k.Severity) }},
		{"col.kind", 14, func(k *c) any { return l.kind(k.Kind) }},
		{"col.remedy", 14, func(k *c) any { return l.remedy(k.Remedy) }},
		{"col.description", 60, func(k *c) any { return k.Description }},
		{"col.filed_by", 18, func(k *c) any { return d.UserName(k.FiledBy) }},
		{"col.filed_at", 17, func(k *c) any { return k.FiledAt }},
		{"col.assignee", 18, func(k *c) any { return d.UserName(k.Assignee) }},
		{"col.acknowledged_at", 17, func(k *c) any { return k.AcknowledgedAt }},
		{"col.deadline", 17, func(k *c) any { return k.Deadline }},
		{"col.containment", 40, func(k *c) any { return k.Containment }},
		{"col.ishikawa", 14, func(k *c) any { return l.ishikawa(k.Ishikawa) }},
		{"col.root_cause", 40, func(k *c) any { return k.RootCause }},
		{"col.resolution", 40, func(k *c) any { return k.Resolution }},
		{"col.resolved_at", 17, func(k *c) any { return k.ResolvedAt }},
		{"col.closed_at", 17, func(k *c) any { return k.ClosedAt }},
		{"col.rating", 10, func(k *c) any { return optionalInt(k.Rating) }},
		{"col.rating_comment", 30, func(k *c) any { return k.RatingComment }},
		{"col.reopens", 10, func(k *c) any { return k.Reopens }},
		{"col.escalations", 10, func(k *c) any { return len(k.Escalations) }},
		{"col.actions", 9, func(k *c) any { return len(k.Actions) }},
	}
	if !opt.Now.IsZero() {
		cols = append(cols, column[c]{"col.overdue", 10, func(k *c) any { return l.yesNo(k.Overdue(opt.Now)) }})
	}
	// The id last: spreadsheets are read by number, scripts join by id.
	return append(cols, column[c]{"col.id", 38, func(k *c) any { return k.ID }})
}

func actionColumns(opt ExportOptions) []column[domain.Action] {
	l, d := opt.Lang, opt.Directory
	type a = domain.Action
	cols := []column[a]{
		{"col.complaint", 20, func(x *a) any { return optionalRef(x.ComplaintID, d.ComplaintNumber) }},
		{"col.action_kind", 14, func(x *a) any { return l.actionKind(x.Kind) }},
		{"col.title", 40, func(x *a) any { return x.Title }},
		{"col.owner", 18, func(x *a) any { return d.UserName(x.Owner) }},
		{"col.due", 17, func(x *a) any { return x.Due }},
		{"col.status", 16, func(x *a) any { return l.actionStatus(x.Status) }},
	}
	if !opt.Now.IsZero() {
		cols = append(cols, column[a]{"col.overdue", 10, func(x *a) any { return l.yesNo(x.Overdue(opt.Now)) }})
	}
	cols = append(cols, []column[a]{
		{"col.plan", 30, func(x *a) any { return optionalRef(x.PlanID, d.PlanTitle) }},
		{"col.description", 50, func(x *a) any { return x.Description }},
		{"col.assigned_by", 18, func(x *a) any { return d.UserName(x.AssignedBy) }},
		{"col.assigned_at", 17, func(x *a) any { return x.AssignedAt }},
		{"col.started_at", 17, func(x *a) any { return x.StartedAt }},
		{"col.done_at", 17, func(x *a) any { return x.DoneAt }},
		{"col.verified_by", 18, func(x *a) any { return d.UserName(x.VerifiedBy) }},
		{"col.verified_at", 17, func(x *a) any { return x.VerifiedAt }},
		{"col.verdict", 40, func(x *a) any { return x.Verdict }},
		{"col.cancel_reason", 30, func(x *a) any { return x.CancelReason }},
		{"col.id", 38, func(x *a) any { return x.ID }},
	}...)
	return cols
}

func (l Lang) yesNo(b bool) string {
	if b {
		return l.t("yes")
	}
	return l.t("no")
}

// optionalInt leaves a zero rating empty: 0 means "not rated", not a score.
func optionalInt(v int) any {
	if v == 0 {
		return nil
	}
	return v
}

func optionalRef(id string, name func(string) string) any {
	if id == "" {
		return nil
	}
	return name(id)
}

func writeCSV[T any](w io.Writer, cols []column[T], rows []T, opt ExportOptions) error {
	bw := bufio.NewWriter(w)
	if opt.BOM {
		if _, err := bw.WriteString("\ufeff"); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(bw)
	if opt.Comma != 0 {
		cw.Comma = opt.Comma
	}
	z := loc(opt.Location)
	record := make([]string, len(cols))
	for i, c := range cols {
		record[i] = opt.Lang.t(c.key)
	}
	if err := cw.Write(record); err != nil {
		return err
	}
	for i := range rows {
		for j, c := range cols {
			record[j] = csvValue(c.value(&rows[i]), z)
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func csvValue(v any, z *time.Location) string {
	switch v := v.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case time.Time:
		return isoTime(v, z)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// xlsxStyles are the style ids of a workbook.
type xlsxStyles struct{ header, date int }

// writeXLSX streams the rows (an export of a year of complaints stays in
// a few megabytes), with the header styled and frozen, the columns sized
// and an Excel table over the rows for the filter buttons: a streamed
// sheet cannot carry a plain auto-filter, a table can.
func writeXLSX[T any](w io.Writer, sheet string, cols []column[T], rows []T, opt ExportOptions) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	st, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := startSheet(sw, cols, st, opt.Lang); err != nil {
		return err
	}
	z := loc(opt.Location)
	values := make([]any, len(cols))
	for i := range rows {
		for j, c := range cols {
			values[j] = xlsxValue(c.value(&rows[i]), z, st)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, values); err != nil {
			return err
		}
	}
	if err := addFilterTable(sw, len(cols), len(rows)); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	header, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E79"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "1F4E79", Style: 2}},
	})
	if err != nil {
		return xlsxStyles{}, err
	}
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd hh:mm")})
	return xlsxStyles{header: header, date: date}, err
}

func ptr[T any](v T) *T { return &v }

// startSheet writes what a stream must receive before its rows: widths,
// the frozen pane, then the header row.
func startSheet[T any](sw *excelize.StreamWriter, cols []column[T], st xlsxStyles, l Lang) error {
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}})
	if err != nil {
		return err
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = excelize.Cell{StyleID: st.header, Value: l.t(c.key)}
	}
	return sw.SetRow("A1", header, excelize.RowOpts{Height: 30})
}

func xlsxValue(v any, z *time.Location, st xlsxStyles) any {
	if t, ok := v.(time.Time); ok {
		if t.IsZero() {
			return nil
		}
		// excelize writes the wall-clock time of the value's zone.
		return excelize.Cell{StyleID: st.date, Value: t.In(z)}
	}
	return v
}

// addFilterTable puts an unstyled table over the header and rows, so that
// Excel shows its filter buttons while the header keeps its own style. A
// table needs a row under its header: an empty export gets no filter.
func addFilterTable(sw *excelize.StreamWriter, ncols, nrows int) error {
	if nrows == 0 {
		return nil
	}
	last, _ := excelize.CoordinatesToCellName(ncols, nrows+1)
	return sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: "Export", StyleName: "", ShowRowStripes: ptr(false)})
}
