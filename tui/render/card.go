package render

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockerfile"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// Painter draws the cards in the learner's language and the theme's styles.
type Painter struct {
	T  *i18n.Strings
	St *Styles
	// Keys are the names of the keys a card offers (enter, e, esc, f, h).
	Keys Keys
	// Now is the clock the tables' "2 minutes ago" are read against.
	Now func() time.Time
	// Mirror stands in for Docker Hub; Home is shown as ~ in paths;
	// SecondSession is the classroom's ssh command for exercises.
	Mirror, Home, SecondSession string
	// Bar draws a pull's progress, a fraction in width cells (the screen's
	// progress bar; nil: a plain one); Spinner is the running spinner's frame.
	Bar     func(frac float64, width int) string
	Spinner string
}

// PlainBar is a progress bar of █ and ░, width cells wide.
func PlainBar(frac float64, width int) string {
	n := min(max(int(frac*float64(width)+0.5), 0), width)
	return strings.Repeat("█", n) + strings.Repeat("░", width-n)
}

// Keys are the names of the keys a card offers.
type Keys struct{ Run, Edit, Cancel, Force, Hint, OpenLine string }

// Card is one step as its card shows it: the step, its state, and what of
// the learner's work and the daemon's picture it names.
type Card struct {
	Lesson *lessons.Lesson
	Step   *lessons.Step
	// State is the step's state (nil: not run).
	State *engine.StepState
	// Names are the session's: the names the steps use (a learner's own
	// name taken is replaced), the images and containers it refers to.
	Names    *engine.Session
	Selected bool
	// Edit is the step's command being edited (nil: it is not).
	Edit *Edit
	// CanForce: f would force this failed removal.
	CanForce bool
	// OpenFile and OpenLine: o would open this failed build's Dockerfile
	// (relative to the workspace) at the step that failed.
	OpenFile string
	OpenLine int
	// Picture is the daemon's images and containers now; Writable the
	// lesson containers' writable layers, by name.
	Picture  engine.TableShot
	Writable map[string]docker.WritableLayer
	// Files are the lesson's Dockerfiles by path in the workspace; Drafts
	// those with the learner's unsaved edits waiting in the editor.
	Files  map[string]string
	Drafts map[string]bool
	// Streamed: a build's progress was printed line by line as it came
	// (plain mode); its card says only the context and how it ended.
	Streamed bool
	// GoneStep, for a step in a container, is the number of the run step
	// that starts it again when the container is not on the daemon any
	// more (0: it is there).
	GoneStep int
	// UnstartedStep, for a step in a container that was never made, is the
	// number of the run step that makes it (UnstartedFailed: it ran and
	// failed).
	UnstartedStep   int
	UnstartedFailed bool
	// RemovedStep: an rm step of this lesson (its number) removed the
	// container on purpose; the cards say so, not "start it again".
	RemovedStep int
}

// Edit is a step's command being edited: the input as drawn, and its text.
type Edit struct{ View, Value string }

func (c Card) state() *engine.StepState {
	if c.State == nil {
		return &engine.StepState{}
	}
	return c.State
}

// Card draws one step: title, the command it runs, its state and output.
func (p Painter) Card(c Card, width int) string {
	st, s, selected := c.Step, c.state(), c.Selected
	box := p.St.Card
	if selected {
		box = p.St.CardSelected
	}
	inner := max(width-box.GetHorizontalFrameSize(), 10)
	title := st.Title
	if title == "" {
		title = string(st.Kind)
	}
	var b []string
	// A long title wraps to a second line (cut only past that), at its words.
	head := strings.Split(strings.TrimRight(wrapKeep(lipgloss.NewStyle().Width(inner), tr(p.T.StepFmt, st.Index+1, title)), " \n"), "\n")
	if len(head) > 2 {
		head = []string{head[0], head[1] + " " + strings.Join(head[2:], " ")}
	}
	for _, h := range head {
		b = append(b, p.St.CardTitle.Render(ansi.Truncate(strings.TrimRight(h, " "), inner, "…")))
	}
	cmdLine := p.CommandLine(c)
	if selected && c.Edit != nil {
		b = append(b, c.Edit.View)
		if rule := i18n.EditRule(p.T, engine.ValidateEdit(st.Kind, c.Edit.Value)); rule != "" {
			b = append(b, lipgloss.NewStyle().Width(inner).Render(p.St.Warn.Render("! "+rule)))
		}
		b = append(b, p.St.Dim.Render(p.T.EditHint))
	} else {
		// A long command wraps: it is the thing to read and type.
		b = append(b, lipgloss.NewStyle().Width(inner).Render(p.St.Command.Render(cmdLine)))
		b = append(b, p.statusLine(c, inner))
	}
	if note := i18n.NoteText(p.T, s); note != "" {
		b = append(b, lipgloss.NewStyle().Width(inner).Render(p.St.Warn.Render(note)))
	}
	if r := i18n.RenamedText(p.T, s); r != "" {
		b = append(b, lipgloss.NewStyle().Width(inner).Render(p.St.Warn.Render(r)))
	}
	if out := p.Output(c, inner); out != "" {
		b = append(b, out)
	}
	return cardBox(box, b, width)
}

// cardBox is box.Width(width).Render of the card's lines, drawn directly
// when every line fits inside the box as it is (lipgloss would measure and
// wrap each line again, and each of a running pull's pictures draws its
// card): the same cells, the same border and its colour.
func cardBox(box lipgloss.Style, parts []string, width int) string {
	text := strings.Join(parts, "\n")
	bd := box.GetBorderStyle()
	padL, padR := box.GetPaddingLeft(), box.GetPaddingRight()
	inner := width - 2 - padL - padR
	if inner < 1 || box.GetPaddingTop() != 0 || box.GetPaddingBottom() != 0 || box.GetMarginLeft() != 0 || box.GetMarginRight() != 0 ||
		box.GetMarginTop() != 0 || box.GetMarginBottom() != 0 || !box.GetBorderTop() || !box.GetBorderBottom() || !box.GetBorderLeft() || !box.GetBorderRight() ||
		strings.ContainsAny(text, "\t\r") || ansi.StringWidth(bd.Top) != 1 || ansi.StringWidth(bd.Left) != 1 || ansi.StringWidth(bd.Right) != 1 || ansi.StringWidth(bd.Bottom) != 1 {
		return box.Width(width).Render(text)
	}
	lines := strings.Split(text, "\n")
	widths := make([]int, len(lines))
	for i, l := range lines {
		if widths[i] = ansi.StringWidth(l); widths[i] > inner {
			return box.Width(width).Render(text)
		}
	}
	edge := lipgloss.NewStyle().Foreground(box.GetBorderTopForeground())
	left, right := edge.Render(bd.Left)+strings.Repeat(" ", padL), strings.Repeat(" ", padR)+edge.Render(bd.Right)
	var b strings.Builder
	b.Grow(len(text) + len(lines)*(len(left)+len(right)+8) + 2*width*4)
	b.WriteString(edge.Render(bd.TopLeft + strings.Repeat(bd.Top, width-2) + bd.TopRight))
	for i, l := range lines {
		b.WriteByte('\n')
		b.WriteString(left)
		b.WriteString(l)
		b.WriteString(strings.Repeat(" ", inner-widths[i]))
		b.WriteString(right)
	}
	b.WriteByte('\n')
	b.WriteString(edge.Render(bd.BottomLeft + strings.Repeat(bd.Bottom, width-2) + bd.BottomRight))
	return b.String()
}

