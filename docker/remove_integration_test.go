package docker_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"

	"github.com/docker/docker/api/types/container"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
)

// withLedger gives the client a ledger of its own, in the test's temp dir.
func withLedger(t *testing.T, cli *docker.Client) *docker.Ledger {
	l := docker.OpenLedger(filepath.Join(t.TempDir(), "state", "owned.json"))
	cli.UseLedger(l)
	return l
}

// committed makes a labelled image ref from a container of base with one change.
func committed(t *testing.T, cli *docker.Client, base, ref, lesson string) docker.CommitResult {
	t.Helper()
	ctx := context.Background()
	c, err := cli.RunContainer(ctx, base, uniq("layerlab-test-rmi"), lesson)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cli.RemoveContainer(context.Background(), c.ID) })
	if _, err := cli.Exec(ctx, c.ID, "echo made > /made.txt"); err != nil {
		t.Fatal(err)
	}
	r, err := docker.ParseRef(ref)
	if err != nil {
		t.Fatal(err)
	}
	res, err := cli.Commit(ctx, c.ID, r, lesson)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = cli.RemoveImage(context.Background(), res.ImageID, true) })
	return res
}

func TestRemoveTwoTagsUntagsThenDeletesKeepingSharedLayers(t *testing.T) {
	cli, base := lessonBase(t)
	ledger := withLedger(t, cli)
	ctx := context.Background()
	api := dockertest.API(t)
	name := uniq("layerlab-test-rmi")
	v1, v2 := name+":v1", name+":v2"
	c := committed(t, cli, base, v1, "test-rmi")
	r2, _ := docker.ParseRef(v2)
	if _, err := cli.Tag(ctx, v1, r2, "test-rmi"); err != nil {
		t.Fatal(err)
	}
	if _, ok := ledger.Lookup(cli.Endpoint().Host, v2); !ok {
		t.Fatal("the tag layerlab set is not in the ledger")
	}

	res, err := cli.RemoveImage(ctx, v2, false)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Untagged, []string{v2}) || len(res.Deleted) != 0 || res.ImageDeleted {
		t.Fatalf("first rmi should only untag: %+v", res)
	}
	if insp, err := api.ImageInspect(ctx, v1); err != nil || insp.ID != c.ImageID {
		t.Fatalf("the image should still be %s: %v", v1, err)
	}

	baseInsp, err := api.ImageInspect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	res, err = cli.RemoveImage(ctx, v1, false)
	if err != nil {
		t.Fatal(err)
	}
	if !res.ImageDeleted || !slices.Contains(res.Deleted, c.ImageID) {
		t.Fatalf("last tag should delete the image: %+v", res)
	}
	// Docker 20.10 names each deleted layer in its answer; the containerd
	// image store names only the image, and layerlab looks which layers no
	// image uses any more (the rmi lesson says so).
	// Podman's answer, too, names only the image.
	if cs := dockertest.ContainerdStore(t, api) || cli.IsPodman(); res.LayersChecked != cs {
		t.Errorf("containerd store %v, but the layers were checked: %v (deleted %v)", cs, res.LayersChecked, res.Deleted)
	}
	n := len(res.Layers)
	if n != len(baseInsp.RootFS.Layers)+1 {
		t.Fatalf("removed image had %d layers, base %d", n, len(baseInsp.RootFS.Layers))
	}
	if !res.Layers[n-1].Deleted {
		t.Error("the committed layer was not deleted")
	}
	for i, l := range res.Layers[:n-1] {
		if l.Deleted {
			t.Errorf("layer %d shared with %s was deleted", i, base)
		}
		if l.DiffID != baseInsp.RootFS.Layers[i] {
			t.Errorf("layer %d is %s, base has %s", i, l.DiffID, baseInsp.RootFS.Layers[i])
		}
	}
	// The base image is whole: its layers survive, verified by inspect.
	after, err := api.ImageInspect(ctx, base)
	if err != nil || !slices.Equal(after.RootFS.Layers, baseInsp.RootFS.Layers) {
		t.Fatalf("%s changed: %v", base, err)
	}
	if _, err := api.ImageInspect(ctx, c.ImageID); err == nil {
		t.Error("the image still exists")
	}
	if _, ok := ledger.Lookup(cli.Endpoint().Host, v1); ok {
		t.Error("the ledger still lists a removed tag")
	}
	// Again: it is gone, and the error says so.
	if _, err := cli.RemoveImage(ctx, v1, false); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("removing a gone image: %v", err)
	}
}

