package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui/render"
)

// refresh rebuilds the lesson's scrollable content after a state change.
// Markdown comes from the cache; only the step cards are drawn again.
func (m *Model) refresh() {
	l := m.lesson()
	if l == nil || m.width == 0 || m.nav.screen != screenLesson || m.editor != nil {
		return // no page on screen: it is made when it shows again
	}
	w := m.page.Width()
	mdW := max(w-2, 10)
	b := builtLesson{lesson: l.ID, width: w}
	if m.daemon.conn == connDown && m.daemon.connErr != nil {
		b.parts = append(b.parts, m.banner(w-1))
		b.banner = true
	}
	paint := m.painter() // one for every card of the page
	for i, p := range l.Parts {
		b.steps = append(b.steps, p.Step != nil)
		if p.Step != nil {
			b.parts = append(b.parts, "\n"+m.look.cards.card(paint, m.cardOf(l, p.Step), w-1)+"\n")
			continue
		}
		b.parts = append(b.parts, m.look.md.Render(l.File, i, lessons.ForScreen(p.Markdown), mdW))
	}
	m.page.Set(b)
}

// refreshStep draws one step card again, the rest of the lesson as it was:
// a running pull or build changes only its own card, 15 times a second.
// A running pull's card that would look as the one on the page (its
// PullKey unchanged since refreshStep drew it) is not drawn: it reports
// false, nothing changed on screen.
func (m *Model) refreshStep(k engine.StepKey) bool {
	l := m.lesson()
	b := m.page.Built()
	if l == nil || l.ID != k.Lesson || b.lesson != l.ID || m.width == 0 || m.nav.screen != screenLesson ||
		b.width != m.page.Width() || b.banner != (m.daemon.conn == connDown && m.daemon.connErr != nil) || len(b.parts) != len(l.Parts)+boolInt(b.banner) {
		m.refresh()
		return true
	}
	for i, p := range l.Parts {
		if p.Step != nil && p.Step.Index == k.Index {
			paint, c := m.painter(), m.cardOf(l, p.Step)
			key := paint.PullKey(c, b.width-1)
			if key != "" && b.pullKey == key && b.pullStep == k.Index {
				return false
			}
			// A copy: models handed out before share the old slice.
			b.parts = slices.Clone(b.parts)
			b.parts[i+boolInt(b.banner)] = "\n" + paint.Card(c, b.width-1) + "\n"
			b.pullKey, b.pullStep = key, k.Index
			m.page.Set(b)
			return true
		}
	}
	m.refresh()
	return true
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// cardMemo keeps the cards of steps not run (no state, or one that is idle
// with no error), by all that such a card shows: the step, the width,
// whether it is selected, its command as the learner's names make it, its
// note and renaming, an exercise's reason and hints shown, the words,
// styles, keys and the classroom's session and mirror. Making the page
// again (settle) then draws only the cards of steps that ran. Steps whose
// card shows a Dockerfile (dockerfile, build) are drawn each time.
type cardMemo struct{ drawn map[cardKey]string }

type cardKey struct {
	step            *lessons.Step
	width           int
	selected        bool
	cmd, note, why  string
	hints           int
	t               *i18n.Strings
	st              *render.Styles
	keys            render.Keys
	session, mirror string
}

// card is paint.Card(c, width), kept for a step not run.
func (cm *cardMemo) card(paint render.Painter, c render.Card, width int) string {
	s := c.State
	if cm == nil || c.Edit != nil || c.Step.Kind == lessons.KindDockerfile || c.Step.Kind == lessons.KindBuild ||
		(s != nil && (s.Status != engine.Idle || s.Err != nil || s.Gone)) {
		return paint.Card(c, width)
	}
	k := cardKey{step: c.Step, width: width, selected: c.Selected, cmd: paint.CommandLine(c), t: paint.T, st: paint.St,
		keys: paint.Keys, session: paint.SecondSession, mirror: paint.Mirror}
	if s != nil {
		k.note = i18n.NoteText(paint.T, s) + "\x00" + i18n.RenamedText(paint.T, s)
		k.why, k.hints = i18n.WhyText(paint.T, s.Why), s.Hints
	}
	if out, ok := cm.drawn[k]; ok {
		return out
	}
	out := paint.Card(c, width)
	if len(cm.drawn) >= 512 {
		clear(cm.drawn)
	}
	cm.drawn[k] = out
	return out
}

// banner explains why the daemon cannot be used, and how to fix it.
func (m Model) banner(width int) string {
	x := i18n.Explain(m.t, m.daemon.connErr, "", m.opts.Mirror)
	ep := m.opts.Client.Endpoint()
	x.Todo = append(x.Todo, tr(m.t.Err.EndpointFmt, ep.Host, ep.Source), m.t.Err.RetryHint)
	return render.RenderExplanation(x, m.t, m.st, width, m.st.Banner)
}

// View draws the whole screen from the model; it changes nothing.
func (m Model) View() tea.View {
	v := tea.NewView(m.frameText())
	v.AltScreen = true
	v.WindowTitle = m.t.AppName
	return v
}

// frameText is the screen: the frame drawn last when Update found this
// state's message changed nothing on screen (frameRef), else drawn anew.
func (m Model) frameText() string {
	f := m.frame
	if f.memo != nil && f.same && f.ver != 0 && f.memo.ver == f.ver {
		return f.memo.out
	}
	out := m.render()
	if f.memo != nil && f.ver != 0 {
		f.memo.ver, f.memo.out = f.ver, out
	}
	return out
}

func (m Model) render() string {
	if m.width == 0 {
		return ""
	}
	if m.width < MinWidth || m.height < MinHeight {
		msg := tr(m.t.TooSmallFmt, MinWidth, MinHeight, m.width, m.height)
		text := lipgloss.NewStyle().Width(max(m.width-2, 1)).Align(lipgloss.Center).Render(msg)
		// On a terminal too small even for the message, as much of it as fits.
		lines := strings.Split(text, "\n")
		lines = lines[:min(len(lines), m.height)]
		for i, l := range lines {
			lines[i] = ansi.Truncate(l, m.width, "")
		}
		return lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, strings.Join(lines, "\n"))
	}
	var body string
	switch {
	case m.helpScr.open:
		// Help takes the place of the screen beneath it, whole, paged if it must.
		body = m.helpScr.View()
	case m.nav.screen == screenList:
		// The : line and its output take rows below the list, as in a lesson.
		body = m.list.View()
	default:
		body = m.lessonView()
	}
	parts := []string{m.headerView()}
	if m.daemon.conn == connDown && m.daemon.connErr != nil {
		parts = append(parts, m.statusStrip())
	}
	parts = append(parts, body)
	if m.cmd.open {
		parts = append(parts, m.cmd.View())
	}
	parts = append(parts, m.footerView())
	return stacked(parts)
}

