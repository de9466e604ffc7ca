package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// The daemon tests of the cards that follow the daemon (follow_test.go
// tests the same without one): the daemon's own events, as this engine
// sends them, are what an exercise counts.

// stepWhere is the state of the first step of the open lesson that match
// accepts, and its key.
func stepWhere(m Model, match func(*lessons.Step) bool) (*engine.StepState, engine.StepKey) {
	l := m.lesson()
	for _, st := range l.Steps {
		if match(st) {
			k := engine.StepKey{Lesson: l.ID, Index: st.Index}
			return m.work.eng.Steps[k], k
		}
	}
	return nil, engine.StepKey{}
}

func checkArg(arg string) func(*lessons.Step) bool {
	return func(st *lessons.Step) bool { return st.Kind == lessons.KindCheck && st.Arg == arg }
}

func whyOf(s *engine.StepState) engine.WhyCode {
	if s == nil {
		return engine.WhyNone
	}
	return s.Why.Code
}

// TestExercisesCountTheLearnersEvents: before layerlab opens, the learner's
// daemon already has a running container of busybox's image id and a
// pyubuntu:mine committed on busybox: the commit lesson's exercises do not
// count them, and say so. The learner then starts a container and commits
// in their own terminal: the daemon's events (start, tag) mark both done.
// In the rmi lesson, docker tag pyubuntu:mine pyubuntu:mine2 then docker
// rmi pyubuntu:mine only untags: the removal is not done and says what is
// left; docker rmi pyubuntu:mine2 deletes the image: done.
func TestExercisesCountTheLearnersEvents(t *testing.T) {
	_, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	for _, ref := range []string{"busybox:latest", "pyubuntu:mine", "pyubuntu:mine2"} {
		dockertest.PreserveTag(t, api, ref)
	}
	ctx := context.Background()
	pullAs(t, api, reg.Host+"/library/busybox:latest", "busybox:latest")
	bb, err := api.ImageInspect(ctx, "busybox:latest")
	if err != nil {
		t.Fatal(err)
	}
	// The learner's from before: run by image id, changed, committed.
	before := "layerlab-test-before-" + reg.Nonce
	id := dockertest.UserContainer(t, api, bb.ID, before)
	if err := api.ContainerStart(ctx, id, container.StartOptions{}); err != nil {
		t.Fatal(err)
	}
	execIn(t, api, before, "echo before > /before.txt")
	dockertest.Commit(t, api, before, "pyubuntu:mine")
	m, cmd := liveModel(t, reg.Host)
	m.opts.Live = true
	nm, _ := m.openLesson(3) // the commit lesson, before the daemon answers
	m = nm.(Model)
	learner := "layerlab-test-learner-" + reg.Nonce
	phase := 0
	var said []string
	m = script(t, m, cmd, 120*time.Second, func(m Model, msg tea.Msg) (tea.Cmd, bool) {
		switch phase {
		case 0: // what was there does not count
			ctr, _ := stepWhere(m, checkArg("container busybox"))
			com, _ := stepWhere(m, checkArg("committed pyubuntu:mine busybox:latest"))
			if !m.daemon.events.live || whyOf(ctr) != engine.WhyContainerBefore || whyOf(com) != engine.WhyCommitBefore {
				return nil, false
			}
			if ctr.Status == engine.Done || com.Status == engine.Done {
				t.Fatal("what was there before counted")
			}
			said = append(said, i18n.WhyText(m.t, ctr.Why), i18n.WhyText(m.t, com.Why))
			// The learner, in their own terminal: docker run -dit busybox,
			// a change, docker commit.
			id := dockertest.UserContainer(t, api, "busybox:latest", learner)
			if err := api.ContainerStart(ctx, id, container.StartOptions{}); err != nil {
				t.Fatal(err)
			}
			execIn(t, api, learner, "echo mine > /mine.txt")
			dockertest.Commit(t, api, learner, "pyubuntu:mine")
			phase = 1
		case 1:
			ctr, _ := stepWhere(m, checkArg("container busybox"))
			com, _ := stepWhere(m, checkArg("committed pyubuntu:mine busybox:latest"))
			if ctr != nil && com != nil && ctr.Status == engine.Done && com.Status == engine.Done && m.idle() {
				phase = 2
				return keys("]"), false // the rmi lesson
			}
		case 2: // its removal exercise has seen pyubuntu:mine
			rm, _ := stepWhere(m, checkArg("removed pyubuntu:mine"))
			if m.lesson().ID != "rmi" || rm == nil || !rm.SeenTarget {
				return nil, false
			}
			if err := api.ImageTag(ctx, "pyubuntu:mine", "pyubuntu:mine2"); err != nil {
				t.Fatal(err)
			}
			if _, err := api.ImageRemove(ctx, "pyubuntu:mine", image.RemoveOptions{}); err != nil {
				t.Fatal(err)
			}
			phase = 3
		case 3:
			rm, _ := stepWhere(m, checkArg("removed pyubuntu:mine"))
			if rm.Status == engine.Done {
				t.Fatal("an untag marked the removal done")
			}
			if whyOf(rm) != engine.WhyUntagged {
				return nil, false
			}
			said = append(said, i18n.WhyText(m.t, rm.Why))
			if _, err := api.ImageRemove(ctx, "pyubuntu:mine2", image.RemoveOptions{}); err != nil {
				t.Fatal(err)
			}
			phase = 4
		case 4:
			rm, _ := stepWhere(m, checkArg("removed pyubuntu:mine"))
			return nil, rm.Status == engine.Done
		}
		return nil, false
	})
	for i, want := range []string{"the container " + before + " runs from busybox:latest, but it was started before this exercise",
		"pyubuntu:mine was there before this exercise", "docker rmi pyubuntu:mine only untagged it"} {
		if i >= len(said) || !strings.Contains(said[i], want) {
			t.Errorf("said %q, want %q", said, want)
		}
	}
	if len(said) == 3 && !strings.Contains(said[2], "named pyubuntu:mine2") {
		t.Errorf("the untag does not name what is left: %q", said[2])
	}
}

