package docker_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/container"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
)

// TestALearnersThingsAreNeverChanged: a container and an image of the
// learner's (no layerlab label) on the real daemon. layerlab refuses to run
// a command in the container, to commit it (a commit pauses it), and to take
// the image's name for a commit, a tag or a build that asks to keep names;
// each refusal is KindNotOwned and nothing happened to them. A free name and
// a name layerlab set are still taken.
func TestALearnersThingsAreNeverChanged(t *testing.T) {
	_, api := dockertest.Daemon(t)
	b := base(t, api) // stands for the learner's own image
	theirs := tagRef(t, b)
	cli, err := docker.New(docker.ResolveEndpoint())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	dockertest.CleanupOwned(t, cli)
	ctx := context.Background()
	was, err := api.ImageInspect(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	id := dockertest.UserContainer(t, api, b, uniq("layerlab-test-learners-box"))
	if err := api.ContainerStart(ctx, id, container.StartOptions{}); err != nil {
		t.Fatal(err)
	}
	notOwned := func(what string, err error) {
		t.Helper()
		var de *docker.Error
		if !errors.As(err, &de) || de.Kind != docker.KindNotOwned || de.Detail == "" {
			t.Errorf("%s: got %v (kind %v), want a refusal saying why", what, err, docker.KindOf(err))
		}
	}

	_, err = cli.Exec(ctx, id, "echo changed > /changed")
	notOwned("exec in the learner's container", err)
	ref := tagRef(t, "layerlab-test/owned:"+uniq("t"))
	_, err = cli.Commit(ctx, id, ref, "test-owned")
	notOwned("commit of the learner's container", err)
	insp, err := api.ContainerInspect(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(insp.ExecIDs) != 0 || !insp.State.Running || insp.State.Paused {
		t.Errorf("the learner's container was touched: execs %v, state %+v", insp.ExecIDs, insp.State)
	}
	if ok, _, _ := cli.Exists(ctx, ref.Full()); ok {
		t.Errorf("a refused commit made %s", ref)
	}

	// Names: the learner's is refused (build too, when it keeps names); a
	// free one and one layerlab set are taken.
	notOwned("claim the learner's image name", cli.ClaimName(ctx, theirs))
	dir := workspace(t, map[string]string{"Dockerfile": "FROM " + b + "\nRUN echo built > /built\n"})
	_, err = cli.Build(ctx, docker.BuildOptions{ContextDir: dir, Tags: []docker.Ref{theirs}, Lesson: "test-owned"}, nil)
	notOwned("build -t the learner's image name", err)
	if ok, now, _ := cli.Exists(ctx, theirs.Full()); !ok || now != was.ID {
		t.Errorf("the learner's name %s moved", theirs)
	}
	if err := cli.ClaimName(ctx, ref); err != nil {
		t.Errorf("a free name: %v", err)
	}
	c := run(t, cli, b, uniq("layerlab-test-owned"))
	res, err := cli.Commit(ctx, c.ID, ref, "test-owned")
	if err != nil {
		t.Fatalf("commit of layerlab's own container: %v", err)
	}
	t.Cleanup(func() { _, _ = cli.RemoveImage(context.Background(), res.Ref.String(), false) })
	if err := cli.ClaimName(ctx, ref); err != nil {
		t.Errorf("a name layerlab set: %v", err)
	}
	if _, err := cli.Exec(ctx, c.ID, "true"); err != nil {
		t.Errorf("exec in layerlab's own container: %v", err)
	}
	// A container that is not there is named in the error, for the card.
	gone := uniq("layerlab-test-never-started")
	for what, err := range map[string]error{
		"exec":   func() error { _, err := cli.Exec(ctx, gone, "true"); return err }(),
		"commit": func() error { _, err := cli.Commit(ctx, gone, ref, "test-owned"); return err }(),
	} {
		var de *docker.Error
		if !errors.As(err, &de) || de.Kind != docker.KindNotFound || de.Container != gone {
			t.Errorf("%s in a missing container: %v (kind %v)", what, err, docker.KindOf(err))
		}
	}
}

// The classroom's second session stands in for the learner's own terminal
// (AsLearner): what it makes carries no label of layerlab's, is in no
// ledger, its commit has no lesson comment, and it may change everything on
// the engine, as the docker CLI would; the app's own client still counts
// none of it as layerlab's and still refuses to touch it.
func TestTheLearnersOwnCommandsMakeTheLearnersThings(t *testing.T) {
	app, api := dockertest.Daemon(t)
	ctx := context.Background()
	b := base(t, api)
	own := app.AsLearner()
	ct, err := own.Run(ctx, docker.RunOptions{Image: b, Name: uniq("layerlab-test-own"), Lesson: "commit"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = api.ContainerRemove(context.Background(), ct.ID, container.RemoveOptions{Force: true}) })
	insp, err := api.ContainerInspect(ctx, ct.ID)
	if err != nil {
		t.Fatal(err)
	}
	layerlabs := func(labels map[string]string) []string {
		var out []string
		for k := range docker.OwnedLabels("commit") {
			if _, ok := labels[k]; ok {
				out = append(out, k)
			}
		}
		if _, ok := labels[docker.LabelOp]; ok {
			out = append(out, docker.LabelOp)
		}
		return out
	}
	if l := layerlabs(insp.Config.Labels); len(l) != 0 {
		t.Errorf("the learner's own container carries layerlab's labels %v", l)
	}
	if _, err := own.Exec(ctx, ct.ID, "echo mine > /mine"); err != nil {
		t.Fatalf("exec in their own container: %v", err)
	}
	ref := tagRef(t, "layerlab-test/own:"+uniq("t"))
	res, err := own.Commit(ctx, ct.ID, ref, "commit")
	if err != nil {
		t.Fatalf("commit of their own container: %v", err)
	}
	img, err := api.ImageInspect(ctx, res.ImageID)
	if err != nil {
		t.Fatal(err)
	}
	if l := layerlabs(img.Config.Labels); img.Comment != "" || len(l) != 0 {
		t.Errorf("the learner's commit has comment %q, layerlab's labels %v", img.Comment, l)
	}
	for _, rec := range app.Ledger().Records(app.Endpoint().Host, "") {
		if rec.Tag == ref.String() || rec.ImageID == res.ImageID || rec.ContainerID == ct.ID {
			t.Errorf("the app's ledger records the learner's own %+v", rec)
		}
	}
	// The app's client refuses what the learner made; the learner's does it.
	if _, err := app.RemoveImage(ctx, ref.String(), false); docker.KindOf(err) != docker.KindNotOwned {
		t.Errorf("the app removes the learner's image: %v", err)
	}
	if err := app.RemoveContainer(ctx, ct.ID); docker.KindOf(err) != docker.KindNotOwned {
		t.Errorf("the app removes the learner's container: %v", err)
	}
	if err := own.RemoveContainer(ctx, ct.ID); err != nil {
		t.Errorf("the learner cannot remove their own container: %v", err)
	}
	if _, err := own.RemoveImage(ctx, ref.String(), false); err != nil {
		t.Errorf("the learner cannot remove their own image: %v", err)
	}
}

// Issue 28, 6: two windows on one state folder removed each other's
// containers. A lesson's run replaces only this window's own container of
// the same name; another window's is left alone (the name -2 is taken).
func TestAnotherWindowsContainerIsNeverReplaced(t *testing.T) {
	_, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	ledger := filepath.Join(t.TempDir(), "owned.json")
	open := func() *docker.Client {
		c, err := docker.New(docker.ResolveEndpoint())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		c.UseLedger(docker.OpenLedger(ledger))
		return c
	}
	a, b := open(), open()
	ctx := context.Background()
	name := "layerlab-test-window-" + reg.Nonce
	base := "layerlab-test-window:" + reg.Nonce
	dockertest.Build(t, api, base, strings.ReplaceAll(dockertest.BaseDockerfile, "NONCE", reg.Nonce+"-window"),
		map[string][]byte{"busybox": dockertest.Busybox(t)})
	t.Cleanup(func() { dockertest.RemoveIfOwned(api, base) })
	ct, err := a.RunContainer(ctx, base, name, "test-windows")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.RemoveContainer(context.Background(), ct.ID) })
	if free, err := a.FreeContainerName(ctx, name); err != nil || free != name {
		t.Errorf("the window that made %s may replace it: got %q %v", name, free, err)
	}
	free, err := b.FreeContainerName(ctx, name)
	if err != nil || free != name+"-2" {
		t.Errorf("another window would take %s: got %q %v", name, free, err)
	}
	ct2, err := b.RunContainer(ctx, base, free, "test-windows")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.RemoveContainer(context.Background(), ct2.ID) })
	if insp, err := api.ContainerInspect(ctx, ct.ID); err != nil || !insp.State.Running {
		t.Errorf("the other window's run touched this window's container: %v", err)
	}
}