// CommandLine is the card's command line: "$ " and the command, or for a
// tarlist step what layerlab reads (no command prints what it shows).
func (p Painter) CommandLine(c Card) string {
	if c.Step.Kind == lessons.KindTarList {
		return p.Command(c)
	}
	return "$ " + p.Command(c)
}

// Command is the step as a learner types it.
func (p Painter) Command(c Card) string {
	l, st := c.Lesson, c.Step
	switch st.Kind {
	case lessons.KindPull:
		return "docker pull " + c.Names.Ref(l, st)
	case lessons.KindImages:
		return strings.TrimSpace("docker images " + st.Arg)
	case lessons.KindHistory:
		return "docker history " + c.Names.Named(st.Arg)
	case lessons.KindAppend:
		return lessons.AppendCommand(st.Text, st.Arg)
	case lessons.KindPs:
		return "docker ps -a"
	case lessons.KindRun:
		v := ""
		if st.Volume != "" {
			src, target, bind := st.VolumeParts()
			if !bind {
				src = c.Names.Vol(src)
			}
			v = "-v " + src + ":" + target + " "
		}
		return "docker run -dit --name " + c.Names.Ctr(st.Name) + " " + v + c.Names.Named(st.Arg)
	case lessons.KindVolume:
		return "docker volume create " + c.Names.Vol(st.Arg)
	case lessons.KindVolumes:
		return "docker volume ls"
	case lessons.KindRmVolume:
		return "docker volume rm " + c.Names.Vol(st.Arg)
	case lessons.KindExec:
		return "docker exec " + c.Names.Ctr(st.Arg) + " sh -c " + shellQuote(c.Names.Ref(l, st))
	case lessons.KindDiff:
		return "docker diff " + c.Names.Ctr(st.Arg)
	case lessons.KindCommit:
		return "docker commit " + c.Names.Ctr(st.Arg) + " " + c.Names.Ref(l, st)
	case lessons.KindTag:
		return "docker tag " + c.Names.Named(st.Arg) + " " + c.Names.Ref(l, st)
	case lessons.KindRm:
		return "docker rm -f " + c.Names.Ctr(st.Arg)
	case lessons.KindDockerfile:
		return tr(p.T.EditFileFmt, st.Arg) // no docker command: the learner's editor
	case lessons.KindCheck:
		if p.SecondSession != "" {
			return tr(p.T.Ex.CmdSessionFmt, p.SecondSession)
		}
		return p.T.Ex.Cmd
	case lessons.KindBuild:
		return p.buildCommand(c)
	case lessons.KindStart:
		return "docker run --rm " + c.Names.Named(st.Arg)
	case lessons.KindTarList:
		return tr(p.T.Arch.ListFmt, c.Step.Arg)
	case lessons.KindSave, lessons.KindLoad:
		return archiveCommand(c)
	case lessons.KindRmi:
		flag, target := "", c.Names.RmiTarget(l, st, c.Picture.Images)
		if s := c.Names.Steps[engine.StepKey{Lesson: l.ID, Index: st.Index}]; s != nil && s.Target != "" {
			target = s.Target
			if s.Forced {
				flag = "-f "
			}
		}
		if target == "" {
			return "docker rmi " + flag + "<none>  " + p.T.RmiNoIDYet
		}
		return "docker rmi " + flag + target
	}
	return string(st.Kind)
}

// buildCommand is the step as a learner types it, paths relative to the workspace.
func (p Painter) buildCommand(c Card) string {
	l, st := c.Lesson, c.Step
	parts := []string{"docker build"}
	if st.Builder == "classic" {
		parts[0] = "DOCKER_BUILDKIT=0 docker build" // the legacy builder, as the CLI still runs it
	}
	if t := c.Names.Ref(l, st); t != "" {
		parts = append(parts, "-t "+t)
	}
	if st.File != "" {
		parts = append(parts, "-f "+st.File)
	}
	return strings.Join(append(parts, st.Arg), " ")
}

// shellQuote quotes a command for display the way a learner would type it.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

func (p Painter) statusLine(c Card, width int) string {
	st, s, selected := c.Step, c.state(), c.Selected
	var keys string
	if selected {
		// What enter does on this card, as the footer says it.
		run := p.T.StepRunHint
		switch st.Kind {
		case lessons.KindDockerfile:
			run = p.T.DF.OpenHint
		case lessons.KindCheck:
			run = p.T.Ex.CheckNow
		case lessons.KindRun:
			if s.Gone && c.RemovedStep == 0 {
				run = p.T.RunAgainHint
			}
		}
		keys = p.St.Key.Render(p.Keys.Run) + " " + run
		if engine.Editable(st.Kind) {
			keys += "  " + p.St.Key.Render(p.Keys.Edit) + " " + p.T.StepEditHint
		}
		if s.Status == engine.Running && (st.Kind == lessons.KindPull || st.Kind == lessons.KindBuild) {
			keys = p.St.Key.Render(p.Keys.Cancel) + " " + p.T.KeyCancel
		}
	}
	var state string
	switch {
	case s.Gone && c.RemovedStep > 0:
		state = p.St.Dim.Render(tr(p.T.StepRemovedFmt, c.RemovedStep))
	case s.Gone:
		// Done once, but its container is not on the daemon any more.
		state = p.St.Warn.Render(p.T.StepGone)
	case s.Status == engine.Idle:
		state = p.St.Dim.Render(p.T.StepIdle)
		if st.Kind == lessons.KindCheck {
			state = p.St.Running.Render(p.T.Ex.Waiting)
		}
	case s.Status == engine.Running:
		state = p.St.Running.Render(p.Spinner + " " + p.T.StepRunning)
	case s.Status == engine.Done:
		d := ""
		if s.Elapsed > 0 {
			d = fmt.Sprintf("%.1f s", s.Elapsed.Seconds())
		}
		state = p.St.OK.Render(strings.TrimSpace(tr(p.T.StepDoneFmt, d)))
	case s.Status == engine.Failed:
		state = p.St.Fail.Render(p.T.StepFailed)
		if docker.KindOf(s.Err) == docker.KindCanceled {
			state = p.St.Warn.Render(p.T.StepCancelled)
		}
	}
	gap := width - lipgloss.Width(keys) - lipgloss.Width(state)
	if gap < 1 {
		return keys + " " + state
	}
	return keys + strings.Repeat(" ", gap) + state
}

