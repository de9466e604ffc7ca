package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/tui/render"
)

// classroomEvery is the classroom server's pace of a pull's pictures
// (classroom/server.go streamEvery).
const classroomEvery = time.Second / 5

// classroomPullModel is a learner's app as the classroom server runs it
// (100x30, as bench/run.sh --classroom's sessions, pictures 5 a second),
// the pull lesson open at its last pull step, that step running.
func classroomPullModel(tb testing.TB) (Model, engine.StepKey) {
	byLang, err := builtinByLang()
	if err != nil {
		tb.Fatal(err)
	}
	m := New(Options{Client: &fakeDaemon{}, Lessons: byLang["en"], Languages: byLang, Lang: "en", Dark: true,
		Now: func() time.Time { return fixedNow }, StreamInterval: classroomEvery, SecondSession: "ssh -p 2222 ada@class"})
	m = update1(m, tea.WindowSizeMsg{Width: 100, Height: 30})
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
		tb.Fatal("no pull step in the pull lesson")
	}
	m.selectStep(st.Index)
	m.settle()
	k := engine.StepKey{Lesson: l.ID, Index: st.Index}
	m.work.eng.State(k).Status = engine.Running
	m.work.eng.State(k).Started = fixedNow
	m.work.running = &runningOp{key: k}
	return m, k
}

// classroomPullStream is what a learner's app receives during one pull of
// bench/run.sh --classroom's stand-in python:3.6.0-slim (busybox and a
// 40 MB layer), 20 s long as at 30 learners: a picture every 200 ms and the
// spinner's ticks (12 a second) between them, then the pull's end. Each
// message carries its time on the simulated clock from start.
func classroomPullStream(k engine.StepKey, start time.Time, spinID int) []tea.Msg {
	const dur = 20 * time.Second
	sizes := []int64{1_100_000, 40 << 20}
	ids := []string{"5d20c808ce19", "a3ed95caeb02"}
	progress := func(t time.Duration) docker.PullProgress {
		var p docker.PullProgress
		f := float64(t) / float64(dur) // 0..1 of the pull
		for i, n := range sizes {
			l := docker.LayerProgress{ID: ids[i], Total: n, Size: n}
			// busybox downloads in the first tenth, the big layer from then
			// to 80%, each extracts right after.
			from, to := 0.0, 0.1
			if i == 1 {
				from, to = 0.05, 0.8
			}
			switch {
			case f < from:
				l.Phase, l.Status = docker.PhaseWaiting, "Waiting"
			case f < to:
				l.Phase, l.Status = docker.PhaseDownloading, "Downloading"
				l.Current = int64(float64(n) * (f - from) / (to - from))
			case f < to+0.1:
				l.Phase, l.Status = docker.PhaseExtracting, "Extracting"
				l.Current = int64(float64(n) * (f - to) / 0.1)
			default:
				l.Phase, l.Status = docker.PhaseComplete, "Pull complete"
			}
			p.Layers = append(p.Layers, l)
		}
		return p
	}
	var msgs []tea.Msg
	tick := time.Second / 12
	nextPic, nextTick := classroomEvery, tick
	for nextPic < dur || nextTick < dur {
		if nextTick < nextPic {
			msgs = append(msgs, spinner.TickMsg{Time: start.Add(nextTick), ID: spinID})
			nextTick += tick
			continue
		}
		msgs = append(msgs, pullUpdateMsg{key: k, progress: progress(nextPic), at: start.Add(nextPic)})
		nextPic += classroomEvery
	}
	final := progress(dur)
	final.Digest = "sha256:" + strings.Repeat("c", 64)
	ref, _ := docker.ParseRef("python:3.6.0-slim")
	msgs = append(msgs, pullUpdateMsg{key: k, progress: final, at: start.Add(dur)},
		pullDoneMsg{key: k, at: start.Add(dur), result: docker.PullResult{Ref: ref, From: ref.Full(), ImageID: "sha256:" + strings.Repeat("d", 64), Progress: final}})
	return msgs
}

