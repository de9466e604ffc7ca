package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/layerlab/layerlab/lessons/i18n"
)

// TestExplainGoldens: layerlab explain, in both languages, on a Dockerfile
// with the mistakes learners make, a right one and an empty one; errors are
// counted (the command fails on them), and no line is cut.
func TestExplainGoldens(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/explain/*.Dockerfile")
	if err != nil || len(files) == 0 {
		t.Fatal("no Dockerfiles in testdata/explain", err)
	}
	wantErrs := map[string]int{"mistakes": 2, "fine": 0, "empty": 1}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".Dockerfile")
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"en", "ko"} {
			t.Run(name+"_"+lang, func(t *testing.T) {
				out, errs := ExplainFile(i18n.For(lang), string(src), 80)
				if errs != wantErrs[name] {
					t.Errorf("%d errors, want %d", errs, wantErrs[name])
				}
				for _, l := range strings.Split(out, "\n") {
					if strings.HasSuffix(l, "…") {
						t.Errorf("a cut line: %q", l)
					}
				}
				golden(t, out)
			})
		}
	}
}
