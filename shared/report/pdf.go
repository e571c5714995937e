package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-fonts/liberation/liberationmonoregular"
	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansitalic"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"codeberg.org/go-pdf/fpdf"
)

// The page: A4 portrait in millimetres. The bottom margin leaves room for
// the footer; every block checks the room left before it draws, so no
// text runs off the page.
const (
	pageMarginX   = 15.0
	pageMarginTop = 20.0
	pageBottom    = 16.0
	ptToMM        = 25.4 / 72
	cellPad       = 1.2 // inner left and right padding of a cell
)

// Colours of the PDFs, the charts' palette.
type rgb struct{ r, g, b int }

var (
	pdfPrimary = rgb{0x1F, 0x4E, 0x79}
	pdfBand    = rgb{0xE4, 0xEC, 0xF5}
	pdfZebra   = rgb{0xF5, 0xF7, 0xFA}
	pdfText    = rgb{0x22, 0x22, 0x22}
	pdfMuted   = rgb{0x6B, 0x6B, 0x6B}
	pdfRule    = rgb{0xC8, 0xCF, 0xD8}
	pdfGood    = rgb{0x2E, 0x7D, 0x32}
	pdfBad     = rgb{0xC6, 0x28, 0x28}
)

// doc is a PDF under construction with the house layout: a header and a
// footer with page numbers on every page, sections, wrapped paragraphs,
// label/value fields and tables whose header repeats on each page.
type doc struct {
	pdf   *fpdf.Fpdf
	lang  Lang
	width float64 // usable width between the margins
	limit float64 // lowest y a line may reach
}

// pdfOptions name a document and say when it was generated.
type pdfOptions struct {
	title, subject string // header left and right
	footer         string // footer left
	lang           Lang
	generatedAt    time.Time
}

func newDoc(o pdfOptions) *doc {
	p := fpdf.New("P", "mm", "A4", "")
	// The page-count alias must be known before the fonts are added: it
	// decides which characters their subsets start with.
	p.AliasNbPages("{nb}")
	p.AddUTF8FontFromBytes("sans", "", liberationsansregular.TTF)
	p.AddUTF8FontFromBytes("sans", "B", liberationsansbold.TTF)
	p.AddUTF8FontFromBytes("sans", "I", liberationsansitalic.TTF)
	p.AddUTF8FontFromBytes("mono", "", liberationmonoregular.TTF)
	p.SetMargins(pageMarginX, pageMarginTop, pageMarginX)
	p.SetAutoPageBreak(true, pageBottom)
	p.SetCellMargin(cellPad)
	p.SetTitle(o.title+" "+o.subject, true)
	p.SetCreator("Boucle", true)
	p.SetLang(string(o.lang))
	// Same input, same bytes: the dates inside the file are the report's.
	p.SetCreationDate(o.generatedAt)
	p.SetModificationDate(o.generatedAt)
	p.SetCatalogSort(true)
	w, h := p.GetPageSize()
	d := &doc{pdf: p, lang: o.lang, width: w - 2*pageMarginX, limit: h - pageBottom}
	p.SetHeaderFuncMode(func() { d.header(o) }, true)
	p.SetFooterFunc(func() { d.footer(o) })
	p.AddPage()
	return d
}

func (d *doc) header(o pdfOptions) {
	p := d.pdf
	p.SetY(8)
	d.font("B", 9, pdfPrimary)
	p.CellFormat(d.width/2, 5, "Boucle · "+o.title, "", 0, "L", false, 0, "")
	d.font("", 9, pdfText)
	p.CellFormat(d.width/2, 5, o.subject, "", 1, "R", false, 0, "")
	d.rule(14, pdfPrimary, 0.4)
}

func (d *doc) footer(o pdfOptions) {
	p := d.pdf
	_, h := p.GetPageSize()
	d.rule(h-12, pdfRule, 0.2)
	p.SetXY(pageMarginX, h-11)
	d.font("", 7.5, pdfMuted)
	p.CellFormat(d.width*0.75, 4, o.footer, "", 0, "L", false, 0, "")
	page := fmt.Sprintf(d.lang.t("page"), p.PageNo(), "{nb}")
	p.CellFormat(d.width*0.25, 4, page, "", 0, "R", false, 0, "")
}

// write finishes the document.
func (d *doc) write(w io.Writer) error {
	if err := d.pdf.Error(); err != nil {
		return err
	}
	return d.pdf.Output(w)
}

func (d *doc) font(style string, size float64, c rgb) {
	d.pdf.SetFont("sans", style, size)
	d.pdf.SetTextColor(c.r, c.g, c.b)
}

func (d *doc) rule(y float64, c rgb, width float64) {
	d.pdf.SetDrawColor(c.r, c.g, c.b)
	d.pdf.SetLineWidth(width)
	d.pdf.Line(pageMarginX, y, pageMarginX+d.width, y)
}

// lineHeight is the leading of a font size in points.
func lineHeight(size float64) float64 { return size * ptToMM * 1.38 }

