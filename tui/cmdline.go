package tui

import (
	"context"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker/dockercli"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/tui/render"
)

// The command line (`:`): dockercli reads and runs it; here is its input,
// its history and completion, and its output drawn as the CLI draws it.

// cmdResultMsg is what a command printed, or why it failed.
type cmdResultMsg struct {
	line string
	out  string
	err  error
	// ref is what the command was about (its first argument), for the
	// words of its error.
	ref string
	// lessons name the lessons' containers (render.CommandError).
	lessons []*lessons.Lesson
}

// runCommandCmd runs a parsed command against the daemon.
func (m Model) runCommandCmd(line string, c dockercli.Command) tea.Cmd {
	m.pane.StopAhead() // the command has the daemon to itself
	cli := m.opts.Client
	lesson := "cmdline"
	if l := m.lesson(); l != nil {
		lesson = l.ID
	}
	st, now := render.NewPlainStyles(), m.opts.Now()
	ws := m.work.workspaces[lesson]
	mirror := m.opts.Mirror
	ls := m.opts.Lessons
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 2*opTimeout)
		defer cancel()
		out, failed, err := execCLIAbout(ctx, cli, c, lesson, ws, mirror, &st, now)
		r := cmdResultMsg{line: line, out: out, err: err, lessons: ls, ref: failed}
		if r.ref == "" && len(c.Args) > 0 {
			r.ref = c.Args[0]
		}
		return r
	}
}

// execCLI runs one command and draws its output the way the CLI does.
func execCLI(ctx context.Context, cli Daemon, c dockercli.Command, lesson, workspace, mirror string, st *render.Styles, now time.Time) (string, error) {
	out, _, err := execCLIAbout(ctx, cli, c, lesson, workspace, mirror, st, now)
	return out, err
}

// execCLIAbout is execCLI with the argument an error is about, when the
// command took several (rmi A B: the one that failed).
func execCLIAbout(ctx context.Context, cli Daemon, c dockercli.Command, lesson, workspace, mirror string, st *render.Styles, now time.Time) (out, failed string, err error) {
	res, err := dockercli.Run(ctx, cli, c, dockercli.Env{Lesson: lesson, Workspace: workspace, Mirror: mirror})
	return render.CLIOutput(res, st, now), res.Failed, err
}

// complete completes the last word of line from names (the daemon's image
// and container names) and, for the first word, the commands the line
// takes: when exactly one fits, or they share a longer prefix.
func complete(line string, names []string) string {
	i := strings.LastIndexByte(line, ' ')
	head, word := line[:i+1], line[i+1:]
	if word == "" {
		return line
	}
	names = slices.Clone(names)
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

// cmdLine is the `:` line, a component: its input, its history, the command
// running and what the last one printed. It owns its keys (CmdRun,
// CmdClose, CmdHistory, CmdComplete) and its drawing; the root runs what it
// asks for (cmdRunMsg), because the root knows the daemon and the lesson.
type cmdLine struct {
	open    bool
	history []string
	pos     int
	running bool
	last    *cmdResultMsg
	input   textinput.Model
	common
	width, height int
	// scroll is how many lines of the output are hidden below (PgUp).
	scroll int
	// names are what tab completes; mirror stands in for Docker Hub.
	names  []string
	mirror string
}

// cmdRunMsg asks the root to run a line the : line parsed.
type cmdRunMsg struct {
	line string
	cmd  dockercli.Command
}

// newCmdLine is the line; mirror is the registry that stands in for Docker
// Hub, named where an error is worded.
func newCmdLine(mirror string) cmdLine {
	in := textinput.New()
	in.Prompt = ": docker "
	in.CharLimit = engine.MaxCommand
	return cmdLine{input: in, mirror: mirror}
}

// SetNames gives the line what tab completes: the daemon's image and
// container names.
func (c *cmdLine) SetNames(names []string) { c.names = names }

// Open shows the line, empty, at the end of its history.
func (c cmdLine) Open() (cmdLine, tea.Cmd) {
	c.open, c.pos = true, len(c.history)
	c.input.SetValue("")
	return c, c.input.Focus()
}

// SetSize is the screen's size: the line takes its width, and its output at
// most a third of its height.
func (c *cmdLine) SetSize(w, h int) {
	c.width, c.height = w, h
	c.input.SetWidth(max(w-ansi.StringWidth(c.input.Prompt)-1, 1))
	// The visible window of the text is recomputed on a cursor move only.
	c.input.SetCursor(c.input.Position())
}

// Bindings are the keys of the open line, for the help.
func (c cmdLine) Bindings() []key.Binding {
	return []key.Binding{c.keys.CmdRun, c.keys.CmdClose, c.keys.CmdHistory, c.keys.CmdComplete, c.keys.CmdScroll}
}

// Update takes a key (or a paste) while the line is open.
func (c cmdLine) Update(msg tea.Msg) (cmdLine, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		var cmd tea.Cmd
		c.input, cmd = c.input.Update(msg)
		return c, cmd
	}
	switch {
	case key.Matches(k, c.keys.CmdClose):
		c.open, c.last = false, nil
		c.input.Blur()
		return c, nil
	case key.Matches(k, c.keys.CmdRun):
		line := strings.TrimSpace(c.input.Value())
		if line == "" || c.running {
			return c, nil
		}
		c.history = append(c.history, line)
		c.pos = len(c.history)
		c.input.SetValue("")
		parsed, err := dockercli.Parse(line)
		if err != nil {
			c.last, c.scroll = &cmdResultMsg{line: line, err: err}, 0
			return c, nil
		}
		c.running, c.last, c.scroll = true, &cmdResultMsg{line: line}, 0
		return c, func() tea.Msg { return cmdRunMsg{line: line, cmd: parsed} }
	case key.Matches(k, c.keys.CmdHistory):
		if k.String() == "up" && c.pos > 0 {
			c.pos--
		} else if k.String() == "down" && c.pos < len(c.history) {
			c.pos++
		}
		v := ""
		if c.pos < len(c.history) {
			v = c.history[c.pos]
		}
		c.input.SetValue(v)
		c.input.CursorEnd()
		return c, nil
	case key.Matches(k, c.keys.CmdScroll):
		step := max(c.room()-1, 1)
		if k.String() == "pgup" {
			// No further than the output's first line.
			most := 0
			if c.last != nil {
				most = max(len(c.body(c.last))-max(c.room()-2, 1), 0)
			}
			c.scroll = min(c.scroll+step, most)
		} else {
			c.scroll = max(c.scroll-step, 0)
		}
		return c, nil
	case key.Matches(k, c.keys.CmdComplete):
		c.input.SetValue(complete(c.input.Value(), c.names))
		c.input.CursorEnd()
		return c, nil
	}
	var cmd tea.Cmd
	c.input, cmd = c.input.Update(msg)
	return c, cmd
}

