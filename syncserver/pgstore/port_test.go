package pgstore_test

import (
	"reflect"
	"testing"

	"boucle/syncserver"
	"boucle/syncserver/pgstore"
)

// The pull's side of the server's log port, whole.
var _ syncserver.LogRead = (*pgstore.Tx)(nil)

// The push's side of the server's log port: every method but Ingest (which
// folds reference data at once, the projections' work), with the port's
// signature; a change of the port fails here.
func TestTxHasThePushSideOfTheLogPort(t *testing.T) {
	port := reflect.TypeFor[syncserver.LogAppend]()
	tx := reflect.TypeFor[*pgstore.Tx]()
	for i := range port.NumMethod() {
		want := port.Method(i)
		if want.Name == "Ingest" {
			continue
		}
		got, ok := tx.MethodByName(want.Name)
		if !ok {
			t.Errorf("pgstore.Tx has no %s", want.Name)
			continue
		}
		// The method's type without its receiver.
		in := make([]reflect.Type, got.Type.NumIn()-1)
		for j := range in {
			in[j] = got.Type.In(j + 1)
		}
		out := make([]reflect.Type, got.Type.NumOut())
		for j := range out {
			out[j] = got.Type.Out(j)
		}
		if sig := reflect.FuncOf(in, out, got.Type.IsVariadic()); sig != want.Type {
			t.Errorf("pgstore.Tx.%s is %s, the port's %s", want.Name, sig, want.Type)
		}
	}
}
