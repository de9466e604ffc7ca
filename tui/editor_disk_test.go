package tui

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons/engine"
)

// run1 runs a command and feeds its message back, as Bubble Tea would
// (batches included), for the messages of the editor's files.
func run1(m Model, cmd tea.Cmd) Model {
	if cmd == nil || cursorBlink(cmd) {
		return m
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			m = run1(m, c)
		}
	case workspaceMsg, diskReadMsg, fileSavedMsg:
		m = update1(m, msg)
	}
	return m
}

// cursorBlink reports whether cmd is a text cursor's blink: a timer of half
// a second whose message run1 would drop anyway.
func cursorBlink(cmd tea.Cmd) bool {
	return strings.HasPrefix(runtime.FuncForPC(reflect.ValueOf(cmd).Pointer()).Name(), "charm.land/bubbles/v2/cursor.")
}

// diskLesson opens the Dockerfile lesson on a real workspace folder.
func diskLesson(t *testing.T) (Model, string) {
	t.Helper()
	m := testModel(t, 120, 40)
	m.opts.Workspace = t.TempDir()
	m = update1(m, connectedMsg{engine: testEngine})
	for i, l := range m.opts.Lessons {
		if l.ID == "dockerfile" {
			nm, cmd := m.openLesson(i)
			m = run1(nm.(Model), cmd)
		}
	}
	return m, filepath.Join(m.opts.Workspace, "dockerfile", "env", "Dockerfile")
}

func openEnv(t *testing.T, m Model) Model {
	t.Helper()
	m.selectStep(3)
	m.settle()
	nm, cmd := m.Update(press("enter"))
	m = run1(nm.(Model), cmd)
	if m.editor == nil || m.editor.rel != "env/Dockerfile" {
		t.Fatal("enter did not open env/Dockerfile")
	}
	return m
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestTheEditorShowsTheFileAsItIsOnDisk: a Dockerfile the learner rewrote
// from their own terminal is what the editor shows when it opens, not the
// text read when the lesson first opened.
func TestTheEditorShowsTheFileAsItIsOnDisk(t *testing.T) {
	t.Parallel()
	m, path := diskLesson(t)
	write(t, path, "FROM busybox\nRUN echo mine\n")
	m = openEnv(t, m)
	if got := m.editor.text(); got != "FROM busybox\nRUN echo mine\n" {
		t.Errorf("the editor shows %q", got)
	}
	// Also when the file changes after the lesson was opened, and again.
	m = update1(m, press("esc"))
	write(t, path, "FROM busybox\nRUN echo again\n")
	m = openEnv(t, m)
	if got := m.editor.text(); got != "FROM busybox\nRUN echo again\n" || !strings.Contains(m.editor.note, "changed on disk") {
		t.Errorf("the editor shows %q (%s)", got, m.editor.note)
	}
}

// TestANewerFileIsNeverOverwrittenUnseen: the learner edits in the app
// while the file changes on disk: ctrl+s saves nothing and says so; the
// second ctrl+s writes theirs (they chose); esc keeps their text for later.
func TestANewerFileIsNeverOverwrittenUnseen(t *testing.T) {
	t.Parallel()
	m, path := diskLesson(t)
	m = openEnv(t, m)
	m = typeText(m, "# mine\n")
	write(t, path, "FROM busybox\nRUN echo from my terminal\n")
	nm, cmd := m.Update(press("ctrl+s"))
	m = run1(nm.(Model), cmd)
	if read(t, path) != "FROM busybox\nRUN echo from my terminal\n" {
		t.Fatal("ctrl+s wrote over a file that changed on disk")
	}
	if !strings.Contains(m.editor.note, "changed on disk") || !strings.Contains(m.editor.note, "ctrl+s again") {
		t.Errorf("not told: %q", m.editor.note)
	}
	nm, cmd = m.Update(press("ctrl+s"))
	m = run1(nm.(Model), cmd)
	if !strings.HasPrefix(read(t, path), "# mine\n") || m.editor.note != m.t.DF.Saved {
		t.Errorf("the second ctrl+s did not write the learner's: %q (%s)", read(t, path), m.editor.note)
	}

	// Closed with esc while the file changed: nothing written, the text kept.
	m = typeText(m, "# more\n")
	write(t, path, "FROM busybox\n# theirs again\n")
	nm, cmd = m.Update(press("esc"))
	m = run1(nm.(Model), cmd)
	if read(t, path) != "FROM busybox\n# theirs again\n" || !strings.Contains(m.notice, "not saved") {
		t.Fatalf("esc wrote over it (%q) or said nothing (%q)", read(t, path), m.notice)
	}
	m = openEnv(t, m)
	if !strings.Contains(m.editor.text(), "# more\n") || m.editor.note != m.t.DF.DraftKept {
		t.Errorf("the learner's text was not kept: %q (%s)", m.editor.text(), m.editor.note)
	}
}

func TestSaveOverRefusesANewerFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "Dockerfile")
	if _, err := engine.SaveOver(filepath.Dir(path), path, "a", ""); err != nil || read(t, path) != "a" {
		t.Fatalf("a new file: %v", err)
	}
	write(t, path, "b")
	if disk, err := engine.SaveOver(filepath.Dir(path), path, "c", "a"); err != engine.ErrChangedOnDisk || disk != "b" || read(t, path) != "b" {
		t.Errorf("over a newer file: %q %v", disk, err)
	}
	if _, err := engine.SaveOver(filepath.Dir(path), path, "c", "b"); err != nil || read(t, path) != "c" {
		t.Errorf("over what was read: %v", err)
	}
}