// Output is what the step printed, as its card shows it under its command.
func (p Painter) Output(c Card, width int) string {
	st, s := c.Step, c.state()
	if st.Kind == lessons.KindAppend {
		return p.appendView(c, width)
	}
	if s.Err != nil && (s.Status == engine.Failed || s.Expected) {
		return p.stepErrorView(c, width)
	}
	switch st.Kind {
	case lessons.KindPull:
		if s.Status == engine.Running || s.Status == engine.Done {
			return p.pullView(s, width)
		}
	case lessons.KindImages:
		// The daemon's answer to the step's own read; a step done in an
		// earlier session kept none, and shows no list (not the screen's).
		if s.Status == engine.Done && s.Table != nil {
			// docker images REPO: only that repository's rows (REPO:TAG: that one).
			return ImagesTable(engine.ImagesOf(s.Table.Images, st.Arg), s.Table.Pulled, p.tableNow(s.Table), width, p.St, p.T.TableEmptyImages, p.T.TableRestFmt)
		}
	case lessons.KindHistory:
		if s.Status == engine.Done {
			return HistoryTable(s.History, p.Now(), width, p.St, p.T.TableEmptyImages, p.T.TableRestFmt)
		}
	case lessons.KindPs:
		if s.Status == engine.Done && s.Table != nil {
			return ContainersTable(s.Table.Containers, p.tableNow(s.Table), width, p.St, p.T.TableEmptyContainers, p.T.TableRestFmt, p.T.TableBlankFmt)
		}
	case lessons.KindExec:
		if (s.Status == engine.Done || s.Status == engine.Failed) && s.Exec != nil {
			if c.GoneStep > 0 {
				// What it printed stays; the container is not there any
				// more, whatever the exit code said of it then.
				out := strings.Join(ExecLines(p.St, s.Exec, width), "\n")
				return out + "\n" + p.goneNote(c, st.Arg, width)
			}
			return ExecView(p.T, p.St, s.Exec, width)
		}
	case lessons.KindDiff:
		if s.Status == engine.Done && c.GoneStep > 0 {
			// No container, no writable layer: not "empty".
			return p.goneNote(c, st.Arg, width)
		}
		if s.Status == engine.Done {
			return DiffView(p.St, c.Writable[c.Names.Ctr(st.Arg)], width, p.T.DiffEmpty)
		}
	case lessons.KindRun:
		if s.Gone {
			return p.goneView(c, width)
		}
		if s.Status == engine.Done {
			name := c.Names.Ctr(st.Name)
			id := c.Writable[name].Container.ID
			if id == "" {
				id = s.ContainerID
			}
			for _, ct := range c.Picture.Containers {
				if id == "" && ct.Name == name {
					id = ct.ID // a step done in an earlier session: the daemon's
				}
			}
			out := lipgloss.NewStyle().Width(width).Render(p.St.OK.Render(tr(p.T.RunDoneFmt, name, docker.ShortID(id), c.Names.Named(st.Arg))))
			for _, m := range s.Mounts {
				line := tr(p.T.Vol.MountVolumeFmt, m.Volume, m.Target, m.Volume, m.Target)
				if m.Bind() {
					src, _, _ := st.VolumeParts()
					line = tr(p.T.Vol.MountFolderFmt, src, m.Target, p.displayPath(m.Source), m.Target)
				}
				out += "\n" + wrapPath(lipgloss.NewStyle().Width(width), p.St.OK.Render(line))
			}
			return out
		}
	case lessons.KindVolume:
		if s.Status == engine.Done && s.Volume != nil {
			return lipgloss.NewStyle().Width(width).Render(s.Volume.Name + "\n" + p.St.OK.Render(tr(p.T.Vol.CreatedFmt, s.Volume.Name)))
		}
	case lessons.KindVolumes:
		if s.Status == engine.Done && s.Table != nil {
			return VolumesTable(s.Table.Volumes, width, p.St, p.T.Vol.TableEmpty)
		}
	case lessons.KindRmVolume:
		if s.Status == engine.Done {
			name := c.Names.Vol(st.Arg)
			return lipgloss.NewStyle().Width(width).Render(name + "\n" + p.St.OK.Render(tr(p.T.Vol.RemovedFmt, name)))
		}
	case lessons.KindDockerfile:
		return p.DockerfileCard(c, width)
	case lessons.KindCheck:
		return p.exerciseView(c, width)
	case lessons.KindBuild:
		return p.buildView(c, width)
	case lessons.KindStart:
		if s.Status == engine.Done && s.Exec != nil {
			return ExecView(p.T, p.St, s.Exec, width)
		}
	case lessons.KindRmi:
		if s.Status == engine.Done && s.Removed != nil {
			return p.removeOutput(s.Removed, width)
		}
	case lessons.KindSave, lessons.KindTarList, lessons.KindLoad:
		if s.Status == engine.Done {
			return p.archiveOutput(c, width)
		}
	case lessons.KindTag:
		if s.Status == engine.Done && s.Tagged != nil {
			return lipgloss.NewStyle().Width(width).Render(p.St.OK.Render(tr(p.T.TagDoneFmt,
				s.Tagged.Target.String(), st.Arg, docker.ShortID(s.Tagged.ImageID))))
		}
	case lessons.KindRm:
		if s.Status == engine.Done {
			return lipgloss.NewStyle().Width(width).Render(p.St.OK.Render(tr(p.T.RmDoneFmt, c.Names.Ctr(st.Arg))))
		}
	case lessons.KindCommit:
		if s.Status == engine.Done && s.Commit != nil {
			return p.commitView(c, width)
		}
	}
	return ""
}

