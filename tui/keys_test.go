package tui

import (
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui/render"
)

// TestHelpFitsAndNamesEveryKey: at 80x24 and 100x30, in both languages, on
// the list and in a lesson, ? shows every key of the screen (in a lesson, the
// layers panel's too) and every key that works everywhere, whole, on one
// page within the screen; esc closes it, and : does
// not open the command line beneath it.
func TestHelpFitsAndNamesEveryKey(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "ko"} {
		for _, size := range [][2]int{{80, 24}, {100, 30}} {
			w, h := size[0], size[1]
			list := update1(testModelIn(t, lang, w, h), connectedMsg{engine: testEngine})
			lesson := lessonAt(t, list, "commit")
			for name, m := range map[string]Model{"list": list, "lesson": lesson} {
				m = update1(m, press("?"))
				var all []key.Binding
				for _, sec := range m.helpSections() {
					all = append(all, sec.keys...)
				}
				var seen strings.Builder
				pages := 0
				for p := 0; p < 5; p++ {
					v := viewText(m)
					lines := strings.Split(v, "\n")
					if len(lines) != h {
						t.Errorf("%s %s %dx%d: %d lines", lang, name, w, h, len(lines))
					}
					for _, l := range lines {
						if ansi.StringWidth(l) > w {
							t.Errorf("%s %s %dx%d: a line is %d wide: %q", lang, name, w, h, ansi.StringWidth(l), l)
						}
					}
					seen.WriteString(v)
					pages++
					if !strings.Contains(v, "pgdn, pgup") {
						break
					}
					m = update1(m, press("pgdown"))
				}
				if pages != 1 {
					t.Errorf("%s %s %dx%d: the help takes %d pages, not one:\n%s", lang, name, w, h, pages, seen.String())
				}
				for _, b := range all {
					if hb := b.Help(); !strings.Contains(seen.String(), hb.Key+strings.Repeat(" ", 0)) || !strings.Contains(flatten(seen.String()), hb.Desc) {
						t.Errorf("%s %s %dx%d: help lacks %q %q (%d pages):\n%s", lang, name, w, h, hb.Key, hb.Desc, pages, seen.String())
					}
				}
				for _, want := range []key.Binding{m.keys.Cmd, m.keys.Quit, m.keys.Lang, m.keys.CloseHelp} {
					if !strings.Contains(seen.String(), want.Help().Key) {
						t.Errorf("%s %s %dx%d: no %q", lang, name, w, h, want.Help().Key)
					}
				}
				under := update1(m, press(":"))
				if under.cmd.open || !under.helpScr.open {
					t.Errorf("%s %s: : under the help opened the line (%v) or closed help", lang, name, under.cmd.open)
				}
				if closed := update1(m, press("esc")); closed.helpScr.open || closed.nav.screen != m.nav.screen {
					t.Errorf("%s %s: esc did not just close the help", lang, name)
				}
			}
		}
	}
}

// TestForceIsNotAPage: f is the force key, never a page down; space and pgdn page.
func TestForceIsNotAPage(t *testing.T) {
	t.Parallel()
	km := DefaultKeyMap(i18n.English)
	if key.Matches(press("f"), km.PageDown) || !key.Matches(press("f"), km.Force) {
		t.Error("f pages down")
	}
	m := lessonAt(t, update1(testModel(t, 80, 24), connectedMsg{engine: testEngine}), "commit")
	if m.page.vp.KeyMap.PageDown.Keys()[0] == "f" || strings.Contains(strings.Join(m.page.vp.KeyMap.PageDown.Keys(), " "), "f") {
		t.Errorf("the lesson's viewport pages on f: %v", m.page.vp.KeyMap.PageDown.Keys())
	}
	before := m.page.vp.YOffset()
	next := update1(m, press("f"))
	if after := next.page.vp.YOffset(); after != before {
		t.Errorf("f scrolled the lesson from %d to %d", before, after)
	}
}

// TestALessonWithoutStepsTakesEveryKey: a pack may have a lesson of text
// only; no key crashes on it.
func TestALessonWithoutStepsTakesEveryKey(t *testing.T) {
	t.Parallel()
	m := testModel(t, 80, 24)
	m.opts.Lessons = []*lessons.Lesson{{ID: "text", Title: "Only text", Parts: []lessons.Part{{Markdown: "Nothing to run here."}}}}
	m = update1(m, connectedMsg{engine: testEngine})
	m = update1(m, press("enter"))
	for _, k := range []string{"h", "f", "e", "enter", "n", "p", "x", "tab", "enter", "tab", "?", "esc", "r", "[", "]", "esc"} {
		m = update1(m, press(k))
		_ = viewText(m)
	}
}