// TestADockerfileOpensWithoutADaemon: editing a file needs no daemon.
func TestADockerfileOpensWithoutADaemon(t *testing.T) {
	t.Parallel()
	m, _ := diskLesson(t)
	m = update1(m, connectedMsg{err: &docker.Error{Kind: docker.KindSocketMissing}})
	if m.daemon.conn != connDown {
		t.Fatal("the daemon is still up")
	}
	m = openEnv(t, m)
	if m.editor == nil {
		t.Error("the editor did not open")
	}
}

// TestAFindingUnderTheCursorIsReadWhole: the editor shows the whole finding
// of the line under the cursor (up to half the pane), not its first three
// lines.
func TestAFindingUnderTheCursorIsReadWhole(t *testing.T) {
	t.Parallel()
	m := editorModel(t, "en", 80, 24)
	m = update1(m, tea.KeyPressMsg{Code: tea.KeyEnd})
	m = update1(m, tea.KeyPressMsg{Code: tea.KeyEnter})
	m = typeText(m, "CMD ['sh','-c','echo hi']")
	lines := m.editor.cursorExplanation(m.t, m.st, 40, 3, 12)
	if v := flatten(strings.Join(lines, "\n")); len(lines) <= 3 || !strings.Contains(v, "Write the list with double quotes") {
		t.Errorf("the finding is cut:\n%s", strings.Join(lines, "\n"))
	}
	if v := flatten(viewText(m)); !strings.Contains(v, "Write the list with double quotes") {
		t.Errorf("not on screen:\n%s", viewText(m))
	}
}

// TestALessonKeyInAJustOpenedEditorIsHeld: enter on the edit step opens the
// editor; n or enter pressed next were meant for the steps, not the file:
// they are held once and the editor says so, in the learner's language;
// pressed again (or after a key in the file) they are typed.
func TestALessonKeyInAJustOpenedEditorIsHeld(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "ko"} {
		t.Run(lang, func(t *testing.T) {
			m, _ := diskLesson(t)
			if m.opts.Lang != lang {
				m = m.switchLanguage()
			}
			m = openEnv(t, m)
			before := m.editor.text()
			m = update1(m, press("n"))
			want := map[string]string{"en": "n was not typed: you are editing env/Dockerfile", "ko": "n은 입력하지 않았습니다: 지금은 env/Dockerfile 편집기입니다"}[lang]
			if m.editor == nil || m.editor.text() != before || !strings.Contains(flatten(viewText(m)), want) {
				t.Fatalf("n typed into a just-opened file, or unsaid (want %q):\n%s", want, viewText(m))
			}
			m = update1(m, press("enter"))
			if m.editor.text() != before {
				t.Fatal("enter after a held n was typed")
			}
			if note := m.editor.note; strings.Contains(note, "%!") || lang == "ko" && !strings.Contains(note, "enter는 입력하지") || lang == "en" && !strings.Contains(note, "enter again types it") {
				t.Errorf("the note on enter: %q", note)
			}
			m = update1(m, press("enter"))
			if m.editor.text() != "\n"+before {
				t.Errorf("enter pressed again was not typed: %q", m.editor.text())
			}
			if m.editor.note != "" {
				t.Errorf("the note stays after the learner typed: %q", m.editor.note)
			}
			m = update1(m, press("n"))
			if m.editor.text() != "\nn"+before {
				t.Errorf("n after a key in the file was held: %q", m.editor.text())
			}
		})
	}
}