// appendView is an append step's outcome: the file changed (its lines and
// bytes now), or why it was not.
func (p Painter) appendView(c Card, width int) string {
	s := c.state()
	wrap := lipgloss.NewStyle().Width(width)
	switch {
	case s.Status == engine.Failed && s.Err != nil:
		return wrapKeep(wrap, p.St.Fail.Render("✗ "+i18n.FileErrText(p.T, c.Step.Arg, s.Err)))
	case s.Status == engine.Done && s.Appended != nil:
		a := s.Appended
		return wrapKeep(wrap, p.St.OK.Render(tr(p.T.AppendDoneFmt, a.File, a.Line, a.Lines, HumanSize(a.Size))))
	}
	return ""
}

// goneView is a run step whose container is not on the daemon any more: it
// says so (its status line says what enter does now: start it again).
func (p Painter) goneView(c Card, width int) string {
	if c.RemovedStep > 0 {
		return wrapKeep(lipgloss.NewStyle().Width(width), p.St.Dim.Render(tr(p.T.RemovedByFmt, c.Names.Ctr(c.Step.Name), c.RemovedStep)))
	}
	return lipgloss.NewStyle().Width(width).Render(p.St.Warn.Render(tr(p.T.RunGoneFmt, c.Names.Ctr(c.Step.Name))))
}

// goneNote is an exec or diff card's note that its container is gone:
// removed on purpose by a step of this lesson, or else which step starts
// it again.
func (p Painter) goneNote(c Card, ctr string, width int) string {
	if c.RemovedStep > 0 {
		return wrapKeep(lipgloss.NewStyle().Width(width), p.St.Dim.Render(tr(p.T.RemovedByFmt, c.Names.Ctr(ctr), c.RemovedStep)))
	}
	return wrapKeep(lipgloss.NewStyle().Width(width), p.St.Warn.Render(tr(p.T.ContainerGoneFmt, c.Names.Ctr(ctr), c.GoneStep)))
}

// pullView draws one progress bar per layer, then the totals or the summary.
func (p Painter) pullView(s *engine.StepState, width int) string {
	pp := s.Progress
	var lines []string
	barW := max(min(width-12-20, 30), 6)
	bar := p.Bar
	if bar == nil {
		bar = PlainBar
	}
	for _, l := range pp.Layers {
		status := p.phaseName(l.Phase)
		if (l.Phase == docker.PhaseDownloading || l.Phase == docker.PhaseExtracting) && l.Total > 0 {
			status += fmt.Sprintf(" %s/%s", HumanSize(l.Current), HumanSize(l.Total))
		}
		line := fmt.Sprintf("%-12s %s %s", l.ID, bar(l.Fraction(), barW), status)
		if l.Phase == docker.PhaseExists {
			line = fmt.Sprintf("%-12s %s %s", l.ID, strings.Repeat("═", barW), p.St.Shared.Render(status))
		}
		lines = append(lines, ansi.Truncate(line, width, "…"))
	}
	done, total := pp.Bytes()
	switch {
	case s.Status == engine.Running:
		lines = append(lines, p.St.Dim.Render(ansi.Truncate(tr(p.T.PullTotalFmt, HumanSize(done), HumanSize(total), HumanSize(int64(s.Rate)))+" · "+p.T.PullCancelHint, width, "…")))
	case s.Result != nil:
		fin, existed, all := pp.Counts()
		_ = fin
		var sum string
		switch {
		case s.Result.Offline:
			where := "Docker Hub"
			if p.Mirror != "" {
				where = p.Mirror
			}
			sum = tr(p.T.Doc.OfflineFmt, where)
		case pp.UpToDate && s.Result.TagExisted && s.Result.PreviousID == s.Result.ImageID:
			sum = tr(p.T.PullUpToDateFmt, s.Result.Ref.String())
		case pp.UpToDate:
			// The name is new (or moved), but every layer was on disk already.
			sum = tr(p.T.PullLayersHereFmt, s.Result.Ref.String())
		default:
			sum = tr(p.T.PullDoneFmt, s.Result.Ref.String(), all, all-existed, existed)
		}
		if s.Result.From != s.Result.Ref.Full() && !s.Result.Offline {
			sum += " " + tr(p.T.PullMirrorFmt, p.Mirror)
		}
		wrap := lipgloss.NewStyle().Width(width)
		lines = append(lines, wrapKeep(wrap, p.St.OK.Render(sum)))
		if pp.Digest != "" {
			lines = append(lines, p.St.Dim.Render(ansi.Truncate("Digest: "+pp.Digest, width, "…")))
		}
		if existed > 0 {
			lines = append(lines, wrapKeep(wrap, p.St.Shared.Render(p.T.PullExisted)))
		}
		if r := s.Result; r.TagExisted && r.PreviousID != "" && r.ImageID != "" && docker.ShortID(r.PreviousID) != docker.ShortID(r.ImageID) {
			// The registry's tag moved: the image it named here before
			// lost the name (dangling, when it had no other).
			moved := tr(p.T.PullMovedFmt, r.Ref.String(), docker.ShortID(r.PreviousID))
			if r.PreviousDangling {
				moved = tr(p.T.PullMovedDanglingFmt, r.Ref.String(), docker.ShortID(r.PreviousID))
			}
			lines = append(lines, wrap.Render(p.St.Warn.Render(moved)))
		}
		if all > 0 && !s.Result.Offline {
			// The card's ids are the downloads'; the panel's are the layers'.
			lines = append(lines, wrap.Render(p.St.Dim.Render(p.T.PullIDsNote)))
		}
	}
	return strings.Join(lines, "\n")
}

// PullKey is what a running pull's card shows of its state, as a string:
// two states with the same key draw the same card (the bars' filled cells,
// the phases and sizes, the totals, the spinner's frame), so a new picture
// of the pull with the key of the last one drawn need not be drawn. It also
// holds what the layers panel shows of the pull (each layer's percent and
// phase). "" for a card that is not a running pull's.
func (p Painter) PullKey(c Card, width int) string {
	s := c.State
	if s == nil || s.Status != engine.Running || c.Step.Kind != lessons.KindPull || c.Edit != nil || s.Err != nil {
		return ""
	}
	box := p.St.Card
	if c.Selected {
		box = p.St.CardSelected
	}
	inner := max(width-box.GetHorizontalFrameSize(), 10)
	barW := max(min(inner-12-20, 30), 6)
	var b strings.Builder
	done, total := s.Progress.Bytes()
	fmt.Fprintf(&b, "%s|%d|%t|%s|%s|%s|%s|%s|%s", c.Step.Title, width, c.Selected, p.Spinner, i18n.NoteText(p.T, s), i18n.RenamedText(p.T, s),
		HumanSize(done), HumanSize(total), HumanSize(int64(s.Rate)))
	for _, l := range s.Progress.Layers {
		f := l.Fraction()
		fmt.Fprintf(&b, "|%s %d %d %d", l.ID, l.Phase, int(math.Round(float64(barW)*f)), int(f*100))
		if (l.Phase == docker.PhaseDownloading || l.Phase == docker.PhaseExtracting) && l.Total > 0 {
			b.WriteString(" " + HumanSize(l.Current) + "/" + HumanSize(l.Total))
		}
		if l.Phase == docker.PhaseComplete {
			b.WriteString(" " + HumanSize(l.Size))
		}
	}
	return b.String()
}

