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

// bboltConstructors are the files of syncserver that name the bbolt
// store itself (boltstore.Store): the constructors that open it and put
// its adapter behind the port (OpenStore, New, NewAdmin, PlantKeys). The
// server and the administration hold ports only (NewOn, NewAdminOn).
var bboltConstructors = map[string]string{
	"serverconfig.go": "OpenStore, and the epoch prepared at open",
	"server.go":       "New: NewOn on the bbolt adapter, the key file beside the store",
	"admin.go":        "NewAdmin: NewAdminOn on the bbolt adapter",
	"confidential.go": "PlantKeys: the key file beside the store, for the demo",
}

// TestServerReadsTheStoreThroughThePort: no file of syncserver opens a
// boltstore.Tx (the raw transaction of the bbolt store), and only the
// constructors in bboltConstructors name the bbolt store.
func TestServerReadsTheStoreThroughThePort(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var naming []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		if namesSelector(t, f, "boltstore", "Tx") {
			t.Errorf("%s opens a boltstore.Tx: read and write through the storage port (store.go)", f)
		}
		if namesSelector(t, f, "boltstore", "Store") {
			naming = append(naming, f)
			if _, listed := bboltConstructors[f]; !listed {
				t.Errorf("%s names the bbolt store: take its ports (store.go)", f)
			}
		}
	}
	for f := range bboltConstructors {
		if !slices.Contains(naming, f) {
			t.Errorf("%s no longer names the bbolt store: take it off bboltConstructors", f)
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
// bbolt, names a bucket or opens bbolt's own transaction (Tx.Bolt): the
// adapter, syncserver/boltserver, does.
func TestServerReachesBboltOnlyThroughThePort(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		if why := bboltUse(t, f); why != "" {
			t.Errorf("%s reaches bbolt (%s): go through the storage port (store.go)", f, why)
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
