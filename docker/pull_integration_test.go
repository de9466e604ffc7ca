package docker_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
)

func TestPullThroughMirrorShowsLayers(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	dockertest.PreserveTag(t, api, "python:3.6.0-slim")

	ref, err := docker.ParseRef("python:3.6.0-slim")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var updates int
	res, err := cli.Pull(ctx, ref, docker.PullOptions{Mirror: reg.Host}, func(p docker.PullProgress) { updates++ })
	if err != nil {
		t.Fatalf("pull: %v", err)
	}
	if updates < 3 {
		t.Errorf("only %d progress updates", updates)
	}
	fin, _, all := res.Progress.Counts()
	if all == 0 || fin != all {
		t.Errorf("layers finished %d of %d", fin, all)
	}
	if res.ImageID == "" {
		t.Fatal("no image id")
	}
	// The learner-facing name exists, the mirror's name does not linger.
	if ok, _, _ := cli.Exists(ctx, reg.Host+"/library/python:3.6.0-slim"); ok {
		t.Error("mirror reference left behind")
	}
	st, err := cli.Stack(ctx, "python:3.6.0-slim")
	if err != nil {
		t.Fatal(err)
	}
	insp, err := api.ImageInspect(ctx, "python:3.6.0-slim")
	if err != nil {
		t.Fatal(err)
	}
	if all != len(insp.RootFS.Layers) {
		// Podman lists the config blob as a layer too: not counted.
		t.Errorf("the pull counted %d layers, the image has %d", all, len(insp.RootFS.Layers))
	}
	fs := st.FSLayers()
	if len(fs) != len(insp.RootFS.Layers) {
		t.Fatalf("stack has %d fs layers, image has %d", len(fs), len(insp.RootFS.Layers))
	}
	for i, l := range fs {
		if l.DiffID != insp.RootFS.Layers[i] {
			t.Errorf("layer %d: diff id %s, want %s", i, l.DiffID, insp.RootFS.Layers[i])
		}
	}
	for _, l := range st.Layers {
		t.Logf("%2d meta=%v %10d %s %s", l.Index, l.Meta, l.Size, docker.ShortID(l.DiffID), l.Instruction)
	}
	if got := st.Config.Cmd; len(got) != 1 || got[0] != "python3" {
		t.Errorf("cmd %v", got)
	}
	// Pulling it again moves nothing: the learner is told it is up to date.
	again, err := cli.Pull(ctx, ref, docker.PullOptions{Mirror: reg.Host}, nil)
	if err != nil || !again.Progress.UpToDate || again.ImageID != res.ImageID {
		t.Errorf("second pull: up to date %v, %v", again.Progress.UpToDate, err)
	}
}

func TestPullMissingImageIsNotFound(t *testing.T) {
	cli, _ := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	ref, _ := docker.ParseRef("nosuchimage:1.0")
	_, err := cli.Pull(context.Background(), ref, docker.PullOptions{Mirror: reg.Host}, nil)
	if !errors.Is(err, docker.ErrNotFound) {
		t.Fatalf("got %v (kind %v), want not found", err, docker.KindOf(err))
	}
}

func TestPullUnreachableRegistry(t *testing.T) {
	cli, _ := dockertest.Daemon(t)
	// An image that is not on disk: nothing to fall back on.
	ref, _ := docker.ParseRef(uniq("layerlab-test-nowhere"))
	// Nothing listens on port 1 of loopback: as a classroom without internet.
	res, err := cli.Pull(context.Background(), ref, docker.PullOptions{Mirror: "127.0.0.1:1"}, nil)
	if !errors.Is(err, docker.ErrRegistryUnreachable) || res.Offline {
		t.Fatalf("got %v (kind %v), want registry unreachable", err, docker.KindOf(err))
	}
}

func TestPullCancelLeavesNoTag(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	dockertest.PreserveTag(t, api, "busybox:1.36")
	ctx, cancel := context.WithCancel(context.Background())
	ref, _ := docker.ParseRef("busybox:1.36")
	existed, _, _ := cli.Exists(context.Background(), "busybox:1.36")
	_, err := cli.Pull(ctx, ref, docker.PullOptions{Mirror: reg.Host}, func(p docker.PullProgress) {
		if len(p.Layers) > 0 {
			cancel()
		}
	})
	if !errors.Is(err, docker.ErrCanceled) {
		t.Fatalf("got %v, want canceled", err)
	}
	if now, _, _ := cli.Exists(context.Background(), "busybox:1.36"); now && !existed {
		t.Error("a cancelled pull left the tag behind")
	}
}

// Issue 28, 9: `docker tag MYIMAGE python:3.6.0-slim`, then the pull
// lesson's step moved python:3.6.0-slim to the pulled image without a word.
// A name of the learner's own is never moved by a lesson's pull: refused
// with the name and the image it names; the learner's own pull (their
// terminal) moves it, as docker pull does.
func TestPullNeverMovesALearnersName(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	dockertest.PreserveTag(t, api, "python:3.6.0-slim")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	mine := dockertest.Build(t, api, "layerlab-test-mine:"+reg.Nonce, strings.ReplaceAll(dockertest.BaseDockerfile, "NONCE", reg.Nonce+"-mine"),
		map[string][]byte{"busybox": dockertest.Busybox(t)})
	t.Cleanup(func() { dockertest.RemoveIfOwned(api, "layerlab-test-mine:"+reg.Nonce) })
	if err := api.ImageTag(ctx, mine, "python:3.6.0-slim"); err != nil {
		t.Fatal(err)
	}
	ref, _ := docker.ParseRef("python:3.6.0-slim")
	_, err := cli.Pull(ctx, ref, docker.PullOptions{Mirror: reg.Host, Lesson: "pull"}, nil)
	var de *docker.Error
	if !errors.As(err, &de) || de.Kind != docker.KindNotOwned || de.NotOwned != docker.NotOwnedName {
		t.Fatalf("the lesson's pull over the learner's name: %v", err)
	}
	if _, now, _ := cli.Exists(ctx, "python:3.6.0-slim"); now != mine {
		t.Errorf("the learner's name moved to %s", now)
	}
	if ok, _, _ := cli.Exists(ctx, reg.Host+"/library/python:3.6.0-slim"); ok {
		t.Error("the mirror's name was left behind")
	}
	// Their own pull moves it, as the docker CLI does.
	if _, err := cli.AsLearner().Pull(ctx, ref, docker.PullOptions{Mirror: reg.Host}, nil); err != nil {
		t.Fatal(err)
	}
	if _, now, _ := cli.Exists(ctx, "python:3.6.0-slim"); now == mine {
		t.Error("the learner's own pull did not move their name")
	}
}

