package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
)

// stepDoneMsg ends a step that is one daemon call (run, exec, diff, commit).
type stepDoneMsg struct {
	key       stepKey
	err       error
	at        time.Time
	container *docker.Container
	exec      *docker.ExecResult
	commit    *docker.CommitResult
	tagged    *docker.TagResult
	removed   *docker.RemoveResult
	// gone names a container the step removed.
	gone string
	// renamed is the lesson's name and the free one used instead ("" if
	// none); renamedCt the same for a container's name.
	renamed, renamedCt [2]string
	// refresh names the container whose writable layer to read again.
	refresh string
}

type writableMsg struct {
	name  string
	layer docker.WritableLayer
	err   error
}

type removedMsg struct {
	lesson string
	err    error
}

func runContainerCmd(c *docker.Client, k stepKey, image, name string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		free, err := c.FreeContainerName(ctx, name)
		if err != nil {
			return stepDoneMsg{key: k, err: err, at: time.Now()}
		}
		var renamed [2]string
		if free != name {
			renamed = [2]string{name, free}
		}
		ct, err := c.RunContainer(ctx, image, free, k.lesson)
		return stepDoneMsg{key: k, err: err, at: time.Now(), container: &ct, refresh: free, renamedCt: renamed}
	}
}

func execCmd(c *docker.Client, k stepKey, name, cmd string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		res, err := c.Exec(ctx, name, cmd)
		return stepDoneMsg{key: k, err: err, at: time.Now(), exec: &res, refresh: name}
	}
}

func diffCmd(c *docker.Client, k stepKey, name string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		_, err := c.Writable(ctx, name)
		return stepDoneMsg{key: k, err: err, at: time.Now(), refresh: name}
	}
}

// commitCmd commits. A name of the learner's images is never moved: when
// the name is the lesson's own (lessonName) a free one is used instead,
// else the docker layer refuses it.
func commitCmd(c *docker.Client, k stepKey, name string, ref docker.Ref, lessonName bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		ref, renamed, err := freeName(ctx, c, ref, lessonName)
		if err != nil {
			return stepDoneMsg{key: k, err: err, at: time.Now()}
		}
		res, err := c.Commit(ctx, name, ref, k.lesson)
		return stepDoneMsg{key: k, err: err, at: time.Now(), commit: &res, refresh: name, renamed: renamed}
	}
}

// freeName is the name a step gives its image: ref, or for a lesson's own
// name that is the learner's, a free one of layerlab's (renamed says which).
func freeName(ctx context.Context, c *docker.Client, ref docker.Ref, lessonName bool) (docker.Ref, [2]string, error) {
	if !lessonName {
		return ref, [2]string{}, nil
	}
	alt, err := c.FreeName(ctx, ref)
	if err != nil || alt.String() == ref.String() {
		return ref, [2]string{}, err
	}
	return alt, [2]string{ref.String(), alt.String()}, nil
}

func writableCmd(c *docker.Client, name string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		w, err := c.Writable(ctx, name)
		return writableMsg{name: name, layer: w, err: err}
	}
}

// removeLessonContainers removes the containers a lesson started ("" for all of
// layerlab's), found by label: never anything layerlab did not create.
func removeLessonContainers(c *docker.Client, lesson string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		list, err := c.OwnedContainers(ctx, lesson)
		if err != nil {
			return removedMsg{lesson: lesson, err: err}
		}
		for _, ct := range list {
			if err := c.RemoveContainer(ctx, ct.ID); err != nil {
				return removedMsg{lesson: lesson, err: err}
			}
		}
		return removedMsg{lesson: lesson}
	}
}

// stepDone folds the end of a one-call step into the model.
func (m Model) stepDone(msg stepDoneMsg) (tea.Model, tea.Cmd) {
	m.busy = nil
	s := m.state(msg.key)
	s.elapsed = msg.at.Sub(s.started)
	s.exec, s.commit, s.tagged = msg.exec, msg.commit, msg.tagged
	m.noteRenamed(s, msg.renamed)
	m.noteRenamedContainer(s, msg.renamedCt)
	cmds := []tea.Cmd{m.snapshot()}
	if msg.refresh != "" && msg.err == nil {
		cmds = append(cmds, writableCmd(m.opts.Client, msg.refresh))
	}
	if msg.removed != nil && msg.err == nil {
		s.removed = msg.removed
		m.removal[msg.key.lesson] = msg.removed
	}
	if msg.gone != "" && msg.err == nil {
		delete(m.writable, msg.gone)
		delete(m.started, msg.gone)
	}
	if msg.err != nil && m.expected(msg.key, msg.err) {
		// The lesson meant the daemon to refuse: that is the step done.
		s.status, s.err, s.expected = stepDone, msg.err, true
		m.refresh()
		return m, tea.Batch(cmds...)
	}
	if msg.err != nil {
		s.status, s.err = stepFailed, msg.err
		if docker.IsConnection(msg.err) && docker.KindOf(msg.err) != docker.KindInterrupted {
			m.conn, m.connErr = connDown, msg.err
		}
		m.layout()
		return m, tea.Batch(cmds...)
	}
	s.status, s.err = stepDone, nil
	if _, st := m.stepOf(msg.key); msg.exec != nil && msg.exec.ExitCode != 0 && st != nil && st.Kind == lessons.KindExec && st.Expect != "fail" {
		// The command ran and failed: not done, whatever the daemon did.
		s.status = stepFailed
	}
	if msg.container != nil {
		m.started[msg.container.Name] = msg.key.lesson
	}
	if msg.commit != nil {
		cmds = append(cmds, m.showNewImage(msg.key.lesson, msg.commit.Ref.String(), msg.commit.ImageID))
	}
	if msg.removed != nil {
		// The removed image may be what the panel showed: read it again.
		delete(m.stacks, m.subject())
		cmds = append(cmds, m.loadPanel())
	}
	m.refresh()
	return m, tea.Batch(cmds...)
}