// execIn runs sh in the container as docker exec does, and waits for its end.
func execIn(t *testing.T, api *client.Client, ctr, sh string) {
	t.Helper()
	dockertest.Exec(t, api, ctr, sh)
}

// TestAFrozenDaemonFailsTheImagesStep: the daemon stops answering (through
// the fault proxy: every answer held longer than the step waits): docker
// images is not done with the list on screen, it fails, saying the daemon
// does not answer; the daemon back, it is done with the daemon's answer.
func TestAFrozenDaemonFailsTheImagesStep(t *testing.T) {
	dockertest.Daemon(t)
	p := dockertest.StartProxy(t)
	cli, err := docker.New(docker.Endpoint{Host: p.Host, Source: "DOCKER_HOST"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	m := New(Options{Client: cli, Lessons: builtin(t), Dark: true, Workspace: t.TempDir(),
		Live: true, AnswerTimeout: 800 * time.Millisecond})
	m = update1(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	k := engine.StepKey{Lesson: "images-containers", Index: 0}
	phase := 0
	var card string
	_ = script(t, m, m.Init(), 60*time.Second, func(m Model, msg tea.Msg) (tea.Cmd, bool) {
		switch phase {
		case 0:
			if m.daemon.conn == connUp && m.pic.read {
				p.Delay(3 * time.Second) // frozen: it takes calls, answers none in time
				phase = 1
				return keys("enter", "enter"), false
			}
		case 1:
			s := m.work.eng.Steps[k]
			if s == nil || s.Status == engine.Running {
				return nil, false
			}
			if s.Status != engine.Failed || docker.KindOf(s.Err) != docker.KindNoAnswer || s.Table != nil {
				t.Fatalf("on a frozen daemon: %v %v", s.Status, s.Err)
			}
			card = flatten(ansiStrip(m.painter().Card(m.cardOf(m.lesson(), m.lesson().Steps[0]), 120)))
			p.Delay(0)
			phase = 2
			return keys("enter"), false
		case 2:
			s := m.work.eng.Steps[k]
			return nil, s != nil && s.Status == engine.Done && s.Table != nil
		}
		return nil, false
	})
	if !strings.Contains(card, "The daemon does not answer") || strings.Contains(card, "✓ done") {
		t.Errorf("the frozen daemon's card:\n%s", card)
	}
}

// TestARunStepFollowsItsContainerOnTheDaemon: the containers lesson starts
// layerlab-box-1; the learner removes it (docker rm -f): the card says it is
// gone, and enter starts it again.
func TestARunStepFollowsItsContainerOnTheDaemon(t *testing.T) {
	_, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	dockertest.PreserveTag(t, api, "busybox:latest")
	pullAs(t, api, reg.Host+"/library/busybox:latest", "busybox:latest")
	ctx := context.Background()
	m, cmd := liveModel(t, reg.Host)
	m.opts.Live = true
	nm, _ := m.openLesson(2) // containers
	m = nm.(Model)
	run := 0
	for _, st := range m.lesson().Steps {
		if st.Kind == lessons.KindRun {
			run = st.Index
			break
		}
	}
	m.selectStep(run)
	k := engine.StepKey{Lesson: "containers", Index: run}
	phase := 0
	first := ""
	var card string
	m = script(t, m, cmd, 60*time.Second, func(m Model, msg tea.Msg) (tea.Cmd, bool) {
		s := m.work.eng.Steps[k]
		switch phase {
		case 0:
			if m.daemon.events.live && m.idle() {
				phase = 1
				return keys("enter"), false
			}
		case 1:
			if s != nil && s.Status == engine.Done && s.ContainerID != "" {
				first = s.ContainerID
				if err := api.ContainerRemove(ctx, first, container.RemoveOptions{Force: true}); err != nil {
					t.Fatal(err)
				}
				phase = 2
			}
		case 2:
			if s.Gone {
				card = flatten(ansiStrip(m.painter().Card(m.cardOf(m.lesson(), m.lesson().Steps[run]), 120)))
				phase = 3
				return keys("enter"), false
			}
		case 3:
			return nil, s.Status == engine.Done && !s.Gone && s.ContainerID != "" && s.ContainerID != first
		}
		return nil, false
	})
	for _, want := range []string{"gone", "container layerlab-box-1 is not on the daemon any more", "enter start it again"} {
		if !strings.Contains(card, want) {
			t.Errorf("the card lacks %q:\n%s", want, card)
		}
	}
	if strings.Contains(card, "✓ done") {
		t.Errorf("a removed container's step says done:\n%s", card)
	}
}
