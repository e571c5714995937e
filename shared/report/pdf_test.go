package report_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var pageRe = regexp.MustCompile(`/Type /Page[^s]`)

// checkPDF checks the minimal structure of a PDF and returns its page
// count: the header, the end-of-file marker and the page objects (fpdf
// compresses the page contents, not the object dictionaries).
func checkPDF(t *testing.T, b []byte) int {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-1.")) {
		t.Fatalf("does not start with %%PDF: %q", b[:min(len(b), 16)])
	}
	if !bytes.Contains(b[max(0, len(b)-64):], []byte("%%EOF")) {
		t.Fatal("no end-of-file marker")
	}
	n := len(pageRe.FindAll(b, -1))
	if n == 0 {
		t.Fatal("no page")
	}
	return n
}

// pdfFile writes the PDF to a temporary file for the poppler tools, or
// skips the test when they are missing.
func pdfFile(t *testing.T, b []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// pdfText extracts the text with pdftotext, every run of white space made
// one space so that wrapped sentences read as one line.
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", pdfFile(t, b), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

var (
	bboxPageRe = regexp.MustCompile(`<page width="([\d.]+)" height="([\d.]+)">`)
	bboxWordRe = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
)

// checkInsidePage checks with pdftotext -bbox that every word is drawn
// inside the side margins and above the page's bottom edge: no text runs
// off the page.
func checkInsidePage(t *testing.T, b []byte) {
	t.Helper()
	out, err := exec.Command("pdftotext", "-bbox", pdfFile(t, b), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	page := bboxPageRe.FindSubmatch(out)
	if page == nil {
		t.Fatal("no page in the bbox output")
	}
	w, h := atof(page[1]), atof(page[2])
	margin := 15.0 * 72 / 25.4
	words := bboxWordRe.FindAllSubmatch(out, -1)
	for _, m := range words {
		x0, y1, x1 := atof(m[1]), atof(m[4]), atof(m[3])
		if x0 < margin-1 || x1 > w-margin+1 || y1 > h-14 {
			t.Errorf("%q at x %.1f–%.1f, bottom %.1f: outside the page's margins (%.0f × %.0f)", m[5], x0, x1, y1, w, h)
		}
	}
	if len(words) < 50 {
		t.Errorf("only %d words", len(words))
	}
}

func atof(b []byte) float64 {
	f, _ := strconv.ParseFloat(string(b), 64)
	return f
}

// containsAll reports the wanted texts missing from text.
func containsAll(t *testing.T, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("text lacks %q", w)
		}
	}
}