// Issue 28, 1-4: a file the editor cannot hold whole and unchanged is not
// opened, or opened read-only, with words; nothing is ever written that
// the learner did not type.
func TestTheEditorNeverWritesWhatItCouldNotHold(t *testing.T) {
	t.Parallel()
	secret := filepath.Join(t.TempDir(), "shadow")
	write(t, secret, "root:$6$secret-hash:19000:0:99999:7:::\n")
	for name, c := range map[string]struct {
		damage func(path string)
		says   string
	}{
		"over 64 KiB": {func(p string) {
			write(t, p, "FROM busybox\n"+strings.Repeat("# a long comment line of the learner's own\n", 2000))
		}, "larger than 64 KiB"},
		"not UTF-8":     {func(p string) { write(t, p, "FROM busybox\nLABEL who=caf\xe9\n") }, "not UTF-8 text"},
		"control bytes": {func(p string) { write(t, p, "FROM busybox\n\x1b]0;owned\x07\n") }, "not UTF-8 text"},
		"a symlink to a secret": {func(p string) {
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(secret, p); err != nil {
				t.Fatal(err)
			}
		}, "symbolic link"},
		"CR line ends": {func(p string) { write(t, p, "FROM busybox\r\nRUN echo hi\r\n") }, "read-only"},
	} {
		t.Run(name, func(t *testing.T) {
			m, path := diskLesson(t)
			c.damage(path)
			before, _ := os.ReadFile(path)
			m.selectStep(3)
			m.settle()
			nm, cmd := m.Update(press("enter"))
			m = run1(nm.(Model), cmd)
			said := m.notice
			if m.editor != nil {
				said = m.editor.note
				m = typeText(m, "x")
				nm, cmd = m.Update(press("ctrl+s"))
				m = run1(nm.(Model), cmd)
				if !strings.Contains(m.View().Content, c.says) && !strings.Contains(m.editor.note, c.says) {
					t.Errorf("after ctrl+s the editor says %q", m.editor.note)
				}
				if strings.Contains(m.View().Content, "secret-hash") {
					t.Error("the secret the link leads to is on screen")
				}
				nm, cmd = m.Update(press("esc"))
				m = run1(nm.(Model), cmd)
			}
			if !strings.Contains(said, c.says) {
				t.Errorf("said %q, want %q", said, c.says)
			}
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Errorf("the file changed: %d bytes before, %d after", len(before), len(after))
			}
			if b, _ := os.ReadFile(secret); !strings.Contains(string(b), "secret-hash") || strings.Contains(string(b), "FROM") {
				t.Error("the link's target was written")
			}
		})
	}
}

// Issue 28, 2: after the "changed on disk" warning, esc wrote the
// editor's text over the outside change. esc never does: the learner's
// text is kept as a draft; only a second ctrl+s writes it.
func TestEscAfterTheWarningKeepsTheOutsideChange(t *testing.T) {
	t.Parallel()
	m, path := diskLesson(t)
	m = openEnv(t, m)
	m = typeText(m, "# mine\n")
	write(t, path, "FROM busybox\nRUN echo from my terminal\n")
	nm, cmd := m.Update(press("ctrl+s"))
	m = run1(nm.(Model), cmd)
	if !strings.Contains(m.editor.note, "ctrl+s again") {
		t.Fatalf("no warning: %q", m.editor.note)
	}
	nm, cmd = m.Update(press("esc"))
	m = run1(nm.(Model), cmd)
	if got := read(t, path); got != "FROM busybox\nRUN echo from my terminal\n" {
		t.Errorf("esc wrote over the outside change: %q", got)
	}
	// The step's card shows the file as it is, not the line that is gone.
	if card := flatten(cardText(m, 3)); !strings.Contains(card, "from my terminal") || strings.Contains(card, "# mine") {
		t.Errorf("the card does not show the file on disk: %s", card)
	}
	m = openEnv(t, m)
	if !strings.Contains(m.editor.text(), "# mine\n") {
		t.Errorf("the learner's text was lost: %q", m.editor.text())
	}
	// Opened again and closed again: still nothing written (it was once).
	nm, cmd = m.Update(press("esc"))
	m = run1(nm.(Model), cmd)
	if got := read(t, path); got != "FROM busybox\nRUN echo from my terminal\n" {
		t.Errorf("a second esc wrote the draft over the outside change: %q", got)
	}
	m = openEnv(t, m)
	if !strings.Contains(m.editor.text(), "# mine\n") {
		t.Errorf("the draft was lost at the second esc: %q", m.editor.text())
	}
	// Only ctrl+s writes it.
	nm, cmd = m.Update(press("ctrl+s"))
	m = run1(nm.(Model), cmd)
	if got := read(t, path); !strings.HasPrefix(got, "# mine\n") {
		t.Errorf("ctrl+s on the draft did not write it: %q", got)
	}
}

