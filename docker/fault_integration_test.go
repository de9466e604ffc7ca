package docker_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/docker/docker/client"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
)

// The daemon goes away in the middle of each operation (through a proxy
// that cuts the connection: the shared daemon is never stopped). Each time:
// a specific error saying what state things are in, no goroutine left
// behind, no labelled container left behind, and the same client works again
// once the daemon is back.

// containerIDs and madeSince judge containers by id (dockertest).
func containerIDs(t *testing.T, api *client.Client, owned bool) map[string]bool {
	return dockertest.ContainerIDs(t, api, owned)
}

func madeSince(before, now map[string]bool) []string { return dockertest.MadeSince(before, now) }

// labelled are layerlab's containers on the daemon now.
func labelled(t *testing.T, api *client.Client) map[string]bool { return containerIDs(t, api, true) }

// faultCheck is what every fault test verifies at its end.
func faultCheck(t *testing.T, api *client.Client, p *dockertest.Proxy, cli *docker.Client, before map[string]bool) {
	t.Helper()
	// Back: the same client talks to the daemon again.
	if err := p.Up(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := cli.Images(ctx); err != nil {
		t.Errorf("after the daemon came back: %v", err)
	}
	if left := madeSince(before, labelled(t, api)); len(left) > 0 {
		t.Errorf("labelled containers made during the fault stay: %v", left)
	}
}

func TestDaemonGoneMidPull(t *testing.T) {
	dcli, api := dockertest.Daemon(t)
	dockertest.SkipOnPodman(t, dcli, "the proxy cuts the daemon off when a layer is complete, which Podman's pull stream says only as the pull ends: the pull is done before the cut")
	reg := dockertest.StartRegistry(t)
	reg.PublishLayered(t, api, "library/layered:latest", 4, 256<<10)
	dockertest.PreserveTag(t, api, "layered:latest")
	p := dockertest.StartProxy(t)
	before := labelled(t, api)
	defer dockertest.NoLeaks(t)()
	cli := p.Client(t)
	defer cli.Close()

	// Layers come slowly; the daemon goes away when the first download is in.
	reg.SlowBlobs(700 * time.Millisecond)
	ref, _ := docker.ParseRef("layered")
	var cut bool
	res, err := cli.Pull(context.Background(), ref, docker.PullOptions{Mirror: reg.Host}, func(pp docker.PullProgress) {
		for _, l := range pp.Layers {
			if l.Phase == docker.PhaseComplete && !cut {
				cut = true
				p.Down()
			}
		}
	})
	var de *docker.Error
	if !errors.As(err, &de) || de.Kind != docker.KindInterrupted {
		t.Fatalf("got %v (kind %v), want interrupted", err, docker.KindOf(err))
	}
	done, _, all := res.Progress.Counts()
	if de.LayersTotal != all || de.LayersDone != done || all != 6 || done < 1 || done == all {
		t.Errorf("error says %d of %d layers arrived; progress says %d of %d", de.LayersDone, de.LayersTotal, done, all)
	}
	t.Logf("%v", err)
	faultCheck(t, api, p, cli, before)
	// An unfinished pull leaves no image (this engine drops its layers too:
	// the learner is told to run it again, not that it resumes).
	if ok, _, err := cli.Exists(context.Background(), "layered:latest"); ok || err != nil {
		t.Errorf("an interrupted pull left an image (%v)", err)
	}
	reg.SlowBlobs(0)
	if _, err := cli.Pull(context.Background(), ref, docker.PullOptions{Mirror: reg.Host}, nil); err != nil {
		t.Fatalf("the pull again, once the daemon is back: %v", err)
	}
}

// eventually retries f for up to 15 s: the daemon cleans up after a client
// that went away in its own time.
func eventually(f func() bool) bool {
	for range 60 {
		if f() {
			return true
		}
		time.Sleep(250 * time.Millisecond)
	}
	return f()
}

// base builds the busybox base as a local image for containers and builds.
func base(t *testing.T, api *client.Client) string {
	t.Helper()
	tag := "layerlab-test/faultbase:" + uniq("b")
	dockertest.Build(t, api, tag, dockertest.BaseDockerfile, map[string][]byte{"busybox": dockertest.Busybox(t)})
	return tag
}

func TestDaemonGoneMidBuild(t *testing.T) {
	_, api := dockertest.Daemon(t)
	b := base(t, api)
	p := dockertest.StartProxy(t)
	before, beforeAll := labelled(t, api), containerIDs(t, api, false) // a build's step containers carry no label
	defer dockertest.NoLeaks(t)()
	cli := p.Client(t)
	defer cli.Close()
	dir := workspace(t, map[string]string{"Dockerfile": "FROM " + b + "\nRUN echo one > /one\nRUN sleep 30\nRUN echo three\n"})
	ref := tagRef(t, "layerlab-test/faultbuild:"+uniq("t"))

	var cut bool
	res, err := cli.Build(context.Background(), docker.BuildOptions{ContextDir: dir, Tags: []docker.Ref{ref}, Lesson: "test-fault"}, func(bp docker.BuildProgress) {
		if c := bp.Current(); c != nil && c.Index == 3 && !cut {
			cut = true
			time.AfterFunc(500*time.Millisecond, p.Down)
		}
	})
	var de *docker.Error
	if !errors.As(err, &de) || de.Kind != docker.KindInterrupted {
		t.Fatalf("got %v (kind %v), want interrupted", err, docker.KindOf(err))
	}
	if de.Step != 3 {
		t.Errorf("interrupted at step %d, want 3 (the sleep)", de.Step)
	}
	t.Logf("%v", err)
	if err := p.Up(); err != nil {
		t.Fatal(err)
	}
	// The daemon stops the step's container and removes it.
	if !eventually(func() bool { return len(madeSince(beforeAll, containerIDs(t, api, false))) == 0 }) {
		t.Errorf("containers made by the build stay: %v", madeSince(beforeAll, containerIDs(t, api, false)))
	}
	faultCheck(t, api, p, cli, before)
	if ok, _, _ := cli.Exists(context.Background(), ref.Full()); ok {
		t.Error("an interrupted build tagged its result")
	}
	// Step 2 finished before the cut: it is in the ledger (cleanup removes it).
	if len(res.Progress.Steps) < 2 || res.Progress.Steps[1].ImageID == "" {
		t.Fatalf("steps %+v", res.Progress.Steps)
	}
	for _, s := range res.Progress.Steps {
		if s.ImageID != "" && !s.Cached && s.Index > 1 && !cli.Ledger().HasImage(cli.Endpoint().Host, s.ImageID) {
			t.Errorf("step %d's image %s is not recorded", s.Index, s.ImageID)
		}
		if s.ImageID != "" && s.Index > 1 {
			_, _ = cli.RemoveImage(context.Background(), s.ImageID, false)
		}
	}
}

// faultContainer is a running lesson container reached through a proxy;
// both go when the test ends.
func faultContainer(t *testing.T) (*client.Client, *dockertest.Proxy, *docker.Client, docker.Container) {
	t.Helper()
	_, api := dockertest.Daemon(t)
	b := base(t, api)
	p := dockertest.StartProxy(t)
	cli := p.Client(t)
	c, err := cli.RunContainer(context.Background(), b, uniq("layerlab-test-fault"), "test-fault")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cli.RemoveContainer(context.Background(), c.ID) })
	return api, p, cli, c
}