func (p Painter) phaseName(ph docker.Phase) string {
	switch ph {
	case docker.PhaseDownloading:
		return p.T.PhaseDownloading
	case docker.PhaseVerifying:
		return p.T.PhaseVerifying
	case docker.PhaseDownloaded:
		return p.T.PhaseDownloaded
	case docker.PhaseExtracting:
		return p.T.PhaseExtracting
	case docker.PhaseComplete:
		return p.T.PhaseComplete
	case docker.PhaseExists:
		return p.T.PhaseExists
	}
	return p.T.PhaseWaiting
}

// commitView is a commit's outcome: the new image on its base, or that it
// saved nothing, and a tag it moved.
func (p Painter) commitView(c Card, width int) string {
	st, s := c.Step, c.state()
	wrap := lipgloss.NewStyle().Width(width)
	base := c.Writable[c.Names.Ctr(st.Arg)].Container.Image
	if base == "" {
		// The container is gone (x, or the learner's docker rm): the
		// commit's own record of its base.
		base = s.Commit.Base
	}
	done := tr(p.T.CommitDoneFmt, s.Commit.Ref.String(), docker.ShortID(s.Commit.ImageID), base)
	switch {
	case s.Commit.NoLayer:
		done = tr(p.T.CommitNoLayerFmt, s.Commit.Ref.String(), docker.ShortID(s.Commit.ImageID), base)
	case s.Commit.Empty:
		done = tr(p.T.CommitEmptyFmt, s.Commit.Ref.String(), docker.ShortID(s.Commit.ImageID), base)
	}
	out := wrapKeep(wrap, p.St.OK.Render(done))
	if s.Commit.PreviousID != "" && s.Commit.PreviousID != s.Commit.ImageID {
		out += "\n" + wrapKeep(wrap, p.St.Warn.Render(tr(p.T.CommitTagMoved, s.Commit.Ref.String(), docker.ShortID(s.Commit.PreviousID))))
	}
	return out
}

// stepErrorView is a failed step (or the failure its lesson meant): what
// it printed before, the explanation, and f when force would do.
func (p Painter) stepErrorView(c Card, width int) string {
	l, st, s := c.Lesson, c.Step, c.state()
	ref := c.Names.Ref(l, st)
	if docker.KindOf(s.Err) == docker.KindNotFound && (st.Kind == lessons.KindExec || st.Kind == lessons.KindDiff || st.Kind == lessons.KindCommit) {
		ref = c.Names.Ctr(st.Arg) // what is not there is the container, not the command or the new image
	}
	x := i18n.Explain(p.T, s.Err, ref, p.Mirror)
	if docker.KindOf(s.Err) == docker.KindNoAnswer {
		x = i18n.NoAnswer(p.T) // the daemon said nothing: no "Docker said"
	}
	if st.Kind == lessons.KindBuild {
		x = p.withAnalysis(c, s.Err, x)
	}
	if docker.KindOf(s.Err) == docker.KindNotFound && c.UnstartedStep > 0 {
		// The container was never made: the step that makes it is what to do.
		f := p.T.UnstartedFmt
		if c.UnstartedFailed {
			f = p.T.UnstartedFailedFmt
		}
		x.Todo = append([]string{tr(f, c.Names.Ctr(st.Arg), c.UnstartedStep)}, x.Todo...)
	}
	box := p.St.ErrorBox
	if s.Expected {
		x.Title, x.Expected = p.T.ExpectedPrefix+x.Title, true
		box = p.St.ExpectedBox
	}
	out := RenderExplanation(x, p.T, p.St, width, box)
	if st.Kind == lessons.KindBuild {
		out = p.buildView(c, width) + "\n" + out
	}
	if s.Exec != nil && (st.Kind == lessons.KindExec || st.Kind == lessons.KindStart) {
		// What the command printed before it was cut off is kept.
		if lines := ExecLines(p.St, s.Exec, width); len(lines) > 0 {
			out = strings.Join(lines, "\n") + "\n" + out
		}
	}
	if c.CanForce && c.Selected {
		out += "\n" + lipgloss.NewStyle().Width(width).Render(p.St.Key.Render(p.Keys.Force)+" "+p.forceHint(s.Err))
	}
	if c.OpenFile != "" && c.Selected {
		out += "\n" + lipgloss.NewStyle().Width(width).Render(p.St.Key.Render(p.Keys.OpenLine)+" "+tr(p.T.DF.OpenLineFmt, c.OpenLine, c.OpenFile))
	}
	return out
}

// forceHint says what `docker rmi -f` will do here: it depends on whether the
// container runs and on the engine's image store (each case tested on both
// engines: TestForcedRemovalDoesWhatTheHintSays).
func (p Painter) forceHint(err error) string {
	var de *docker.Error
	switch {
	case !errors.As(err, &de):
		return p.T.ForceHint
	case de.Conflict == docker.ConflictRunning:
		return p.T.ForceHintRunning
	case de.ContainerdStore:
		return p.T.ForceHintContainerd
	}
	return p.T.ForceHint
}

// withAnalysis adds what the analyzer knows about the line a Dockerfile error
// names (the builder says "unknown instruction: RUM"; the analyzer knows RUN).
func (p Painter) withAnalysis(c Card, err error, x i18n.Explanation) i18n.Explanation {
	st := c.Step
	var de *docker.Error
	if !errors.As(err, &de) || de.Kind != docker.KindDockerfile || de.Line == 0 {
		return x
	}
	files := engine.DockerfilesOf(st)
	text, ok := c.Files[files[0]]
	if !ok {
		return x
	}
	for _, n := range dockerfile.Analyze(text).NotesAt(de.Line) {
		if n.Kind.Severity() == dockerfile.SeverityError {
			x.Todo = append([]string{p.NoteText(n)}, x.Todo...)
		}
	}
	return x
}

