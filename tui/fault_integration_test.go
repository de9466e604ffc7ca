package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
	"github.com/layerlab/layerlab/lessons/engine"
)

// Faults as a learner meets them, through a proxy in front of the real
// daemon (never the daemon itself stopped): it goes away in the middle of a
// pull, a stream goes silent, the daemon is slow. The app says what
// happened, keeps answering keys, and catches up by itself.

// proxyModel is the app on a client that talks through p, with the live
// picture on and a fast heartbeat.
func proxyModel(t *testing.T, p *dockertest.Proxy, mirror string) (Model, tea.Cmd) {
	t.Helper()
	cli, err := docker.New(docker.Endpoint{Host: p.Host, Source: "DOCKER_HOST"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	dockertest.CleanupOwned(t, cli)
	m := New(Options{Client: cli, Lessons: builtin(t), Mirror: mirror, Dark: true, Workspace: t.TempDir(),
		Live: true, Heartbeat: 300 * time.Millisecond})
	m = update1(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	return m, m.Init()
}

// script runs the model like Bubble Tea until step says it is done; step may
// hand in keys (or any command) as things happen.
func script(t *testing.T, m Model, cmd tea.Cmd, timeout time.Duration, step func(Model, tea.Msg) (tea.Cmd, bool)) Model {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	stopped := false
	m = pumpWith(ctx, m, cmd, func(m Model, msg tea.Msg) (Model, tea.Cmd, bool) {
		c, done := step(m, msg)
		stopped = done
		if c == nil {
			return m, nil, done
		}
		if k, ok := c().(pressKeys); ok {
			var cmds []tea.Cmd
			for _, key := range k {
				nm, kc := m.Update(press(key))
				m = nm.(Model)
				cmds = append(cmds, kc)
			}
			return m, tea.Batch(cmds...), done
		}
		return m, c, done
	})
	if !stopped {
		t.Fatalf("timed out; screen:\n%s", viewText(m))
	}
	m.daemon.events.quitting = true
	if m.daemon.events.cancel != nil {
		m.daemon.events.cancel()
	}
	return m
}

// pressKeys are keys the learner presses, in order, at that moment.
type pressKeys []string

// keys is a script step's "the learner presses these keys now".
func keys(ks ...string) tea.Cmd { return func() tea.Msg { return pressKeys(ks) } }

// pullLessonThroughProxy is the app through a proxy, with the pull lesson's
// python:3.6.0-slim (step 3) published as an image of layers+2 layers of
// size bytes each.
func pullLessonThroughProxy(t *testing.T, layers, size int) (Model, tea.Cmd, *dockertest.Proxy, *dockertest.Registry, engine.StepKey) {
	t.Helper()
	_, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.PublishLayered(t, api, "library/python:3.6.0-slim", layers, size)
	dockertest.PreserveTag(t, api, "python:3.6.0-slim")
	p := dockertest.StartProxy(t)
	m, cmd := proxyModel(t, p, reg.Host)
	return m, cmd, p, reg, engine.StepKey{Lesson: "pull", Index: 2}
}

func TestDaemonGoneMidPullInTheApp(t *testing.T) {
	if cli, _ := dockertest.Daemon(t); cli.IsPodman() {
		t.Skip("not on Podman: the proxy cuts the daemon off when a layer is complete, which Podman's pull stream says only as the pull ends (docker's TestDaemonGoneMidPull)")
	}
	m, cmd, p, reg, k := pullLessonThroughProxy(t, 4, 256<<10)

	phase := 0
	var failedScreen, failedCard, downScreen string
	var gen int
	m = script(t, m, cmd, 90*time.Second, func(m Model, msg tea.Msg) (tea.Cmd, bool) {
		switch phase {
		case 0: // the learner opens the pull lesson and pulls python:3.6.0-slim
			if m.daemon.conn == connUp && m.daemon.events.live {
				phase = 1
				reg.SlowBlobs(700 * time.Millisecond)
				return keys("j", "enter", "n", "n", "enter"), false
			}
		case 1: // a layer is in: the daemon goes away
			if s := m.work.eng.Steps[k]; s != nil && s.Status == engine.Running {
				for _, l := range s.Progress.Layers {
					if l.Phase == docker.PhaseComplete {
						p.Down()
						phase = 2
					}
				}
			}
		case 2: // the step says what happened; the app still takes keys
			if s := m.work.eng.Steps[k]; s != nil && s.Status == engine.Failed {
				failedScreen, failedCard = viewText(m), flatten(cardText(m, k.Index))
				phase = 3
				gen = m.daemon.events.gen
				return keys("?", "?"), false
			}
		case 3: // the header says the daemon or the live picture is gone; it comes back
			if m.daemon.conn == connDown || m.daemon.events.lost {
				downScreen = viewText(m)
				phase = 4
				reg.SlowBlobs(0)
				time.AfterFunc(time.Second, func() { _ = p.Up() })
			}
		case 4: // back by itself: connected, live, the picture read again
			return nil, m.daemon.conn == connUp && m.daemon.events.live && m.daemon.events.gen > gen
		}
		return nil, false
	})
	flat := failedCard
	if !strings.Contains(flat, "The daemon went away in the middle") || !strings.Contains(flat, "layers had arrived") ||
		!strings.Contains(flat, "An unfinished pull leaves no image") {
		t.Errorf("the interrupted pull is not explained:\n%s", failedScreen)
	}
	if !strings.Contains(downScreen, "reconnecting") && !strings.Contains(downScreen, "disconnected") &&
		!strings.Contains(downScreen, "layerlab keeps trying") {
		t.Errorf("the daemon's absence is not said:\n%s", downScreen)
	}
	// The step can be run again now, and it succeeds.
	nm, c := m.Update(press("enter"))
	m = settle(t, nm.(Model), c, 60*time.Second)
	if s := m.work.eng.Steps[k]; s == nil || s.Status != engine.Done {
		t.Fatalf("the pull again after the daemon came back: %+v\n%s", s, viewText(m))
	}
}

// TestSilentEventStreamIsCaught: the event stream stops without a word (the
// connection stays open, nothing comes); another terminal tags an image. The
// heartbeat notices the stream missed it, reconnects, and the tag appears.
func TestSilentEventStreamIsCaught(t *testing.T) {
	_, api := dockertest.Daemon(t)
	p := dockertest.StartProxy(t)
	reg := dockertest.StartRegistry(t)
	base := "layerlab-test/silent:" + reg.Nonce
	dockertest.Build(t, api, base, "FROM scratch\nCMD [\"/nothing\"]\nLABEL x="+reg.Nonce+"\n", nil)
	tagged := "layerlab-test-silent-tag:" + reg.Nonce
	t.Cleanup(func() { dockertest.RemoveIfOwned(api, tagged) })
	m, cmd := proxyModel(t, p, "")
	phase := 0
	m = script(t, m, cmd, 60*time.Second, func(m Model, msg tea.Msg) (tea.Cmd, bool) {
		switch phase {
		case 0:
			if m.daemon.conn == connUp && m.daemon.events.live && m.daemon.events.beats > 0 {
				if n := p.StallWhere("/events"); n < 1 {
					t.Fatalf("%d event streams to silence", n)
				}
				if err := api.ImageTag(context.Background(), base, tagged); err != nil {
					t.Fatal(err)
				}
				phase = 1
			}
		case 1:
			return nil, m.daemon.events.silent > 0 && m.daemon.events.live && hasImage(m, tagged)
		}
		return nil, false
	})
	t.Logf("caught after %d heartbeats", m.daemon.events.beats)
}

// TestSlowDaemonNeverFreezesTheUI: every answer of the daemon takes a second
// and a half. A pull started then is slow, keys still work, and Esc stops it
// at once, saying so.
func TestSlowDaemonNeverFreezesTheUI(t *testing.T) {
	m, cmd, p, _, k := pullLessonThroughProxy(t, 2, 64<<10)
	phase := 0
	var escAt time.Time
	var slowest time.Duration
	m = script(t, m, cmd, 90*time.Second, func(m Model, msg tea.Msg) (tea.Cmd, bool) {
		switch phase {
		case 0:
			if m.daemon.conn == connUp && m.daemon.events.live {
				p.Delay(1500 * time.Millisecond)
				phase = 1
				return keys("j", "enter", "n", "n", "enter"), false
			}
		case 1: // running on a slow daemon: keys are handled at once
			if s := m.work.eng.Steps[k]; s != nil && s.Status == engine.Running {
				for _, key := range []string{"?", "?", "tab", "tab", "j", "k"} {
					start := time.Now()
					m = update1(m, press(key))
					_ = viewText(m)
					slowest = max(slowest, time.Since(start))
				}
				// Resized while it runs, down to nothing and up to huge.
				for _, sz := range [][2]int{{1, 1}, {40, 10}, {300, 100}, {59, 19}, {120, 40}} {
					m = update1(m, tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
					for i, line := range strings.Split(viewText(m), "\n") {
						if ansiWidth(line) > sz[0] || i >= sz[1] {
							t.Errorf("%v during a pull: line %d too wide or too many lines", sz, i)
							break
						}
					}
				}
				escAt = time.Now()
				phase = 2
				return keys("esc"), false
			}
		case 2:
			if s := m.work.eng.Steps[k]; s != nil && s.Status != engine.Running {
				return nil, true
			}
		}
		return nil, false
	})
	took := time.Since(escAt)
	s := m.work.eng.Steps[k]
	if docker.KindOf(s.Err) != docker.KindCanceled {
		t.Errorf("after Esc: status %v, error %v", s.Status, s.Err)
	}
	// A key and a frame are a few ms; a call to this daemon is 1.5 s or more.
	if slowest > time.Second {
		t.Errorf("a key press took %v on a slow daemon: the UI waited for it", slowest)
	}
	if took > 5*time.Second {
		t.Errorf("Esc took %v to stop a pull on a slow daemon", took)
	}
	t.Logf("slowest key+frame %v; Esc stopped the pull in %v", slowest, took)
	p.Delay(0)
}