// ensure starts a new page unless h millimetres are left.
func (d *doc) ensure(h float64) {
	if d.pdf.GetY()+h > d.limit {
		d.pdf.AddPage()
	}
}

// section starts a numbered part of the report: a band with its title,
// kept with at least the next few lines.
func (d *doc) section(title string) {
	p := d.pdf
	d.ensure(8 + 3 + 3*lineHeight(9))
	p.Ln(3)
	p.SetFillColor(pdfPrimary.r, pdfPrimary.g, pdfPrimary.b)
	d.font("B", 11, rgb{0xFF, 0xFF, 0xFF})
	p.SetX(pageMarginX)
	p.CellFormat(d.width, 7.5, title, "", 1, "L", true, 0, "")
	p.Ln(2)
}

// subheading is a bold line inside a section.
func (d *doc) subheading(title string) {
	d.ensure(lineHeight(10) + 2*lineHeight(9))
	d.pdf.Ln(1)
	d.font("B", 10, pdfPrimary)
	d.lines([]string{title}, lineHeight(10), d.width, "L")
}

// para writes wrapped text in the given style.
func (d *doc) para(text, style string, size float64, c rgb) {
	d.font(style, size, c)
	d.lines(d.split(text, d.width), lineHeight(size), d.width, "L")
}

// note is a muted italic remark ("not recorded yet").
func (d *doc) note(text string) { d.para(text, "I", 9, pdfMuted) }

// split wraps text to a width with the current font, keeping the
// author's line breaks and never returning an empty slice.
func (d *doc) split(text string, w float64) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
		if strings.TrimSpace(para) == "" {
			out = append(out, "")
			continue
		}
		out = append(out, d.pdf.SplitText(para, w)...)
	}
	if len(out) == 0 {
		return []string{""}
	}
	return out
}

// lines writes pre-wrapped lines from the left margin, breaking the page
// between lines when needed.
func (d *doc) lines(ls []string, lh, w float64, align string) {
	for _, l := range ls {
		d.ensure(lh)
		d.pdf.SetX(pageMarginX)
		d.pdf.CellFormat(w, lh, l, "", 1, align, false, 0, "")
	}
}

// field is one label/value pair of a fields block.
type field struct{ label, value string }

// fields writes label/value pairs: labels in a narrow grey column, values
// wrapped beside them.
func (d *doc) fields(fs []field) {
	p := d.pdf
	const labelW = 44.0
	lh := lineHeight(9)
	for _, f := range fs {
		d.font("", 9, pdfText)
		vals := d.split(orDash(f.value), d.width-labelW)
		d.font("B", 8.5, pdfMuted)
		labels := d.split(f.label, labelW)
		// A short pair stays on one page; a long text flows from where it
		// is, with at least two lines under its label.
		n := max(len(vals), len(labels))
		d.ensure(float64(min(n, 2)) * lh)
		if n <= 6 {
			d.ensure(float64(n) * lh)
		}
		for i := range n {
			d.ensure(lh)
			p.SetX(pageMarginX)
			d.font("B", 8.5, pdfMuted)
			p.CellFormat(labelW, lh, at(labels, i), "", 0, "L", false, 0, "")
			d.font("", 9, pdfText)
			p.CellFormat(d.width-labelW, lh, at(vals, i), "", 1, "L", false, 0, "")
		}
		p.Ln(0.6)
	}
}