// expected reports whether err is the failure the step's lesson expects.
func (m Model) expected(k stepKey, err error) bool {
	_, st := m.stepOf(k)
	if st == nil {
		return false
	}
	switch st.Expect {
	case "conflict":
		return docker.KindOf(err) == docker.KindConflict
	case "build-failed":
		return docker.KindOf(err) == docker.KindBuildFailed
	}
	return false
}

// containersView draws the lesson's containers as what they are: the image's
// layers (shared, drawn as one block) under each container's own writable layer.
func (m Model) containersView(l *lessons.Lesson, width int) []string {
	var names []string
	seen := map[string]bool{}
	for _, st := range l.Steps {
		if name := m.ctr(st.Name); st.Kind == lessons.KindRun && !seen[name] {
			if _, ok := m.writable[name]; ok {
				names = append(names, name)
				seen[name] = true
			}
		}
	}
	if len(names) == 0 {
		return nil
	}
	out := []string{"", lipgloss.NewStyle().Width(width).Render(m.st.Dim.Render(m.t.ContainersTitle))}
	for _, n := range names {
		w := m.writable[n]
		state := w.Container.State
		out = append(out, ansi.Truncate(m.st.New.Render("▒ ")+m.st.Bold.Render(n)+m.st.Dim.Render(fmt.Sprintf(" (%s) ", state))+
			tr(m.t.WritableFmt, humanSize(w.Size)), width, "…"))
		max := 4
		for i, ch := range w.Changes {
			if i == max {
				out = append(out, m.st.Dim.Render(fmt.Sprintf("    … %d more", len(w.Changes)-max)))
				break
			}
			out = append(out, ansi.Truncate("    "+changeStyle(m.st, ch.Kind).Render(ch.Kind.Letter())+" "+ch.Path, width, "…"))
		}
		img := w.Container.Image
		out = append(out, ansi.Truncate(m.st.Dim.Render("  ═ "+tr(m.t.ImageLayersFmt, img, docker.ShortID(w.Container.ImageID))), width, "…"))
	}
	return out
}

func changeStyle(st *Styles, k docker.ChangeKind) lipgloss.Style {
	switch k {
	case docker.Added:
		return st.OK
	case docker.Deleted:
		return st.Fail
	}
	return st.Warn
}

// execView shows a command's output and exit code inside its card.
func execView(t *Strings, st *Styles, r *docker.ExecResult, width int) string {
	lines := execLines(st, r, width)
	code := st.OK.Render(tr(t.ExitCodeFmt, r.ExitCode))
	if r.ExitCode != 0 {
		code = st.Fail.Render(tr(t.ExitCodeFmt, r.ExitCode)) + st.Dim.Render(" · "+t.ExecFailedNote)
	}
	lines = append(lines, code)
	return strings.Join(lines, "\n")
}

// execLines is what a command printed (its first lines of each stream).
func execLines(st *Styles, r *docker.ExecResult, width int) []string {
	var lines []string
	out := strings.TrimRight(r.Stdout, "\n")
	errs := strings.TrimRight(r.Stderr, "\n")
	for i, l := range strings.Split(out, "\n") {
		if out == "" || i >= 8 {
			break
		}
		lines = append(lines, ansi.Truncate(l, width, "…"))
	}
	for i, l := range strings.Split(errs, "\n") {
		if errs == "" || i >= 8 {
			break
		}
		lines = append(lines, st.Fail.Render(ansi.Truncate(l, width, "…")))
	}
	return lines
}

func diffView(st *Styles, w docker.WritableLayer, width int, empty string) string {
	if len(w.Changes) == 0 {
		return st.Dim.Render(empty)
	}
	var lines []string
	for _, ch := range w.Changes {
		lines = append(lines, ansi.Truncate(changeStyle(st, ch.Kind).Render(ch.Kind.Letter())+" "+ch.Path, width, "…"))
	}
	return strings.Join(lines, "\n")
}
