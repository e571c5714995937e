package syncserver_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// stillOnBolt are the files of syncserver that still reach bbolt, and
// why: the part of the store they read has not moved behind the port yet
// (store.go). The list only shrinks.
var stillOnBolt = map[string]string{
	"effectiveness.go": "a closed store's error, for the verdict recorder: step 3",
	"projector.go":     "a closed store's error, for the projector: step 3",
	"logepoch.go":      "the epoch read with the log's cursor: step 4",
	"sync.go":          "the epoch read with the log's cursor: step 4",
}

// TestServerReachesBboltOnlyThroughThePort: no file of syncserver imports
// bbolt, names a bucket or opens boltstore's raw transaction (Tx.Bolt)
// but those listed in stillOnBolt.
func TestServerReachesBboltOnlyThroughThePort(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var reaching []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		if why := bboltUse(t, f); why != "" {
			reaching = append(reaching, f)
			if _, listed := stillOnBolt[f]; !listed {
				t.Errorf("%s reaches bbolt (%s): go through the storage port (store.go)", f, why)
			}
		}
	}
	for f := range stillOnBolt {
		if !slices.Contains(reaching, f) {
			t.Errorf("%s no longer reaches bbolt: take it off stillOnBolt", f)
		}
	}
}

// bboltUse tells how a file reaches bbolt, "" when it does not.
func bboltUse(t *testing.T, path string) string {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range f.Imports {
		if strings.Trim(imp.Path.Value, `"`) == "go.etcd.io/bbolt" {
			return "imports go.etcd.io/bbolt"
		}
	}
	var why string
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok || why != "" {
			return why == ""
		}
		if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "boltstore" && strings.HasPrefix(sel.Sel.Name, "Bucket") {
			why = "names boltstore." + sel.Sel.Name
		}
		if sel.Sel.Name == "Bolt" {
			why = "calls Tx.Bolt"
		}
		return why == ""
	})
	return why
}