// statusStrip is one line that always says what is wrong with the daemon,
// while the full explanation sits at the top of the lesson.
func (m Model) statusStrip() string {
	x := i18n.Explain(m.t, m.daemon.connErr, "", m.opts.Mirror)
	return ansi.Truncate(m.st.Fail.Render("✗ "+x.Title)+m.st.Dim.Render(" · "+m.t.Err.RetryHint), m.width, "…")
}

func (m Model) stripLines() int {
	if m.daemon.conn == connDown && m.daemon.connErr != nil {
		return 1
	}
	return 0
}

func (m Model) headerView() string {
	left := m.st.Header.Render(m.t.AppName)
	if l := m.lesson(); l != nil && m.nav.screen == screenLesson {
		left += m.st.HeaderDim.Render(fmt.Sprintf(" · %d/%d ", m.nav.cur+1, len(m.opts.Lessons))) + m.st.Header.Render(l.Title)
	}
	var right string
	ep := m.opts.Client.Endpoint()
	switch m.daemon.conn {
	case connConnecting:
		right = m.st.Dim.Render(m.t.Connecting)
	case connUp:
		version, api := m.engineWords()
		right = m.st.HeaderDim.Render(tr(m.t.EngineFmt, version, api, m.t.Transport(ep.Transport()))) + " " + m.st.OK.Render(m.t.Connected)
		if m.daemon.events.lost {
			right = m.st.Warn.Render(m.t.LiveLost) + " " + right
		}
	case connDown:
		right = m.st.Fail.Render(m.t.Disconnected)
	}
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 && m.daemon.conn == connUp {
		// The engine's state stays whole (its ● says the daemon answers);
		// the lesson's title gives way: first the transport, then the title's end.
		right = m.shortEngine() + " " + m.st.OK.Render(m.t.Connected)
		if m.daemon.events.lost {
			right = m.st.Warn.Render(m.t.LiveLost) + " " + right
		}
		gap = m.width - lipgloss.Width(left) - lipgloss.Width(right)
	}
	if gap < 1 && lipgloss.Width(right)+12 < m.width {
		left = ansi.Truncate(left, m.width-lipgloss.Width(right)-1, "…")
		gap = m.width - lipgloss.Width(left) - lipgloss.Width(right)
	}
	if gap < 1 {
		return ansi.Truncate(left+" "+right, m.width, "…")
	}
	return left + strings.Repeat(" ", gap) + right
}

