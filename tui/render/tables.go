package render

import (
	"fmt"
	"strings"
	"time"

	"github.com/layerlab/layerlab/lessons/i18n"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	units "github.com/docker/go-units"

	"github.com/layerlab/layerlab/docker"
)

// HumanSize prints sizes the way the docker CLI does (decimal units, 3 significant digits).
func HumanSize(n int64) string { return i18n.Size(n) }

// Ago prints a time the way `docker images` does: "2 minutes ago".
func Ago(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return units.HumanDuration(now.Sub(t)) + " ago"
}

// table lays out rows in columns like the docker CLI's tabwriter (3 spaces
// between columns), cut to width. Rows listed in hl are drawn highlighted.
func Table(header []string, rows [][]string, hl map[int]bool, width int, st *Styles) string {
	return TableGap(header, rows, hl, width, 3, st)
}

// TableGap is table with gap spaces between columns.
func TableGap(header []string, rows [][]string, hl map[int]bool, width, gap int, st *Styles) string {
	w := make([]int, len(header))
	for i, h := range header {
		w[i] = lipgloss.Width(h)
	}
	for _, r := range rows {
		for i, c := range r {
			w[i] = max(w[i], lipgloss.Width(c))
		}
	}
	line := func(cells []string, width int) string {
		var b strings.Builder
		for i, c := range cells {
			b.WriteString(c)
			if i < len(cells)-1 {
				b.WriteString(strings.Repeat(" ", w[i]-lipgloss.Width(c)+gap))
			}
		}
		return ansi.Truncate(b.String(), width, "…")
	}
	var out []string
	out = append(out, st.Dim.Render(line(header, width)))
	for i, r := range rows {
		s := line(r, width)
		if hl[i] {
			s = st.Highlight.Render(line(r, width-2) + " ←")
		}
		out = append(out, s)
	}
	return strings.Join(out, "\n")
}

// ImagesTable is docker images' table at a width; narrow, columns give way
// (said under it, in droppedFmt's words).
func ImagesTable(imgs []docker.Image, highlightID string, now time.Time, width int, st *Styles, empty, droppedFmt string) string {
	if len(imgs) == 0 {
		return st.Dim.Render(empty)
	}
	rows := make([][]string, 0, len(imgs))
	hl := map[int]bool{}
	for i, im := range imgs {
		rows = append(rows, []string{im.Repo, im.Tag, docker.ShortID(im.ID), Ago(now, im.Created), HumanSize(im.Size)})
		if highlightID != "" && im.ID == highlightID {
			hl[i] = true
		}
	}
	// Narrow, the columns the lessons talk about stay (IMAGE ID, SIZE): a
	// long name is cut first, then CREATED goes.
	h, rows, gap, dropped := fitColumns([]string{"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"}, rows,
		[]shrink{{0, 16}, {3, 0}, {1, 10}, {0, 10}, {1, 6}}, width)
	return TableGap(h, rows, hl, width, gap, st) + droppedNote(dropped, width, st, droppedFmt)
}

// ContainersTable is docker ps -a's table at a width; narrow, columns give
// way (said under it, in droppedFmt's words).
func ContainersTable(ctrs []docker.Container, now time.Time, width int, st *Styles, empty, droppedFmt string) string {
	if len(ctrs) == 0 {
		return st.Dim.Render(empty)
	}
	rows := make([][]string, 0, len(ctrs))
	for _, c := range ctrs {
		// As the CLI's Ellipsis: by display cells, never inside a character.
		cmd := ansi.Truncate(c.Command, 20, "…")
		rows = append(rows, []string{docker.ShortID(c.ID), c.Image, fmt.Sprintf("%q", cmd), Ago(now, c.Created), c.Status, "", c.Name})
	}
	// Narrow, what the lessons talk about stays (the id, the image, the
	// status, the name): PORTS goes first (layerlab publishes none), then
	// CREATED, then COMMAND; a long image or status is cut, a name never
	// (it is what the next command names). What went is said under it.
	h, rows, gap, dropped := fitColumns([]string{"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"}, rows,
		[]shrink{{5, 0}, {3, 0}, {2, 12}, {2, 0}, {1, 14}, {4, 14}, {1, 10}, {4, 10}}, width)
	return TableGap(h, rows, nil, width, gap, st) + droppedNote(dropped, width, st, droppedFmt)
}

// shrink is one way a table gives way on a narrow screen, tried in order
// until it fits: cut column col's cells to n cells (with …), or drop it (n = 0).
type shrink struct{ col, n int }

// fitColumns applies the shrinks in order until the table fits width, the
// way a person would shrink `docker images`, and then narrows the gaps
// between columns from 3 spaces to 2 if that is what it takes.
func fitColumns(header []string, rows [][]string, steps []shrink, width int) ([]string, [][]string, int, []string) {
	keep := make([]bool, len(header))
	for i := range keep {
		keep[i] = true
	}
	cut := map[int]int{}
	colW := func(i int) int {
		w := lipgloss.Width(header[i])
		for _, r := range rows {
			w = max(w, lipgloss.Width(r[i]))
		}
		if c, ok := cut[i]; ok {
			w = min(w, max(c, lipgloss.Width(header[i])))
		}
		return w
	}
	total := func(gap int) int {
		t, n := 0, 0
		for i := range header {
			if keep[i] {
				t += colW(i)
				n++
			}
		}
		return t + gap*max(n-1, 0)
	}
	for _, sh := range steps {
		if total(3) <= width {
			break
		}
		if sh.n == 0 {
			keep[sh.col] = false
		} else {
			cut[sh.col] = sh.n
		}
	}
	gap := 3
	if total(3) > width {
		gap = 2
	}
	pick := func(cells []string, cutCells bool) []string {
		var out []string
		for i, c := range cells {
			if !keep[i] {
				continue
			}
			if lim, ok := cut[i]; ok && cutCells {
				if lim = max(lim, lipgloss.Width(header[i])); lipgloss.Width(c) > lim {
					c = ansi.Truncate(c, lim, "…")
				}
			}
			out = append(out, c)
		}
		return out
	}
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = pick(r, true)
	}
	var dropped []string
	for i, k := range keep {
		if !k {
			dropped = append(dropped, header[i])
		}
	}
	return pick(header, false), out, gap, dropped
}

// droppedNote says under a table which of the CLI's columns it left out to
// fit the width ("" when none).
func droppedNote(dropped []string, width int, st *Styles, format string) string {
	if len(dropped) == 0 || format == "" {
		return ""
	}
	return "\n" + wrapKeep(lipgloss.NewStyle().Width(max(width, 10)), st.Dim.Render(tr(format, strings.Join(dropped, ", "))))
}
