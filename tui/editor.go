package tui

import (
	"errors"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockerfile"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui/render"
)

// maxDockerfile caps what the editor holds (a lesson's Dockerfile is a few
// lines); a larger file is not opened (engine.MaxFile), never cut.
const maxDockerfile = engine.MaxFile

// dfEditor is a Dockerfile open in the editor, with its live analysis: a
// component with its own keys (Update), drawing (View, sized by it) and
// bindings. What a save or a close means for the lesson (the files known,
// the drafts kept, the layout) is the model's: Update says which was asked.
type dfEditor struct {
	common
	// act is what the last key asked of the model (Action).
	act           editorAction
	width, height int
	key           engine.StepKey
	rel           string // path in the workspace
	path          string // on disk
	ta            textarea.Model
	an            dockerfile.Analysis
	saved         string // the text on disk, as last read or written
	// opened is the text when it opened, for a step done by a change
	// ("" when the step is not: expect change).
	opened string
	note   string // a one-line report: saved, or why not
	// overwrite: the file changed on disk under the learner's edits; the
	// next ctrl+s writes theirs over it (they were told).
	overwrite bool
	// readOnly says why the file is shown, not edited ("" if it is
	// edited): the editor cannot hold it whole and unchanged.
	readOnly string
	// loaded is what the editor held when the file was put in it: the
	// learner has changed nothing while it still holds that.
	loaded string
	// touched turns true at the learner's first key in the file (a move or
	// a change); until then a lesson key (n, p, enter) is held, not typed
	// (held names it), and said.
	touched bool
	held    string
}

// editorAction is what a key in the editor asks of the model.
type editorAction int

const (
	editorTyped editorAction = iota // the key went to the file (or was held)
	editorSave                      // write the file (ctrl+s)
	editorClose                     // close the editor (esc), saving a change
	editorTab                       // the other pane, on a narrow screen
)

// Bindings are the editor's keys.
func (e *dfEditor) Bindings() []key.Binding {
	return []key.Binding{e.keys.Save, e.keys.CloseEditor, e.keys.Tab}
}

// SetSize is the lesson pane's inside, where the editor draws.
func (e *dfEditor) SetSize(w, h int) {
	e.width, e.height = w, h
	e.fit()
}

// fit gives the text area the room the title, a long note and the cursor
// line's explanation leave: the root calls SetSize after every message
// (settle), so View only draws.
func (e *dfEditor) fit() {
	_, note := e.titleAndNote()
	cur := e.cursorExplanation(e.t, e.st, e.width, 3, e.height/2)
	e.ta.SetWidth(e.width)
	e.ta.SetHeight(max(e.height-1-len(note)-len(cur), 3))
}

// titleAndNote are the editor's title line, with a short note beside it,
// and a long note's lines under it.
func (e *dfEditor) titleAndNote() (string, []string) {
	t, st, width := e.t, e.st, e.width
	title := st.PaneTitle.Render(tr(t.DF.EditorTitleFmt, e.rel))
	switch {
	case e.note == "":
	case lipgloss.Width(title)+3+lipgloss.Width(e.note) <= width:
		title += st.Dim.Render(" · " + e.note)
	default:
		// A long note (the file changed on disk: what to do) is read whole.
		return title, strings.Split(lipgloss.NewStyle().Width(width).Render(st.Warn.Render(e.note)), "\n")
	}
	return title, nil
}

// Action is what the last message asked of the model: a save, a close, the
// other pane; editorTyped when it went to the file.
func (e *dfEditor) Action() editorAction { return e.act }

// Update takes a key or a paste: save, close and tab are the model's to
// carry out (Action); everything else goes to the file, unless the file is
// read-only.
func (e *dfEditor) Update(msg tea.Msg) (*dfEditor, tea.Cmd) {
	var cmd tea.Cmd
	e.act, cmd = e.update(msg)
	return e, cmd
}

