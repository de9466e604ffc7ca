package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// The cards follow the daemon: a step says done on the daemon's answer
// only, an exercise on what the learner did since it was shown, a run step
// while its container is there. These tests run on the daemon in memory,
// in both languages.

func wholeCard(m Model, l *lessons.Lesson, idx int) string {
	return flatten(ansiStrip(m.painter().Card(m.cardOf(l, l.Steps[idx]), 120)))
}

// stepIndex is the index of the first step of lesson l that match accepts.
func stepIndex(t *testing.T, l *lessons.Lesson, match func(*lessons.Step) bool) int {
	t.Helper()
	for _, st := range l.Steps {
		if match(st) {
			return st.Index
		}
	}
	t.Fatalf("lesson %s has no such step", l.ID)
	return -1
}

// TestAnImagesStepIsDoneOnlyOnTheDaemonsAnswer: enter on docker images,
// with a list on screen from before: the step runs until the daemon answers
// its own read, showing no table and no "✓ done"; a daemon that does not
// answer (frozen) fails it, and the card says the daemon does not answer,
// in layerlab's words (the daemon said nothing). Run again on a daemon
// that answers, it is done with that answer.
func TestAnImagesStepIsDoneOnlyOnTheDaemonsAnswer(t *testing.T) {
	t.Parallel()
	words := map[string][]string{
		"en": {"running", "The daemon does not answer", "does nothing with it", "docker info", "✗ failed", "✓ done"},
		"ko": {"실행 중", "데몬이 응답하지 않습니다", "아무것도 하지 않습니다", "docker info", "✗ 실패", "✓ 완료"},
	}
	for lang, w := range words {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			m := testModelIn(t, lang, 120, 40)
			m = update1(m, connectedMsg{engine: testEngine})
			m = lessonAt(t, m, "pull")
			l := m.lesson()
			idx := stepIndex(t, l, func(st *lessons.Step) bool { return st.Kind == lessons.KindImages })
			cached := []docker.Image{{ID: "sha256:aaaa00000001", Repo: "cachedrow", Tag: "latest", Created: fixedNow.Add(-time.Hour), Size: 2000000}}
			m = update1(m, snapshotMsg{images: cached}) // the picture on screen
			m.selectStep(idx)
			m.settle()
			nm, cmd := m.Update(press("enter"))
			m = nm.(Model)
			if cmd == nil {
				t.Fatal("enter read nothing")
			}
			k := engine.StepKey{Lesson: l.ID, Index: idx}
			card := wholeCard(m, l, idx)
			if s := m.work.eng.Steps[k]; s.Status != engine.Running || !strings.Contains(card, w[0]) || strings.Contains(card, w[5]) || strings.Contains(card, "cachedrow") {
				t.Fatalf("before the daemon's answer: %v\n%s", s.Status, card)
			}
			// A picture read for something else is not the step's answer.
			m = update1(m, snapshotMsg{images: cached})
			if s := m.work.eng.Steps[k]; s.Status != engine.Running {
				t.Fatalf("done on a read that was not its own: %v", s.Status)
			}
			m = answer(m, snapshotMsg{err: &docker.Error{Kind: docker.KindNoAnswer, Op: "list images"}})
			card = wholeCard(m, l, idx)
			if s := m.work.eng.Steps[k]; s.Status != engine.Failed || m.work.busy != nil {
				t.Fatalf("no answer: %v, busy %v", s.Status, m.work.busy)
			}
			for _, want := range w[1:5] {
				if !strings.Contains(card, want) {
					t.Errorf("the card lacks %q:\n%s", want, card)
				}
			}
			if strings.Contains(card, w[5]) || strings.Contains(card, "cachedrow") || strings.Contains(card, "deadline") {
				t.Errorf("a frozen daemon's step shows done, a list or the SDK's words:\n%s", card)
			}
			m = update1(m, press("enter"))
			m = answer(m, snapshotMsg{images: cached})
			if card := wholeCard(m, l, idx); m.work.eng.Steps[k].Status != engine.Done || !strings.Contains(card, "cachedrow") || !strings.Contains(card, w[5]) {
				t.Errorf("answered: %v\n%s", m.work.eng.Steps[k].Status, card)
			}
		})
	}
}