func TestDaemonGoneMidCommit(t *testing.T) {
	api, p, cli, c := faultContainer(t)
	ctx := context.Background()
	if _, err := cli.Exec(ctx, c.ID, "head -c 20000000 /dev/urandom > /big"); err != nil {
		t.Fatal(err)
	}
	before := labelled(t, api)
	leaks := dockertest.NoLeaks(t)
	ref := tagRef(t, "layerlab-test/faultcommit:"+uniq("t"))
	p.DownOnAnswer("/commit")
	_, err := cli.Commit(ctx, c.ID, ref, "test-fault")
	var de *docker.Error
	if !errors.As(err, &de) || de.Kind != docker.KindInterrupted {
		t.Fatalf("got %v (kind %v), want interrupted: the commit was sent", err, docker.KindOf(err))
	}
	t.Logf("%v", err)
	faultCheck(t, api, p, cli, before)
	// Whether the daemon finished it or not, a commit that lands is
	// layerlab's: recorded, so that cleanup can take it away.
	ok, id, _ := cli.Exists(ctx, ref.Full())
	if !ok {
		t.Fatal("the daemon answered the commit: its image should be there")
	}
	t.Logf("the daemon finished the commit: %s", id)
	plan, err := cli.PlanCleanup(ctx, "test-fault")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range plan.Items {
		found = found || it.Name == ref.String()
	}
	if !found {
		t.Errorf("cleanup does not plan to remove the interrupted commit's image: %+v", plan.Items)
	}
	if _, err := cli.RemoveImage(ctx, ref.String(), false); err != nil {
		t.Errorf("the interrupted commit's image is not removable by layerlab: %v", err)
	}
	cli.Close()
	leaks()
}

func TestDaemonGoneMidExec(t *testing.T) {
	api, p, cli, c := faultContainer(t)
	ctx := context.Background()
	before := labelled(t, api)
	leaks := dockertest.NoLeaks(t)
	p.When("/start", 300*time.Millisecond, p.Down)
	_, err := cli.Exec(ctx, c.ID, "echo started; sleep 3; echo finished > /finished")
	var de *docker.Error
	if !errors.As(err, &de) || de.Kind != docker.KindInterrupted {
		t.Fatalf("got %v (kind %v), want interrupted", err, docker.KindOf(err))
	}
	t.Logf("%v", err)
	faultCheck(t, api, p, cli, before)
	cli.Close()
	leaks()
}

func TestDaemonGoneMidRemove(t *testing.T) {
	_, api := dockertest.Daemon(t)
	b := base(t, api)
	p := dockertest.StartProxy(t)
	cli := p.Client(t)
	defer cli.Close()
	res := committed(t, cli, b, "layerlab-test/faultrmi:"+uniq("t"), "test-fault")
	before := labelled(t, api)
	leaks := dockertest.NoLeaks(t)
	p.DownOnAnswer("DELETE /")
	_, err := cli.RemoveImage(context.Background(), res.Ref.String(), false)
	var de *docker.Error
	if !errors.As(err, &de) || de.Kind != docker.KindInterrupted {
		t.Fatalf("got %v (kind %v), want interrupted", err, docker.KindOf(err))
	}
	t.Logf("%v", err)
	faultCheck(t, api, p, cli, before)
	// Done or not done, never half: the tag is either there with its image or gone.
	ok, id, err := cli.Exists(context.Background(), res.Ref.String())
	if err != nil || (ok && id != res.ImageID) {
		t.Errorf("after an interrupted removal: exists %v id %s (%v)", ok, id, err)
	}
	cli.Close()
	leaks()
}