// update: a key that moves through the lesson (n, p, enter), pressed first
// in a just-opened editor, is held once and said (it was likely meant for
// the steps); pressed again, it is typed.
func (e *dfEditor) update(m tea.Msg) (editorAction, tea.Cmd) {
	msg, isKey := m.(tea.KeyPressMsg)
	if !isKey {
		return e.toFile(m)
	}
	t := e.t
	switch {
	case key.Matches(msg, e.keys.Save):
		if e.readOnly != "" {
			e.note = e.readOnly
			return editorTyped, nil
		}
		e.note = ""
		return editorSave, nil
	case key.Matches(msg, e.keys.CloseEditor):
		return editorClose, nil
	case key.Matches(msg, e.keys.Tab):
		return editorTab, nil
	}
	if k := msg.String(); !e.touched && e.held != k && (key.Matches(msg, e.keys.NextStep) || key.Matches(msg, e.keys.PrevStep) || key.Matches(msg, e.keys.Run)) {
		e.held = k
		e.note = tr(t.DF.HeldKeyFmt, k, e.rel, k)
		return editorTyped, nil
	}
	return e.toFile(msg)
}

// toFile gives a key or a paste to the file: moves go through a read-only
// file, changes do not.
func (e *dfEditor) toFile(msg tea.Msg) (editorAction, tea.Cmd) {
	var cmd tea.Cmd
	// The text and the cursor, by value: a copy of the textarea shares its
	// lines with the original, which Update changes in place.
	text, row, col := e.ta.Value(), e.ta.Line(), e.ta.Column()
	e.ta, cmd = e.ta.Update(msg)
	if e.readOnly != "" && e.ta.Value() != text {
		// Moves go through; a change does not.
		e.ta.SetValue(text)
		e.ta.MoveToBegin()
		for range row {
			e.ta.CursorDown()
		}
		e.ta.SetCursorColumn(col)
		e.note = e.readOnly
		return editorTyped, nil
	}
	if !e.touched && e.held != "" {
		e.note = ""
	}
	e.touched = true
	e.analyze()
	return editorTyped, cmd
}

func (e *dfEditor) text() string { return e.ta.Value() }

// analyze runs the analyzer on the editor's text: pure computation, about a
// millisecond for a 100-line file (see BenchmarkAnalyze100Lines), so it runs
// on every key.
func (e *dfEditor) analyze() { e.an = dockerfile.Analyze(e.ta.Value()) }

// openEditor opens a Dockerfile step's file.
func (m Model) openEditor(l *lessons.Lesson, st *lessons.Step) (Model, tea.Cmd) {
	return m.openFile(l, st, st.Arg, 0)
}

// openFile opens the lesson's Dockerfile rel (relative to its workspace)
// from step st (a Dockerfile step, which opening does, or a failed build,
// which keeps its card), with the cursor on line (0: the first).
func (m Model) openFile(l *lessons.Lesson, st *lessons.Step, rel string, line int) (Model, tea.Cmd) {
	dir, ok := m.work.workspaces[l.ID]
	if !ok {
		s := m.work.eng.State(engine.StepKey{Lesson: l.ID, Index: st.Index})
		s.Note, s.NoteArg = engine.NoteFileMissing, rel
		return m, nil
	}
	k := fileKey(l.ID, rel)
	if _, ok := m.work.refused[k]; ok {
		// Refused before: read again (the learner may have fixed it).
		return m, recheckCmd(dir, filepath.Join(dir, filepath.FromSlash(rel)), engine.StepKey{Lesson: l.ID, Index: st.Index})
	}
	ta := textarea.New()
	ta.ShowLineNumbers = true
	ta.CharLimit = maxDockerfile
	ta.MaxHeight = 0
	ta.Prompt = ""
	if !m.opts.NoColor {
		ta.SetStyles(textarea.DefaultStyles(m.opts.Dark))
	}
	base := m.work.files[k]
	text, draft := base, false
	if d, ok := m.work.drafts[k]; ok {
		text, draft = d, true // the learner's edits a refused save kept
	}
	ta.SetValue(text)
	ta.MoveToBegin()
	if line > 1 {
		// Down a line at a time; a textarea not sized yet moves through its
		// wrapped rows, so it is made wide enough for every line first (the
		// editor sizes it before drawing).
		ta.SetWidth(ta.MaxWidth)
		for range line - 1 {
			ta.CursorDown()
		}
	}

	e := &dfEditor{common: common{t: m.t, st: m.st, keys: m.keys}, key: engine.StepKey{Lesson: l.ID, Index: st.Index}, rel: rel, path: filepath.Join(dir, filepath.FromSlash(rel)), ta: ta, saved: base}
	e.analyze()
	if draft {
		// The draft was written over an older file: until the learner
		// chooses (ctrl+s writes it), esc keeps it and writes nothing.
		e.note, e.overwrite = m.t.DF.DraftKept, true
	}
	e.loaded = ta.Value()
	if ta.Value() != text {
		// What the editor would hold is not the file (line ends, tabs it
		// rewrites): shown, never written.
		e.readOnly = tr(m.t.DF.ReadOnlyFmt, st.Arg)
		e.note = e.readOnly
	}
	m.editor = e
	// The file may have changed on disk since it was read (the learner's own
	// terminal): it is read again now.
	cmd := tea.Batch(m.editor.ta.Focus(), readDiskCmd(dir, e.path))
	if st.Kind == lessons.KindDockerfile {
		s := m.work.eng.State(e.key)
		switch {
		case st.Expect == "change" && s.Status != engine.Done:
			// Done when a change is saved: opening it is not the change.
			e.opened = text
			s.Note, s.NoteArg = engine.NoteChangeToSave, st.Arg
		case st.Expect != "change":
			s.Status, s.Err, s.Note = engine.Done, nil, engine.NoteNone
		}
	}
	return m, cmd
}

