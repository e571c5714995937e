package assets_test

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"boucle/desktop/assets"
)

// TestMetadataMatchesFyneAppToml keeps the embedded metadata equal to the
// [Details] of FyneApp.toml, which 'fyne package' uses.
func TestMetadataMatchesFyneAppToml(t *testing.T) {
	f, err := os.Open("../../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	details := map[string]string{}
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			section = line
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok && section == "[Details]" {
			details[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	m := assets.Metadata
	build, _ := strconv.Atoi(details["Build"])
	if details["ID"] != m.ID || details["Name"] != m.Name || details["Version"] != m.Version || build != m.Build {
		t.Errorf("FyneApp.toml %v, embedded %+v", details, m)
	}
	if details["Icon"] != "desktop/assets/icon.png" || len(m.Icon.Content()) == 0 {
		t.Errorf("icon: toml %q, embedded %d bytes", details["Icon"], len(m.Icon.Content()))
	}
}
