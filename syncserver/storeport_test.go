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
var stillOnBolt = map[string]string{}

// stillOnBoltstoreTx are the files of syncserver that still open
// boltstore's own transactions, and why. The list only shrinks.
var stillOnBoltstoreTx = map[string]string{
	"accounts.go": "acknowledging the reference seed's outbox: the log, step 4",
}

// TestServerReadsTheStoreThroughThePort: besides the files listed in
// stillOnBoltstoreTx, no file of syncserver opens a boltstore.Tx: the
// views, exports and reports read ViewStore, the sign-in side
// AccessStore, the evidence EvidenceStore.
func TestServerReadsTheStoreThroughThePort(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var opening []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || !namesSelector(t, f, "boltstore", "Tx") {
			continue
		}
		opening = append(opening, f)
		if _, listed := stillOnBoltstoreTx[f]; !listed {
			t.Errorf("%s opens a boltstore.Tx: read and write through the storage port (store.go)", f)
		}
	}
	for f := range stillOnBoltstoreTx {
		if !slices.Contains(opening, f) {
			t.Errorf("%s no longer opens a boltstore.Tx: take it off stillOnBoltstoreTx", f)
		}
	}
}

// namesSelector reports whether a file names pkg.name.
func namesSelector(t *testing.T, path, pkg, name string) bool {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == pkg && sel.Sel.Name == name {
				found = true
			}
		}
		return !found
	})
	return found
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
