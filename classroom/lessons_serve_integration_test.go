package classroom

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/client"

	"github.com/layerlab/layerlab/docker/dockertest"
	"github.com/layerlab/layerlab/lessons"
)

// where is the learner as the instructor's view has them.
func (c *classroom) where(learner string) LearnerStatus {
	for _, l := range c.srv.Snapshot().Learners {
		if l.Name == learner {
			return l
		}
	}
	return LearnerStatus{}
}

// lesson is the English lesson id of the test's class.
func (c *classroom) lesson(id string) *lessons.Lesson {
	c.t.Helper()
	for _, l := range c.cfg.Lessons["en"] {
		if l.ID == id {
			return l
		}
	}
	c.t.Fatalf("no lesson %q", id)
	return nil
}

// openLesson answers the language question in English and goes down the
// lesson list to the lesson id, wherever it stands, and opens it.
func (c *classroom) openLesson(learner string, screen *lockedBuf, in io.Writer, id string) {
	c.t.Helper()
	waitFor(c.t, "the language question", func() bool { return strings.Contains(screen.String(), "Language / 언어") })
	io.WriteString(in, "1") //nolint:errcheck
	waitFor(c.t, "the lesson list", func() bool { return strings.Contains(screen.String(), "Pick a lesson") })
	for _, l := range c.cfg.Lessons["en"] {
		if l.ID == id {
			break
		}
		io.WriteString(in, "j") //nolint:errcheck
		time.Sleep(150 * time.Millisecond)
	}
	io.WriteString(in, "\r") //nolint:errcheck
	c.waitWhere(learner, screen, "the lesson "+id, func(w LearnerStatus) bool { return w.Lesson == id && w.Step == 1 })
}

