package tui

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
)

var testEngine = docker.Engine{Version: "20.10.24+dfsg1", APIVersion: "1.41"}

func TestLessonListGolden(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(sizeName(size), func(t *testing.T) {
			m := testModel(t, size[0], size[1])
			m = update1(m, connectedMsg{engine: testEngine})
			golden(t, viewText(m))
		})
	}
}

func sizeName(s [2]int) string { return strings.Join([]string{itoa(s[0]), itoa(s[1])}, "x") }

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for i > 0 {
		b = append([]byte{byte('0' + i%10)}, b...)
		i /= 10
	}
	return string(b)
}

// pulledModel is the pull lesson right after `docker pull busybox`, fed with
// fixed daemon answers so the view is the same on every machine.
func pulledModel(t testing.TB, lang string, w, h int) Model {
	m := testModelIn(t, lang, w, h)
	m = update1(m, connectedMsg{engine: testEngine})
	m = update1(m, press("j"))
	m = update1(m, press("enter"))
	if m.lesson().ID != "pull" {
		t.Fatalf("opened %s", m.lesson().ID)
	}
	// Before the pull the learner has one image of their own, sharing the busybox binary layer.
	imgs := []docker.Image{{ID: "sha256:15708ef4fbc7aaaa", Repo: "myapp", Tag: "dev", Created: fixedNow.Add(-48 * time.Hour), Size: 1985574}}
	m = update1(m, snapshotMsg{images: imgs, diffIDs: map[string][]string{imgs[0].ID: {"sha256:d5cf7e0c7dad9995", "sha256:eeeeeeeeeeee0000"}}})
	m = update1(m, press("enter")) // run step 1: the pull (its command is not run here)
	k := engine.StepKey{Lesson: "pull", Index: 0}
	if m.work.eng.Steps[k].Status != engine.Running {
		t.Fatalf("step not running: %+v", m.work.eng.Steps[k])
	}
	ref, _ := docker.ParseRef("busybox")
	prog := docker.PullProgress{Done: true, Digest: "sha256:63539bc634baa992575d5fa0962ca6514b2ea4be1c2bdc2ff1a5e1ba4bca9c2f",
		Layers: []docker.LayerProgress{
			{ID: "83719313d270", Phase: docker.PhaseComplete, Status: "Pull complete", Size: 1032000},
			{ID: "b4ceb48fdab6", Phase: docker.PhaseComplete, Status: "Pull complete", Size: 3200},
		}}
	m = update1(m, pullDoneMsg{key: k, at: fixedNow.Add(1200 * time.Millisecond), result: docker.PullResult{
		Ref: ref, From: "docker.io/library/busybox:latest", ImageID: "sha256:b10cefd55dc1d50ddd029d90476f12f46f1d59ddd5b5ff5e9b1666438913ce1a", Progress: prog}})
	imgs = append([]docker.Image{{ID: "sha256:b10cefd55dc1d50ddd029d90476f12f46f1d59ddd5b5ff5e9b1666438913ce1a", Repo: "busybox", Tag: "latest", Created: fixedNow.Add(-2 * time.Minute), Size: 1985517}}, imgs...)
	m = update1(m, snapshotMsg{images: imgs, diffIDs: map[string][]string{imgs[0].ID: {"sha256:d5cf7e0c7dad9995", "sha256:d2edc86cfa67aaaa"}}})
	m = update1(m, stackMsg{ref: "busybox:latest", found: true, stack: docker.LayerStack{
		ID: imgs[0].ID, Size: 1985517,
		Layers: []docker.Layer{
			{Index: 0, DiffID: "sha256:d5cf7e0c7dad9995", Size: 1982256, Instruction: "COPY file:73e2b2d48642 in /bin/busybox"},
			{Index: 1, DiffID: "sha256:d2edc86cfa67aaaa", Size: 3261, Instruction: "RUN /bin/busybox --install -s /bin"},
			{Index: 2, Meta: true, Instruction: "ENV PATH=/bin"},
			{Index: 3, Meta: true, Instruction: `CMD ["sh"]`},
		},
		Config: docker.ImageConfig{Cmd: []string{"sh"}, Env: []string{"PATH=/bin"}},
	}})
	return m
}

