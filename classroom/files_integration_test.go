package classroom

import (
	"io"
	"strings"
	"testing"
	"time"
)

// The "An image is files" exercise in a classroom: the learner has the
// lesson open in the app and, in a second session, makes files-demo:v1,
// saves it into the lesson's folder, removes it and loads it back; the app
// sees it from the engine's events and marks the exercise done. A save
// outside the lesson's folder is refused with words.
func TestClassroomReloadExerciseFromTheSecondSession(t *testing.T) {
	c := newClassroom(t, "tstfiles")
	c.must("tstfiles", "docker pull busybox")
	screen, in, end := c.screen("tstfiles", 100, 30)
	defer end()
	waitFor(t, "the language question", func() bool { return strings.Contains(screen.String(), "1 English") })
	io.WriteString(in, "1") //nolint:errcheck
	waitFor(t, "the lesson list", func() bool { return strings.Contains(screen.String(), "An image is files") })
	for _, l := range c.cfg.Lessons["en"] { // down to the lesson, wherever it stands
		if l.ID == "image-files" {
			break
		}
		io.WriteString(in, "\x1b[B") //nolint:errcheck
		time.Sleep(150 * time.Millisecond)
	}
	io.WriteString(in, "\r") //nolint:errcheck
	waitFor(t, "the lesson open", func() bool { return strings.Contains(screen.String(), "What docker save writes") })
	io.WriteString(in, strings.Repeat("n", 11)) //nolint:errcheck
	waitFor(t, "the exercise's card", func() bool { return strings.Contains(screen.String(), "Save, remove and load") })
	c.must("tstfiles", "docker run -d --name filesbox busybox sleep 600")
	c.must("tstfiles", "docker exec filesbox sh -c 'echo hello > /hello.txt'")
	c.must("tstfiles", "docker commit filesbox files-demo:v1")
	c.refused("tstfiles", "docker save -o /etc/x.tar files-demo:v1", "lesson's folder")
	c.must("tstfiles", "docker save -o mine.tar files-demo:v1")
	c.must("tstfiles", "docker rmi files-demo:v1")
	if out := c.must("tstfiles", "docker load -i mine.tar"); !strings.Contains(out, "Loaded image: files-demo:v1") {
		t.Errorf("docker load printed %q", out)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(screen.String(), "layerlab saw it happen") {
		if time.Now().After(deadline) {
			t.Fatalf("the exercise was not marked done:\n%s", screen.String()[max(0, len(screen.String())-3000):])
		}
		time.Sleep(100 * time.Millisecond)
	}
}