// engineWords are the header's engine version (Podman's marked) and API
// (the containerd store's marked).
func (m Model) engineWords() (version, api string) {
	version, api = m.daemon.engine.Version, m.daemon.engine.APIVersion
	if m.daemon.engine.ContainerdStore {
		api += m.t.ContainerdMark
	}
	if m.daemon.engine.Podman {
		version = m.t.PodmanMark + version
	}
	return version, api
}

// shortEngine is the header's engine without its transport: its version
// and API (with the containerd store's mark), for a narrow header.
func (m Model) shortEngine() string {
	version, api := m.engineWords()
	return m.st.HeaderDim.Render(tr(m.t.EngineShortFmt, version, api))
}

func (m Model) footerView() string {
	if m.cmd.open {
		return ansi.Truncate(m.st.Dim.Render(m.t.CmdHint), m.width, "…")
	}
	if m.confirm.Open() {
		return m.confirm.View()
	}
	if m.notice != "" {
		return strings.Join(m.noticeLines(), "\n")
	}
	return ansi.Truncate(m.look.help.ShortHelpView(m.fitHelp(m.shortHelp())), m.width, "…")
}

// fitHelp leaves out the keys before ? help and q quit, last first (esc,
// tab, n/p…), until the footer fits the width: help and quit stay on it.
func (m Model) fitHelp(b []key.Binding) []key.Binding {
	wide := m.look.help
	wide.SetWidth(0) // unbounded: its own … would hide that it does not fit
	for len(b) > 4 && lipgloss.Width(wide.ShortHelpView(b)) > m.width {
		b = append(b[:len(b)-3:len(b)-3], b[len(b)-2:]...)
	}
	return b
}

// maxNoticeLines is as many rows as a notice takes from the screen: a
// cleanup's report with its reason is read whole at 80 columns.
const maxNoticeLines = 3

// noticeLines are the footer's notice, wrapped to the width, in at most
// maxNoticeLines rows.
func (m Model) noticeLines() []string {
	lines := strings.Split(render.WrapKeep(lipgloss.NewStyle().Width(max(m.width, 1)), m.notice), "\n")
	if len(lines) > maxNoticeLines {
		lines = lines[:maxNoticeLines]
		lines[maxNoticeLines-1] = ansi.Truncate(lines[maxNoticeLines-1], m.width-1, "") + "…"
	}
	for i, l := range lines {
		lines[i] = m.st.Warn.Render(strings.TrimRight(l, " "))
	}
	return lines
}