// TestAnAnswerThatNeverComesEndsTheStep: the daemon in memory holds the
// read (a frozen daemon): the step's read gives up after AnswerTimeout, and
// the step fails, whatever the screen's list was.
func TestAnAnswerThatNeverComesEndsTheStep(t *testing.T) {
	t.Parallel()
	f := &frozenDaemon{}
	m := New(Options{Client: f, Lessons: builtin(t), Lang: "en", Dark: true, Now: func() time.Time { return fixedNow }, AnswerTimeout: 200 * time.Millisecond})
	m = update1(m, tea_size(120, 40))
	m = update1(m, connectedMsg{engine: testEngine})
	m = lessonAt(t, m, "pull")
	l := m.lesson()
	idx := stepIndex(t, l, func(st *lessons.Step) bool { return st.Kind == lessons.KindImages })
	m.selectStep(idx)
	m.settle()
	nm, cmd := m.Update(press("enter"))
	start := time.Now()
	m = settle(t, nm.(Model), cmd, 10*time.Second)
	s := m.work.eng.Steps[engine.StepKey{Lesson: l.ID, Index: idx}]
	if s.Status != engine.Failed || docker.KindOf(s.Err) != docker.KindNoAnswer {
		t.Fatalf("a read never answered: %v %v", s.Status, s.Err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("it took %v to give up", took)
	}
}

// frozenDaemon takes every list call and answers none: each ends when its
// context does, as the client ends a call the daemon never answered.
type frozenDaemon struct{ fakeDaemon }

func (f *frozenDaemon) Images(ctx context.Context) ([]docker.Image, error) {
	f.note("images")
	<-ctx.Done()
	return nil, &docker.Error{Kind: docker.KindNoAnswer, Op: "list images", Err: ctx.Err()}
}

// TestAnExerciseCountsOnlyWhatWasDoneAfterItWasShown: the commit lesson's
// "start a container from busybox": a container of busybox's image id was
// running before the lesson was opened: it does not count, and the card says
// why; the learner's docker run after it was shown (its start event) does.
func TestAnExerciseCountsOnlyWhatWasDoneAfterItWasShown(t *testing.T) {
	t.Parallel()
	words := map[string]string{"en": "but it was started before this exercise", "ko": "이 연습 전에 시작되었습니다"}
	for lang, before := range words {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			m := testModelIn(t, lang, 120, 40)
			m = update1(m, connectedMsg{engine: testEngine})
			m = lessonAt(t, m, "commit")
			l := m.lesson()
			idx := stepIndex(t, l, func(st *lessons.Step) bool { return st.Kind == lessons.KindCheck && st.Arg == "container busybox" })
			k := engine.StepKey{Lesson: l.ID, Index: idx}
			bb := docker.Image{ID: "sha256:bb", Repo: "busybox", Tag: "latest"}
			old := docker.Container{ID: "0ld", Name: "oldbox", Image: "sha256:bb", ImageID: "sha256:bb", State: "running"}
			m = update1(m, snapshotMsg{images: []docker.Image{bb}, containers: []docker.Container{old}})
			if s := m.work.eng.Steps[k]; s.Status == engine.Done || !strings.Contains(wholeCard(m, l, idx), before) || !strings.Contains(wholeCard(m, l, idx), "oldbox") {
				t.Fatalf("a container from before counted: %v\n%s", s.Status, wholeCard(m, l, idx))
			}
			// docker run -dit busybox in the learner's terminal.
			mine := docker.Container{ID: "m1ne", Name: "mybox", Image: "busybox", ImageID: "sha256:bb", State: "running"}
			at := time.Now().Add(time.Second)
			m = update1(m, daemonEventsMsg{gen: m.daemon.events.gen, events: []docker.Event{
				{Type: "container", Action: "create", ID: mine.ID, Name: mine.Name, Time: at},
				{Type: "container", Action: "start", ID: mine.ID, Name: mine.Name, Time: at}}})
			m = update1(m, snapshotMsg{images: []docker.Image{bb}, containers: []docker.Container{old, mine}})
			if s := m.work.eng.Steps[k]; s.Status != engine.Done {
				t.Fatalf("the learner's own container: %v %s", s.Status, i18n.WhyText(m.t, s.Why))
			}
		})
	}
}

// TestARemovalThatOnlyUntaggedSaysSo: docker tag pyubuntu:mine
// pyubuntu:mine2; docker rmi pyubuntu:mine. The name went, the image did
// not: the exercise is not done, and says what happened and what is left.
func TestARemovalThatOnlyUntaggedSaysSo(t *testing.T) {
	t.Parallel()
	words := map[string][]string{
		"en": {"docker rmi pyubuntu:mine only untagged it", "named pyubuntu:mine2", "nothing was deleted", "docker rmi pyubuntu:mine2"},
		"ko": {"docker rmi pyubuntu:mine", "태그만 떼었습니다", "pyubuntu:mine2 이름으로", "지워진 것이 없습니다", "docker rmi pyubuntu:mine2"},
	}
	for lang, w := range words {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			m := testModelIn(t, lang, 120, 40)
			m = update1(m, connectedMsg{engine: testEngine})
			m = lessonAt(t, m, "rmi")
			l := m.lesson()
			idx := stepIndex(t, l, func(st *lessons.Step) bool {
				return st.Kind == lessons.KindCheck && strings.HasPrefix(st.Arg, "removed ")
			})
			k := engine.StepKey{Lesson: l.ID, Index: idx}
			id := "sha256:5eed0000000011112222"
			both := []string{"pyubuntu:mine", "pyubuntu:mine2"}
			m = update1(m, snapshotMsg{images: []docker.Image{
				{ID: id, Repo: "pyubuntu", Tag: "mine", AllTags: both}, {ID: id, Repo: "pyubuntu", Tag: "mine2", AllTags: both}}})
			m = update1(m, snapshotMsg{images: []docker.Image{{ID: id, Repo: "pyubuntu", Tag: "mine2", AllTags: both[1:]}}})
			card := wholeCard(m, l, idx)
			if s := m.work.eng.Steps[k]; s.Status == engine.Done {
				t.Fatalf("an untag marked the removal done:\n%s", card)
			}
			for _, want := range w {
				if !strings.Contains(card, want) {
					t.Errorf("the card lacks %q:\n%s", want, card)
				}
			}
			m = update1(m, snapshotMsg{})
			if s := m.work.eng.Steps[k]; s.Status != engine.Done {
				t.Errorf("the image deleted: %v", s.Status)
			}
		})
	}
}

