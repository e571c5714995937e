package main

import (
	"io"
	"path/filepath"
	"testing"
)

func TestParseFlags(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		m := &Main{}
		if err := m.ParseFlags([]string{"--server", "http://127.0.0.1:8477", "--data", ".run/desktop"}, io.Discard); err != nil {
			t.Fatal(err)
		}
		if m.Server != "http://127.0.0.1:8477" || m.Data != ".run/desktop" {
			t.Errorf("main = %+v", m)
		}
	})
	t.Run("DataFromEnv", func(t *testing.T) {
		t.Setenv("BOUCLE_DATA", "/srv/boucle")
		m := &Main{}
		if err := m.ParseFlags(nil, io.Discard); err != nil || m.Data != "/srv/boucle" {
			t.Fatalf("data %q err %v", m.Data, err)
		}
	})
	t.Run("DefaultData", func(t *testing.T) {
		t.Setenv("BOUCLE_DATA", "")
		t.Setenv("XDG_CONFIG_HOME", "/home/op/.config")
		m := &Main{}
		if err := m.ParseFlags(nil, io.Discard); err != nil || m.Data != filepath.Join("/home/op/.config", "boucle") {
			t.Fatalf("data %q err %v", m.Data, err)
		}
	})
	t.Run("ErrEnrolWithoutServer", func(t *testing.T) {
		t.Setenv("BOUCLE_SERVER", "")
		m := &Main{}
		if err := m.ParseFlags([]string{"--enrol", "ABCD-EFGH-IJKL"}, io.Discard); err == nil {
			t.Fatal("accepted --enrol without --server")
		}
	})
	t.Run("ErrArgument", func(t *testing.T) {
		if err := (&Main{}).ParseFlags([]string{"extra"}, io.Discard); err == nil {
			t.Fatal("accepted an argument")
		}
	})
}