func fileKey(lesson, rel string) string { return lesson + "/" + rel }

// handleEditorKey carries out what the editor's keys ask: a save, a close
// (the learner's change kept as a draft until its save lands), the other pane.
func (m Model) handleEditorKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	e := m.editor
	e, cmd := e.Update(msg)
	switch e.Action() {
	case editorSave:
		return m, saveCmd(fileKey(e.key.Lesson, e.rel), m.work.workspaces[e.key.Lesson], e.path, e.text(), e.saved, e.overwrite)
	case editorClose:
		text := e.text()
		k := fileKey(e.key.Lesson, e.rel)
		m.editor = nil
		m.scrollToStep(e.key.Index)
		if text == e.saved || e.readOnly != "" {
			delete(m.work.drafts, k)
			return m, nil
		}
		// Kept until the save lands: a refused one leaves it for next time.
		// esc never writes over a file that changed on disk, even after
		// the warning: only a second ctrl+s does (the learner chose).
		m.work.drafts[k] = text
		if e.overwrite {
			// The learner was told of the change on disk and has not
			// chosen to write over it: their text waits as a draft.
			m.notice = m.t.DF.ChangedOnDiskClosed
			return m, nil
		}
		return m, saveCmd(k, m.work.workspaces[e.key.Lesson], e.path, text, e.saved, false)
	case editorTab:
		if m.width < wideWidth {
			m.nav.focus = 1 - m.nav.focus
		}
		return m, nil
	}
	return m, cmd
}

// View is the lesson pane while editing: the file, and the cursor line's
// explanation, in its room.
func (e *dfEditor) View() string {
	width, height := e.width, e.height
	title, note := e.titleAndNote()
	cur := e.cursorExplanation(e.t, e.st, width, 3, height/2)
	parts := append([]string{ansi.Truncate(title, width, "…")}, note...)
	parts = append(parts, e.ta.View())
	parts = append(parts, cur...)
	return fitHeight(strings.Join(parts, "\n"), height)
}

// cursorExplanation is up to n lines about the line under the cursor: its
// problems first, then what it does.
func (e *dfEditor) cursorExplanation(t *i18n.Strings, st *render.Styles, width, n, most int) []string {
	line := e.ta.Line() + 1
	var notes, desc []string
	wrap := lipgloss.NewStyle().Width(width)
	for _, no := range e.an.NotesAt(line) {
		notes = append(notes, strings.Split(wrap.Render(render.NoteStyle(st, no).Render(i18n.DockerfileNote(t, no))), "\n")...)
	}
	if l, ok := e.an.LineAt(line); ok {
		if d := i18n.InstrText(t, l); d != "" {
			desc = strings.Split(wrap.Render(st.Dim.Render(l.Keyword+": "+d)), "\n")
		}
	} else if src := strings.Split(e.ta.Value(), "\n"); line <= len(src) && strings.HasPrefix(strings.TrimSpace(src[line-1]), "#") {
		desc = strings.Split(wrap.Render(st.Dim.Render(t.DF.Comment)), "\n")
	}
	// A finding is read whole (up to most rows, half the pane); what the
	// instruction does fills the rows left of the n the pane keeps for it.
	out := notes[:min(len(notes), max(most, n))]
	if len(out) < n {
		out = append(out, desc[:min(len(desc), n-len(out))]...)
	}
	for len(out) < n {
		out = append(out, "")
	}
	return out
}

