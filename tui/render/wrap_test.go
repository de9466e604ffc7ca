package render

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// TestAFlagOrANameIsNeverCutAtItsHyphen: wrapped text (lesson prose, a
// card's words) never breaks a line inside a flag (-f, --no-cache) or a
// hyphenated name (layerlab-box-1), and keeps markdown's own list marks
// (issue 31, 16).
func TestAFlagOrANameIsNeverCutAtItsHyphen(t *testing.T) {
	t.Parallel()
	text := "build with the docker CLI, naming the other Dockerfile with -f and --no-cache, in layerlab-box-1."
	md := NewMarkdown("notty")
	for w := 20; w < 70; w++ {
		for name, out := range map[string]string{
			"card":     wrapKeep(lipgloss.NewStyle().Width(w), text),
			"markdown": md.Render("x", w, text+"\n\n- a list item\n", w),
		} {
			flat := ansi.Strip(out)
			for _, l := range strings.Split(flat, "\n") {
				l = strings.TrimRight(l, " ")
				if strings.HasSuffix(l, "-") && !strings.HasSuffix(l, " -") || strings.HasSuffix(l, " -") {
					t.Errorf("%s at %d: a line ends inside a word at its hyphen:\n%s", name, w, flat)
				}
			}
			for _, word := range []string{"-f", "--no-cache", "layerlab-box-1"} {
				if !strings.Contains(flat, word) {
					t.Errorf("%s at %d: %q is not whole:\n%s", name, w, word, flat)
				}
			}
			if name == "markdown" && !strings.Contains(flat, "a list item") || strings.Contains(flat, "\u2011") {
				t.Errorf("%s at %d: the list or a mark:\n%s", name, w, flat)
			}
		}
	}
}

// TestATableStaysATable: the lessons' markdown tables are drawn as tables at
// every width, in both languages (the header rule's hyphens are markdown's,
// not a word's).
func TestATableStaysATable(t *testing.T) {
	t.Parallel()
	md := "| | image | container |\n|---|:---|---:|\n| what it is | a template | a running-or-stopped instance |\n"
	for _, w := range []int{40, 60, 100} {
		out := ansi.Strip(NewMarkdown("dark").Render("t", 0, md, w))
		if strings.Contains(out, "|---") || strings.Contains(out, "| |") || !strings.Contains(out, "template") || !strings.Contains(out, "┼") {
			t.Errorf("at %d the table is not drawn:\n%s", w, out)
		}
	}
}