func TestRemoveImageInUseNamesTheContainer(t *testing.T) {
	cli, base := lessonBase(t)
	withLedger(t, cli)
	ctx := context.Background()
	ref := uniq("layerlab-test-rmi") + ":v1"
	c := committed(t, cli, base, ref, "test-rmi")
	user, err := cli.RunContainer(ctx, ref, uniq("layerlab-test-rmi-user"), "test-rmi")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cli.RemoveContainer(context.Background(), user.ID) })

	_, err = cli.RemoveImage(ctx, ref, false)
	var de *docker.Error
	if !errors.As(err, &de) || de.Kind != docker.KindConflict {
		t.Fatalf("want a conflict, got %v", err)
	}
	if de.Container != user.Name || de.Conflict != docker.ConflictRunning {
		t.Errorf("conflict names %q (%v), want %q", de.Container, de.Conflict, user.Name)
	}
	if de.Podman != cli.IsPodman() {
		t.Errorf("the conflict says Podman %v on Podman %v (its -f hint differs)", de.Podman, cli.IsPodman())
	}
	if ok, _, _ := cli.Exists(ctx, ref); !ok {
		t.Fatal("a refused removal removed the tag")
	}
	if err := cli.RemoveContainer(ctx, user.ID); err != nil {
		t.Fatal(err)
	}
	res, err := cli.RemoveImage(ctx, ref, false)
	if err != nil || !res.ImageDeleted || res.ImageID != c.ImageID {
		t.Fatalf("after removing the container: %+v %v", res, err)
	}
}

