package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
	"github.com/layerlab/layerlab/lessons/engine"
)

// The daemon goes away in the middle of each flow a lesson runs (exec,
// commit, build, rmi; the pull has its own test above), seen the way a
// learner sees it: the card says what happened and what state things are
// in, keys still work, the header says the daemon is gone, layerlab comes
// back by itself when the daemon does and reads the picture again, and the
// step works when run again. No labelled container is left over.

// act is one thing the learner does in a scripted session: do (keys, or
// nothing), then wait until until holds.
type act struct {
	name  string
	do    func(m Model) tea.Cmd
	until func(m Model, msg tea.Msg) bool
}

// acts runs a list of acts in order inside script.
func acts(t *testing.T, list []act) func(Model, tea.Msg) (tea.Cmd, bool) {
	i, started := 0, false
	return func(m Model, msg tea.Msg) (tea.Cmd, bool) {
		for i < len(list) {
			a := list[i]
			if !started {
				started = true
				if a.do != nil {
					if c := a.do(m); c != nil {
						return c, false
					}
				}
			}
			if a.until != nil && !a.until(m, msg) {
				return nil, false
			}
			t.Logf("%s: done", a.name)
			i, started = i+1, false
		}
		return nil, true
	}
}

// runAct selects step i of the open lesson, types edit into it (if any) and
// runs it; it waits for the step to end, and the end must be want.
func runAct(t *testing.T, lesson string, i int, edit string, want engine.Status) act {
	k := engine.StepKey{Lesson: lesson, Index: i}
	return act{
		name: "run step " + itoa(i+1) + " of " + lesson,
		do: func(m Model) tea.Cmd {
			var ks []string
			for range i - m.work.eng.Selected[lesson] {
				ks = append(ks, "n")
			}
			if edit != "" {
				ks = append(ks, "e")
				for range len([]rune(m.work.eng.Ref(m.lesson(), m.lesson().Steps[i]))) + 5 {
					ks = append(ks, "backspace")
				}
				for _, r := range edit {
					ks = append(ks, string(r))
				}
				ks = append(ks, "enter")
			}
			return keys(append(ks, "enter")...)
		},
		until: func(m Model, _ tea.Msg) bool {
			s := m.work.eng.Steps[k]
			if s == nil || s.Status == engine.Running || s.Status == engine.Idle {
				return false
			}
			if s.Status != want {
				t.Fatalf("step %d of %s: status %v, error %v\n%s", i+1, lesson, s.Status, s.Err, viewText(m))
			}
			return true
		},
	}
}

// flatten is a screen's words, box drawing removed and lines joined, so
// that wrapped sentences can be searched for.
func flatten(screen string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r >= 0x2500 && r <= 0x259f { // box drawing and blocks
			return ' '
		}
		return r
	}, screen)), " ")
}