// TestTheWordsAKoreanInstructorAskedFor: a refusal the lesson meant is not
// marked as a failure, and a removal of an image already gone reads whole
// with no name to put in it.
func TestTheWordsAKoreanInstructorAskedFor(t *testing.T) {
	t.Parallel()
	ko := i18n.For("ko")
	x := i18n.Explain(&ko, &docker.Error{Kind: docker.KindConflict, Op: "remove image x"}, "x", "")
	x.Title, x.Expected = ko.ExpectedPrefix+x.Title, true
	out := render.RenderExplanation(x, &ko, ptr(render.NewPlainStyles()), 80, lipgloss.NewStyle())
	if strings.Contains(out, "✗") || !strings.Contains(out, "● 예상한 거부: ") {
		t.Errorf("an expected refusal:\n%s", out)
	}
	gone := i18n.Explain(&ko, &docker.Error{Kind: docker.KindNotFound, Op: "remove image"}, "", "")
	if strings.Contains(gone.Plain, "  ") || !strings.HasPrefix(gone.Plain, "그 이미지는") {
		t.Errorf("gone without a name: %q", gone.Plain)
	}
	for _, w := range []string{ko.PullPanelTitle, ko.DockerSaid, ko.KeyFiles} {
		if strings.Contains(w, "pull 중") || strings.Contains(w, "메시지") || strings.Contains(w, "그 파일들") {
			t.Errorf("old wording: %q", w)
		}
	}
}

// TestListsReflowAtAnyWidth: a list item's source line breaks are not kept,
// and its wrapped lines hang under its first word, with colour or without.
func TestListsReflowAtAnyWidth(t *testing.T) {
	t.Parallel()
	md := "1. The first item is long enough that it wraps and the source\n   continues on the next line with more words (changed),\n   and again.\n2. Second item\n   short.\n\n- a bullet with a long line that goes on and on and on and on and on\n  continued here.\n"
	for _, style := range []string{"notty", "dark"} {
		out := ansi.Strip(render.NewMarkdown(style).Render("x", 0, md, 60))
		lines := strings.Split(out, "\n")
		if !strings.Contains(out, "2. Second item short.") {
			t.Errorf("%s: a source line break kept:\n%s", style, out)
		}
		for i, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), "1.") && i+1 < len(lines) && !strings.HasPrefix(lines[i+1], "     ") {
				t.Errorf("%s: the item's second line does not hang under its text:\n%s", style, out)
			}
			if w := ansi.StringWidth(l); w > 60 {
				t.Errorf("%s: a line %d wide:\n%s", style, w, out)
			}
		}
		if !strings.Contains(out, "\n    and on") {
			t.Errorf("%s: the bullet does not hang:\n%s", style, out)
		}
	}
}

// TestTablesShrinkAsAPersonWould: at the card widths of 100x30 and 80x24,
// docker images keeps IMAGE ID and SIZE, docker ps the id, the image, the
// status and the name; long names are cut, nothing runs past the edge, and
// every column the CLI prints is still there: what did not fit is below,
// keyed by a name the learner types.
func TestTablesShrinkAsAPersonWould(t *testing.T) {
	t.Parallel()
	st := render.NewPlainStyles()
	imgs := []docker.Image{
		{ID: "sha256:b10cefd55dc1aaaa", Repo: "127.0.0.1:5555/library/python", Tag: "3.6.0-slim", Size: 200 << 20, Created: fixedNow.Add(-time.Hour)},
		{ID: "sha256:033a2ee9b678aaaa", Repo: "busybox", Tag: "latest", Size: 1990000, Created: fixedNow.Add(-time.Minute)},
	}
	ctrs := []docker.Container{{ID: "7a1b2c3d4e5f60000", Name: "layerlab-commit-1", Image: "pyubuntu:init", Command: "sh -c 'echo hi > /hello.txt'", Status: "Up 2 minutes", Created: fixedNow}}
	for _, w := range []int{49, 72} {
		out := render.ImagesTable(imgs, "", fixedNow, w, &st, "", "rest by %s")
		for _, want := range []string{"IMAGE ID", "SIZE", "b10cefd55dc1", "033a2ee9b678", "210MB", "1.99MB", "busybox", "CREATED", "About an hour ago", "About a minute ago", "127.0.0.1:5555/library/python"} {
			if !strings.Contains(out, want) {
				t.Errorf("images at %d lacks %q:\n%s", w, want, out)
			}
		}
		ps := render.ContainersTable(ctrs, fixedNow, w, &st, "", "rest by %s", "(%s empty)")
		for _, want := range []string{"CONTAINER ID", "STATUS", "NAMES", "7a1b2c3d4e5f", "Up 2 minu", "layerlab-c", "CREATED", "Less than a second ago", "COMMAND", "rest by NAMES", "(PORTS empty):", "Up 2 minutes", "pyubuntu:init", "layerlab-commit-1"} {
			if !strings.Contains(ps, want) {
				t.Errorf("ps at %d lacks %q:\n%s", w, want, ps)
			}
		}
		for _, l := range strings.Split(out+"\n"+ps, "\n") {
			if ansi.StringWidth(l) > w {
				t.Errorf("a line of %d at %d: %q", ansi.StringWidth(l), w, l)
			}
		}
	}
	if wide := render.ImagesTable(imgs, "", fixedNow, 200, &st, "", "rest by %s"); !strings.Contains(wide, "CREATED") || !strings.Contains(wide, "127.0.0.1:5555/library/python") || strings.Contains(wide, "rest by") {
		t.Errorf("wide, nothing is cut or moved:\n%s", wide)
	}
}

