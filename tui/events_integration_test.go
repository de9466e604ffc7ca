package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/docker/docker/api/types/image"

	"github.com/layerlab/layerlab/docker/dockertest"
)

// TestAnotherClientsChangesAppearLive: the learner's other terminal (here a
// second, independent client) tags an image and starts a container; layerlab
// sees both through the daemon's events, without polling. Then the event
// stream is cut: layerlab says so, reconnects, and reads everything again.
func TestAnotherClientsChangesAppearLive(t *testing.T) {
	_, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	ctx := context.Background()
	m, cmd := liveModel(t, reg.Host)
	m.opts.Live = true
	base := "layerlab-test/live:" + reg.Nonce
	dockertest.Build(t, api, base, "FROM scratch\nCMD [\"/nothing\"]\nLABEL x="+reg.Nonce+"\n", nil)
	tagged := "layerlab-test-live-tag:" + reg.Nonce
	name := "layerlab-test-live-" + reg.Nonce
	t.Cleanup(func() { dockertest.RemoveIfOwned(api, tagged) })

	// One run of the model (commands in flight are not dropped between
	// phases); each phase acts on the daemon the way another terminal would.
	phase, gen := 0, 0
	var start time.Time
	var lostScreen string
	m = drive(t, m, cmd, 60*time.Second, func(m Model, msg tea.Msg) bool {
		switch phase {
		case 0: // subscribed: the other terminal tags an image and creates a container
			if m.daemon.events.live {
				start = time.Now()
				if err := api.ImageTag(ctx, base, tagged); err != nil {
					t.Fatal(err)
				}
				dockertest.UserContainer(t, api, base, name)
				phase = 1
			}
		case 1: // both on layerlab's screen: cut the stream
			if hasImage(m, tagged) && hasContainer(m, name) {
				t.Logf("the other client's tag and container reached the model after %v", time.Since(start).Round(time.Millisecond))
				gen = m.daemon.events.gen
				m.daemon.events.cancel()
				phase = 2
			}
		case 2: // the cut is noticed and said; meanwhile the tag goes
			if _, ok := msg.(eventsEndedMsg); ok {
				lostScreen = viewText(m)
				dockertest.RemoveIfOwned(api, tagged)
				phase = 3
			}
		case 3: // reconnected, and the full re-read saw the removal
			return m.daemon.events.live && m.daemon.events.gen > gen && !hasImage(m, tagged)
		}
		return false
	})
	if !strings.Contains(lostScreen, "live updates lost, reconnecting") {
		t.Errorf("a lost stream is not said:\n%s", lostScreen)
	}
	if strings.Contains(viewText(m), "reconnecting") {
		t.Error("still says reconnecting")
	}
	m.daemon.events.quitting = true
	m.daemon.events.cancel()
}

func hasImage(m Model, ref string) bool {
	for _, im := range m.pic.images {
		if im.Ref() == ref {
			return true
		}
	}
	return false
}

func hasContainer(m Model, name string) bool {
	for _, c := range m.pic.containers {
		if c.Name == name {
			return true
		}
	}
	return false
}

// BenchmarkEventToModel: from another client's `docker tag` to layerlab's
// picture holding the new tag (the event, the coalescing, the re-read).
func BenchmarkEventToModel(b *testing.B) {
	_, api := dockertest.Daemon(b)
	reg := dockertest.StartRegistry(b)
	ctx := context.Background()
	base := "layerlab-test/bench-live:" + reg.Nonce
	dockertest.Build(b, api, base, "FROM scratch\nCMD [\"/x\"]\n", nil)
	m, cmd := liveModel(b, "")
	m.opts.Live = true
	i := 0
	var tag string
	var start time.Time
	var total time.Duration
	b.ResetTimer()
	m = drive(b, m, cmd, 5*time.Minute, func(m Model, msg tea.Msg) bool {
		if !m.daemon.events.live {
			return false
		}
		if tag != "" && !hasImage(m, tag) {
			return false
		}
		if tag != "" {
			total += time.Since(start)
			_, _ = api.ImageRemove(ctx, tag, image.RemoveOptions{})
			i++
		}
		if i == b.N {
			return true
		}
		tag = fmt.Sprintf("layerlab-test-bench-live:%s-%d", reg.Nonce, i)
		start = time.Now()
		if err := api.ImageTag(ctx, base, tag); err != nil {
			b.Fatal(err)
		}
		return false
	})
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/event")
	m.daemon.events.quitting = true
	m.daemon.events.cancel()
}
