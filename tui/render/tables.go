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
// (said under it, in restFmt's words).
func ImagesTable(imgs []docker.Image, highlightID string, now time.Time, width int, st *Styles, empty, restFmt string) string {
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
	// long name is cut first, then CREATED moves below, by IMAGE ID.
	header := []string{"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"}
	h, cut, gap, dropped := fitColumns(header, rows, []shrink{{0, 16}, {3, 0}, {1, 10}, {0, 10}, {1, 6}}, width)
	return TableGap(h, cut, hl, width, gap, st) + continued(header, rows, 2, dropped, width, st, restFmt, "")
}

// HistoryTable is docker history's table at a width, newest first, as the
// CLI prints it (CREATED BY cut to 45 cells, as the CLI cuts it); narrow,
// COMMENT then CREATED move below (by IMAGE, in droppedFmt's words) and
// CREATED BY is cut further: IMAGE and SIZE stay, what the lessons read.
func HistoryTable(hist []docker.HistoryRow, now time.Time, width int, st *Styles, empty, droppedFmt string) string {
	if len(hist) == 0 {
		return st.Dim.Render(empty)
	}
	rows := make([][]string, 0, len(hist))
	for _, r := range hist {
		id := r.ID
		if id != "<missing>" {
			id = docker.ShortID(id)
		}
		rows = append(rows, []string{id, Ago(now, r.Created), ansi.Truncate(r.CreatedBy, 45, "…"), HumanSize(r.Size), r.Comment})
	}
	header := []string{"IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"}
	h, cut, gap, dropped := fitColumns(header, rows, []shrink{{4, 0}, {1, 0}, {2, 32}, {2, 24}, {2, 16}}, width)
	return TableGap(h, cut, nil, width, gap, st) + continued(header, rows, 0, dropped, width, st, droppedFmt, "")
}

// ContainersTable is docker ps -a's table at a width; narrow, columns give
// way (said under it, in restFmt's words).
func ContainersTable(ctrs []docker.Container, now time.Time, width int, st *Styles, empty, restFmt, blankFmt string) string {
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
	// status, the name): PORTS moves below first (layerlab publishes none),
	// then CREATED, then COMMAND; a long image or status is cut, a name never
	// (it is what the next command names). What moved is below, by NAMES.
	header := []string{"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"}
	h, cut, gap, dropped := fitColumns(header, rows, []shrink{{5, 0}, {3, 0}, {2, 12}, {2, 0}, {1, 14}, {4, 14}, {1, 10}, {4, 10}}, width)
	return TableGap(h, cut, nil, width, gap, st) + continued(header, rows, 6, dropped, width, st, restFmt, blankFmt)
}

// shrink is one way a table gives way on a narrow screen, tried in order
// until it fits: cut column col's cells to n cells (with …), or drop it (n = 0).
type shrink struct{ col, n int }

// fitColumns applies the shrinks in order until the table fits width, the
// way a person would shrink `docker images`, and then narrows the gaps
// between columns from 3 spaces to 2 if that is what it takes.
func fitColumns(header []string, rows [][]string, steps []shrink, width int) ([]string, [][]string, int, []int) {
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
	// Below the table go the columns it left out and those it cut a cell of:
	// nothing the CLI prints is hidden.
	var dropped []int
	for i, k := range keep {
		lim, isCut := cut[i]
		wasCut := false
		if k && isCut {
			lim = max(lim, lipgloss.Width(header[i]))
			for _, r := range rows {
				wasCut = wasCut || lipgloss.Width(r[i]) > lim
			}
		}
		if !k || wasCut {
			dropped = append(dropped, i)
		}
	}
	return pick(header, false), out, gap, dropped
}

// continued shows the CLI's columns a narrow table left out, whole, in
// tables under it keyed by column key (a name the learner types), as many as
// it takes to fit width, so that nothing the CLI prints is hidden; format
// heads them ("" when nothing was left out).
func continued(header []string, rows [][]string, key int, dropped []int, width int, st *Styles, format, emptyFmt string) string {
	var others []int
	for _, c := range dropped {
		if c != key {
			others = append(others, c)
		}
	}
	if dropped = others; len(dropped) == 0 {
		return ""
	}
	colW := func(c int) int {
		w := lipgloss.Width(header[c])
		for _, r := range rows {
			w = max(w, lipgloss.Width(r[c]))
		}
		return w
	}
	// A column empty in every row (PORTS, when nothing is published) is
	// named in the heading rather than drawn as a table of blanks.
	var full, blank []int
	for _, c := range dropped {
		empty := true
		for _, r := range rows {
			empty = empty && r[c] == ""
		}
		if empty {
			blank = append(blank, c)
		} else {
			full = append(full, c)
		}
	}
	dropped = full
	var b strings.Builder
	b.WriteString("\n")
	if format != "" {
		head := tr(format, header[key])
		if len(blank) > 0 && emptyFmt != "" {
			names := make([]string, len(blank))
			for i, c := range blank {
				names[i] = header[c]
			}
			head += " " + tr(emptyFmt, strings.Join(names, ", "))
		}
		head += ":"
		b.WriteString("\n" + strings.TrimRight(wrapKeep(lipgloss.NewStyle().Width(max(width, 10)), st.Dim.Render(head)), " "))
	}
	for len(dropped) > 0 {
		cols, used := []int{key}, colW(key)
		for len(dropped) > 0 && (len(cols) == 1 || used+3+colW(dropped[0]) <= width) {
			used += 3 + colW(dropped[0])
			cols, dropped = append(cols, dropped[0]), dropped[1:]
		}
		h := make([]string, len(cols))
		for i, c := range cols {
			h[i] = header[c]
		}
		rest := make([][]string, len(rows))
		for r, row := range rows {
			rest[r] = make([]string, len(cols))
			for i, c := range cols {
				rest[r][i] = row[c]
			}
		}
		b.WriteString("\n" + Table(h, rest, nil, width, st))
	}
	return b.String()
}

// LayerWhat is what made a layer, in the learner's words: its instruction, or
// for a layer docker commit made the container's command and the commit's
// message (Docker's data, quoted as docker history shows it).
func LayerWhat(t *i18n.Strings, l docker.Layer) string {
	if l.Commit {
		return tr(t.LayerCommitFmt, l.Instruction, l.Comment)
	}
	return l.Instruction
}

// VolumesTable is docker volume ls's table: DRIVER, VOLUME NAME, as the
// CLI's tabwriter lays it out (a column at least 10 cells, 3 between).
func VolumesTable(vols []docker.Volume, width int, st *Styles, empty string) string {
	if len(vols) == 0 {
		return st.Dim.Render(empty)
	}
	driverW := 7 // the CLI's minimum column of 10, less the gap
	for _, v := range vols {
		driverW = max(driverW, lipgloss.Width(v.Driver))
	}
	rows := make([][]string, 0, len(vols))
	for _, v := range vols {
		rows = append(rows, []string{v.Driver + strings.Repeat(" ", driverW-lipgloss.Width(v.Driver)), v.Name})
	}
	return TableGap([]string{"DRIVER" + strings.Repeat(" ", driverW-6), "VOLUME NAME"}, rows, nil, width, 3, st)
}
