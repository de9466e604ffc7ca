package render

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/layerlab/layerlab/docker/dockerfile"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// ExplainFile is what the editor's explanation pane says of a Dockerfile,
// every line of it at once, as plain text of the given width, and how many
// errors would stop a build: `layerlab explain FILE`, for instructors and
// for checking a lesson pack's Dockerfiles.
func ExplainFile(t i18n.Strings, src string, width int) (string, int) {
	st := NewPlainStyles()
	p := Painter{T: &t, St: &st}
	d := t.DF
	a := dockerfile.Analyze(src)
	layers, meta := a.Counts()
	out := []string{tr(d.SummaryFmt, a.Steps, layers, meta)}
	if a.Cmd != "" {
		out = append(out, tr(d.CmdInEffectFmt, a.Cmd))
	}
	if a.Errors() == 0 {
		out = append(out, "✓ "+d.NoErrors)
	}
	for _, n := range a.Notes {
		if n.Kind.Severity() == dockerfile.SeverityError {
			out = append(out, ansi.Wrap(p.NoteText(n), width, " "))
		}
	}
	for _, l := range a.Lines {
		out = append(out, "")
		for i, x := range p.ExplainLine(a, l, true, width) {
			x = strings.TrimRight(ansi.Strip(x), " ")
			if i == 0 {
				x = "  " + strings.TrimPrefix(x, "› ") // every line is explained: none is the cursor's
			}
			out = append(out, x)
		}
	}
	return strings.Join(out, "\n") + "\n", a.Errors()
}