// A file refused once (too large, a link) opens once it is fixed, and a
// read-only editor (CR line ends) is editable again for a plain file.
func TestARefusedFileOpensOnceFixed(t *testing.T) {
	t.Parallel()
	m, path := diskLesson(t)
	write(t, path, strings.Repeat("# long\n", 20000))
	m.selectStep(3)
	m.settle()
	nm, cmd := m.Update(press("enter"))
	m = run1(nm.(Model), cmd)
	said := m.notice
	if m.editor != nil {
		said = m.editor.note
		if m.editor.text() != "" || m.editor.readOnly == "" {
			t.Fatalf("the large file is in an editable editor: %q", m.editor.readOnly)
		}
		m = update1(m, press("esc"))
	}
	if !strings.Contains(said, "larger than 64 KiB") {
		t.Fatalf("the large file was not said: %q", said)
	}
	// Asked again while still too large: refused again, with the reason.
	m.selectStep(3)
	m.settle()
	nm, cmd = m.Update(press("enter"))
	m = run1(nm.(Model), cmd)
	if m.editor != nil || !strings.Contains(m.notice, "larger than 64 KiB") {
		t.Fatalf("the second open of the large file: editor %v, %q", m.editor != nil, m.notice)
	}
	write(t, path, "FROM busybox\nRUN echo fixed\n")
	m = openEnv(t, m)
	if m.editor.text() != "FROM busybox\nRUN echo fixed\n" || m.editor.readOnly != "" {
		t.Errorf("the fixed file: %q read-only %q", m.editor.text(), m.editor.readOnly)
	}
	m = update1(m, press("esc"))
	write(t, path, "FROM busybox\r\nRUN echo crlf\r\n")
	m = openEnv(t, m)
	if m.editor.readOnly == "" {
		t.Fatal("a CR file is editable")
	}
	held := m.editor.text()
	m = update1(m, press("right"))
	m = update1(m, press("right"))
	row, col := m.editor.ta.Line(), m.editor.ta.Column()
	m = update1(m, press("z"))
	if m.editor.text() != held || m.editor.ta.Line() != row || m.editor.ta.Column() != col || row != 0 || col != 2 {
		t.Errorf("a key changed a read-only file (or moved its cursor from %d:%d to %d:%d): %q", row, col, m.editor.ta.Line(), m.editor.ta.Column(), m.editor.text())
	}
	m = update1(m, tea.PasteMsg{Content: "RUN echo pasted\n"})
	if m.editor.text() != held || m.editor.note != m.editor.readOnly {
		t.Errorf("a paste changed a read-only file: %q (said %q)", m.editor.text(), m.editor.note)
	}
	m = update1(m, press("esc"))
	write(t, path, "FROM busybox\nRUN echo lf again\n")
	m = openEnv(t, m)
	if m.editor.readOnly != "" {
		t.Errorf("a plain file after a CR one stays read-only: %q", m.editor.readOnly)
	}
}

// TestAChangeStepIsDoneByASavedChange: the build lesson's "Change the RUN
// line" is not done by opening the Dockerfile, nor by saving it unchanged:
// its card says what does it; a saved change does (found by a learner: the
// step said done after open and close, and the build after it was all
// CACHED).
func TestAChangeStepIsDoneByASavedChange(t *testing.T) {
	t.Parallel()
	m := testModel(t, 120, 40)
	m.opts.Workspace = t.TempDir()
	m = update1(m, connectedMsg{engine: testEngine})
	var idx int
	for i, l := range m.opts.Lessons {
		if l.ID == "build" {
			nm, cmd := m.openLesson(i)
			m = run1(nm.(Model), cmd)
		}
	}
	l := m.lesson()
	for _, st := range l.Steps {
		if st.Kind == "dockerfile" && st.Expect == "change" {
			idx = st.Index
		}
	}
	if idx == 0 {
		t.Fatal("the build lesson has no change step")
	}
	m.selectStep(idx)
	m.settle()
	nm, cmd := m.Update(press("enter"))
	m = run1(nm.(Model), cmd)
	if m.editor == nil {
		t.Fatal("enter did not open the Dockerfile")
	}
	k := engine.StepKey{Lesson: l.ID, Index: idx}
	s := m.work.eng.State(k)
	if s.Status == engine.Done || s.Note != engine.NoteChangeToSave {
		t.Fatalf("opened: status %v, note %v", s.Status, s.Note)
	}
	nm, cmd = m.Update(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	m = run1(nm.(Model), cmd)
	if s := m.work.eng.State(k); s.Status == engine.Done {
		t.Error("saving it unchanged did the step")
	}
	m = typeText(m, "# changed")
	nm, cmd = m.Update(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	m = run1(nm.(Model), cmd)
	if s := m.work.eng.State(k); s.Status != engine.Done {
		t.Errorf("a saved change did not do the step: %v (%s)", s.Status, m.editor.note)
	}
}
