package ui_test

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"boucle/desktop/ui"
)

func TestBackgroundRunsWorkThenApply(t *testing.T) {
	// Given the app's runner
	a := test.NewApp()
	defer a.Quit()
	done := make(chan []string, 1)
	var order []string
	// When work and apply run through it
	ui.Background(func() { order = append(order, "work") }, func() {
		order = append(order, "apply")
		done <- order
	})
	// Then apply follows work
	select {
	case got := <-done:
		if len(got) != 2 || got[0] != "work" || got[1] != "apply" {
			t.Fatalf("order = %v", got)
		}
	case <-time.After(time.Minute): // a bound for a failure only
		t.Fatal("apply never ran")
	}
}

func TestLoadPassesTheResult(t *testing.T) {
	env := ui.Env{Async: ui.Inline}
	var got int
	ui.Load(env, func() (int, error) { return 42, nil }, func(v int, err error) { got = v })
	if got != 42 {
		t.Fatalf("got %d", got)
	}
}
