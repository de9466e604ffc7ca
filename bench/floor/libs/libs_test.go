package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestTheFloorLinksWhatLayerlabLinks: every package from outside the
// standard library and layerlab that layerlab's binary links, this floor
// links too, so the start-up measured against it is layerlab's own.
func TestTheFloorLinksWhatLayerlabLinks(t *testing.T) {
	t.Parallel()
	deps := func(pkg string) map[string]bool {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		m := map[string]bool{}
		for _, p := range strings.Fields(string(out)) {
			if !strings.HasPrefix(p, "github.com/layerlab/") {
				m[p] = true
			}
		}
		return m
	}
	app, floor := deps("github.com/layerlab/layerlab"), deps("github.com/layerlab/layerlab/bench/floor/libs")
	var missing []string
	for p := range app {
		if !floor[p] {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		t.Errorf("the floor does not link %d of layerlab's libraries: %s", len(missing), strings.Join(missing, ", "))
	}
	if len(app) < 50 {
		t.Errorf("layerlab links %d libraries: go list did not see them", len(app))
	}
}