// buildView is a build step's card output: the context sent, then each step
// as the builder ran it, with its image, cache hit and output.
func (p Painter) buildView(c Card, width int) string {
	l, st, s := c.Lesson, c.Step, c.state()
	d := p.T.DF
	bp := s.Build
	if bp == nil {
		return ""
	}
	wrap := lipgloss.NewStyle().Width(width)
	var lines []string
	ctx0 := bp.Context
	if ctx0.Dir != "" {
		ctx := tr(d.ContextFmt, p.displayPath(ctx0.Dir), ctx0.Files, HumanSize(ctx0.Size))
		if ctx0.Ignored > 0 {
			ctx += tr(d.IgnoredFmt, ctx0.Ignored)
		}
		lines = append(lines, strings.Split(wrapPath(wrap, p.St.Dim.Render(ctx)), "\n")...)
		if !ctx0.DockerfileInContext && ctx0.Dockerfile != "" {
			lines = append(lines, ansi.Truncate(p.St.Dim.Render(tr(d.ContextOutsideFmt, p.displayPath(ctx0.Dockerfile))), width, "…"))
		}
		// What the build will not find, said before the daemon is asked.
		for _, m := range ctx0.Missing {
			var w string
			switch m.Why {
			case docker.SourceIgnored:
				w = tr(d.CardIgnoredFmt, m.Line, m.Source, m.Rule)
			case docker.SourceOutside:
				w = tr(d.CardOutsideFmt, m.Line, m.Source, m.Path)
			default:
				w = tr(d.CardAbsentFmt, m.Line, m.Source, m.Path)
			}
			lines = append(lines, strings.Split(wrapKeep(wrap, p.St.Warn.Render(w)), "\n")...)
		}
	}
	cached := 0
	if bp.BuildKit {
		if !c.Streamed {
			lines = append(lines, p.buildKitLines(bp, s.Status == engine.Running, width)...)
		}
		for _, bs := range bp.Steps {
			if bs.Cached {
				cached++
			}
		}
	}
	if bp.Buildah && !c.Streamed {
		lines = append(lines, p.buildahLines(bp, s.Status == engine.Running, width)...)
	}
	for i, bs := range bp.Steps {
		if bp.BuildKit {
			break // drawn as BuildKit's vertices above
		}
		if bp.Buildah {
			if bs.Cached {
				cached++
			}
			continue // drawn as Podman prints them above
		}
		if c.Streamed {
			if bs.Cached {
				cached++
			}
			continue
		}
		mark := p.St.Running.Render(d.StepRunning)
		switch {
		case bs.Done && bs.Cached:
			mark = p.St.Shared.Render(d.StepCache)
			cached++
		case bs.Done && i == 0:
			mark = p.St.Dim.Render(d.EffectBase)
		case bs.Done:
			mark = p.St.New.Render(d.StepNew)
		case s.Status != engine.Running:
			mark = p.St.Fail.Render("✗")
		}
		id := ""
		if bs.ImageID != "" {
			id = "→ " + bs.ImageID
		}
		right := p.St.Dim.Render(id) + " " + mark
		head := fmt.Sprintf("%d/%d %s", bs.Index, bs.Total, bs.Instruction)
		lines = append(lines, ansi.Truncate(head, max(width-lipgloss.Width(right)-1, 8), "…")+" "+right)
		out := bs.Output
		if len(out) > 4 {
			// The card keeps the last lines, and says how many it hides.
			lines = append(lines, p.St.Dim.Render(ansi.Truncate("   │ "+tr(d.EarlierLinesFmt, len(out)-4), width, "…")))
			out = out[len(out)-4:]
		}
		for _, o := range out {
			lines = append(lines, p.St.Dim.Render(ansi.Truncate("   │ "+o, width, "…")))
		}
	}
	if s.Status == engine.Done && s.BuildRes != nil && s.BuildRes.ImageID != "" {
		sum := tr(d.BuildDoneFmt, docker.ShortID(s.BuildRes.ImageID), len(bp.Steps), cached)
		if t := c.Names.Ref(l, st); t != "" {
			sum += tr(d.BuildTaggedFmt, t)
		} else {
			sum += d.BuildUntagged
		}
		lines = append(lines, strings.Split(wrapKeep(wrap, p.St.OK.Render(sum)), "\n")...)
	}
	return strings.Join(lines, "\n")
}

// buildKitLines draw a BuildKit build as docker build --progress=plain
// prints it, read from what its own printer printed: each thing BuildKit did
// as "#N NAME", numbered as the CLI numbers them (FROM first, the numbers
// rising down the card), its lines (output with its seconds, the last few;
// sub-tasks), then how it ended (CACHED, DONE 0.4s, ERROR: …), last, in
// Docker's own words, each on its line as the CLI prints it (only the
// blank line between vertices is left out).
func (p Painter) buildKitLines(bp *docker.BuildProgress, running bool, width int) []string {
	var lines []string
	dim := func(s string) string { return p.St.Dim.Render(ansi.Truncate(s, width, "…")) }
	ended := func(end string) string {
		switch {
		case strings.HasPrefix(end, "ERROR"), end == "CANCELED":
			return p.St.Fail.Render(end)
		case end == "CACHED":
			return p.St.Shared.Render(end)
		}
		return p.St.New.Render(end)
	}
	vs, _ := docker.PrintedVertices(bp.Printed)
	for _, v := range vs {
		n := fmt.Sprintf("#%d ", v.Number)
		var right string
		if v.End == "" && running {
			right = p.St.Running.Render(p.T.DF.StepRunning)
		}
		if right != "" {
			lines = append(lines, ansi.Truncate(n+v.Name, max(width-lipgloss.Width(right)-1, 8), "…")+" "+right)
		} else {
			lines = append(lines, ansi.Truncate(n+v.Name, width, "…"))
		}
		out := v.Lines
		if len(out) > 4 {
			lines = append(lines, dim(n+tr(p.T.DF.EarlierLinesFmt, len(out)-4)))
			out = out[len(out)-4:]
		}
		for _, l := range out {
			lines = append(lines, dim(n+l))
		}
		if v.End != "" {
			lines = append(lines, ansi.Truncate(p.St.Dim.Render(n)+ended(v.End), width, "…"))
		}
	}
	return lines
}