// footerLines is the footer's height: one row, or a notice's.
func (m Model) footerLines() int {
	if m.confirm.Open() && !m.cmd.open {
		return len(m.confirm.Lines())
	}
	if m.notice == "" || m.cmd.open {
		return 1
	}
	return len(m.noticeLines())
}

func (m Model) lessonProgress(l *lessons.Lesson) (done, all int) {
	for _, st := range l.Steps {
		if s := m.work.eng.Steps[engine.StepKey{Lesson: l.ID, Index: st.Index}]; s != nil && s.Status == engine.Done {
			done++
		}
	}
	return done, len(l.Steps)
}

func (m Model) lessonView() string {
	lw, h := m.lessonPaneSize()
	lessonPane := m.st.Pane
	panelPane := m.st.Pane
	if m.nav.focus == focusLesson {
		lessonPane = m.st.PaneFocused
	} else {
		panelPane = m.st.PaneFocused
	}
	var left string
	if m.editor != nil {
		left = paneBox(lessonPane, m.editor.View(), lw, h)
	} else {
		left = paneBoxLines(lessonPane, m.page.Lines(), lw, h)
	}
	side := func(w int) string {
		if e := m.editor; e != nil {
			return m.explainPane(e.an, e.rel, e.ta.Line()+1, w, h-2)
		}
		if m.nav.focus == focusLayers && m.pane.Shows() {
			title := ansi.Truncate(m.st.PaneTitle.Render(m.t.LayersTab)+m.st.Dim.Render(" · ")+m.st.Bold.Render(m.subject()), w, "…")
			return fitLines(append([]string{title}, strings.Split(m.pane.View(), "\n")...), h-2, m.st)
		}
		return m.panel().view(m.t, m.st, w, h-2)
	}
	if m.width >= wideWidth {
		pw := m.width - lw
		right := paneBox(panelPane, side(pw-2), pw, h)
		return besides(left, right)
	}
	tabs := m.tabBar()
	if m.nav.focus == focusLayers {
		right := paneBox(panelPane, side(m.width-2), m.width, h)
		return tabs + "\n" + right
	}
	if m.editor != nil {
		left = paneBox(lessonPane, m.editor.View(), m.width, h)
	}
	return tabs + "\n" + left
}

// panelWidth is the inner width of the layers panel.
func (m Model) panelWidth() int {
	if m.width >= wideWidth {
		lw, _ := m.lessonPaneSize()
		return m.width - lw - 2
	}
	return m.width - 2
}

func (m Model) tabBar() string {
	a, b := m.st.TabInactive, m.st.TabInactive
	if m.nav.focus == focusLesson {
		a = m.st.TabActive
	} else {
		b = m.st.TabActive
	}
	second := m.t.LayersTab
	if m.editor != nil {
		second = m.t.DF.ExplainTitle
	}
	return " " + a.Render(m.t.LessonTab) + m.st.Dim.Render("  │  ") + b.Render(second) + m.st.Dim.Render("   (tab)")
}

