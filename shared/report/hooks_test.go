package report

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// This file, in the package itself, lets the external tests reach the
// label tables.

var labelUseRe = regexp.MustCompile(`\.t\("([a-z0-9_.]+)"\)|\.tl\("([a-z0-9_]+)"\)`)

// MissingLabels lists the label keys that the package's source uses but
// its tables lack, and the labels with an empty language.
func MissingLabels() ([]string, error) {
	var out []string
	for k, v := range labels {
		if v.en == "" || v.fr == "" {
			out = append(out, "empty: "+k)
		}
	}
	for k, v := range timelineLabels {
		if v.en == "" || v.fr == "" {
			out = append(out, "empty: timeline "+k)
		}
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for _, m := range labelUseRe.FindAllStringSubmatch(string(src), -1) {
			if _, ok := labels[m[1]]; m[1] != "" && !ok {
				out = append(out, f+": "+m[1])
			}
			if _, ok := timelineLabels[m[2]]; m[2] != "" && !ok {
				out = append(out, f+": timeline "+m[2])
			}
		}
	}
	return out, nil
}