// explainPane is the explanation of the whole file: the findings, then each
// instruction with its effect and substitutions, scrolled to the cursor.
func (m Model) explainPane(a dockerfile.Analysis, rel string, cursorLine, width, height int) string {
	d := m.t.DF
	wrap := lipgloss.NewStyle().Width(width)
	var head []string
	head = append(head, ansi.Truncate(m.st.PaneTitle.Render(d.ExplainTitle)+m.st.Dim.Render(" · ")+m.st.Bold.Render(rel), width, "…"))
	layers, meta := a.Counts()
	head = append(head, m.st.Dim.Render(ansi.Truncate(tr(d.SummaryFmt, a.Steps, layers, meta), width, "…")))
	for _, s := range i18n.StagesSummary(m.t, a) {
		// Which stage is the image, which ones BuildKit skips.
		head = append(head, strings.Split(wrap.Render(m.st.Dim.Render(s)), "\n")...)
	}
	if a.Cmd != "" {
		head = append(head, ansi.Truncate(m.st.Dim.Render(tr(d.CmdInEffectFmt, a.Cmd)), width, "…"))
	}
	errs := 0
	for _, n := range a.Notes {
		if n.Kind.Severity() == dockerfile.SeverityError {
			errs++
			head = append(head, strings.Split(wrap.Render(render.NoteStyle(m.st, n).Render(i18n.DockerfileNote(m.t, n))), "\n")...)
		}
	}
	if errs == 0 {
		head = append(head, m.st.OK.Render("✓ "+d.NoErrors))
	}
	built, id, stale := m.lastBuildOf(rel)
	switch {
	case stale:
		head = append(head, strings.Split(wrap.Render(m.st.Dim.Render(d.BuiltStale)), "\n")...)
	case built != nil:
		head = append(head, ansi.Truncate(m.st.Shared.Render(tr(d.BuiltHeadFmt, docker.ShortID(id))), width, "…"))
	}
	head = append(head, "")
	var blocks [][]string
	focus := 0
	paint := m.painter()
	for i, l := range a.Lines {
		if cursorLine >= l.Line && cursorLine <= l.EndLine {
			focus = i
		}
		b := paint.ExplainLine(a, l, cursorLine >= l.Line && cursorLine <= l.EndLine, width)
		if bl, ok := built[l.Step]; ok && l.Step > 0 {
			b = append(b, m.builtLines(l, bl, width)...)
		}
		blocks = append(blocks, b)
	}
	room := height - len(head)
	start := focus
	used := 0
	// Show the focused instruction and as many before it as keep it on screen.
	for start > 0 && used+len(blocks[start-1])+len(blocks[focus]) <= room/2 {
		start--
		used += len(blocks[start])
	}
	lines := head
	for _, b := range blocks[start:] {
		lines = append(lines, b...)
	}
	return fitLines(lines, height, m.st)
}

// builtStep is what one step of a build made: the builder's step, and the
// history entry of the built image it became (nil when not known).
type builtStep struct {
	step  docker.BuildStep
	layer *docker.Layer
	// kit: BuildKit built it (no image per step to name).
	kit bool
}