func (m Model) panel() layersPanel {
	ref := m.subject()
	p := layersPanel{ref: ref, entry: m.pic.stacks[ref], isNew: m.pic.newLayers, sel: -1}
	if m.nav.focus == focusLayers && m.work.running == nil {
		p.sel = m.pane.Chosen()
	}
	if l := m.lesson(); l != nil && p.entry.found {
		p.marks = m.buildMarks(l.ID, p.entry.stack)
	}
	if m.daemon.conn == connDown && m.daemon.connErr != nil {
		p.noDaemon = i18n.Explain(m.t, m.daemon.connErr, "", m.opts.Mirror).Title
	}
	if l := m.lesson(); l != nil {
		for _, st := range l.Steps {
			if docker.Familiar(m.work.eng.Ref(l, st)) != docker.Familiar(ref) {
				continue
			}
			switch st.Kind {
			case lessons.KindPull:
				p.pulledHere = true
			case lessons.KindCommit, lessons.KindBuild, lessons.KindTag:
				// Made by the lesson: a pull of that name would fetch
				// someone else's image, if any.
				if p.madeIn == 0 {
					p.madeIn, p.madeBy = st.Index+1, "docker "+string(st.Kind)
				}
			}
		}
		p.extra = m.containersView(l, m.panelWidth())
		if r := m.pic.removal[l.ID]; r != nil {
			p.before = m.removalView(r, m.panelWidth())
		}
	}
	if r := m.work.running; r != nil && m.lesson() != nil && r.key.Lesson == m.lesson().ID {
		if l, st := m.stepOf(r.key); st != nil && st.Kind == lessons.KindBuild {
			if s := m.work.eng.Steps[r.key]; s != nil && s.Status == engine.Running && s.Build != nil && s.Build.BuildKit {
				// BuildKit makes no image per step: what it did so far, over its FROM.
				name := m.work.eng.Ref(l, st)
				if name == "" {
					name = "docker build " + st.Arg
				}
				p.ref = name + " · " + m.t.BuildPanelTitle
				p.kit = s.Build
				if len(s.Build.Steps) > 0 {
					if f := strings.Fields(s.Build.Steps[0].Instruction); len(f) > 1 {
						p.base = m.pic.stacks[docker.Familiar(f[1])]
					}
				}
				return p
			}
		}
		if l, st := m.stepOf(r.key); st != nil && st.Kind == lessons.KindPull {
			if s := m.work.eng.Steps[r.key]; s != nil && s.Status == engine.Running {
				// The image on its way, growing as its layers arrive.
				p.ref = m.work.eng.Ref(l, st) + " · " + m.t.PullPanelTitle
				p.pull = &s.Progress
				return p
			}
		}
	}
	if p.entry.found {
		p.others, p.sharing, p.mine = sharedIndex(p.entry.stack, m.pic.images, m.pic.diffIDs, m.lessonNames(),
			func(id string) string { return tr(m.t.DanglingRefFmt, id) })
	}
	return p
}

// lessonNames are the image names the open lesson's steps use, as the
// learner knows them (busybox:1.36, pyubuntu:init).
func (m Model) lessonNames() map[string]bool {
	known := map[string]bool{}
	if l := m.lesson(); l != nil {
		for _, st := range l.Steps {
			if st.Kind == lessons.KindExec {
				continue // its Ref is the command
			}
			if r := m.work.eng.Ref(l, st); r != "" {
				known[docker.Familiar(r)] = true
			}
		}
	}
	return known
}