func TestDaemonGoneMidEachFlowInTheApp(t *testing.T) {
	type flow struct {
		name, lesson string
		before       []int  // steps run first, each must succeed
		target       int    // the step the daemon goes away in
		edit         string // what the learner typed into the target step
		dockerfile   string // the learner's build/Dockerfile, for a build
		// arm makes the fault: before the target starts (start) or while
		// it runs (running, called on every message until it says armed).
		start   func(p *dockertest.Proxy)
		running func(p *dockertest.Proxy, s *engine.StepState) bool
		want    []string // in the failed card's words
		// again: the step run again once the daemon is back ends this way
		again engine.Status
		// after checks the picture read again once the daemon is back.
		after func(t *testing.T, m Model)
	}
	flows := []flow{{
		name: "exec", lesson: "commit", before: []int{0, 1}, target: 2,
		edit: "echo started; sleep 5; echo finished > /finished",
		// 1.5 s in: an exec on the containerd store's runtime can take most of
		// a second to print its first line on a loaded machine.
		start: func(p *dockertest.Proxy) { p.When("/exec/", 1500*time.Millisecond, p.Down) },
		// What it printed before the cut is kept, above the explanation.
		want:  []string{"started ✗ The daemon went away in the middle", "The daemon went away while the command ran", "it may still be running in the container"},
		again: engine.Done,
	}, {
		name: "commit", lesson: "commit", before: []int{0, 1, 2}, target: 4,
		start: func(p *dockertest.Proxy) { p.DownOnAnswer("/commit") },
		want:  []string{"The daemon went away before it answered commit", "the image may have been made", "cleanup removes it"},
		again: engine.Done,
		after: func(t *testing.T, m Model) {
			if !hasImage(m, "pyubuntu:init") {
				t.Errorf("the commit the daemon finished is not in the images read again")
			}
		},
	}, {
		name: "build", lesson: "build", before: []int{0}, target: 2,
		dockerfile: "FROM busybox:latest\nRUN echo one > /one\nRUN sleep 4\nRUN echo three > /three\n",
		running: func(p *dockertest.Proxy, s *engine.StepState) bool {
			if s.Build == nil {
				return false
			}
			if c := s.Build.Current(); c != nil && c.Index == 3 {
				time.AfterFunc(500*time.Millisecond, p.Down)
				return true
			}
			return false
		},
		want:  []string{"The daemon went away during step 3 of build", "The result was not tagged", "building again goes on from there"},
		again: engine.Done,
	}, {
		name: "rmi", lesson: "rmi", before: []int{0, 1, 2, 3, 4}, target: 6,
		start: func(p *dockertest.Proxy) { p.DownOnAnswer("DELETE /") },
		want:  []string{"The daemon went away before it answered", "rmi-demo:v2", "the image may be gone, or not"},
		// The daemon did remove it: run again, the name is not found.
		again: engine.Failed,
		after: func(t *testing.T, m Model) {
			if hasImage(m, "rmi-demo:v2") || !hasImage(m, "rmi-demo:v1") {
				t.Errorf("the images read again: rmi-demo:v2 %v (removed by the daemon), rmi-demo:v1 %v (kept)",
					hasImage(m, "rmi-demo:v2"), hasImage(m, "rmi-demo:v1"))
			}
		},
	}}

	_, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	for _, ref := range []string{"busybox:latest", "pyubuntu:init"} {
		dockertest.PreserveTag(t, api, ref)
	}
	for _, f := range flows {
		t.Run(f.name, func(t *testing.T) {
			p := dockertest.StartProxy(t)
			m, cmd := proxyModel(t, p, reg.Host)
			cli := m.opts.Client
			realClient(t, m).UseLedger(docker.OpenLedger(filepath.Join(t.TempDir(), "owned.json")))
			// Everything this lesson made goes when the test ends, through
			// the proxy (up by then), as `layerlab cleanup --lesson` does.
			t.Cleanup(func() {
				ctx := context.Background()
				_ = p.Up()
				plan, err := cli.PlanCleanup(ctx, f.lesson)
				if err != nil {
					t.Errorf("cleanup plan: %v", err)
					return
				}
				for _, r := range cli.Cleanup(ctx, plan, nil) {
					if r.Err != nil {
						t.Errorf("cleanup %s %s: %v", r.Item.Kind, r.Item.Name, r.Err)
					}
				}
			})
			if f.dockerfile != "" { // the learner's own edit, kept by the workspace seed
				dir := filepath.Join(m.opts.Workspace, f.lesson)
				if err := os.MkdirAll(dir, 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(f.dockerfile), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			index := -1
			for i, l := range m.opts.Lessons {
				if l.ID == f.lesson {
					index = i
				}
			}
			k := engine.StepKey{Lesson: f.lesson, Index: f.target}
			var gen int
			var before map[string]bool
			var failed, card, down string
			armed := false

			list := []act{{
				name:  "connected",
				until: func(m Model, _ tea.Msg) bool { return m.daemon.conn == connUp && m.daemon.events.live },
			}, {
				name: "open the lesson",
				do: func(m Model) tea.Cmd {
					ks := make([]string, 0, index+1)
					for range index {
						ks = append(ks, "j")
					}
					return keys(append(ks, "enter")...)
				},
				until: func(m Model, _ tea.Msg) bool { l := m.lesson(); return l != nil && l.ID == f.lesson },
			}}
			for _, i := range f.before {
				list = append(list, runAct(t, f.lesson, i, "", engine.Done))
			}
			list = append(list, act{
				name: "arm the fault",
				do: func(m Model) tea.Cmd {
					before = dockertest.ContainerIDs(t, api, false) // a build step's containers carry no label
					if f.start != nil {
						f.start(p)
						armed = true
					}
					return nil
				},
			})
			target := runAct(t, f.lesson, f.target, f.edit, engine.Failed)
			until := target.until
			target.until = func(m Model, msg tea.Msg) bool {
				if s := m.work.eng.Steps[k]; !armed && f.running != nil && s != nil && s.Status == engine.Running {
					armed = f.running(p, s)
				}
				if !until(m, msg) {
					return false
				}
				failed, card, gen = viewText(m), flatten(cardText(m, f.target)), m.daemon.events.gen
				return true
			}
			list = append(list, target, act{
				name: "keys still work; the header says the daemon is gone",
				do:   func(Model) tea.Cmd { return keys("?", "?", "tab", "tab") },
				until: func(m Model, _ tea.Msg) bool {
					if m.daemon.conn == connDown || m.daemon.events.lost {
						down = viewText(m)
						time.AfterFunc(time.Second, func() { _ = p.Up() })
						return true
					}
					return false
				},
			}, act{
				name: "back by itself",
				until: func(m Model, _ tea.Msg) bool {
					return m.daemon.conn == connUp && m.daemon.events.live && m.daemon.events.gen > gen
				},
			}, act{
				name: "the picture read again",
				until: func(_ Model, msg tea.Msg) bool {
					s, ok := msg.(snapshotMsg)
					return ok && s.err == nil
				},
			})
			m = script(t, m, cmd, 3*time.Minute, acts(t, list))

			if de, ok := m.work.eng.Steps[k].Err.(*docker.Error); !ok || de.Kind != docker.KindInterrupted {
				t.Errorf("the step's error is %v (kind %v), want interrupted", m.work.eng.Steps[k].Err, docker.KindOf(m.work.eng.Steps[k].Err))
			}
			t.Logf("the card: %s", card)
			if strings.Contains(card, "Docker said") {
				t.Errorf("the daemon said nothing; the card quotes it: %s", card)
			}
			for _, w := range f.want {
				if !strings.Contains(card, w) {
					t.Errorf("the card does not say %q: %s\n%s", w, card, failed)
				}
			}
			if !strings.Contains(down, "reconnecting") && !strings.Contains(down, "disconnected") &&
				!strings.Contains(down, "layerlab keeps trying") {
				t.Errorf("the daemon's absence is not said:\n%s", down)
			}
			// The daemon ends or removes what was cut off in its own time:
			// no container made since the fault was armed stays.
			var left []string
			for range 60 {
				if left = dockertest.MadeSince(before, dockertest.ContainerIDs(t, api, false)); len(left) == 0 {
					break
				}
				time.Sleep(250 * time.Millisecond)
			}
			if len(left) > 0 {
				t.Errorf("containers made since the fault stay: %v", left)
			}
			if f.after != nil {
				f.after(t, m)
			}
			// Run again, now that the daemon is back.
			nm, c := m.Update(press("enter"))
			m = settle(t, nm.(Model), c, 2*time.Minute)
			if s := m.work.eng.Steps[k]; s == nil || s.Status != f.again {
				t.Errorf("run again after the daemon came back: %+v\n%s", s, viewText(m))
			}
		})
	}
}
