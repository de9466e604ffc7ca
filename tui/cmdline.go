package tui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockercli"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
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
	// lessons name the lessons' containers (cmdErrText).
	lessons []*lessons.Lesson
}

// runCommandCmd runs a parsed command against the daemon.
func (m Model) runCommandCmd(line string, c dockercli.Command) tea.Cmd {
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
		out, err := execCLI(ctx, cli, c, lesson, ws, mirror, &st, now)
		r := cmdResultMsg{line: line, out: out, err: err, lessons: ls}
		if len(c.Args) > 0 {
			r.ref = c.Args[0]
		}
		return r
	}
}

// execCLI runs one command and draws its output the way the CLI does.
func execCLI(ctx context.Context, cli Daemon, c dockercli.Command, lesson, workspace, mirror string, st *render.Styles, now time.Time) (string, error) {
	out, err := dockercli.Run(ctx, cli, c, dockercli.Env{Lesson: lesson, Workspace: workspace, Mirror: mirror})
	return renderCLI(out, st, now), err
}

// renderCLI draws a command's output: its list as the CLI's table (ids only
// with -q), or the CLI's own lines.
func renderCLI(o dockercli.Output, st *render.Styles, now time.Time) string {
	var ids []string
	switch o.Table {
	case "images":
		if !o.Quiet {
			// Nothing to list: the header alone, as the CLI prints it.
			return render.ImagesTable(o.Images, "", now, 1000, st, "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE")
		}
		for _, im := range o.Images {
			ids = append(ids, docker.ShortID(im.ID))
		}
	case "ps":
		if !o.Quiet {
			return render.ContainersTable(o.Containers, now, 1000, st, "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES")
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
			rows = append(rows, []string{id, render.Ago(now, r.Created), by, render.HumanSize(r.Size), r.Comment})
		}
		if !o.Quiet {
			return render.Table([]string{"IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"}, rows, nil, 1000, st)
		}
	default:
		return o.Text
	}
	return strings.Join(ids, "\n")
}

// cmdErrText words a command's error as the : line shows it: a refusal by
// its code; a daemon's error as a step's error box says it (what, why,
// Docker's own words, what to do). A missing container that is no lesson's
// (ls: the lessons) is the learner's own: no step starts it.
func cmdErrText(t *i18n.Strings, st *render.Styles, err error, ref, mirror string, ls []*lessons.Lesson) string {
	var de *docker.Error
	var ce *dockercli.Error
	if errors.As(err, &ce) {
		return st.Fail.Render("✗ " + i18n.CmdErrText(t, ce))
	}
	if !errors.As(err, &de) {
		return st.Fail.Render("✗ " + err.Error())
	}
	x := i18n.Explain(t, err, ref, mirror)
	if x.Title == t.Err.NoContainerTitle {
		name := de.Container
		if name == "" {
			name = ref
		}
		if !lessonContainer(ls, name) {
			x.Plain = i18n.Tr(t.Err.NoOwnContainerFmt, name)
		}
	}
	msg := st.Fail.Render("✗ "+x.Title+": ") + x.Plain
	if x.Docker != "" {
		msg += "\n" + st.Dim.Render(t.DockerSaid+x.Docker)
	}
	for _, td := range x.Todo {
		msg += "\n› " + td
	}
	return msg
}

// lessonContainer reports whether name is a container a lesson's run step
// starts (its name, or name-N when a container of the learner's had it).
func lessonContainer(ls []*lessons.Lesson, name string) bool {
	for _, l := range ls {
		for _, st := range l.Steps {
			if st.Kind != lessons.KindRun || st.Name == "" {
				continue
			}
			if name == st.Name {
				return true
			}
			if n, ok := strings.CutPrefix(name, st.Name+"-"); ok && n != "" && strings.Trim(n, "0123456789") == "" {
				return true
			}
		}
	}
	return false
}

