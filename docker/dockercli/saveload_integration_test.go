package dockercli_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/docker/docker/api/types/image"
	"github.com/layerlab/layerlab/docker/dockercli"
	"github.com/layerlab/layerlab/docker/dockertest"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
)

// The reload exercise done as a classroom's second session does it (the
// line's docker save -o and docker load -i, as the learner, in the
// lesson's folder; docker rmi between): the file is in the workspace, the
// image comes back with the same id and is the learner's, and the lesson
// engine judges the exercise done from the daemon's events, on both engines.
func TestTheReloadExerciseFromASecondSession(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	ctx := context.Background()
	tag := "layerlab-test-reload-" + time.Now().Format("150405.000000000")[7:] + ":v1"
	dir := t.TempDir()
	dockertest.Busybox(t)
	id := dockertest.Build(t, api, "layerlab-test-reload-base:v1", "FROM scratch\nCOPY busybox /bin/busybox\n", map[string][]byte{"busybox": dockertest.Busybox(t)})
	if err := api.ImageTag(ctx, id, tag); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dockertest.RemoveIfOwned(api, tag) })
	ls, err := lessons.Builtin("en")
	if err != nil {
		t.Fatal(err)
	}
	var l *lessons.Lesson
	for _, x := range ls {
		if x.ID == "image-files" {
			l = x
		}
	}
	// The exercise, for this test's image name.
	check := &lessons.Step{Index: 0, Kind: lessons.KindCheck, Arg: "reloaded " + tag}
	l = &lessons.Lesson{ID: l.ID, Steps: []*lessons.Step{check}}
	s := engine.NewSession()
	clock, err := cli.Clock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.ShowExercises(l, clock)
	learner := cli.AsLearner()
	env := dockercli.Env{Lesson: l.ID, Workspace: dir}
	do := func(line string) dockercli.Output {
		t.Helper()
		c, err := dockercli.Parse(line)
		if err != nil {
			t.Fatal(err)
		}
		out, err := dockercli.Run(ctx, learner, c, env)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		return out
	}
	do("docker save -o mine.tar " + tag)
	if fi, err := os.Stat(filepath.Join(dir, "mine.tar")); err != nil || fi.Size() == 0 {
		t.Fatalf("mine.tar: %v", err)
	}
	if _, err := api.ImageRemove(ctx, tag, image.RemoveOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.ImageRemove(ctx, "layerlab-test-reload-base:v1", image.RemoveOptions{PruneChildren: true}); err != nil {
		t.Fatal(err)
	}
	out := do("docker load -i mine.tar")
	if out.Text != "Loaded image: "+tag {
		t.Fatalf("load printed %q", out.Text)
	}
	insp, err := api.ImageInspect(ctx, tag)
	if err != nil || insp.ID != id {
		t.Fatalf("loaded %s %v, want %s", insp.ID, err, id)
	}
	time.Sleep(500 * time.Millisecond)
	now, _ := cli.Clock(ctx)
	evs, err := cli.EventsBetween(ctx, clock.Add(-time.Second), now.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	s.Saw(evs...)
	imgs, err := cli.Images(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.CheckExercises(l, engine.World{Images: imgs})
	if ss := s.State(engine.StepKey{Lesson: l.ID, Index: 0}); ss.Status != engine.Done {
		t.Fatalf("the exercise is not done: %+v (events %+v)", ss.Why, evs)
	}
	for _, im := range imgs {
		if im.ID == id && im.Owned {
			t.Fatal("the learner's load is layerlab's")
		}
	}
}