// TestTheFooterAndTheCardAgreeOnEnter: on an exercise, enter checks it now;
// on a Dockerfile step, it opens the editor; both the card and the footer
// say so, and neither offers "run".
func TestTheFooterAndTheCardAgreeOnEnter(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		lesson string
		kind   lessons.Kind
		want   string
	}{{"commit", lessons.KindCheck, "check now"}, {"dockerfile", lessons.KindDockerfile, "open in the editor"}} {
		m, i := openAt(t, 120, 40, c.lesson, func(st *lessons.Step) bool { return st.Kind == c.kind })
		m.selectStep(i)
		m.settle()
		v := viewText(m)
		lines := strings.Split(v, "\n")
		foot := lines[len(lines)-1]
		if !strings.Contains(foot, "enter "+c.want) || strings.Contains(foot, "run step") {
			t.Errorf("%s: the footer says %q", c.lesson, foot)
		}
		if strings.Count(v, "enter "+c.want) < 2 || strings.Contains(v, "enter run") {
			t.Errorf("%s: the card does not say it:\n%s", c.lesson, v)
		}
	}
}

// TestTheCleanupQuestionKeepsItsKeysOnScreen: a long list of names never
// pushes y/n off an 80-column footer; y carries the plan out, n or esc not.
func TestTheCleanupQuestionKeepsItsKeysOnScreen(t *testing.T) {
	t.Parallel()
	plan := docker.CleanupPlan{Lesson: "rmi"}
	for i := range 8 {
		plan.Items = append(plan.Items, docker.CleanupItem{Kind: docker.ItemContainer, Name: "layerlab-rmi-container-" + string(rune('a'+i))})
	}
	c := confirmBox{common: plainCommon(&i18n.English)}.Ask(plan, "")
	c.SetSize(80, 24)
	v := c.View()
	if !strings.HasPrefix(ansi.Strip(v), "y yes  n/esc no") {
		t.Errorf("the keys are not first: %q", v)
	}
	for _, line := range strings.Split(v, "\n") {
		if ansi.StringWidth(line) > 80 {
			t.Errorf("a line of the question is wider than the footer: %q", line)
		}
	}
	for _, it := range plan.Items {
		if !strings.Contains(ansi.Strip(v), it.Name) {
			t.Errorf("%s is not in the question", it.Name)
		}
	}
	for _, k := range []string{"n", "esc", "x"} {
		if next, _ := c.Update(press(k)); next.Answer() != nil || next.Open() {
			t.Errorf("%s carried the cleanup out, or left the question", k)
		}
	}
	if next, _ := c.Update(press("y")); next.Answer() == nil || len(next.Answer().Items) != 8 || next.Open() {
		t.Error("y did not carry the plan")
	}
}

// TestTheFooterSaysTheEditKeys: while a step's command is edited, the
// footer offers what the card does (keep, undo), not open and cancel.
func TestTheFooterSaysTheEditKeys(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "ko"} {
		m, i := openAt(t, 120, 40, "commit", func(st *lessons.Step) bool { return st.Kind == lessons.KindCommit })
		if lang == "ko" {
			m = update1(m, press("L"))
		}
		m.selectStep(i)
		m.settle()
		m = update1(m, press("e"))
		lines := strings.Split(viewText(m), "\n")
		foot := lines[len(lines)-1]
		for _, b := range []key.Binding{m.keys.EditKeep, m.keys.EditCancel} {
			if want := b.Help().Key + " " + b.Help().Desc; !strings.Contains(foot, want) {
				t.Errorf("%s: the footer lacks %q: %q", lang, want, foot)
			}
		}
	}
}
