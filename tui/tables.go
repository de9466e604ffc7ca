package tui

import (
	"fmt"
	"github.com/layerlab/layerlab/tui/i18n"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	units "github.com/docker/go-units"

	"github.com/layerlab/layerlab/docker"
)

// humanSize prints sizes the way the docker CLI does (decimal units, 3 significant digits).
func humanSize(n int64) string { return i18n.Size(n) }

// ago prints a time the way `docker images` does: "2 minutes ago".
func ago(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return units.HumanDuration(now.Sub(t)) + " ago"
}

// table lays out rows in columns like the docker CLI's tabwriter (3 spaces
// between columns), cut to width. Rows listed in hl are drawn highlighted.
func table(header []string, rows [][]string, hl map[int]bool, width int, st *Styles) string {
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
				b.WriteString(strings.Repeat(" ", w[i]-lipgloss.Width(c)+3))
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

func imagesTable(imgs []docker.Image, highlightID string, now time.Time, width int, st *Styles, empty string) string {
	if len(imgs) == 0 {
		return st.Dim.Render(empty)
	}
	rows := make([][]string, 0, len(imgs))
	hl := map[int]bool{}
	for i, im := range imgs {
		rows = append(rows, []string{im.Repo, im.Tag, docker.ShortID(im.ID), ago(now, im.Created), humanSize(im.Size)})
		if highlightID != "" && im.ID == highlightID {
			hl[i] = true
		}
	}
	return table([]string{"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"}, rows, hl, width, st)
}

func containersTable(ctrs []docker.Container, now time.Time, width int, st *Styles, empty string) string {
	if len(ctrs) == 0 {
		return st.Dim.Render(empty)
	}
	rows := make([][]string, 0, len(ctrs))
	for _, c := range ctrs {
		cmd := c.Command
		if len(cmd) > 20 {
			cmd = cmd[:19] + "…"
		}
		rows = append(rows, []string{docker.ShortID(c.ID), c.Image, fmt.Sprintf("%q", cmd), ago(now, c.Created), c.Status, "", c.Name})
	}
	return table([]string{"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"}, rows, nil, width, st)
}