func TestPullLessonAfterPullGolden(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(sizeName(size), func(t *testing.T) {
			m := pulledModel(t, "en", size[0], size[1])
			lessonView := viewText(m)
			if size[0] < wideWidth {
				m = update1(m, press("tab"))
				lessonView += "\n" + viewText(m)
			}
			golden(t, lessonView)
		})
	}
}

func TestPulledStepShowsSummaryAndPanelShowsLayers(t *testing.T) {
	t.Parallel()
	m := pulledModel(t, "en", 120, 40)
	s := viewText(m)
	for _, want := range []string{"✓ done 1.2 s", "pulled busybox:latest: 2 layers, 2 downloaded",
		"Layers · busybox:latest", "d5cf7e0c7dad", "d2edc86cfa67", "← new", "shared: myapp:dev", "meta  CMD [\"sh\"]"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	// The highlight goes once its time is up.
	m = update1(m, clearHighlightMsg{gen: m.pic.highlightGen})
	if strings.Contains(viewText(m), "← new") {
		t.Error("highlight not cleared")
	}
}

func TestRunWithoutDaemonSaysWhy(t *testing.T) {
	t.Parallel()
	m := testModel(t, 100, 30)
	m = update1(m, connectedMsg{err: &docker.Error{Kind: docker.KindSocketMissing, Host: "unix:///nope.sock"}})
	m = update1(m, press("j"))
	m = update1(m, press("enter"))
	nm, cmd := m.Update(press("enter"))
	m = nm.(Model)
	if cmd != nil {
		t.Error("a step started without a daemon")
	}
	s := viewText(m)
	for _, want := range []string{"no daemon ✗", "No Docker daemon socket", "needs a running Docker daemon", "press r to try now"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
}

func TestEditReferenceValidatesBeforeRunning(t *testing.T) {
	t.Parallel()
	m := testModel(t, 100, 30)
	m = update1(m, connectedMsg{engine: testEngine})
	m = update1(m, press("j"))
	m = update1(m, press("enter"))
	m = update1(m, press("e"))
	if !m.edit.on {
		t.Fatal("not editing")
	}
	for range len("busybox") {
		m = update1(m, press("backspace"))
	}
	m = typeText(m, "Python:Latest")
	if s := viewText(m); !strings.Contains(s, "lowercase") {
		t.Errorf("no rule shown:\n%s", s)
	}
	m = update1(m, press("enter"))
	if !m.edit.on {
		t.Fatal("an invalid reference was accepted")
	}
	for range len("Python:Latest") {
		m = update1(m, press("backspace"))
	}
	m = typeText(m, "python:3.6.0-slim")
	m = update1(m, press("enter"))
	if m.edit.on {
		t.Fatal("a valid reference was refused")
	}
	l := m.lesson()
	if got := m.work.eng.Ref(l, l.Steps[0]); got != "python:3.6.0-slim" {
		t.Errorf("ref %q", got)
	}
	if !strings.Contains(viewText(m), "$ docker pull python:3.6.0-slim") {
		t.Error("card does not show the edited command")
	}
}

func TestKeysNavigateAndQuit(t *testing.T) {
	t.Parallel()
	m := testModel(t, 100, 30)
	m = update1(m, press("j"))
	if m.list.cursor != 1 {
		t.Errorf("cursor %d", m.list.cursor)
	}
	m = update1(m, press("enter"))
	if m.nav.screen != screenLesson {
		t.Fatal("lesson not opened")
	}
	m = update1(m, press("n"))
	if m.work.eng.Selected["pull"] != 1 {
		t.Errorf("selected %d", m.work.eng.Selected["pull"])
	}
	m = update1(m, press("["))
	if m.lesson().ID != "images-containers" {
		t.Errorf("lesson %s", m.lesson().ID)
	}
	m = update1(m, press("esc"))
	if m.nav.screen != screenList {
		t.Error("esc did not go back")
	}
	m = update1(m, press("?"))
	if v := viewText(m); !strings.Contains(v, "docker command line") || !strings.Contains(v, "open lesson") && !strings.Contains(v, i18n.English.KeyOpen) {
		t.Error("full help not shown")
	}
	_, cmd := m.Update(press("q"))
	if cmd == nil {
		t.Fatal("q did nothing")
	}
}

func TestTinyAndHugeTerminalsNeverPanic(t *testing.T) {
	t.Parallel()
	m := pulledModel(t, "en", 120, 40)
	for _, s := range [][2]int{{1, 1}, {59, 19}, {60, 20}, {80, 24}, {300, 100}, {20, 80}} {
		m = update1(m, tea_size(s[0], s[1]))
		out := viewText(m)
		if s[0] < MinWidth || s[1] < MinHeight {
			if s[0] >= 30 && !strings.Contains(out, "make the terminal bigger") {
				t.Errorf("%v: no size message:\n%s", s, out)
			}
			continue
		}
		for i, line := range strings.Split(out, "\n") {
			if w := ansiWidth(line); w > s[0] {
				t.Errorf("%v: line %d is %d cells wide", s, i, w)
			}
		}
		if n := strings.Count(out, "\n") + 1; n > s[1] {
			t.Errorf("%v: %d lines", s, n)
		}
	}
}

func TestStepKindsHaveCommands(t *testing.T) {
	t.Parallel()
	m := testModel(t, 100, 30)
	l := &lessons.Lesson{ID: "x"}
	for _, k := range []lessons.Kind{lessons.KindPull, lessons.KindImages, lessons.KindPs} {
		if c := m.painter().Command(m.cardOf(l, &lessons.Step{Kind: k, Arg: "busybox"})); !strings.HasPrefix(c, "docker ") {
			t.Errorf("%s: %q", k, c)
		}
	}
}

func TestExplainCoversEveryKind(t *testing.T) {
	t.Parallel()
	for k := docker.KindUnknown; k <= docker.KindInterrupted; k++ {
		x := i18n.Explain(&i18n.English, &docker.Error{Kind: k, Op: "pull busybox", Host: "unix:///var/run/docker.sock"}, "busybox", "")
		if x.Title == "" || x.Plain == "" {
			t.Errorf("kind %v: empty explanation %+v", k, x)
		}
	}
	if x := i18n.Explain(&i18n.English, errors.New("boom"), "", ""); x.Docker != "boom" {
		t.Errorf("unknown error: %+v", x)
	}
}

// TestEveryScreenAtEverySize: the lesson list, a lesson with a pulled step,
// the Dockerfile editor and the command line with help open, from 1x1 to
// 300x100: never a panic, never a line wider or a screen taller than the
// terminal, and below the minimum the "make the terminal bigger" screen.
func TestEveryScreenAtEverySize(t *testing.T) {
	t.Parallel()
	cmdline := func(m Model) Model {
		m = update1(m, press("?"))
		m = update1(m, press(":"))
		return typeText(m, strings.Repeat("images ", 40))
	}
	screens := map[string]Model{
		"list":    testModel(t, 120, 40),
		"lesson":  pulledModel(t, "en", 120, 40),
		"editor":  editorModel(t, "en", 120, 40),
		"cmdline": cmdline(pulledModel(t, "en", 120, 40)),
	}
	for name, m := range screens {
		for _, w := range []int{1, 2, 10, 59, 60, 80, 120, 300} {
			for _, h := range []int{1, 2, 19, 20, 24, 40, 100} {
				m = update1(m, tea_size(w, h))
				out := viewText(m)
				lines := strings.Split(out, "\n")
				if len(lines) > h {
					t.Errorf("%s %dx%d: %d lines", name, w, h, len(lines))
				}
				for i, line := range lines {
					if lw := ansiWidth(line); lw > w {
						t.Errorf("%s %dx%d: line %d is %d cells wide", name, w, h, i, lw)
						break
					}
				}
				small := w < MinWidth || h < MinHeight
				if small && w >= 40 && h >= 3 && !strings.Contains(strings.Join(strings.Fields(out), " "), "make the terminal bigger (need 60x20") {
					t.Errorf("%s %dx%d: no size message:\n%s", name, w, h, out)
				}
			}
		}
	}
}

// TestPasteFloodsAreCapped: 10 kB pasted into the command line, the step's
// reference and the Dockerfile editor is cut at each one's limit, and the
// screen stays within the terminal.
func TestPasteFloodsAreCapped(t *testing.T) {
	t.Parallel()
	flood := strings.Repeat("docker images busybox ", 500) // ~11 kB
	m := pulledModel(t, "en", 100, 30)
	m = update1(m, press(":"))
	m = update1(m, tea.PasteMsg{Content: flood})
	if n := len([]rune(m.cmd.input.Value())); n == 0 || n > engine.MaxCommand {
		t.Errorf("command line holds %d runes after a 10 kB paste (cap %d)", n, engine.MaxCommand)
	}
	for i, line := range strings.Split(viewText(m), "\n") {
		if w := ansiWidth(line); w > 100 {
			t.Fatalf("line %d is %d wide", i, w)
		}
	}
	m = update1(m, press("esc"))
	m = update1(m, press("e"))
	if !m.edit.on {
		t.Fatal("e does not edit the step")
	}
	m = update1(m, tea.PasteMsg{Content: flood})
	if n := len([]rune(m.edit.input.Value())); n > engine.MaxCommand {
		t.Errorf("the step's reference holds %d runes after a 10 kB paste (cap %d)", n, engine.MaxCommand)
	}
	e := editorModel(t, "en", 100, 30)
	e = update1(e, tea.PasteMsg{Content: strings.Repeat("RUN echo flood\n", 2000)}) // 30 kB
	if n := len([]rune(e.editor.ta.Value())); n > maxDockerfile {
		t.Errorf("the editor holds %d runes after a 30 kB paste (cap %d)", n, maxDockerfile)
	}
}

// BenchmarkKeyFlood: a key held down on a lesson (j, repeated): the cost of
// one key press and its frame, which is what piles up if a terminal sends
// keys faster than they are handled.
func BenchmarkKeyFlood(b *testing.B) {
	m := pulledModel(b, "en", 120, 40)
	for i := 0; b.Loop(); i++ {
		k := "j"
		if i%50 >= 25 {
			k = "k"
		}
		m = update1(m, press(k))
		_ = m.View()
	}
}

// TestDaemonBannerKeepsTheReadingPlace: the learner is reading a step far
// down the lesson when the daemon goes away: the banner that appears at the
// top of the lesson does not push what they read off the screen, nor does
// its going away when the daemon is back.
func TestDaemonBannerKeepsTheReadingPlace(t *testing.T) {
	t.Parallel()
	m := pulledModel(t, "en", 100, 30)
	for range 4 {
		m = update1(m, press("n"))
	}
	card := func(m Model) bool { return strings.Contains(viewText(m), "Step 5 ·") }
	if !card(m) {
		t.Fatalf("step 5 not on screen:\n%s", viewText(m))
	}
	m = update1(m, snapshotMsg{err: &docker.Error{Kind: docker.KindSocketMissing, Host: "unix:///var/run/docker.sock"}})
	if m.daemon.conn != connDown || !card(m) {
		t.Errorf("after the daemon went away (conn %v):\n%s", m.daemon.conn, viewText(m))
	}
	m = update1(m, connectedMsg{engine: testEngine})
	if m.daemon.conn != connUp || !card(m) {
		t.Errorf("after it came back:\n%s", viewText(m))
	}
}

// On a real daemon the "pull" event's re-read of the images usually arrives
// before the pull's own answer: the layers that came with the pull are still
// marked new (they were not there when it started).
func TestNewLayersMarkedWhenTheEventComesFirst(t *testing.T) {
	t.Parallel()
	m := testModel(t, 120, 40)
	m = update1(m, connectedMsg{engine: testEngine})
	m = update1(m, press("j"))
	m = update1(m, press("enter"))
	mine := docker.Image{ID: "sha256:15708ef4fbc7aaaa", Repo: "myapp", Tag: "dev"}
	m = update1(m, snapshotMsg{images: []docker.Image{mine}, diffIDs: map[string][]string{mine.ID: {"sha256:d5cf7e0c7dad9995"}}})
	m = update1(m, press("enter"))
	k := engine.StepKey{Lesson: "pull", Index: 0}
	pulled := docker.Image{ID: "sha256:b10cefd55dc1d50d", Repo: "busybox", Tag: "latest"}
	// The event first: the new image and its layers are in the snapshot.
	m = update1(m, snapshotMsg{images: []docker.Image{pulled, mine}, diffIDs: map[string][]string{
		mine.ID: {"sha256:d5cf7e0c7dad9995"}, pulled.ID: {"sha256:d5cf7e0c7dad9995", "sha256:d2edc86cfa67aaaa"}}})
	ref, _ := docker.ParseRef("busybox")
	m = update1(m, pullDoneMsg{key: k, at: fixedNow, result: docker.PullResult{Ref: ref, ImageID: pulled.ID, Progress: docker.PullProgress{Done: true}}})
	m = update1(m, stackMsg{ref: "busybox:latest", found: true, stack: docker.LayerStack{ID: pulled.ID, Layers: []docker.Layer{
		{Index: 0, DiffID: "sha256:d5cf7e0c7dad9995", Size: 1982256, Instruction: "COPY file:73e2b2d48642 in /bin/busybox"},
		{Index: 1, DiffID: "sha256:d2edc86cfa67aaaa", Size: 3261, Instruction: "RUN /bin/busybox --install -s /bin"},
	}}})
	if !m.pic.newLayers["sha256:d2edc86cfa67aaaa"] || m.pic.newLayers["sha256:d5cf7e0c7dad9995"] {
		t.Fatalf("new layers %v: want only d2edc86cfa67 (d5cf7e0c7dad was on the daemon already)", m.pic.newLayers)
	}
	if s := viewText(m); !strings.Contains(s, "d2edc86cfa67  3.26kB  ← new") {
		t.Errorf("the new layer is not marked on screen:\n%s", s)
	}
}

// TestOpenALessonAtStart: --lesson ID opens that lesson once the screen has
// a size, in place of where the learner left off; an unknown id is refused
// before the screen starts, listing the lessons.
func TestOpenALessonAtStart(t *testing.T) {
	t.Parallel()
	o := testModel(t, 100, 30).opts
	opts := *o
	opts.Progress = lessons.Progress{Lesson: "commit", Step: 2}
	opts.Open = "build"
	m := update1(New(opts), tea_size(100, 30))
	if l := m.lesson(); m.nav.screen != screenLesson || l == nil || l.ID != "build" {
		t.Fatalf("opened %v", l)
	}
	opts.Open = ""
	if m := update1(New(opts), tea_size(100, 30)); m.lesson().ID != "commit" || m.work.eng.Selected["commit"] != 2 {
		t.Errorf("without --lesson the learner's place: %s step %d", m.lesson().ID, m.work.eng.Selected["commit"]+1)
	}
	if err := CheckLesson(opts, "build"); err != nil {
		t.Error(err)
	}
	err := CheckLesson(opts, "biuld")
	if err == nil || !strings.Contains(err.Error(), "no lesson \"biuld\"; the lessons are:\n  1. ") || !strings.Contains(err.Error(), "(images-containers)\n  2. ") || !strings.Contains(err.Error(), "11. An image is files (image-files)") {
		t.Errorf("%v", err)
	}
}

// TestThePanelGrowsAsAPullBringsLayers: while a pull runs, the layers panel
// shows the image on its way, top first, each layer waiting, coming, already
// here (shared) or arrived; when the pull ends it shows the image itself.
func TestThePanelGrowsAsAPullBringsLayers(t *testing.T) {
	t.Parallel()
	m, k, _ := pullingModel(t)
	p := docker.PullProgress{Layers: []docker.LayerProgress{
		{ID: "aaaaaaaaaaa1", Phase: docker.PhaseExists},
		{ID: "aaaaaaaaaaa2", Phase: docker.PhaseComplete, Size: 3_000_000},
		{ID: "aaaaaaaaaaa3", Phase: docker.PhaseDownloading, Current: 1 << 20, Total: 4 << 20},
		{ID: "aaaaaaaaaaa4", Phase: docker.PhaseWaiting},
	}}
	m = update1(m, pullUpdateMsg{key: k, progress: p.Clone(), at: time.Now()})
	out := viewText(m)
	want := []string{"Layers · python:3.6.0-slim · pulling", "4 layers: 1 already on disk, 1 arrived, 2 to come", "┌ top (newest)",
		"□ aaaaaaaaaaa4  waiting", "▒ aaaaaaaaaaa3  on its way 12%", "■ aaaaaaaaaaa2  3MB  ← arrived",
		"■ aaaaaaaaaaa1  already here (shared)", "└ base (oldest)"}
	at := 0
	for _, w := range want {
		i := strings.Index(out[at:], w)
		if i < 0 {
			t.Fatalf("the panel lacks %q after what came before:\n%s", w, out)
		}
		at += i + len(w)
	}
	p.Layers[2].Phase, p.Layers[3].Phase = docker.PhaseComplete, docker.PhaseComplete
	m = update1(m, pullDoneMsg{key: k, at: time.Now(), result: docker.PullResult{Progress: p}})
	if out := viewText(m); strings.Contains(out, "· pulling") || strings.Contains(out, "← arrived") {
		t.Errorf("the pull ended; the panel still shows it on its way:\n%s", out)
	}
}

// TestEscRightAfterEnterStopsThePull: esc pressed before the pull has
// reported anything (a slow daemon) stops it; it does not leave the lesson
// with the pull going on.
func TestEscRightAfterEnterStopsThePull(t *testing.T) {
	t.Parallel()
	m := testModel(t, 120, 40)
	m = update1(m, connectedMsg{engine: testEngine})
	m = lessonAt(t, m, "pull")
	m.selectStep(2)
	m.settle()
	nm, cmd := m.Update(press("enter"))
	m = nm.(Model)
	k := engine.StepKey{Lesson: "pull", Index: 2}
	if m.work.eng.Steps[k].Status != engine.Running {
		t.Fatalf("enter did not start the pull: %+v", m.work.eng.Steps[k])
	}
	nm, _ = m.Update(press("esc"))
	m = nm.(Model)
	if m.nav.screen != screenLesson {
		t.Fatal("esc left the lesson instead of stopping the pull")
	}
	m = settle(t, m, cmd, 10*time.Second)
	if s := m.work.eng.Steps[k]; docker.KindOf(s.Err) != docker.KindCanceled || m.work.running != nil {
		t.Errorf("after esc: status %v, error %v, running %v", s.Status, s.Err, m.work.running)
	}
	if calls := m.opts.Client.(*fakeDaemon).calls(); !slices.ContainsFunc(calls, func(c string) bool { return strings.HasPrefix(c, "pull ") }) {
		t.Errorf("the daemon was not asked for the pull: %v", calls)
	}
}

// TestAPullOfANewNameIsNotUpToDate: a pull that brought nothing because every
// layer was already on disk says the name is on the daemon now when it was
// not there before; "already up to date" only when the name was there and
// still names the same image.
func TestAPullOfANewNameIsNotUpToDate(t *testing.T) {
	t.Parallel()
	ref, _ := docker.ParseRef("busybox")
	for _, c := range []struct {
		name   string
		result docker.PullResult
		want   string
	}{
		{"new name", docker.PullResult{Ref: ref, ImageID: "sha256:b1"}, "busybox:latest is on your daemon now: every one of its layers was already here"},
		{"same image", docker.PullResult{Ref: ref, ImageID: "sha256:b1", TagExisted: true, PreviousID: "sha256:b1"}, "busybox:latest was already up to date"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := testModel(t, 120, 40)
			m = update1(m, connectedMsg{engine: testEngine})
			m = lessonAt(t, m, "pull")
			m = update1(m, press("enter"))
			k := engine.StepKey{Lesson: "pull", Index: 0}
			c.result.Progress = docker.PullProgress{Done: true, UpToDate: true}
			m = update1(m, pullDoneMsg{key: k, at: fixedNow, result: c.result})
			card := flatten(ansiStrip(m.painter().Card(m.cardOf(m.lesson(), m.lesson().Steps[0]), 200)))
			if !strings.Contains(card, c.want) {
				t.Errorf("card lacks %q: %s", c.want, card)
			}
		})
	}
}

// TestAFinishedTableKeepsWhatWasTrueWhenItRan: a docker images card shows the
// images as they were when the step ran; an image pulled later does not
// appear on it (nor get its "←" mark), only on a new run of the step.
func TestAFinishedTableKeepsWhatWasTrueWhenItRan(t *testing.T) {
	t.Parallel()
	m, idx := openAt(t, 160, 50, "pull", func(st *lessons.Step) bool { return st.Kind == lessons.KindImages })
	l := m.lesson()
	m.selectStep(idx)
	m.settle()
	m = update1(m, press("enter"))
	before := []docker.Image{{ID: "sha256:aaaa00000001", Repo: "busybox", Tag: "latest", Created: fixedNow.Add(-time.Hour), Size: 2000000}}
	m = answer(m, snapshotMsg{images: before})
	later := append([]docker.Image{{ID: "sha256:bbbb00000002", Repo: "python", Tag: "3.6.0-slim", Created: fixedNow, Size: 3000000}}, before...)
	m.pic.lastPulledID = "sha256:bbbb00000002"
	m = update1(m, snapshotMsg{images: later})
	card := ansiStrip(m.painter().Card(m.cardOf(l, l.Steps[idx]), 160))
	if !strings.Contains(card, "busybox") || strings.Contains(card, "python") {
		t.Errorf("the finished card changed with a later picture:\n%s", card)
	}
	m = update1(m, press("enter"))
	m = answer(m, snapshotMsg{images: later})
	if card := ansiStrip(m.painter().Card(m.cardOf(l, l.Steps[idx]), 160)); !strings.Contains(card, "python") {
		t.Errorf("running the step again shows the images now:\n%s", card)
	}
}

// TestALongNoticeIsReadWhole: a cleanup that kept something says which and
// why; at 80x24 that is more than a row, and the footer grows to show it
// whole (the lesson pane gives up the rows), then shrinks back at the next key.
func TestALongNoticeIsReadWhole(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "ko"} {
		t.Run(lang, func(t *testing.T) {
			m := testModel(t, 80, 24)
			if m.opts.Lang != lang {
				m = m.switchLanguage()
			}
			m = update1(m, connectedMsg{engine: testEngine})
			m = lessonAt(t, m, "commit")
			m = update1(m, cleanupDoneMsg{results: []docker.CleanupResult{
				{Item: docker.CleanupItem{Kind: docker.ItemContainer, Name: "layerlab-commit-1"}},
				{Item: docker.CleanupItem{Kind: docker.ItemTag, Name: "pyubuntu:init"}, Err: &docker.Error{Kind: docker.KindConflict, Container: "learner-app", Conflict: docker.ConflictContainer}},
			}})
			out := viewText(m)
			lines := strings.Split(out, "\n")
			if len(lines) != 24 {
				t.Fatalf("%d lines, want 24:\n%s", len(lines), out)
			}
			why := i18n.Explain(m.t, &docker.Error{Kind: docker.KindConflict, Container: "learner-app", Conflict: docker.ConflictContainer}, "pyubuntu:init", "").Title
			if f := flatten(strings.Join(lines[21:], "\n")); !strings.Contains(f, flatten(why)) || strings.Contains(f, "…") {
				t.Errorf("the footer does not read the reason whole (%q):\n%s", why, out)
			}
			m = update1(m, press("j"))
			if lines := strings.Split(viewText(m), "\n"); len(lines) != 24 || strings.Contains(lines[23], "pyubuntu:init") {
				t.Errorf("the notice did not go at the next key:\n%s", viewText(m))
			}
		})
	}
}