func at(ss []string, i int) string {
	if i < len(ss) {
		return ss[i]
	}
	return ""
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// tcol is a table column: its title, its share of the width and its
// alignment ("L", "R", "C").
type tcol struct {
	title string
	share float64
	align string
}

// trow is a table row; tone colours the row's last cell (a verdict).
type trow struct {
	cells []string
	tone  *rgb
	mono  int // index of a cell in the monospaced font (a hash); 0 for none
}

// table writes rows under a header that repeats on every page. Cells wrap;
// a row is never split across pages (callers truncate the few texts that
// could be longer than a page).
func (d *doc) table(cols []tcol, rows []trow, size float64) {
	widths := d.columnWidths(cols)
	lh := lineHeight(size)
	d.ensure(2*lh + 2 + lh)
	d.tableHeader(cols, widths, size)
	for i, r := range rows {
		cells := d.wrapRow(r, widths, size)
		h := float64(maxLines(cells))*lh + 1.2
		if d.pdf.GetY()+h > d.limit {
			d.pdf.AddPage()
			d.tableHeader(cols, widths, size)
		}
		d.tableRow(cols, widths, r, cells, h, lh, size, i%2 == 1)
	}
	d.pdf.Ln(1.5)
}

func (d *doc) columnWidths(cols []tcol) []float64 {
	total := 0.0
	for _, c := range cols {
		total += c.share
	}
	ws := make([]float64, len(cols))
	for i, c := range cols {
		ws[i] = d.width * c.share / total
	}
	return ws
}

func (d *doc) tableHeader(cols []tcol, widths []float64, size float64) {
	p := d.pdf
	d.font("B", size, pdfPrimary)
	heads := make([][]string, len(cols))
	for i, c := range cols {
		heads[i] = d.split(c.title, widths[i])
	}
	lh := lineHeight(size)
	h := float64(maxLines(heads))*lh + 1.4
	y := p.GetY()
	p.SetFillColor(pdfBand.r, pdfBand.g, pdfBand.b)
	p.Rect(pageMarginX, y, d.width, h, "F")
	x := pageMarginX
	for i, c := range cols {
		for j, l := range heads[i] {
			p.SetXY(x, y+0.7+float64(j)*lh)
			p.CellFormat(widths[i], lh, l, "", 0, c.align, false, 0, "")
		}
		x += widths[i]
	}
	p.SetXY(pageMarginX, y+h)
	d.rule(y+h, pdfPrimary, 0.3)
}

func (d *doc) wrapRow(r trow, widths []float64, size float64) [][]string {
	cells := make([][]string, len(widths))
	for i := range widths {
		d.cellFont(r, i, size)
		cells[i] = d.split(at(r.cells, i), widths[i])
	}
	return cells
}

func (d *doc) cellFont(r trow, i int, size float64) {
	switch {
	case i > 0 && r.mono == i:
		d.pdf.SetFont("mono", "", size-1)
		d.pdf.SetTextColor(pdfText.r, pdfText.g, pdfText.b)
	case r.tone != nil && i == len(r.cells)-1:
		d.font("B", size, *r.tone)
	default:
		d.font("", size, pdfText)
	}
}

func (d *doc) tableRow(cols []tcol, widths []float64, r trow, cells [][]string, h, lh, size float64, zebra bool) {
	p := d.pdf
	y := p.GetY()
	if zebra {
		p.SetFillColor(pdfZebra.r, pdfZebra.g, pdfZebra.b)
		p.Rect(pageMarginX, y, d.width, h, "F")
	}
	x := pageMarginX
	for i, c := range cols {
		d.cellFont(r, i, size)
		for j, l := range cells[i] {
			p.SetXY(x, y+0.6+float64(j)*lh)
			p.CellFormat(widths[i], lh, l, "", 0, c.align, false, 0, "")
		}
		x += widths[i]
	}
	p.SetXY(pageMarginX, y+h)
	d.rule(y+h, pdfRule, 0.15)
}

func maxLines(cells [][]string) int {
	n := 1
	for _, c := range cells {
		n = max(n, len(c))
	}
	return n
}

// image places a PNG at the full width (or w millimetres) keeping its
// aspect ratio, on a new page when it does not fit.
func (d *doc) image(name string, png []byte, x, w, h float64) {
	p := d.pdf
	opt := fpdf.ImageOptions{ImageType: "PNG"}
	p.RegisterImageOptionsReader(name, opt, bytes.NewReader(png))
	p.ImageOptions(name, x, p.GetY(), w, h, false, opt, 0, "")
}

// tiles writes headline figures as a grid of boxes: a label, a big value
// and a detail line each.
func (d *doc) tiles(ts []tile, perRow int) {
	p := d.pdf
	gap := 3.0
	w := (d.width - gap*float64(perRow-1)) / float64(perRow)
	const h = 21.0
	y := p.GetY()
	for i, t := range ts {
		col := i % perRow
		if col == 0 && i > 0 {
			y += h + gap
		}
		if col == 0 && y+h > d.limit {
			p.AddPage()
			y = p.GetY()
		}
		d.tile(t, pageMarginX+float64(col)*(w+gap), y, w, h)
	}
	p.SetXY(pageMarginX, y+h+gap)
}

type tile struct {
	label, value, detail string
}

func (d *doc) tile(t tile, x, y, w, h float64) {
	p := d.pdf
	p.SetFillColor(pdfZebra.r, pdfZebra.g, pdfZebra.b)
	p.SetDrawColor(pdfRule.r, pdfRule.g, pdfRule.b)
	p.SetLineWidth(0.2)
	p.Rect(x, y, w, h, "FD")
	p.SetFillColor(pdfPrimary.r, pdfPrimary.g, pdfPrimary.b)
	p.Rect(x, y, 1.2, h, "F")
	d.font("B", 7.5, pdfMuted)
	p.SetXY(x+2, y+1.5)
	p.CellFormat(w-3, 4, fitText(p, t.label, w-3), "", 0, "L", false, 0, "")
	d.font("B", 14, pdfPrimary)
	p.SetXY(x+2, y+6.5)
	p.CellFormat(w-3, 7, fitText(p, t.value, w-3), "", 0, "L", false, 0, "")
	d.font("", 7.5, pdfText)
	p.SetXY(x+2, y+14.5)
	p.CellFormat(w-3, 4, fitText(p, t.detail, w-3), "", 0, "L", false, 0, "")
}

// fitText cuts a one-line text to a width with "…", for the fixed-size
// boxes where wrapping is not an option.
func fitText(p *fpdf.Fpdf, s string, w float64) string {
	w -= 2 * cellPad
	if p.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && p.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}

// itoa is strconv.Itoa for table cells.
func itoa(n int) string { return strconv.Itoa(n) }