// fitHeight pads or cuts s to exactly h lines.
func fitHeight(s string, h int) string {
	if h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

func (m Model) shortHelp() []key.Binding {
	k := m.keys
	if m.helpScr.open {
		return m.helpScr.Bindings() // the keys beneath do nothing while it is open
	}
	if m.editor != nil {
		return m.editor.Bindings()
	}
	if m.edit.on {
		return []key.Binding{k.EditKeep, k.EditCancel} // as the card says them
	}
	var b []key.Binding
	if m.nav.screen == screenList {
		b = []key.Binding{k.Up, k.Down, k.Open}
		if len(m.opts.Languages) > 1 {
			b = append(b, k.Lang)
		}
	} else if m.nav.focus == focusLayers && m.work.running == nil && m.editor == nil {
		b = append(b, m.pane.Bindings()...)
	} else {
		if m.work.running != nil {
			b = append(b, k.Cancel)
		} else {
			b = append(b, m.runBinding(), k.Edit)
		}
		if len(m.work.started) > 0 || m.lessonMadeSomething() {
			b = append(b, k.Remove)
		}
		b = append(b, k.NextStep, k.Tab, k.Back)
	}
	if m.daemon.conn == connDown {
		b = append(b, k.Retry)
	}
	return append(b, k.Help, k.Quit)
}

// helpSections are the keys of the screen that has the focus, in a lesson
// the layers panel's too, then the keys that work everywhere: the help shows
// these, from the bindings themselves.
func (m Model) helpSections() []helpSection {
	k := m.keys
	t := m.t
	var secs []helpSection
	switch {
	case m.nav.screen == screenList:
		secs = append(secs, helpSection{t.HelpHere, m.list.Bindings()})
	case m.nav.focus == focusLayers:
		secs = append(secs, helpSection{t.HelpHere, m.pane.Bindings()})
	default:
		here := []key.Binding{m.runBinding(), k.Edit, k.NextStep, k.Hint, k.Force, k.OpenLine,
			k.PageDown, k.PageUp, k.Remove, k.NextLesson, k.Tab, k.Refresh, k.Back}
		if m.work.running != nil {
			here[len(here)-1] = k.Cancel // esc stops the pull or build first
		}
		secs = append(secs, helpSection{t.HelpHere, here},
			helpSection{t.HelpLayers, []key.Binding{k.Layer, k.Files, k.FilesClose}})
	}
	everywhere := []key.Binding{k.Cmd}
	if len(m.opts.Languages) > 1 {
		everywhere = append(everywhere, k.Lang)
	}
	if m.daemon.conn == connDown {
		everywhere = append(everywhere, k.Retry)
	}
	return append(secs, helpSection{t.HelpEverywhere, append(everywhere, k.CloseHelp, k.Quit)})
}

// lessonMadeSomething reports whether a step of the open lesson that makes
// something (an image, a tag, a container) has run, so that x (remove what
// the lesson made) is worth showing.
func (m Model) lessonMadeSomething() bool {
	l := m.lesson()
	if l == nil {
		return false
	}
	for k, s := range m.work.eng.Steps {
		if _, st := m.stepOf(k); k.Lesson == l.ID && s.Status == engine.Done && st != nil && st.Kind.Makes() {
			return true
		}
	}
	return false
}

// paneBox draws content in pane's rounded border, exactly w×h cells: each
// line cut or padded to the inner width, lines cut or added to the inner
// height. The two panes are drawn on every frame; this does in one pass what
// lipgloss's Width/Height/Border would do with wrapping and alignment passes.
func paneBox(pane lipgloss.Style, content string, w, h int) string {
	return paneBoxLines(pane, strings.Split(content, "\n"), w, h)
}

func paneBoxLines(pane lipgloss.Style, lines []string, w, h int) string {
	if w < 2 || h < 2 {
		return pane.Width(w).Height(h).Render(strings.Join(lines, "\n"))
	}
	edge := lipgloss.NewStyle().Foreground(pane.GetBorderTopForeground())
	inner := w - 2
	side := edge.Render("│")
	var b strings.Builder
	b.Grow(w * h * 2)
	b.WriteString(edge.Render("╭" + strings.Repeat("─", inner) + "╮"))
	for i := range h - 2 {
		b.WriteByte('\n')
		b.WriteString(side)
		line := ""
		if i < len(lines) {
			line = lines[i]
		}
		if lw := cellWidth(line); lw > inner {
			b.WriteString(ansi.Truncate(line, inner, ""))
		} else {
			b.WriteString(line)
			b.WriteString(strings.Repeat(" ", inner-lw))
		}
		b.WriteString(side)
	}
	b.WriteByte('\n')
	b.WriteString(edge.Render("╰" + strings.Repeat("─", inner) + "╯"))
	return b.String()
}

// besides puts two blocks of the same height side by side (two panes).
func besides(left, right string) string {
	var b strings.Builder
	b.Grow(len(left) + len(right))
	r := strings.Split(right, "\n")
	i := 0
	for l := range strings.SplitSeq(left, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
		if i < len(r) {
			b.WriteString(r[i])
		}
		i++
	}
	return b.String()
}

// stacked puts blocks under each other, every line padded with spaces to the
// widest, as lipgloss.JoinVertical(lipgloss.Left) does, in one pass.
func stacked(parts []string) string {
	var lines []string
	widths := make([]int, 0, 64)
	widest := 0
	for _, p := range parts {
		for l := range strings.SplitSeq(p, "\n") {
			w := cellWidth(l)
			lines, widths = append(lines, l), append(widths, w)
			widest = max(widest, w)
		}
	}
	var b strings.Builder
	b.Grow(widest * len(lines) * 2)
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
		b.WriteString(strings.Repeat(" ", widest-widths[i]))
	}
	return b.String()
}

