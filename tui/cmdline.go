package tui

import (
	"context"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/tui/dockercli"
)

// The command line (`:`): dockercli reads and runs it; here is its input,
// its history and completion, and its output drawn as the CLI draws it.

// cmdResultMsg is what a command printed, or why it failed.
type cmdResultMsg struct {
	line string
	out  string
	err  error
}

// runCommandCmd runs a parsed command against the daemon.
func (m Model) runCommandCmd(line string, c dockercli.Command) tea.Cmd {
	cli := m.opts.Client
	lesson := "cmdline"
	if l := m.lesson(); l != nil {
		lesson = l.ID
	}
	st, now := NewPlainStyles(), m.opts.Now()
	ws := m.workspaces[lesson]
	mirror := m.opts.Mirror
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 2*opTimeout)
		defer cancel()
		out, err := execCLI(ctx, cli, c, lesson, ws, mirror, &st, now)
		return cmdResultMsg{line: line, out: out, err: err}
	}
}

// execCLI runs one command and draws its output the way the CLI does.
func execCLI(ctx context.Context, cli *docker.Client, c dockercli.Command, lesson, workspace, mirror string, st *Styles, now time.Time) (string, error) {
	out, err := dockercli.Run(ctx, cli, c, dockercli.Env{Lesson: lesson, Workspace: workspace, Mirror: mirror})
	return renderCLI(out, st, now), err
}

// renderCLI draws a command's output: its list as the CLI's table (ids only
// with -q), or the CLI's own lines.
func renderCLI(o dockercli.Output, st *Styles, now time.Time) string {
	var ids []string
	switch o.Table {
	case "images":
		if !o.Quiet {
			return imagesTable(o.Images, "", now, 1000, st, "")
		}
		for _, im := range o.Images {
			ids = append(ids, docker.ShortID(im.ID))
		}
	case "ps":
		if !o.Quiet {
			return containersTable(o.Containers, now, 1000, st, "")
		}
		for _, ct := range o.Containers {
			ids = append(ids, docker.ShortID(ct.ID))
		}
	case "history":
		var rows [][]string
		for _, r := range o.History {
			id := "<missing>"
			if r.ID != "<missing>" {
				id = docker.ShortID(r.ID)
			}
			by := r.CreatedBy
			if !o.NoTrunc && len(by) > 45 {
				by = by[:44] + "…"
			}
			ids = append(ids, id)
			rows = append(rows, []string{id, ago(now, r.Created), by, humanSize(r.Size), r.Comment})
		}
		if !o.Quiet {
			return table([]string{"IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"}, rows, nil, 1000, st)
		}
	default:
		return o.Text
	}
	return strings.Join(ids, "\n")
}

// completeWord completes the last word of line from the daemon's image and
// container names (tab), when exactly one fits or they share a longer prefix.
func (m Model) completeWord(line string) string {
	i := strings.LastIndexByte(line, ' ')
	head, word := line[:i+1], line[i+1:]
	if word == "" {
		return line
	}
	var names []string
	for _, im := range m.images {
		names = append(names, im.Ref())
	}
	for _, c := range m.containers {
		names = append(names, c.Name)
	}
	for _, name := range dockercli.Commands() {
		if !strings.Contains(head, " ") || strings.TrimSpace(head) == "docker" {
			names = append(names, name)
		}
	}
	var fits []string
	for _, n := range names {
		if strings.HasPrefix(n, word) {
			fits = append(fits, n)
		}
	}
	if len(fits) == 0 {
		return line
	}
	common := fits[0]
	for _, f := range fits[1:] {
		for !strings.HasPrefix(f, common) {
			common = common[:len(common)-1]
		}
	}
	if len(fits) == 1 {
		common += " "
	}
	return head + common
}

// cmdLineState is the open command line, its history and its last output.
type cmdLineState struct {
	open    bool
	history []string
	pos     int
	running bool
	last    *cmdResultMsg
}
