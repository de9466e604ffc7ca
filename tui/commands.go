package tui

import (
	"context"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons/engine"
)

// Messages from commands. Every daemon call happens in a tea.Cmd and comes
// back as one of these.
type (
	connectedMsg struct {
		engine docker.Engine
		err    error
	}
	snapshotMsg struct {
		images     []docker.Image
		containers []docker.Container
		volumes    []docker.Volume
		// diffIDs are the layers of each image id, for the "shared" marks.
		diffIDs map[string][]string
		err     error
		// table is the docker images / docker ps step this read is the
		// answer to (nil: a read of the picture only).
		table *engine.StepKey
	}
	stackMsg struct {
		ref   string
		stack docker.LayerStack
		found bool
		err   error
	}
	pullUpdateMsg struct {
		key      engine.StepKey
		progress docker.PullProgress
		at       time.Time
		next     tea.Cmd
	}
	pullDoneMsg struct {
		key    engine.StepKey
		result docker.PullResult
		err    error
		at     time.Time
	}
	clearHighlightMsg struct{ gen int }
)

// opTimeout bounds short daemon calls so a hung daemon never hangs a step forever.
const opTimeout = 20 * time.Second

func connectCmd(c Daemon) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		e, err := c.Connect(ctx)
		return connectedMsg{engine: e, err: err}
	}
}

// snapshotCmd reads images and containers, and the layers of images not yet
// in known (image ids never change their layers, so they are read once);
// table, if not nil, is the step the read answers. It waits wait at most
// for the daemon's answer.
func snapshotCmd(c Daemon, known map[string][]string, table *engine.StepKey, wait time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		imgs, err := c.Images(ctx)
		if err != nil {
			return snapshotMsg{err: err, table: table}
		}
		ctrs, err := c.Containers(ctx, true)
		if err != nil {
			return snapshotMsg{err: err, table: table}
		}
		vols, err := c.Volumes(ctx)
		if err != nil {
			return snapshotMsg{err: err, table: table}
		}
		ids := map[string][]string{}
		for _, im := range imgs {
			if _, ok := known[im.ID]; ok {
				continue
			}
			if _, ok := ids[im.ID]; ok {
				continue
			}
			d, err := c.DiffIDs(ctx, im.ID)
			if err == nil {
				ids[im.ID] = d
			}
		}
		return snapshotMsg{images: imgs, containers: ctrs, volumes: vols, diffIDs: ids, table: table}
	}
}

func stackCmd(c Daemon, ref string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		ok, _, err := c.Exists(ctx, ref)
		if err != nil || !ok {
			return stackMsg{ref: ref, err: err}
		}
		st, err := c.Stack(ctx, ref)
		return stackMsg{ref: ref, stack: st, found: err == nil, err: err}
	}
}

// stream carries a long operation (a pull, a build) to the UI. The daemon
// can send ~100 messages a second; only the newest state is kept, and it is
// handed on at most every streamInterval, so redraws stay capped whatever the
// stream does.
type stream[P any] struct {
	// every is the shortest time between two states handed on.
	every  time.Duration
	mu     sync.Mutex
	latest P
	notify chan struct{}
	done   chan tea.Msg
	last   time.Time
	// update wraps a state into the message the model receives.
	update func(P, time.Time, tea.Cmd) tea.Msg
}

// frameInterval is the shortest time between two redraws caused by the
// daemon (events, a stream): at most 30 a second.
const frameInterval = time.Second / 30

// DefaultStreamInterval paces a running pull or build: 15 pictures a second
// look smooth, and each costs a whole frame (~5 ms at 120x40), so the app
// stays under 10% of a core during a pull (bench/run.sh). A server of many
// learners' apps paces them slower (Options.StreamInterval).
const DefaultStreamInterval = time.Second / 15

func newStream[P any](every time.Duration, update func(P, time.Time, tea.Cmd) tea.Msg) *stream[P] {
	if every <= 0 {
		every = DefaultStreamInterval
	}
	return &stream[P]{every: every, notify: make(chan struct{}, 1), done: make(chan tea.Msg, 1), update: update}
}

// publish keeps p as the newest state; it never blocks the producer.
func (s *stream[P]) publish(p P) {
	s.mu.Lock()
	s.latest = p
	s.mu.Unlock()
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

// next waits for the next state, or the end.
func (s *stream[P]) next() tea.Msg {
	select {
	case <-s.notify:
		if wait := s.every - time.Since(s.last); wait > 0 {
			time.Sleep(wait)
		}
		s.mu.Lock()
		p := s.latest
		s.mu.Unlock()
		s.last = time.Now()
		return s.update(p, s.last, s.next)
	case d := <-s.done:
		return d
	}
}

// opStartedMsg says a long operation runs: cancel stops it, next waits for its news.
type opStartedMsg struct {
	key    engine.StepKey
	cancel context.CancelFunc
	next   tea.Cmd
}

// startPull pulls until cancel: the model holds cancel from the key press
// on, so that esc stops a pull even before the pull has reported anything.
func startPull(ctx context.Context, cancel context.CancelFunc, c Daemon, key engine.StepKey, ref docker.Ref, mirror string, every time.Duration) tea.Cmd {
	return func() tea.Msg {
		s := newStream(every, func(p docker.PullProgress, at time.Time, next tea.Cmd) tea.Msg {
			return pullUpdateMsg{key: key, progress: p, at: at, next: next}
		})
		go func() {
			res, err := c.Pull(ctx, ref, docker.PullOptions{Mirror: mirror, Lesson: key.Lesson}, func(p docker.PullProgress) { s.publish(p.Clone()) })
			cancel()
			s.done <- pullDoneMsg{key: key, result: res, err: err, at: time.Now()}
		}()
		return opStartedMsg{key: key, cancel: cancel, next: s.next}
	}
}

func clearHighlightAfter(gen int) tea.Cmd {
	return tea.Tick(4*time.Second, func(time.Time) tea.Msg { return clearHighlightMsg{gen: gen} })
}