func TestForceOnImageInUseOnlyUntags(t *testing.T) {
	cli, base := lessonBase(t)
	withLedger(t, cli)
	ctx := context.Background()
	ref := uniq("layerlab-test-rmi") + ":v1"
	c := committed(t, cli, base, ref, "test-rmi")
	user, err := cli.RunContainer(ctx, ref, uniq("layerlab-test-rmi-user"), "test-rmi")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cli.RemoveContainer(context.Background(), user.ID) })
	res, err := cli.RemoveImage(ctx, ref, true)
	if cli.IsPodman() {
		// Podman's -f would remove the container too: not sent there.
		if docker.KindOf(err) != docker.KindEngineDiffers {
			t.Fatalf("rmi -f on Podman with a container: %v, want not sent", err)
		}
		if ok, _, _ := cli.Exists(ctx, ref); !ok {
			t.Fatal("the tag went")
		}
		if _, err := dockertest.API(t).ContainerInspect(ctx, user.ID); err != nil {
			t.Fatalf("the container went: %v", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if res.ImageDeleted || !slices.Equal(res.Untagged, []string{ref}) {
		t.Fatalf("force with a container should only untag: %+v", res)
	}
	if ok, _, _ := cli.Exists(ctx, c.ImageID); !ok {
		t.Fatal("the image went although a container uses it")
	}
}

func TestRemoveRefusesWhatLayerlabDidNotMake(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	withLedger(t, cli)
	reg := dockertest.StartRegistry(t)
	ctx := context.Background()
	// A learner's image, built by hand, and a tag of theirs that a lesson then pulls over.
	files := map[string][]byte{"busybox": dockertest.Busybox(t)}
	mine := uniq("layerlab-test-mine") + ":1"
	mineID := dockertest.Build(t, api, mine, dockertest.BaseDockerfile, files)
	pulled := uniq("layerlab-test-theirs")
	reg.Publish(t, api, "library/"+pulled+":latest")
	if err := api.ImageTag(ctx, mineID, pulled+":latest"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = api.ImageRemove(context.Background(), pulled+":latest", image.RemoveOptions{}) })
	r, _ := docker.ParseRef(pulled)
	// The learner pulls over it in their own terminal (a lesson never moves
	// a name of theirs: TestPullNeverMovesALearnersName).
	res, err := cli.AsLearner().Pull(ctx, r, docker.PullOptions{Mirror: reg.Host}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.TagExisted || res.PreviousID != mineID {
		t.Fatalf("pull did not see the learner's tag: %+v", res)
	}
	for _, target := range []string{mine, mineID, docker.ShortID(mineID), pulled, pulled + ":latest", res.ImageID} {
		_, err := cli.RemoveImage(ctx, target, true)
		if !errors.Is(err, docker.ErrNotOwned) {
			t.Errorf("rmi %s: want not-owned, got %v", target, err)
		}
	}
	if insp, err := api.ImageInspect(ctx, mine); err != nil || insp.ID != mineID {
		t.Fatalf("the learner's image changed: %v", err)
	}
	if ok, _, _ := cli.Exists(ctx, pulled+":latest"); !ok {
		t.Fatal("the tag that existed before the pull was removed")
	}
}

func TestCleanupRemovesExactlyWhatLayerlabMade(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	withLedger(t, cli)
	reg := dockertest.StartRegistry(t)
	ctx := context.Background()
	lesson := "test-cleanup-" + reg.Nonce
	pulled := "layerlab-test-pulled-" + reg.Nonce
	reg.Publish(t, api, "library/"+pulled+":latest")
	r, _ := docker.ParseRef(pulled)
	if _, err := cli.Pull(ctx, r, docker.PullOptions{Mirror: reg.Host, Lesson: lesson}, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = api.ImageRemove(context.Background(), pulled+":latest", image.RemoveOptions{}) })
	ct, err := cli.RunContainer(ctx, pulled, "layerlab-test-cleanup-"+reg.Nonce, lesson)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cli.RemoveContainer(context.Background(), ct.ID) })
	cr, _ := docker.ParseRef("layerlab-test-cleanup-" + reg.Nonce + ":v1")
	first, err := cli.Commit(ctx, ct.ID, cr, lesson)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Exec(ctx, ct.ID, "echo again > /x"); err != nil {
		t.Fatal(err)
	}
	second, err := cli.Commit(ctx, ct.ID, cr, lesson) // leaves the first one dangling
	if err != nil {
		t.Fatal(err)
	}
	// A learner's tag on layerlab's image: the image must stay, only layerlab's tag goes.
	theirs := "layerlab-test-keep-" + reg.Nonce + ":mine"
	if err := api.ImageTag(ctx, second.ImageID, theirs); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = api.ImageRemove(context.Background(), theirs, image.RemoveOptions{})
		_, _ = api.ImageRemove(context.Background(), second.ImageID, image.RemoveOptions{PruneChildren: true})
	})

	before, _ := api.ImageList(ctx, image.ListOptions{All: true})
	plan, err := cli.PlanCleanup(ctx, lesson)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := api.ImageList(ctx, image.ListOptions{All: true})
	if len(before) != len(after) {
		t.Fatal("planning (--dry-run) changed the images")
	}
	names := map[string]docker.ItemKind{}
	for _, it := range plan.Items {
		names[it.Name] = it.Kind
	}
	want := map[string]docker.ItemKind{
		ct.Name: docker.ItemContainer, pulled + ":latest": docker.ItemTag,
		cr.String(): docker.ItemTag, docker.ShortID(first.ImageID): docker.ItemImage,
	}
	for n, k := range want {
		if names[n] != k {
			t.Errorf("plan lacks %s %s: %+v", k, n, plan.Items)
		}
	}
	if len(plan.Items) != len(want) {
		t.Errorf("plan has %d items, want %d: %+v", len(plan.Items), len(want), plan.Items)
	}

	for _, r := range cli.Cleanup(ctx, plan, nil) {
		if r.Err != nil {
			t.Errorf("%s %s: %v", r.Item.Kind, r.Item.Name, r.Err)
		}
	}
	again, err := cli.PlanCleanup(ctx, lesson)
	if err != nil || !again.Empty() {
		t.Fatalf("after cleanup, still planned: %+v %v", again.Items, err)
	}
	cts, _ := cli.OwnedContainers(ctx, lesson)
	if len(cts) != 0 {
		t.Errorf("labelled containers left: %+v", cts)
	}
	imgs, _ := api.ImageList(ctx, image.ListOptions{All: true, Filters: filters.NewArgs(filters.Arg("label", docker.LabelLesson+"="+lesson))})
	for _, im := range imgs {
		if im.ID != second.ImageID {
			t.Errorf("labelled image left: %s %v", im.ID, im.RepoTags)
		}
	}
	if insp, err := api.ImageInspect(ctx, theirs); err != nil || insp.ID != second.ImageID {
		t.Fatalf("the learner's tag on layerlab's image was lost: %v", err)
	}
	for _, gone := range []string{pulled + ":latest", cr.String(), first.ImageID} {
		if ok, _, _ := cli.Exists(ctx, gone); ok {
			t.Errorf("%s is still there", gone)
		}
	}
}

