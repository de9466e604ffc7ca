package tui

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
)

// BenchmarkFirstFrame: from building the model to the lesson list drawn, no daemon involved.
func BenchmarkFirstFrame(b *testing.B) {
	ls := builtin(b)
	cli, _ := docker.New(docker.Endpoint{Host: "unix:///var/run/docker.sock"})
	b.ReportAllocs()
	for b.Loop() {
		m := New(Options{Client: cli, Lessons: ls, Dark: true})
		m = update1(m, tea.WindowSizeMsg{Width: 120, Height: 40})
		_ = m.View()
	}
}

// BenchmarkLessonFirstRender: opening the pull lesson at a width never seen (markdown rendered).
func BenchmarkLessonFirstRender(b *testing.B) {
	ls := builtin(b)
	cli, _ := docker.New(docker.Endpoint{Host: "unix:///var/run/docker.sock"})
	b.ReportAllocs()
	for b.Loop() {
		m := New(Options{Client: cli, Lessons: ls, Dark: true})
		m = update1(m, tea.WindowSizeMsg{Width: 100, Height: 30})
		m = update1(m, press("j"))
		m = update1(m, press("enter"))
		_ = m.View()
	}
}

// BenchmarkLessonKeyPress: a key press in an open lesson (markdown comes from the cache).
func BenchmarkLessonKeyPress(b *testing.B) {
	m := testModel(b, 100, 30)
	m = update1(m, press("j"))
	m = update1(m, press("enter"))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := "n"
		if i%2 == 1 {
			k = "p"
		}
		m = update1(m, press(k))
		_ = m.View()
	}
}

// BenchmarkEditorKeystroke: one character typed into a 100-line Dockerfile in
// the editor, analysis and the whole frame (editor + explanation pane) included.
func BenchmarkEditorKeystroke(b *testing.B) {
	m := testModel(b, 120, 40)
	m = update1(m, connectedMsg{engine: testEngine})
	for i, l := range m.opts.Lessons {
		if l.ID == "dockerfile" {
			nm, _ := m.openLesson(i)
			m = nm.(Model)
		}
	}
	src := "FROM busybox:latest\nENV APP=/app NAME=layerlab\n"
	for i := 0; strings.Count(src, "\n") < 99; i++ {
		src += fmt.Sprintf("RUN echo step %d > $APP/f%d\nENV V%d=${NAME}-%d\n", i, i, i, i)
	}
	src += "CMD [\"sh\"]\n"
	m = update1(m, workspaceMsg{lesson: "dockerfile", dir: b.TempDir(), files: map[string]string{"format/Dockerfile": src}})
	m.selectStep(1)
	m.settle()
	m = update1(m, press("enter"))
	if m.editor == nil || m.editor.ta.LineCount() < 100 {
		b.Fatal("editor not open on 100 lines")
	}
	for range 50 {
		m = update1(m, tea.KeyPressMsg{Code: tea.KeyDown})
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			m = update1(m, tea.KeyPressMsg{Code: 'x', Text: "x"})
		} else {
			m = update1(m, tea.KeyPressMsg{Code: tea.KeyBackspace})
		}
		_ = m.View()
	}
}

// longLesson is a 300-line lesson (headings, prose, lists, inline code,
// code blocks, steps): bench/testdata/long-lesson.md, which bench/run.sh
// also gives glow.
func longLesson(b *testing.B) *lessons.Lesson {
	src, err := os.ReadFile("../bench/testdata/long-lesson.md")
	if err != nil {
		b.Fatal(err)
	}
	if n := strings.Count(string(src), "\n"); n < 300 {
		b.Fatalf("%d lines", n)
	}
	l, err := lessons.Parse("long.md", src)
	if err != nil {
		b.Fatal(err)
	}
	return l
}

func longModel(b *testing.B, l *lessons.Lesson, w int) Model {
	cli, _ := docker.New(docker.Endpoint{Host: "unix:///var/run/docker.sock"})
	m := New(Options{Client: cli, Lessons: []*lessons.Lesson{l}, Dark: true})
	m = update1(m, tea.WindowSizeMsg{Width: w, Height: 40})
	return update1(m, connectedMsg{engine: testEngine})
}

// BenchmarkLongLessonFirstRender: a 300-line lesson opened at width 100 for
// the first time: Glamour renders every part, then the frame is drawn.
func BenchmarkLongLessonFirstRender(b *testing.B) {
	l := longLesson(b)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		m := longModel(b, l, 100)
		b.StartTimer()
		m = update1(m, press("enter"))
		if !strings.Contains(m.View().Content, "Part 1") {
			b.Fatal("lesson not drawn")
		}
	}
}

// BenchmarkLongLessonSwitchBack: back to the list and into the same lesson
// again: its markdown comes from the cache.
func BenchmarkLongLessonSwitchBack(b *testing.B) {
	m := update1(longModel(b, longLesson(b), 100), press("enter"))
	b.ReportAllocs()
	for b.Loop() {
		m = update1(m, press("esc"))
		_ = m.View()
		m = update1(m, press("enter"))
		_ = m.View()
	}
}

