package render

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/layerlab/layerlab/docker/dockerfile"
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
	wantErrs := map[string]int{"mistakes": 2, "fine": 0, "empty": 1, "multi": 0, "state": 0}
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
					if w := ansi.StringWidth(l); w > 80 {
						t.Errorf("%d columns: %q", w, l)
					}
				}
				golden(t, out)
			})
		}
	}
}

// TestStateIsSaidWhereItChanges (issue 30, 6): layerlab explain says the
// state a line leaves where it differs from the line before's; the
// editor's pane says it for the cursor's line, whatever the line before.
func TestStateIsSaidWhereItChanges(t *testing.T) {
	t.Parallel()
	src := "FROM busybox\nWORKDIR /srv\nRUN true\nRUN true\nUSER nobody\n"
	for _, lang := range []string{"en", "ko"} {
		tr := i18n.For(lang)
		out, _ := ExplainFile(tr, src, 80)
		head := strings.SplitN(tr.DF.State.Fmt, "%s", 2)[0]
		if got := strings.Count(out, head); got != 3 {
			t.Errorf("%s: %d state lines, want 3 (FROM, WORKDIR, USER):\n%s", lang, got, out)
		}
		st := NewPlainStyles()
		p := Painter{T: &tr, St: &st}
		a := dockerfile.Analyze(src)
		run, _ := a.LineAt(4)
		pane := ansi.Strip(strings.Join(p.ExplainLine(a, run, true, 80), "\n"))
		if !strings.Contains(pane, head) || !strings.Contains(pane, "WORKDIR /srv") {
			t.Errorf("%s: the pane does not say the cursor line's state: %q", lang, pane)
		}
	}
}
