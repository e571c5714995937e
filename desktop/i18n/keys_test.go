package i18n_test

import (
	"encoding/json"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"boucle/desktop/i18n"
)

// -update rewrites translations/en.json from the English fallbacks in the
// code (keeping keys it no longer finds out), so a new string only needs its
// French added by hand.
var update = flag.Bool("update", false, "rewrite en.json from the code's fallbacks")

// use is one call of lang.X / lang.L found in the code.
type use struct {
	key, fallback, pos string
}

// usedKeys parses every Go file of the desktop app and collects the keys
// passed to Fyne's lang functions. A key that is not a string literal
// cannot be checked, so it fails the test.
func usedKeys(t *testing.T) []use {
	t.Helper()
	var uses []use
	fset := token.NewFileSet()
	for _, root := range []string{"..", "../../cmd/boucle"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				pkg, ok := sel.X.(*ast.Ident)
				if !ok || pkg.Name != "lang" {
					return true
				}
				pos := fset.Position(call.Pos()).String()
				lit := func(i int) string {
					if i >= len(call.Args) {
						t.Errorf("%s: lang.%s needs a key", pos, sel.Sel.Name)
						return ""
					}
					b, ok := call.Args[i].(*ast.BasicLit)
					if !ok || b.Kind != token.STRING {
						t.Errorf("%s: lang.%s with a key that is not a string literal", pos, sel.Sel.Name)
						return ""
					}
					s, _ := strconv.Unquote(b.Value)
					return s
				}
				switch sel.Sel.Name {
				case "X", "LocalizeKey":
					uses = append(uses, use{lit(0), lit(1), pos})
				case "L", "Localize":
					k := lit(0)
					uses = append(uses, use{k, k, pos})
				case "N", "XN", "LocalizePlural", "LocalizePluralKey":
					t.Errorf("%s: plural forms are not used in Boucle; write the count into the sentence", pos)
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return uses
}

func loadFiles(t *testing.T) map[string]map[string]string {
	t.Helper()
	raw, err := i18n.Files()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for l, b := range raw {
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s.json: %v", l, err)
		}
		out[l] = m
	}
	return out
}

// TestEveryKeyIsTranslated fails when the code uses a key missing from a
// language file.
func TestEveryKeyIsTranslated(t *testing.T) {
	uses := usedKeys(t)
	if len(uses) < 100 {
		t.Fatalf("found only %d lang calls: is the scan looking in the right place?", len(uses))
	}
	if *update {
		writeEnglish(t, uses)
	}
	files := loadFiles(t)
	for _, u := range uses {
		for _, l := range i18n.Languages {
			if _, ok := files[l][u.key]; !ok {
				t.Errorf("%s: key %q is missing from %s.json", u.pos, u.key, l)
			}
		}
	}
}

// TestFilesHaveTheSameKeys fails when one language has a key the other
// lacks, or when a translation drops or renames a template field.
func TestFilesHaveTheSameKeys(t *testing.T) {
	files := loadFiles(t)
	en, fr := files["en"], files["fr"]
	for k := range en {
		if _, ok := fr[k]; !ok {
			t.Errorf("fr.json lacks %q", k)
		}
	}
	for k := range fr {
		if _, ok := en[k]; !ok {
			t.Errorf("en.json lacks %q", k)
		}
	}
	field := regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)
	fields := func(s string) []string {
		var out []string
		for _, m := range field.FindAllStringSubmatch(s, -1) {
			out = append(out, m[1])
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	for k, v := range en {
		if f, ok := fr[k]; ok && !slices.Equal(fields(v), fields(f)) {
			t.Errorf("%q: template fields differ: en %v, fr %v", k, fields(v), fields(f))
		}
		if strings.TrimSpace(fr[k]) == "" {
			t.Errorf("%q: empty French translation", k)
		}
	}
}

// TestNoUnusedKeys keeps the files free of keys the code dropped.
func TestNoUnusedKeys(t *testing.T) {
	used := map[string]bool{}
	for _, u := range usedKeys(t) {
		used[u.key] = true
	}
	for k := range loadFiles(t)["en"] {
		if !used[k] {
			t.Errorf("en.json has %q, which no code uses", k)
		}
	}
}

func writeEnglish(t *testing.T, uses []use) {
	m := map[string]string{}
	for _, u := range uses {
		if prev, ok := m[u.key]; ok && prev != u.fallback {
			t.Errorf("%s: key %q has two different English texts: %q and %q", u.pos, u.key, prev, u.fallback)
		}
		m[u.key] = u.fallback
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("translations/en.json", []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