// A classroom offline, its images brought by a bundle (their names set by
// docker load, not by layerlab, and not pulled): a lesson's pull of such a
// name uses the copy on disk and moves nothing; it is no learner's name
// being moved, since no registry answers.
func TestPullOfflineUsesTheLoadedCopy(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	name := "127.0.0.1:1/layerlab-test-loaded:" + reg.Nonce // nothing listens on port 1
	id := dockertest.Build(t, api, name, strings.ReplaceAll(dockertest.BaseDockerfile, "NONCE", reg.Nonce+"-loaded"),
		map[string][]byte{"busybox": dockertest.Busybox(t)})
	t.Cleanup(func() { dockertest.RemoveIfOwned(api, name) })
	ref, _ := docker.ParseRef(name)
	res, err := cli.Pull(context.Background(), ref, docker.PullOptions{Lesson: "pull"}, nil)
	if err != nil || !res.Offline {
		t.Fatalf("the offline pull of a loaded image: offline %v, %v", res.Offline, err)
	}
	if _, now, _ := cli.Exists(context.Background(), name); now != id {
		t.Errorf("the name moved: %s, was %s", now, id)
	}
}

// Issue 31, 6: a pull in a later lesson that finds the image up to date
// makes nothing: the record of the tag stays with the lesson that pulled
// it, and the later lesson's cleanup (its x) does not offer it.
func TestAnUpToDatePullLeavesTheRecordWhereItWas(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	name := "layerlab-test-noop-" + reg.Nonce + ":latest"
	reg.Publish(t, api, "library/"+name)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ref, _ := docker.ParseRef(name)
	if _, err := cli.Pull(ctx, ref, docker.PullOptions{Mirror: reg.Host, Lesson: "pull"}, nil); err != nil {
		t.Fatal(err)
	}
	again, err := cli.Pull(ctx, ref, docker.PullOptions{Mirror: reg.Host, Lesson: "rmi"}, nil)
	if err != nil || !again.Progress.UpToDate {
		t.Fatalf("second pull: up to date %v, %v", again.Progress.UpToDate, err)
	}
	host := cli.Endpoint().Host
	if r, ok := cli.Ledger().Lookup(host, ref.String()); !ok || r.Lesson != "pull" {
		t.Errorf("the record of %s: %+v (found %v), want the pull lesson's", ref, r, ok)
	}
	plan, err := cli.PlanCleanup(ctx, "rmi")
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range plan.Items {
		if it.Name == ref.String() {
			t.Errorf("the later lesson's cleanup offers %s", it.Name)
		}
	}
}

// Issue 31, 7: a pull after the registry's tag moved leaves the image it
// named before dangling (<none>); the result says so, and since layerlab
// had pulled it, it stays layerlab's by id: cleanup lists it and removes it.
func TestAPullThatMovesATagLeavesTheOldImageDanglingAndLayerlabs(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	name := "layerlab-test-moved-" + reg.Nonce + ":latest"
	reg.Publish(t, api, "library/"+name)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ref, _ := docker.ParseRef(name)
	first, err := cli.Pull(ctx, ref, docker.PullOptions{Mirror: reg.Host, Lesson: "pull"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The registry's latest changes: another image under the same name.
	reg.PublishLayered(t, api, "library/"+name, 1, 64)
	second, err := cli.Pull(ctx, ref, docker.PullOptions{Mirror: reg.Host, Lesson: "rmi"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if second.ImageID == first.ImageID {
		t.Fatal("the registry's new latest was not pulled")
	}
	if docker.ShortID(second.PreviousID) != docker.ShortID(first.ImageID) || !second.PreviousDangling {
		t.Errorf("previous %s (dangling %v), want %s dangling", second.PreviousID, second.PreviousDangling, first.ImageID)
	}
	host := cli.Endpoint().Host
	if r, ok := cli.Ledger().Image(host, first.ImageID); !ok || r.Lesson != "pull" || r.How != "pull" {
		t.Errorf("the old image's record: %+v (found %v)", r, ok)
	}
	plan, err := cli.PlanCleanup(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	listed := false
	for _, it := range plan.Items {
		if it.Kind == docker.ItemImage && docker.ShortID(it.ID) == docker.ShortID(first.ImageID) {
			listed = true
		}
	}
	if !listed {
		t.Fatalf("cleanup does not list the dangling %s: %+v", docker.ShortID(first.ImageID), plan.Items)
	}
	for _, r := range cli.Cleanup(ctx, plan, nil) {
		if r.Err != nil {
			t.Errorf("cleanup %s: %v", r.Item.Name, r.Err)
		}
	}
	if _, err := api.ImageInspect(ctx, first.ImageID); err == nil {
		t.Errorf("the dangling %s is still there after cleanup", docker.ShortID(first.ImageID))
	}
}