// buildahLines draw a build of Podman's builder as podman build prints it:
// "STEP 2/4: COPY …", the step's output (the last few lines), "--> Using
// cache ID" and "--> ID" (the image the step made), "COMMIT name", up to the
// final "--> ID" (the summary below says the rest).
func (p Painter) buildahLines(bp *docker.BuildProgress, running bool, width int) []string {
	var lines, out []string
	flush := func() {
		if len(out) > 4 {
			lines = append(lines, p.St.Dim.Render(ansi.Truncate(tr(p.T.DF.EarlierLinesFmt, len(out)-4), width, "…")))
			out = out[len(out)-4:]
		}
		for _, o := range out {
			lines = append(lines, p.St.Dim.Render(ansi.Truncate(o, width, "…")))
		}
		out = nil
	}
	committed := false
	for _, l := range bp.Printed {
		switch {
		case docker.BuildahStepLine(l):
			flush()
			lines = append(lines, ansi.Truncate(l, width, "…"))
		case strings.HasPrefix(l, "--> Using cache "):
			flush()
			lines = append(lines, p.St.Shared.Render(ansi.Truncate(l, width, "…")))
		case strings.HasPrefix(l, "--> "):
			flush()
			lines = append(lines, p.St.New.Render(ansi.Truncate(l, width, "…")))
			if committed {
				return lines
			}
		case docker.BuildahCommitLine(l):
			flush()
			committed = true
			lines = append(lines, ansi.Truncate(l, width, "…"))
		default:
			out = append(out, l)
		}
	}
	flush()
	if running && len(lines) > 0 {
		mark := p.St.Running.Render(p.T.DF.StepRunning)
		lines[len(lines)-1] = ansi.Truncate(lines[len(lines)-1], max(width-lipgloss.Width(mark)-1, 8), "…") + " " + mark
	}
	return lines
}

func LastDone(p *docker.BuildProgress) *docker.BuildStep {
	if p == nil {
		return nil
	}
	for i := len(p.Steps) - 1; i >= 0; i-- {
		if p.Steps[i].Done {
			return &p.Steps[i]
		}
	}
	return nil
}

// displayPath shortens the home folder to ~ as a shell prompt does.
func (p Painter) displayPath(path string) string {
	if home := p.Home; home != "" && strings.HasPrefix(path, home+string(filepath.Separator)) {
		return "~" + path[len(home):]
	}
	return path
}

// DockerfileCard is a Dockerfile step's output: the file's first lines and a summary.
func (p Painter) DockerfileCard(c Card, width int) string {
	st := c.Step
	text, ok := c.Files[st.Arg]
	if !ok {
		return p.St.Dim.Render(tr(p.T.DF.FileMissingFmt, st.Arg))
	}
	var lines []string
	if c.Drafts[st.Arg] {
		// The learner's edits a save did not write wait in the editor; the
		// card shows the file as it is, which is what a build reads.
		lines = append(lines, lipgloss.NewStyle().Width(width).Render(p.St.Warn.Render(p.T.DF.DraftOnCard)))
	}
	a := dockerfile.Analyze(text)
	src := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, ln := range src {
		if i == 12 {
			lines = append(lines, p.St.Dim.Render(fmt.Sprintf("   … %d more", len(src)-i)))
			break
		}
		// A long line wraps under itself (a Dockerfile's "&& rm /big" at
		// the end of its RUN is often the point), at most three rows.
		rows := strings.Split(ansi.Wrap(ln, max(width-3, 10), ""), "\n")
		if len(rows) > 3 {
			rows = append(rows[:2], ansi.Truncate(strings.Join(rows[2:], ""), max(width-3, 10), "…"))
		}
		for j, r := range rows {
			num := fmt.Sprintf("%2d ", i+1)
			if j > 0 {
				num = "   "
			}
			lines = append(lines, ansi.Truncate(p.St.Dim.Render(num)+r, width, "…"))
		}
	}
	layers, meta := a.Counts()
	lines = append(lines, p.St.Dim.Render(ansi.Truncate(tr(p.T.DF.FileSummaryFmt, len(a.Lines), layers, meta), width, "…")))
	for _, n := range a.Notes {
		if n.Kind.Severity() == dockerfile.SeverityError {
			lines = append(lines, strings.Split(lipgloss.NewStyle().Width(width).Render(p.St.Fail.Render(p.NoteText(n))), "\n")...)
		}
	}
	return strings.Join(lines, "\n")
}

// exerciseView is an exercise's card output: where to do it, what is
// missing, the hints asked for.
func (p Painter) exerciseView(c Card, width int) string {
	st, s := c.Step, c.state()
	wrap := lipgloss.NewStyle().Width(width)
	var lines []string
	if s.Status == engine.Done {
		return wrapKeep(wrap, p.St.OK.Render(p.T.Ex.Done))
	}
	where := p.T.Ex.Where
	if p.SecondSession != "" {
		where = tr(p.T.Ex.WhereSessionFmt, p.SecondSession)
	}
	lines = append(lines, wrapKeep(wrap, p.St.Dim.Render(where)))
	if why := i18n.WhyText(p.T, s.Why); why != "" {
		lines = append(lines, wrapKeep(wrap, p.St.Warn.Render("… "+why)))
	}
	hints := st.HintList()
	for i := 0; i < s.Hints && i < len(hints); i++ {
		lines = append(lines, wrapKeep(wrap, p.St.Shared.Render(tr(p.T.Ex.HintFmt, i+1, len(hints), p.withMirror(hints[i])))))
	}
	if s.Hints < len(hints) {
		lines = append(lines, p.St.Key.Render(p.Keys.Hint)+" "+p.St.Dim.Render(p.T.Ex.HintKey))
	}
	return strings.Join(lines, "\n")
}

// withMirror puts the registry mirror layerlab was started with where a
// lesson's hint says MIRROR (a classroom without internet), or says what
// stands there when there is none.
func (p Painter) withMirror(hint string) string {
	mirror := p.Mirror
	if mirror == "" {
		mirror = p.T.Ex.MirrorPlaceholder
	}
	return strings.ReplaceAll(hint, "MIRROR", mirror)
}

// removeOutput is an rmi step's card output: the daemon's answer, translated.
func (p Painter) removeOutput(r *docker.RemoveResult, width int) string {
	wrap := lipgloss.NewStyle().Width(width)
	var lines []string
	for _, u := range r.Untagged {
		lines = append(lines, p.St.Dim.Render(ansi.Truncate("Untagged: "+u, width, "…")))
	}
	for i, d := range r.Deleted {
		if i == 4 {
			lines = append(lines, p.St.Dim.Render(fmt.Sprintf("… %d more", len(r.Deleted)-i)))
			break
		}
		lines = append(lines, p.St.Dim.Render(ansi.Truncate("Deleted: "+d, width, "…")))
	}
	if !r.ImageDeleted {
		others := remainingTags(r)
		msg := tr(p.T.RmiUntagOnlyFmt, strings.Join(r.Untagged, ", "), docker.ShortID(r.ImageID))
		if len(others) > 0 {
			msg += " " + tr(p.T.RmiStillNamedFmt, strings.Join(others, ", "))
		}
		lines = append(lines, wrapKeep(wrap, p.St.OK.Render(msg)))
		return strings.Join(lines, "\n")
	}
	deleted, kept := 0, 0
	var freed int64
	for _, l := range r.Layers {
		if l.Deleted {
			deleted++
			freed += l.Size
		} else {
			kept++
		}
	}
	lines = append(lines, wrapKeep(wrap, p.St.OK.Render(tr(p.T.RmiDeletedFmt, docker.ShortID(r.ImageID), deleted, HumanSize(freed), kept))))
	return strings.Join(lines, "\n")
}