// body is what a command printed and its error, in lines of the screen.
func (c cmdLine) body(r *cmdResultMsg) []string {
	t, st, mirror := c.t, c.st, c.mirror
	var body []string
	for _, l := range strings.Split(r.out, "\n") {
		if r.out == "" {
			break
		}
		// The daemon's refusal is read in full, wrapped at its words; a
		// line of a table wraps where the screen ends, as a terminal
		// wraps docker ps's long rows: nothing is cut (NAMES last).
		if strings.HasPrefix(l, "Error response from daemon: ") || strings.HasPrefix(l, "docker: Error response from daemon: ") {
			body = append(body, strings.Split(ansi.Wrap(l, max(c.width, 1), " "), "\n")...)
		} else {
			body = append(body, strings.Split(ansi.Hardwrap(l, max(c.width, 1), true), "\n")...)
		}
	}
	switch {
	case c.running:
		body = []string{st.Running.Render(t.StepRunning)}
	case dockercli.CodeOf(r.err) == dockercli.CodeNotHere:
		body = append(body, st.Warn.Render(t.CmdNotHere))
	case r.err != nil:
		// The reason is wrapped, not cut: it is the part to read.
		for _, part := range strings.Split(render.CommandError(t, st, r.err, r.ref, mirror, r.lessons), "\n") {
			body = append(body, strings.Split(ansi.Wrap(part, max(c.width, 1), " "), "\n")...)
		}
	}
	return body
}

// Done folds in what a command printed.
func (c cmdLine) Done(r cmdResultMsg) cmdLine {
	c.running, c.last, c.scroll = false, &r, 0
	return c
}

// room is how many lines of output the line shows at once: a third of the
// screen; PgUp and PgDn scroll the rest.
func (c cmdLine) room() int { return max(c.height/3-2, 2) }

// Lines is how many rows the line and its output take (0: closed).
func (c cmdLine) Lines() int {
	if !c.open {
		return 0
	}
	return len(strings.Split(c.View(), "\n"))
}

// View is the last command's output (its end, at most a third of the
// screen), then the input.
func (c cmdLine) View() string {
	t, st := c.t, c.st
	var lines []string
	if r := c.last; r != nil {
		lines = append(lines, ansi.Truncate(st.Command.Render("$ docker "+strings.TrimPrefix(r.line, "docker ")), c.width, "…"))
		body := c.body(r)
		if room := c.room(); len(body) > room {
			// The end shows first; PgUp shows what is above, each cut
			// said with how many lines and which key shows them.
			shown := max(room-2, 1)
			below := min(c.scroll, len(body)-shown)
			end := len(body) - below
			start := end - shown
			var win []string
			if start > 0 {
				win = append(win, st.Dim.Render(tr(t.MoreAboveFmt, start)+" (pgup)"))
			}
			win = append(win, body[start:end]...)
			if below > 0 {
				win = append(win, st.Dim.Render(tr(t.MoreBelowFmt, below)+" (pgdn)"))
			}
			body = win
		}
		for _, b := range body {
			lines = append(lines, ansi.Truncate(b, c.width, "…"))
		}
	}
	lines = append(lines, c.input.View())
	return strings.Join(lines, "\n")
}