// LineOptions are where RunLine runs a line: the lesson it counts for, the
// lesson's workspace (a build's context), the registry mirror, the words.
type LineOptions struct {
	Lesson, Workspace, Mirror string
	Strings                   *i18n.Strings
	Now                       func() time.Time
	// NotHere words a command the line does not take ("" : the : line's words).
	NotHere string
	// NoEscapes: what RunLine returns holds no escape code at all (no
	// terminal, TERM=dumb, NO_COLOR): plain text for a file or a pipe.
	NoEscapes bool
	// Lessons are the lessons, whose run steps name their containers: a
	// missing container of a lesson is started by its step, any other is
	// the learner's own.
	Lessons []*lessons.Lesson
}

// RunLine runs one docker command line as the : line does, with the same
// refusals, and returns what it printed (plain text, the CLI's tables) or
// the words of its error, and whether it failed: the classroom server's
// `ssh … docker COMMAND`.
func RunLine(ctx context.Context, cli Daemon, line string, o LineOptions) (string, bool) {
	out, failed := runLine(ctx, cli, line, o)
	if o.NoEscapes {
		out = ansi.Strip(out)
	}
	return out, failed
}

func runLine(ctx context.Context, cli Daemon, line string, o LineOptions) (string, bool) {
	st := render.NewPlainStyles()
	t := o.Strings
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	c, err := dockercli.Parse(line)
	if err != nil {
		if dockercli.CodeOf(err) == dockercli.CodeNotHere {
			if o.NotHere != "" {
				return o.NotHere, true
			}
			return t.CmdNotHere, true
		}
		return cmdErrText(t, &st, err, "", o.Mirror, o.Lessons), true
	}
	out, err := execCLI(ctx, cli, c, o.Lesson, o.Workspace, o.Mirror, &st, now())
	if err != nil {
		ref := ""
		if len(c.Args) > 0 {
			ref = c.Args[0]
		}
		if out != "" {
			out += "\n"
		}
		return out + cmdErrText(t, &st, err, ref, o.Mirror, o.Lessons), true
	}
	return out, false
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
	return []key.Binding{c.keys.CmdRun, c.keys.CmdClose, c.keys.CmdHistory, c.keys.CmdComplete}
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
			c.last = &cmdResultMsg{line: line, err: err}
			return c, nil
		}
		c.running, c.last = true, &cmdResultMsg{line: line}
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
	case key.Matches(k, c.keys.CmdComplete):
		c.input.SetValue(complete(c.input.Value(), c.names))
		c.input.CursorEnd()
		return c, nil
	}
	var cmd tea.Cmd
	c.input, cmd = c.input.Update(msg)
	return c, cmd
}

// Done folds in what a command printed.
func (c cmdLine) Done(r cmdResultMsg) cmdLine {
	c.running, c.last = false, &r
	return c
}

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
	t, st, mirror := c.t, c.st, c.mirror
	var lines []string
	if r := c.last; r != nil {
		lines = append(lines, ansi.Truncate(st.Command.Render("$ docker "+strings.TrimPrefix(r.line, "docker ")), c.width, "…"))
		var body []string
		if r.out != "" {
			body = strings.Split(r.out, "\n")
		}
		switch {
		case c.running:
			body = []string{st.Running.Render(t.StepRunning)}
		case dockercli.CodeOf(r.err) == dockercli.CodeNotHere:
			body = append(body, st.Warn.Render(t.CmdNotHere))
		case r.err != nil:
			// The reason is wrapped, not cut: it is the part to read.
			for _, part := range strings.Split(cmdErrText(t, st, r.err, r.ref, mirror, r.lessons), "\n") {
				body = append(body, strings.Split(ansi.Wrap(part, max(c.width, 1), " "), "\n")...)
			}
		}
		room := max(c.height/3-2, 2)
		if len(body) > room {
			body = append([]string{st.Dim.Render(tr(t.MoreAboveFmt, len(body)-room+1))}, body[len(body)-room+1:]...)
		}
		for _, b := range body {
			lines = append(lines, ansi.Truncate(b, c.width, "…"))
		}
	}
	lines = append(lines, c.input.View())
	return strings.Join(lines, "\n")
}