// waitWhere waits (up to 3 minutes: builds on a loaded machine under the
// race detector) for the instructor's view of learner to satisfy cond; it
// shows the screen's end if it never does.
func (c *classroom) waitWhere(learner string, screen *lockedBuf, what string, cond func(LearnerStatus) bool) LearnerStatus {
	c.t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		w := c.where(learner)
		if cond(w) {
			return w
		}
		if w.State == "failed" {
			out := screen.String()
			c.t.Fatalf("waiting for %s: step %d (%s) failed:\n%s", what, w.Step, w.StepTitle, out[max(0, len(out)-3000):])
		}
		if time.Now().After(deadline) {
			out := screen.String()
			c.t.Fatalf("timed out waiting for %s (at step %d %q, %q):\n%s", what, w.Step, w.StepTitle, w.State, out[max(0, len(out)-3000):])
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stepsUntilExercise runs the open lesson's steps one after another, as a
// learner does (enter runs a step, a Dockerfile step opens it and esc
// closes it, n goes to the next), each to its end, and stops on the first
// step the learner does themselves (an exercise, or a Dockerfile step done
// by a change): its index is returned.
func (c *classroom) stepsUntilExercise(learner string, screen *lockedBuf, in io.Writer, id string) int {
	c.t.Helper()
	for i, st := range c.lesson(id).Steps {
		c.waitWhere(learner, screen, "step "+st.Title, func(w LearnerStatus) bool { return w.Lesson == id && w.Step == i+1 })
		if st.Kind == lessons.KindCheck || (st.Kind == lessons.KindDockerfile && st.Expect == "change") {
			return i
		}
		io.WriteString(in, "\r") //nolint:errcheck
		c.waitWhere(learner, screen, "the end of step "+st.Title, func(w LearnerStatus) bool { return w.Step == i+1 && w.State == "done" })
		if st.Kind == lessons.KindDockerfile {
			io.WriteString(in, "\x1b") //nolint:errcheck // closes the editor
			time.Sleep(300 * time.Millisecond)
		}
		io.WriteString(in, "n") //nolint:errcheck
	}
	c.t.Fatalf("lesson %s has no exercise", id)
	return -1
}

// learnerAPI is a client of learner's own engine, for the test to look.
func (c *classroom) learnerAPI(learner string) *client.Client {
	c.t.Helper()
	api, err := client.NewClientWithOpts(client.WithHost(c.provider.Endpoint(learner).Host), client.WithAPIVersionNegotiation())
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { api.Close() })
	return api
}

// TestClassroomCopyOnWriteLesson: "Copy-on-write" over SSH, on a learner's
// own engine: the steps run there (the exec's copy-up, docker diff, the
// second container, the commit with its whiteout), none of it on the
// instructor's daemon; the exercise is done from the second session (the
// classroom's docker: run, exec rm, commit) and the app marks it done from
// the engine's events.
func TestClassroomCopyOnWriteLesson(t *testing.T) {
	c := newClassroom(t, "tstcowan")
	screen, in, drop := c.screen("tstcowan", 100, 30)
	defer drop()
	c.openLesson("tstcowan", screen, in, "copy-on-write")
	ex := c.stepsUntilExercise("tstcowan", screen, in, "copy-on-write")
	if st := c.lesson("copy-on-write").Steps[ex]; st.Kind != lessons.KindCheck {
		t.Fatalf("the exercise is step %d, a %s step", ex+1, st.Kind)
	}
	api := c.learnerAPI("tstcowan")
	ctx := context.Background()
	changes, err := api.ContainerDiff(ctx, "layerlab-cow-1")
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	for _, ch := range changes {
		seen = append(seen, ch.Path)
	}
	for _, p := range []string{"/bin/busybox", "/notes.txt", "/bin/cat"} {
		if !strings.Contains(strings.Join(seen, " "), p) {
			t.Errorf("the learner's layerlab-cow-1 changed %v, not %s", seen, p)
		}
	}
	if _, err := api.ImageInspect(ctx, "cow-demo:v1"); err != nil {
		t.Errorf("the commit step's image is not on the learner's engine: %v", err)
	}
	host, _ := dockertest.Daemon(t)
	if ok, _, _ := host.Exists(ctx, "cow-demo:v1"); ok {
		t.Error("the learner's commit is on the instructor's daemon")
	}

	// The exercise, from the learner's own terminal: the second session.
	c.must("tstcowan", "docker run -dit --name mycow busybox")
	c.must("tstcowan", "docker exec mycow rm /bin/less")
	c.must("tstcowan", "docker commit mycow cow-mine:v1")
	c.waitWhere("tstcowan", screen, "the exercise marked done", func(w LearnerStatus) bool { return w.Step == ex+1 && w.State == "done" })
	waitFor(t, "the exercise's card to say so", func() bool { return strings.Contains(screen.String(), "layerlab saw it happen") })
}

// TestClassroomShrinkLesson: "Deleting in a later layer does not shrink the
// image" over SSH, on a learner's own engine: every build runs there (the
// cache steps too), none on the instructor's daemon; the learner changes
// mine/Dockerfile in the app's editor (the step is done by the saved
// change), builds it from the second session in the lesson's folder, and
// the app marks the exercise done from the engine's events.
func TestClassroomShrinkLesson(t *testing.T) {
	c := newClassroom(t, "tstshrinka")
	screen, in, drop := c.screen("tstshrinka", 100, 30)
	defer drop()
	c.openLesson("tstshrinka", screen, in, "shrink")
	ex := c.stepsUntilExercise("tstshrinka", screen, in, "shrink")
	if st := c.lesson("shrink").Steps[ex]; st.Kind != lessons.KindDockerfile || st.Arg != "mine/Dockerfile" {
		t.Fatalf("the first step the learner does is step %d, a %s step of %s", ex+1, st.Kind, st.Arg)
	}
	api := c.learnerAPI("tstshrinka")
	ctx := context.Background()
	size := map[string]int64{}
	for _, tag := range []string{"shrink:later-rm", "shrink:one-run", "shrink:multi-stage", "shrink:slow", "shrink:deps-first", "shrink:ignored"} {
		ii, err := api.ImageInspect(ctx, tag)
		if err != nil {
			t.Errorf("the build of %s is not on the learner's engine: %v", tag, err)
			continue
		}
		size[tag] = ii.Size
	}
	if size["shrink:later-rm"] < size["shrink:one-run"]+10_000_000 {
		t.Errorf("later-rm is not 10 MB larger than one-run on the learner's engine: %v", size)
	}
	host, _ := dockertest.Daemon(t)
	if ok, _, _ := host.Exists(ctx, "shrink:later-rm"); ok {
		t.Error("the learner's build is on the instructor's daemon")
	}
	// A build in the second session before the change: too large, not done.
	c.must("tstshrinka", "docker build -t shrink:mine -f mine/Dockerfile .")

	// The change, in the app's editor: from the file's end, "\nRUN rm
	// /big\n" taken out and " && rm /big" typed at the end of the RUN dd
	// line above, saved.
	io.WriteString(in, "\r") //nolint:errcheck // opens mine/Dockerfile
	waitFor(t, "the editor", func() bool { return strings.Contains(screen.String(), "mine/Dockerfile") })
	time.Sleep(300 * time.Millisecond)
	io.WriteString(in, "\x1b[1;5F"+strings.Repeat("\x7f", len("\nRUN rm /big\n"))+" && rm /big\r\x13") //nolint:errcheck
	c.waitWhere("tstshrinka", screen, "the change saved", func(w LearnerStatus) bool { return w.Step == ex+1 && w.State == "done" })
	io.WriteString(in, "\x1b") //nolint:errcheck
	time.Sleep(300 * time.Millisecond)
	io.WriteString(in, "n") //nolint:errcheck
	c.waitWhere("tstshrinka", screen, "the exercise", func(w LearnerStatus) bool { return w.Step == ex+2 && w.State == "exercise" })
	if w := c.where("tstshrinka"); w.State == "done" {
		t.Fatal("the exercise was done by the build of the unchanged file")
	}

	out := c.must("tstshrinka", "docker build -t shrink:mine -f mine/Dockerfile .")
	c.waitWhere("tstshrinka", screen, "the exercise marked done", func(w LearnerStatus) bool { return w.Step == ex+2 && w.State == "done" })
	ii, err := api.ImageInspect(ctx, "shrink:mine")
	if err != nil {
		t.Fatal(err)
	}
	if ii.Size > 5<<20 {
		t.Errorf("shrink:mine is %d bytes after the change; the build said:\n%s", ii.Size, out)
	}
	waitFor(t, "the exercise's card to say so", func() bool { return strings.Contains(screen.String(), "layerlab saw it happen") })
}