// lastBuildOf is what the lesson's newest finished build of the Dockerfile
// rel made, by build step number, with the built image's id, when the
// editor holds exactly the text that was built; stale reports a build of
// the file whose text has changed since.
func (m Model) lastBuildOf(rel string) (built map[int]builtStep, id string, stale bool) {
	l := m.lesson()
	if l == nil || m.editor == nil {
		return nil, "", false
	}
	path := filepath.Join(m.work.workspaces[l.ID], filepath.FromSlash(rel))
	var last *engine.StepState
	for k, s := range m.work.eng.Steps {
		if k.Lesson != l.ID || s.Build == nil || s.Status != engine.Done || s.Expected || s.Build.Context.Dockerfile != path {
			continue
		}
		if last == nil || s.Started.After(last.Started) {
			last = s
		}
	}
	if last == nil {
		return nil, "", false
	}
	if last.Build.Context.Source != m.editor.text() {
		return nil, "", true
	}
	if last.Build.BuildKit {
		return m.builtByBuildKit(last)
	}
	top := render.LastDone(last.Build)
	if top == nil {
		return nil, "", false
	}
	var stack *docker.LayerStack
	for _, e := range m.pic.stacks {
		if e.found && strings.HasPrefix(strings.TrimPrefix(e.stack.ID, "sha256:"), top.ImageID) {
			stack = &e.stack
			break
		}
	}
	built = map[int]builtStep{}
	for _, bs := range last.Build.Steps {
		if !bs.Done {
			continue
		}
		b := builtStep{step: bs}
		// The image's history ends with one entry per step after FROM (on
		// Podman, the last stage's, numbered in their stage).
		if stack != nil && bs.Index > 1 && bs.Stage == top.Stage {
			if idx := len(stack.Layers) - 1 - (top.Index - bs.Index); idx >= 0 {
				b.layer = &stack.Layers[idx]
			}
		}
		key := bs.Index
		if last.Build.Buildah {
			key = docker.BuildahInstruction(last.Build.Context.Source, bs.Stage, bs.Index)
			b.step.Index = key
		}
		built[key] = b
	}
	return built, top.ImageID, false
}

// builtByBuildKit is what a BuildKit build made, by instruction number:
// BuildKit commits no image per step, so each instruction above FROM is
// found in the built image's history (one entry each, in order), and the
// instructions that make files (FROM, RUN, COPY, WORKDIR, ADD: the ones it
// numbers) say whether they came from its cache.
func (m Model) builtByBuildKit(s *engine.StepState) (map[int]builtStep, string, bool) {
	if s.BuildRes == nil || s.BuildRes.ImageID == "" {
		return nil, "", false
	}
	id := s.BuildRes.ImageID
	var stack *docker.LayerStack
	for _, e := range m.pic.stacks {
		if e.found && e.stack.ID == id {
			stack = &e.stack
			break
		}
	}
	an := dockerfile.Analyze(s.Build.Context.Source)
	if stack == nil || an.Stages() > 1 {
		return nil, "", false // its history not read yet; or stages: not one line each
	}
	built := map[int]builtStep{}
	fs := s.Build.Steps // the numbered ones, in order
	j := 0
	for _, l := range an.Lines {
		if l.Step < 1 {
			continue
		}
		b := builtStep{step: docker.BuildStep{Index: l.Step}, kit: true}
		if l.Effect == dockerfile.EffectBase || l.Effect == dockerfile.EffectLayer {
			if j < len(fs) {
				b.step.Cached = fs[j].Cached
			}
			j++
		}
		if l.Step > 1 {
			if idx := len(stack.Layers) - 1 - (an.Steps - l.Step); idx >= 0 {
				b.layer = &stack.Layers[idx]
			}
		}
		built[l.Step] = b
	}
	return built, docker.ShortID(id), false
}

// builtLines say what an instruction really made in the last build, and
// when that is not what the explanation predicted.
func (m Model) builtLines(l dockerfile.Line, b builtStep, width int) []string {
	d := m.t.DF
	text := tr(d.BuiltFmt, b.step.Index, docker.ShortID(b.step.ImageID))
	if b.kit {
		text = d.BuiltKit
	}
	var made string
	if b.layer != nil {
		made = d.BuiltMeta
		if !b.layer.Meta {
			made = tr(d.BuiltLayerFmt, render.HumanSize(b.layer.Size))
		}
		text += " · " + made
	}
	if b.step.Cached {
		text += d.BuiltCached
	}
	out := []string{"    " + ansi.Truncate(m.st.Shared.Render(text), max(width-4, 10), "…")}
	if b.layer == nil {
		return out
	}
	predicted := ""
	switch {
	case l.Effect == dockerfile.EffectMeta && !b.layer.Meta:
		predicted = d.EffectMeta
	case l.Effect == dockerfile.EffectLayer && b.layer.Meta:
		predicted = d.EffectLayer
	default:
		return out
	}
	why := tr(d.BuiltDiffersFmt, strings.TrimLeft(predicted, "·■ "), made)
	wrap := lipgloss.NewStyle().Width(max(width-4, 10))
	for _, x := range strings.Split(wrap.Render(m.st.Warn.Render(why)), "\n") {
		out = append(out, "    "+x)
	}
	return out
}