// TestAContainerRemovedElsewhereIsSaidGone: the containers lesson's first
// container is removed from the learner's terminal (docker rm -f): the
// daemon's destroy event, then its list, and the run step's card no longer
// says the container runs (nor "✓ done" with no id): it says it is gone and
// that enter starts it again. The exec step that needs it says to start it
// first and asks nothing of the daemon; enter on the run step runs it again.
func TestAContainerRemovedElsewhereIsSaidGone(t *testing.T) {
	t.Parallel()
	words := map[string][]string{
		"en": {"gone", "container layerlab-box-1 is not on the daemon any more", "enter start it again", "start it again first (step 2", "✓ done"},
		"ko": {"사라짐", "컨테이너 layerlab-box-1 이 더 이상 데몬에 없습니다", "enter 다시 시작", "먼저 다시 시작하세요 (2단계에서 enter)", "✓ 완료"},
	}
	for lang, w := range words {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			m := testModelIn(t, lang, 120, 40)
			m = update1(m, connectedMsg{engine: testEngine})
			m = lessonAt(t, m, "containers")
			l := m.lesson()
			run := stepIndex(t, l, func(st *lessons.Step) bool { return st.Kind == lessons.KindRun })
			exec := stepIndex(t, l, func(st *lessons.Step) bool { return st.Kind == lessons.KindExec })
			ct := docker.Container{ID: "b0c51d0000000000aaaa", Name: "layerlab-box-1", Image: "busybox", ImageID: "sha256:bb", State: "running", Owned: true}
			m.selectStep(run)
			m.settle()
			m = update1(m, press("enter"))
			m = update1(m, stepDoneMsg{engine.Outcome{Key: engine.StepKey{Lesson: l.ID, Index: run}, At: fixedNow, Container: &ct}})
			m = update1(m, writableMsg{name: ct.Name, layer: docker.WritableLayer{Container: ct}})
			m = update1(m, snapshotMsg{containers: []docker.Container{ct}})
			if card := wholeCard(m, l, run); !strings.Contains(card, w[4]) || !strings.Contains(card, "b0c51d000000") {
				t.Fatalf("started:\n%s", card)
			}
			// docker rm -f layerlab-box-1 in the learner's terminal. A list
			// that lacks it, with no word from the daemon, proves nothing.
			m = update1(m, snapshotMsg{})
			if s := m.work.eng.Steps[engine.StepKey{Lesson: l.ID, Index: run}]; s.Gone {
				t.Fatal("gone on a list alone")
			}
			at := time.Now()
			m = update1(m, daemonEventsMsg{gen: m.daemon.events.gen, events: []docker.Event{
				{Type: "container", Action: "die", ID: ct.ID, Name: ct.Name, Time: at},
				{Type: "container", Action: "destroy", ID: ct.ID, Name: ct.Name, Time: at}}})
			m = update1(m, snapshotMsg{})
			card := wholeCard(m, l, run)
			for _, want := range w[:3] {
				if !strings.Contains(card, want) {
					t.Errorf("the run card lacks %q:\n%s", want, card)
				}
			}
			if strings.Contains(card, w[4]) || strings.Contains(card, "()") {
				t.Errorf("the run card still says done:\n%s", card)
			}
			if _, ok := m.pic.writable[ct.Name]; ok {
				t.Error("the gone container's writable layer is still drawn")
			}
			// The exec step needs it: it says so, and runs nothing.
			calls := len(m.opts.Client.(*fakeDaemon).calls())
			m.selectStep(exec)
			m.settle()
			m = update1(m, press("enter"))
			if card := wholeCard(m, l, exec); !strings.Contains(card, w[3]) {
				t.Errorf("the exec card lacks %q:\n%s", w[3], card)
			}
			if got := m.opts.Client.(*fakeDaemon).calls()[calls:]; len(got) > 0 {
				t.Errorf("the exec on a gone container asked the daemon: %v", got)
			}
			// Enter on the run step starts it again.
			m.selectStep(run)
			m.settle()
			if b := m.runBinding(); b.Help().Desc != strings.TrimPrefix(w[2], "enter ") {
				t.Errorf("the footer's enter says %q", b.Help().Desc)
			}
			nm, cmd := m.Update(press("enter"))
			m = nm.(Model)
			if s := m.work.eng.Steps[engine.StepKey{Lesson: l.ID, Index: run}]; s.Status != engine.Running || s.Gone || cmd == nil {
				t.Errorf("enter did not start it again: %+v", s)
			}
		})
	}
}