// TestForcedRemovalDoesWhatTheHintSays: what `docker rmi -f` does to an image
// a container uses, as the rmi lesson's hints say it, on this engine. A
// stopped container: by name, Docker 20.10 deletes the image and the
// containerd image store only untags it; by id, both delete it. A running
// container: by name only the name goes; by id even -f is refused. The
// refusal without -f tells a running container from a stopped one.
func TestForcedRemovalDoesWhatTheHintSays(t *testing.T) {
	cli, base := lessonBase(t)
	withLedger(t, cli)
	api := dockertest.API(t)
	containerd := dockertest.ContainerdStore(t, api)
	ctx := context.Background()
	for _, c := range []struct {
		running, byID bool
		deleted       bool // the image is gone afterwards
		refused       bool // even -f is refused
	}{
		{running: false, byID: false, deleted: !containerd},
		{running: false, byID: true, deleted: true},
		{running: true, byID: false, deleted: false},
		{running: true, byID: true, refused: true},
	} {
		name := fmt.Sprintf("running=%v byID=%v", c.running, c.byID)
		ref := uniq("layerlab-test-force") + ":v1"
		img := committed(t, cli, base, ref, "test-rmi")
		ct, err := cli.RunContainer(ctx, ref, uniq("layerlab-test-force-user"), "test-rmi")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cli.RemoveContainer(context.Background(), ct.ID) })
		if !c.running {
			timeout := 0
			if err := api.ContainerStop(ctx, ct.ID, container.StopOptions{Timeout: &timeout}); err != nil {
				t.Fatal(err)
			}
		}
		target := ref
		if c.byID {
			target = docker.ShortID(img.ImageID)
		}
		_, err = cli.RemoveImage(ctx, target, false)
		var de *docker.Error
		want := docker.ConflictContainer
		if c.running {
			want = docker.ConflictRunning
		}
		if !errors.As(err, &de) || de.Conflict != want || de.ContainerdStore != containerd {
			t.Errorf("%s, without -f: %v (conflict %v, containerd %v), want conflict %v", name, err, de.Conflict, de.ContainerdStore, want)
		}
		res, err := cli.RemoveImage(ctx, target, true)
		if cli.IsPodman() {
			// Podman's -f removes the container too: never sent while
			// one uses the image; nothing changes.
			c.refused, c.deleted = false, false
			if docker.KindOf(err) != docker.KindEngineDiffers {
				t.Errorf("%s, -f on Podman: %v, want not sent", name, err)
			}
			if _, cerr := api.ContainerInspect(ctx, ct.ID); cerr != nil {
				t.Errorf("%s, -f on Podman: the container went: %v", name, cerr)
			}
			err = nil
		}
		if c.refused {
			if docker.KindOf(err) != docker.KindConflict {
				t.Errorf("%s, -f: %v, want refused", name, err)
			}
		} else if err != nil {
			t.Errorf("%s, -f: %v", name, err)
		}
		_, ierr := api.ImageInspect(ctx, img.ImageID)
		if gone := ierr != nil; gone != c.deleted || res.ImageDeleted != c.deleted {
			t.Errorf("%s, -f: image gone %v (reported %v), want %v; %+v", name, gone, res.ImageDeleted, c.deleted, res)
		}
	}
}