// FileRefusedText says why the file rel is not opened (a *engine.FileError).
func FileRefusedText(t *i18n.Strings, rel string, err error) string {
	var fe *engine.FileError
	if !errors.As(err, &fe) {
		return tr(t.DF.SaveFailedFmt, err)
	}
	switch fe.Code {
	case engine.FileTooLarge:
		return tr(t.DF.FileTooLargeFmt, rel, engine.MaxFile>>10)
	case engine.FileNotText:
		return tr(t.DF.FileNotTextFmt, rel)
	}
	return tr(t.DF.FileNotPlainFmt, rel)
}

// fileSaved folds in the end of a save: the open editor's note, or (when it
// was closed) the footer's; a save refused because the file changed on disk
// keeps the learner's text as a draft and says how to choose.
func (m Model) fileSaved(msg fileSavedMsg) Model {
	open := m.editor != nil && m.editor.path == msg.path
	switch {
	case msg.changed:
		m.work.files[msg.key] = msg.disk
		if open {
			m.editor.saved = msg.disk
			m.editor.note, m.editor.overwrite = tr(m.t.DF.ChangedOnDiskFmt, m.editor.rel), true
		} else {
			m.notice = m.t.DF.ChangedOnDiskClosed
		}
	case msg.err != nil:
		if open {
			m.editor.note = tr(m.t.DF.SaveFailedFmt, msg.err)
		} else {
			m.notice = tr(m.t.DF.SaveFailedFmt, msg.err)
		}
	default:
		m.work.files[msg.key] = msg.text
		if d, ok := m.work.drafts[msg.key]; ok && d == msg.text {
			delete(m.work.drafts, msg.key)
		}
		if open {
			m.editor.note, m.editor.saved, m.editor.overwrite = m.t.DF.Saved, msg.text, false
			if e := m.editor; e.opened != "" && msg.text != e.opened {
				// The change the step asks for is saved.
				s := m.work.eng.State(e.key)
				s.Status, s.Err, s.Note = engine.Done, nil, engine.NoteNone
			}
		}
	}
	return m
}

// diskRead folds in an open file as it is on disk: unchanged, nothing to
// do; changed and not edited yet, the editor shows the disk's text; changed
// under the learner's edits, they are told, and the next ctrl+s is theirs to
// choose.
func (m Model) diskRead(msg diskReadMsg) (Model, tea.Cmd) {
	e := m.editor
	var fe *engine.FileError
	if msg.recheck != nil {
		l, st := m.stepOf(*msg.recheck)
		if l == nil || e != nil {
			return m, nil
		}
		k := fileKey(l.ID, st.Arg)
		if msg.err != nil {
			if errors.As(msg.err, &fe) {
				m.work.refused[k] = msg.err
			}
			m.notice = FileRefusedText(m.t, st.Arg, msg.err)
			return m, nil
		}
		delete(m.work.refused, k)
		m.work.files[k] = msg.text
		nm, cmd := m.openEditor(l, st)
		return nm, cmd
	}
	if e != nil && e.path == msg.path && errors.As(msg.err, &fe) {
		// Replaced on disk by what is no file to edit (a link, a binary):
		// it is neither shown nor written.
		e.readOnly = FileRefusedText(m.t, e.rel, msg.err)
		e.note, e.overwrite = e.readOnly, false
		e.ta.SetValue("")
		m.work.refused[fileKey(e.key.Lesson, e.rel)] = msg.err
		return m, nil
	}
	if e == nil || e.path != msg.path || msg.err != nil || msg.text == e.saved {
		return m, nil
	}
	m.work.files[fileKey(e.key.Lesson, e.rel)] = msg.text
	if e.text() == e.loaded && !e.overwrite {
		e.ta.SetValue(msg.text)
		e.ta.MoveToBegin()
		e.saved, e.loaded = msg.text, e.ta.Value()
		e.analyze()
		e.note, e.readOnly = tr(m.t.DF.ReloadedFmt, e.rel), ""
		if e.ta.Value() != msg.text {
			e.readOnly = tr(m.t.DF.ReadOnlyFmt, e.rel)
			e.note = e.readOnly
		}
		return m, nil
	}
	e.note, e.overwrite = tr(m.t.DF.ChangedOnDiskFmt, e.rel), true
	return m, nil
}