// BenchmarkClassroomPull: one learner's whole pull on the classroom server
// (classroomPullStream: 100 pictures, 240 spinner ticks, the end), each
// message through Update and its frame drawn (Bubble Tea calls View after
// every message). ns/op is the server's CPU for one learner's pull;
// ns/frame per message.
func BenchmarkClassroomPull(b *testing.B) {
	m0, k := classroomPullModel(b)
	msgs := classroomPullStream(k, time.Now(), m0.look.spin.ID())
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		m, _ := classroomPullModel(b)
		b.StartTimer()
		for _, msg := range msgs {
			m = update1(m, msg)
			_ = m.View()
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(msgs)), "ns/frame")
}

// TestClassroomPullFinalFrame: after the last message of a pull (its end)
// the frame shows the pull finished, not a picture of it running; and every
// picture on the way shows what its message said, after the help opened
// over it and closed too (frames kept and cards not drawn are never stale).
func TestClassroomPullFinalFrame(t *testing.T) {
	t.Parallel()
	m, k := classroomPullModel(t)
	msgs := classroomPullStream(k, time.Now(), m.look.spin.ID())
	for i, msg := range msgs {
		if i == len(msgs)/3 || i == len(msgs)/3+20 {
			// The help opened over the pull and closed again: the pull's
			// pictures meanwhile show once it is closed.
			m = update1(m, press("?"))
			_ = m.View()
		}
		m = update1(m, msg)
		out := ansi.Strip(m.View().Content)
		if pu, ok := msg.(pullUpdateMsg); ok && !m.helpScr.open {
			done, total := pu.progress.Bytes()
			want := strings.SplitN(fmt.Sprintf(m.t.PullTotalFmt, render.HumanSize(done), render.HumanSize(total), "X"), " · ", 2)[0]
			if !strings.Contains(out, want) && i < len(msgs)-2 {
				t.Fatalf("message %d (%d/%d bytes): the frame does not show %q:\n%s", i, done, total, want, out)
			}
		}
	}
	out := ansi.Strip(m.View().Content)
	if s := m.work.eng.Steps[k]; s == nil || s.Status != engine.Done {
		t.Fatalf("the step is not done: %+v", s)
	}
	if strings.Contains(out, "Downloading") || strings.Contains(out, m.t.StepRunning) || !strings.Contains(out, "Digest: sha256:ccc") {
		t.Fatalf("the final frame does not show the pull finished:\n%s", out)
	}
}

// BenchmarkClassroomHelpKey: the key bench/run.sh --classroom times while
// the pulls run (? opens the help, ? closes it), in a learner's app on the
// server mid-pull: each key through Update and its frame drawn.
func BenchmarkClassroomHelpKey(b *testing.B) {
	m, k := classroomPullModel(b)
	msgs := classroomPullStream(k, time.Now(), m.look.spin.ID())
	for _, msg := range msgs[:len(msgs)/2] {
		m = update1(m, msg)
	}
	b.ReportAllocs()
	for b.Loop() {
		m = update1(m, press("?"))
		_ = m.View()
	}
	if !m.helpScr.open && !strings.Contains(ansi.Strip(m.View().Content), "total") {
		b.Fatal("the pull is not on screen")
	}
}

// BenchmarkClassroomPullView: one frame of a learner's app mid-pull drawn
// anew (View without the frame kept), the part of a picture's cost that is
// not its card.
func BenchmarkClassroomPullView(b *testing.B) {
	m, k := classroomPullModel(b)
	msgs := classroomPullStream(k, time.Now(), m.look.spin.ID())
	for _, msg := range msgs[:len(msgs)/2] {
		m = update1(m, msg)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = m.render()
	}
}

// BenchmarkClassroomSettle: a message that the page is made again after
// (settle: every card of the lesson drawn), mid-pull, with its frame.
func BenchmarkClassroomSettle(b *testing.B) {
	m, k := classroomPullModel(b)
	msgs := classroomPullStream(k, time.Now(), m.look.spin.ID())
	for _, msg := range msgs[:len(msgs)/2] {
		m = update1(m, msg)
	}
	b.ReportAllocs()
	for b.Loop() {
		m = update1(m, clearHighlightMsg{gen: -1})
		_ = m.View()
	}
}