// BenchmarkLongLessonResizeSeen: the terminal resized between two widths
// already drawn once (the cache holds both).
func BenchmarkLongLessonResizeSeen(b *testing.B) {
	m := update1(longModel(b, longLesson(b), 100), press("enter"))
	m = update1(m, tea.WindowSizeMsg{Width: 140, Height: 40})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		w := 100
		if i%2 == 1 {
			w = 140
		}
		m = update1(m, tea.WindowSizeMsg{Width: w, Height: 40})
		_ = m.View()
	}
}

// BenchmarkPanel: the layers panel for an image, from its selection (the
// daemon asked for its stack) to the frame that shows it, on the real
// daemon. LAYERLAB_BENCH_IMAGES names the images (comma-separated; bench/run.sh
// builds a medium and a large one); skipped without it.
func BenchmarkPanel(b *testing.B) {
	onBenchImages(b, func(b *testing.B, m Model, ref string) {
		l := m.lesson()
		for b.Loop() {
			m.pic.panelRef[l.ID] = ref
			delete(m.pic.stacks, ref)
			msg := m.loadPanel()()
			m = update1(m, msg)
			if out := m.View().Content; !strings.Contains(ansi.Strip(out), "Layers · "+docker.Familiar(ref)) {
				b.Fatalf("panel not drawn for %s:\n%s", ref, ansi.Strip(out))
			}
		}
	})
}

// onBenchImages runs f on each image LAYERLAB_BENCH_IMAGES names
// (comma-separated; bench/run.sh builds them), with the app on the real
// daemon at 120x40 and the first lesson open; skipped without it.
func onBenchImages(b *testing.B, f func(b *testing.B, m Model, ref string)) {
	refs := os.Getenv("LAYERLAB_BENCH_IMAGES")
	if refs == "" {
		b.Skip("LAYERLAB_BENCH_IMAGES not set (bench/run.sh sets it)")
	}
	cli, err := docker.New(docker.ResolveEndpoint())
	if err != nil {
		b.Fatal(err)
	}
	defer cli.Close()
	for _, ref := range strings.Split(refs, ",") {
		b.Run(ref, func(b *testing.B) {
			m := New(Options{Client: cli, Lessons: builtin(b), Dark: true})
			m = update1(m, tea.WindowSizeMsg{Width: 120, Height: 40})
			m = update1(m, connectedMsg{engine: testEngine})
			f(b, update1(m, press("enter")), ref)
		})
	}
}

// BenchmarkLayerFiles: from enter on the top layer of a real image (the
// panel in focus) to its files listed on screen, no layer read before: the
// image read as docker save streams it, every layer's paths classified.
// bench/run.sh compares it with dive's analysis of the same image.
func BenchmarkLayerFiles(b *testing.B) {
	onBenchImages(b, func(b *testing.B, m Model, ref string) {
		m = panelOn(b, m, ref)
		// The process's peak RSS while it reads (Linux: clear_refs 5
		// resets the peak), in MiB: bench/run.sh's budget.
		resetPeak := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
		for b.Loop() {
			m = filesListed(b, m, ref, false)
		}
		if hwm := peakRSS(); resetPeak && hwm > 0 {
			b.ReportMetric(hwm, "peak-RSS-MiB")
		}
	})
}

// peakRSS is the process's peak resident set (VmHWM) in MiB, 0 if unknown.
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkLayerFirstFiles: from enter on each layer of a real image, no
// layer read before, to the first frame that lists its files (its own
// paths, as soon as its tar streamed past; the layers below may still be
// read). bench/run.sh takes the median over the layers.
func BenchmarkLayerFirstFiles(b *testing.B) {
	onBenchImages(b, func(b *testing.B, m Model, ref string) {
		m = panelOn(b, m, ref)
		n := len(m.pane.stack.FSLayers())
		for i := range n {
			b.Run(fmt.Sprintf("layer%02d", n-i), func(b *testing.B) {
				m := m
				m.pane.sel = i
				for b.Loop() {
					m = filesListed(b, m, ref, true)
				}
			})
		}
	})
}

// BenchmarkLayerIndexed: from enter on the top layer of a real image whose
// layers were read once (the layer index, in a folder of the run's) to its
// files listed: no export is read.
func BenchmarkLayerIndexed(b *testing.B) {
	onBenchImages(b, func(b *testing.B, m Model, ref string) {
		m.pane.index = docker.OpenLayerIndex(b.TempDir(), 0)
		m = panelOn(b, m, ref)
		m = filesListed(b, m, ref, false) // reads the export, fills the index
		for b.Loop() {
			m = filesListed(b, m, ref, false)
		}
	})
}

func panelOn(b *testing.B, m Model, ref string) Model {
	m.pic.panelRef[m.lesson().ID] = ref
	m = update1(m, m.loadPanel()())
	if !m.pane.stackOK {
		b.Fatalf("no stack for %s", ref)
	}
	return update1(m, press("tab"))
}