// runBinding is enter as the selected step's card says it: run, open the
// Dockerfile in the editor, or check an exercise now.
func (m Model) runBinding() key.Binding {
	b := m.keys.Run
	if l := m.lesson(); l != nil && len(l.Steps) > 0 {
		st := l.Steps[min(m.work.eng.Selected[l.ID], len(l.Steps)-1)]
		switch st.Kind {
		case lessons.KindDockerfile:
			b.SetHelp(b.Help().Key, m.t.DF.OpenHint)
		case lessons.KindCheck:
			b.SetHelp(b.Help().Key, m.t.Ex.CheckNow)
		case lessons.KindRun:
			s := m.work.eng.Steps[engine.StepKey{Lesson: l.ID, Index: st.Index}]
			if _, removed := m.work.eng.RemovedBy(l, st); s != nil && s.Gone && !removed {
				b.SetHelp(b.Help().Key, m.t.RunAgainHint)
			}
		}
	}
	return b
}

// painter draws the cards in the learner's language and the theme.
func (m Model) painter() render.Painter {
	k := m.keys
	return render.Painter{T: m.t, St: m.st, Now: m.opts.Now, Mirror: m.opts.Mirror, Home: m.opts.Home,
		SecondSession: m.opts.SecondSession, Bar: m.look.bar.view, Spinner: m.look.spin.View(),
		Keys: render.Keys{Run: k.Run.Help().Key, Edit: k.Edit.Help().Key, Cancel: k.Cancel.Help().Key,
			Force: k.Force.Help().Key, Hint: k.Hint.Help().Key, OpenLine: k.OpenLine.Help().Key}}
}

// cardOf is step st of lesson l as its card shows it, from the model's state.
func (m Model) cardOf(l *lessons.Lesson, st *lessons.Step) render.Card {
	c := render.Card{Lesson: l, Step: st, State: m.work.eng.Steps[engine.StepKey{Lesson: l.ID, Index: st.Index}],
		Names: m.work.eng, Selected: m.work.eng.Selected[l.ID] == st.Index,
		Picture:  engine.TableShot{Images: m.pic.images, Containers: m.pic.containers, Pulled: m.pic.lastPulledID},
		Writable: m.pic.writable, Files: map[string]string{}, Drafts: map[string]bool{}}
	if c.Selected && m.edit.on {
		c.Edit = &render.Edit{View: m.edit.input.View(), Value: m.edit.input.Value()}
	}
	if run, gone := m.work.eng.GoneContainer(l, st); gone {
		c.GoneStep = run.Index + 1
	}
	if run, ran, ok := m.work.eng.Unstarted(l, st); ok {
		c.UnstartedStep, c.UnstartedFailed = run.Index+1, ran
	}
	if rm, ok := m.work.eng.RemovedBy(l, st); ok {
		c.RemovedStep = rm.Index + 1
	}
	if c.Selected {
		_, _, c.CanForce = m.canForce()
		if _, _, rel, line, ok := m.failedAt(); ok {
			c.OpenFile, c.OpenLine = rel, line
		}
	}
	for _, rel := range engine.DockerfilesOf(st) {
		if text, ok := m.work.files[fileKey(l.ID, rel)]; ok {
			c.Files[rel] = text
		}
		if _, ok := m.work.drafts[fileKey(l.ID, rel)]; ok {
			c.Drafts[rel] = true
		}
	}
	return c
}
