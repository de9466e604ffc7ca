package render

import (
	"slices"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/layerlab/layerlab/docker/dockerfile"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// ExplainFile is what the editor's explanation pane says of a Dockerfile,
// every line of it at once, as plain text of the given width, and how many
// errors would stop a build: `layerlab explain FILE`, for instructors and
// for checking a lesson pack's Dockerfiles. The state a line leaves for the
// next (↳) is said where it changes: a line without it runs in the state
// said last.
func ExplainFile(t i18n.Strings, src string, width int) (string, int) {
	st := NewPlainStyles()
	p := Painter{T: &t, St: &st}
	d := t.DF
	a := dockerfile.Analyze(src)
	layers, meta := a.Counts()
	out := []string{tr(d.SummaryFmt, a.Steps, layers, meta)}
	for _, s := range i18n.StagesSummary(&t, a) {
		out = append(out, ansi.Wrap(s, width, " "))
	}
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
	said := ""
	for _, l := range a.Lines {
		out = append(out, "")
		block := p.ExplainLine(a, l, true, width)
		for i, x := range block {
			x = strings.TrimRight(ansi.Strip(x), " ")
			if i == 0 {
				x = "  " + strings.TrimPrefix(x, "› ") // every line is explained: none is the cursor's
			}
			block[i] = x
		}
		if state := i18n.StateText(&t, l); state != "" {
			if state == said {
				block = dropLines(block, stateLines(state, width))
			}
			said = state
		}
		out = append(out, block...)
	}
	return strings.Join(out, "\n") + "\n", a.Errors()
}

// stateLines are a state line as ExplainLine draws it in plain text:
// wrapped in its indented column.
func stateLines(state string, width int) []string {
	wrapped := strings.Split(lipgloss.NewStyle().Width(max(width-4, 10)).Render(state), "\n")
	for i, x := range wrapped {
		wrapped[i] = strings.TrimRight("    "+x, " ")
	}
	return wrapped
}

// dropLines takes the first run of want out of block.
func dropLines(block, want []string) []string {
	for i := 0; i+len(want) <= len(block); i++ {
		if slices.Equal(block[i:i+len(want)], want) {
			return slices.Delete(slices.Clone(block), i, i+len(want))
		}
	}
	return block
}
