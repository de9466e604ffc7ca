package classroom

import (
	"io"
	"strings"
	"testing"
	"time"
)

// TestClassroomVolumesLesson: "Where data lives" over SSH, on a learner's
// own engine: the volume steps run (created, listed, refused while in use,
// read by the next container); the bind mount step is refused with the
// classroom's reason; the second session makes a volume and mounts it (a
// bind mount there is refused), and the app marks both exercises done
// from the engine's events.
func TestClassroomVolumesLesson(t *testing.T) {
	c := newClassroom(t, "tstvera")
	screen, in, drop := c.screen("tstvera", 100, 30)
	defer drop()
	waitFor(t, "the language question", func() bool { return strings.Contains(screen.String(), "Language / 언어") })
	io.WriteString(in, "1") //nolint:errcheck
	waitFor(t, "the lesson list", func() bool { return strings.Contains(screen.String(), "Pick a lesson") })
	for _, l := range c.cfg.Lessons["en"] {
		if l.ID == "volumes" {
			break
		}
		io.WriteString(in, "j") //nolint:errcheck
		time.Sleep(150 * time.Millisecond)
	}
	io.WriteString(in, "\r") //nolint:errcheck
	waitFor(t, "the volumes lesson", func() bool { return strings.Contains(screen.String(), "A container's files go with it") })
	for i := 0; i < 21; i++ { // every step but the exercises
		io.WriteString(in, "\r") //nolint:errcheck
		time.Sleep(2500 * time.Millisecond)
		io.WriteString(in, "n") //nolint:errcheck
		time.Sleep(300 * time.Millisecond)
	}
	for _, want := range []string{"As expected: The volume is in use", "Folders of this machine"} {
		waitFor(t, want, func() bool { return strings.Contains(screen.String(), want) })
	}
	c.must("tstvera", "docker volume create mydata")
	c.refused("tstvera", "docker run -d -v /:/host busybox", "nothing from the host")
	c.must("tstvera", "docker run -d --name mybox -v mydata:/data busybox sleep 600")
	if out := c.must("tstvera", "docker volume ls"); !strings.Contains(out, "mydata") || !strings.Contains(out, "layerlab-data") {
		t.Errorf("volume ls in the second session:\n%s", out)
	}
	io.WriteString(in, "n") //nolint:errcheck
	waitFor(t, "both exercises done", func() bool {
		return strings.Count(screen.String(), "done: layerlab saw it happen") >= 2
	})
}
