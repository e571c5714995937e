package widgets_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// fyneMultiLine finds Fyne's own multi-line entry, which traps Tab.
var fyneMultiLine = regexp.MustCompile(`widget\.NewMultiLineEntry\(|MultiLine\s*=\s*true`)

// Every multi-line field of the app is a MultiLineEntry: a screen that
// builds Fyne's own would trap keyboard users again.
func TestNoScreenBuildsFynesMultiLineEntry(t *testing.T) {
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "multiline.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if loc := fyneMultiLine.FindIndex(src); loc != nil {
			t.Errorf("%s builds Fyne's multi-line entry (%q): use widgets.NewMultiLineEntry", path, src[loc[0]:loc[1]])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