// filesListed presses enter on the chosen layer, nothing kept from before,
// and waits for its files on screen: the first listing (first) or the
// answer; a read still going is stopped.
func filesListed(b *testing.B, m Model, ref string, first bool) Model {
	clear(m.pane.files)
	m.pane = m.pane.Close()
	nm, cmd := m.Update(press("enter"))
	m = nm.(Model)
	if cmd == nil {
		b.Fatal("enter did not read the files")
	}
	for {
		msg := cmd()
		m = update1(m, msg)
		out := ansi.Strip(m.View().Content)
		if pm, ok := msg.(filesProgressMsg); ok {
			if first && pm.progress.Own != nil && strings.Contains(out, "reading the layers below") {
				m.pane = m.pane.Close()
				return m
			}
			cmd = pm.next
			continue
		}
		if !strings.Contains(out, "added ·") {
			b.Fatalf("files not listed for %s:\n%s", ref, out)
		}
		return m
	}
}

// pullingModel is the pull lesson at 120x40 while a pull of 20 layers runs
// (the panel draws them arriving), with a 22-layer image that shares its
// base with 12 others on the daemon: the screen a learner watches for the
// whole of a pull (synthetic state, no daemon).
func pullingModel(b testing.TB) (Model, engine.StepKey, docker.PullProgress) {
	m := testModel(b, 120, 40)
	m = update1(m, connectedMsg{engine: testEngine})
	m = update1(m, press("j"))
	m = update1(m, press("enter"))
	l := m.lesson()
	var st *lessons.Step
	for _, p := range l.Parts {
		if p.Step != nil && p.Step.Kind == lessons.KindPull {
			st = p.Step
		}
	}
	if st == nil {
		b.Fatal("no pull step in the pull lesson")
	}
	m.selectStep(st.Index)
	m.settle()
	diff := func(i int) string { return fmt.Sprintf("sha256:%064x", i) }
	stack := docker.LayerStack{ID: "sha256:" + strings.Repeat("ab", 32), Size: 212 << 20}
	for i := range 22 {
		stack.Layers = append(stack.Layers, docker.Layer{Index: i, DiffID: diff(i), Size: 10 << 20, Instruction: fmt.Sprintf("COPY dir:%064x in /data%d", i, i)})
	}
	stack.Layers = append(stack.Layers, docker.Layer{Index: 22, Meta: true, Instruction: `CMD ["sh"]`})
	ref := m.subject()
	m = update1(m, stackMsg{ref: ref, stack: stack, found: true})
	snap := snapshotMsg{diffIDs: map[string][]string{}}
	for i := range 12 {
		id := fmt.Sprintf("sha256:%064x", 1000+i)
		snap.images = append(snap.images, docker.Image{ID: id, Repo: fmt.Sprintf("mine%d", i), Tag: "latest"})
		snap.diffIDs[id] = []string{diff(0), diff(1), diff(2000 + i)}
	}
	m = update1(m, snap)
	k := engine.StepKey{Lesson: l.ID, Index: st.Index}
	m.work.eng.State(k).Status = engine.Running
	m.work.eng.State(k).Started = time.Now()
	m.work.running = &runningOp{key: k}
	var p docker.PullProgress
	for i := range 20 {
		p.Layers = append(p.Layers, docker.LayerProgress{ID: fmt.Sprintf("%012x", i), Phase: docker.PhaseDownloading, Status: "Downloading", Current: int64(i) << 18, Total: 10 << 20})
	}
	return m, k, p
}

// BenchmarkPullFrame: one picture of a running pull (the stream sends 15 a
// second): the update folded in and the whole frame drawn. Its allocations
// are the garbage a pull makes, which sets the app's peak memory.
func BenchmarkPullFrame(b *testing.B) {
	m, k, p := pullingModel(b)
	at := time.Now()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p.Layers[i%20].Current += 1 << 16
		at = at.Add(time.Second / 15)
		m = update1(m, pullUpdateMsg{key: k, progress: p.Clone(), at: at})
		_ = m.View()
	}
}

// BenchmarkResizeNewWidth: the pull lesson open and the terminal resized to
// a width never drawn before: the Update that takes the new size, then its frame.
func BenchmarkResizeNewWidth(b *testing.B) {
	m := testModel(b, 100, 30)
	m = update1(m, press("j"))
	m = update1(m, press("enter"))
	b.ReportAllocs()
	w := 60
	for b.Loop() {
		w++
		m = update1(m, tea.WindowSizeMsg{Width: w, Height: 30})
		_ = m.View()
	}
}

// BenchmarkLessonScrollKey: ↓ and ↑ in an open lesson only scroll its page:
// the cards are not drawn again.
func BenchmarkLessonScrollKey(b *testing.B) {
	m := testModel(b, 100, 30)
	m = update1(m, press("j"))
	m = update1(m, press("enter"))
	b.ReportAllocs()
	down, up := tea.KeyPressMsg{Code: tea.KeyDown}, tea.KeyPressMsg{Code: tea.KeyUp}
	for i := 0; b.Loop(); i++ {
		k := down
		if i%2 == 1 {
			k = up
		}
		m = update1(m, k)
		_ = m.View()
	}
}