func remainingTags(r *docker.RemoveResult) []string {
	gone := map[string]bool{}
	for _, u := range r.Untagged {
		gone[u] = true
	}
	var out []string
	for _, t := range r.Tags {
		if !gone[t] {
			out = append(out, t)
		}
	}
	return out
}

// ExecView shows a command's output and exit code inside its card.
func ExecView(t *i18n.Strings, st *Styles, r *docker.ExecResult, width int) string {
	lines := ExecLines(st, r, width)
	code := st.OK.Render(tr(t.ExitCodeFmt, r.ExitCode))
	if r.ExitCode != 0 {
		code = st.Fail.Render(tr(t.ExitCodeFmt, r.ExitCode)) + st.Dim.Render(" · "+t.ExecFailedNote)
	}
	lines = append(lines, code)
	return strings.Join(lines, "\n")
}

// execLines is what a command printed (its first lines of each stream).
func ExecLines(st *Styles, r *docker.ExecResult, width int) []string {
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

func DiffView(st *Styles, w docker.WritableLayer, width int, empty string) string {
	if len(w.Changes) == 0 {
		return st.Dim.Render(empty)
	}
	var lines []string
	for _, ch := range w.Changes {
		lines = append(lines, ansi.Truncate(ChangeStyle(st, ch.Kind).Render(ch.Kind.Letter())+" "+ch.Path, width, "…"))
	}
	return strings.Join(lines, "\n")
}

func ChangeStyle(st *Styles, k docker.ChangeKind) lipgloss.Style {
	switch k {
	case docker.Added:
		return st.OK
	case docker.Deleted:
		return st.Fail
	}
	return st.Warn
}

func NoteStyle(st *Styles, n dockerfile.Note) lipgloss.Style {
	switch n.Kind.Severity() {
	case dockerfile.SeverityError:
		return st.Fail
	case dockerfile.SeverityWarning:
		return st.Warn
	}
	return st.Dim
}

// noteText is a finding in words, with its place.
func (p Painter) NoteText(n dockerfile.Note) string { return i18n.DockerfileNote(p.T, n) }

// explainLine is one instruction: number, text, effect, then what it does.
func (p Painter) ExplainLine(a dockerfile.Analysis, l dockerfile.Line, focused bool, width int) []string {
	d := p.T.DF
	wrap := lipgloss.NewStyle().Width(max(width-4, 10))
	effect := map[dockerfile.Effect]string{
		dockerfile.EffectBase: d.EffectBase, dockerfile.EffectLayer: d.EffectLayer,
		dockerfile.EffectMeta: d.EffectMeta, dockerfile.EffectBuildOnly: d.EffectBuildOnly, dockerfile.EffectNone: d.EffectBroken,
	}[l.Effect]
	if l.Keyword == "WORKDIR" && l.Effect == dockerfile.EffectLayer {
		effect = d.EffectFolder
	}
	es := p.St.Dim
	switch l.Effect {
	case dockerfile.EffectLayer:
		es = p.St.New
	case dockerfile.EffectNone:
		es = p.St.Fail
	}
	// A line of a stage that is not the image: its layer is not the
	// image's; in a stage BuildKit skips, it does not run at all.
	if l.Effect != dockerfile.EffectNone && l.Keyword != "FROM" && l.InStage.Line > 0 && !l.InStage.InImage {
		effect, es = d.EffectStageOnly, p.St.Dim
		if !l.InStage.Built {
			effect = d.EffectSkipped
		}
	}
	marker := "  "
	text := p.St.Command
	if focused {
		marker = p.St.Key.Render("›") + " "
		text = p.St.Bold
	}
	head := fmt.Sprintf("%s%2d %s", marker, l.Line, text.Render(l.Written+" "+l.Args))
	out := []string{ansi.Truncate(head, max(width-lipgloss.Width(effect)-1, 10), "…") + " " + es.Render(effect)}
	indent := func(s string, st lipgloss.Style) {
		for _, x := range strings.Split(wrapKeep(wrap, st.Render(s)), "\n") {
			out = append(out, "    "+x)
		}
	}
	if !focused {
		if l.Overridden {
			indent(d.OverriddenFmt, p.St.Warn)
		}
		if l.Expanded != "" {
			indent(tr(d.ExpandedFmt, l.Expanded), p.St.Shared)
		}
		return out
	}
	if desc := i18n.InstrText(p.T, l); desc != "" {
		indent(desc, p.St.Dim)
	}
	if l.Overridden {
		indent(d.OverriddenFmt, p.St.Warn)
	}
	if l.Expanded != "" {
		indent(tr(d.ExpandedFmt, l.Expanded), p.St.Shared)
	}
	var vs []string
	for _, v := range l.Vars {
		if v.Known {
			vs = append(vs, tr(d.VarFmt, v.Name, v.Value))
		} else {
			vs = append(vs, tr(d.VarUnknownFmt, v.Name))
		}
	}
	switch {
	case l.Shell && len(vs) > 0:
		indent(tr(d.ShellVarsFmt, strings.Join(vs, ", ")), p.St.Shared)
	case len(vs) > 0:
		indent(strings.Join(vs, ", "), p.St.Dim)
	case l.ExecForm && strings.Contains(l.Args, "$"):
		indent(d.ExecFormNote, p.St.Warn)
	}
	for _, n := range a.NotesAt(l.Line) {
		if n.Kind.Severity() != dockerfile.SeverityError {
			indent(p.NoteText(n), NoteStyle(p.St, n))
		}
	}
	return out
}

// tableNow is the time a finished table's ages are read against: when the
// daemon answered (its STATUS column, "Up 2 minutes", was the daemon's then),
// or now for a table that does not say.
func (p Painter) tableNow(t *engine.TableShot) time.Time {
	if t != nil && !t.At.IsZero() {
		return t.At
	}
	return p.Now()
}
