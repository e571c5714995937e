package report_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// dump writes a document to $BOUCLE_REPORT_OUT when it is set, to look at
// the charts and PDFs by eye (pdftoppm -png -r 60 on the PDFs).
func dump(t testing.TB, name string, b []byte) {
	t.Helper()
	dir := os.Getenv("BOUCLE_REPORT_OUT")
	if dir == "" {
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func isoWeek(y, w int) string { return fmt.Sprintf("%04d-W%02d", y, w) }
