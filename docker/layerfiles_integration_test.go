package docker_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
)

// TestTheFilesViewIsWhatDockerDiffLists: for commands a learner types in the
// commit lesson, the files view of the committed layer lists the paths
// `docker diff` lists for the container it was committed from, with the
// same letters: a folder something in it changed is C (C /bin), a folder
// deleted and made again is C with what it held D. docker diff compares
// the container's files with its image's on both engines (overlay2 since
// Docker 18.06, the containerd store); the layer is the container's changes
// as the engine exports them (on 20.10, overlay2's upper folder itself).
func TestTheFilesViewIsWhatDockerDiffLists(t *testing.T) {
	cli, busybox := lessonBase(t)
	ctx := context.Background()
	// busybox with folders in folders below.
	base := uniq("layerlab-test/srv") + ":1"
	dockertest.Build(t, dockertest.API(t), base, "FROM "+busybox+"\nRUN mkdir -p /srv/www/a && echo x > /srv/www/a/i && echo y > /srv/top\n", nil)
	for i, cmd := range []string{
		"echo hi > /hello.txt && mkdir /app", // the lesson's own
		"ln -s busybox /bin/hello",           // a file added to a folder below
		"rm /bin/vi",
		"echo more >> /etc/layerlab-image",                        // a file changed, nothing added to its folder
		"echo z > /srv/www/a/new",                                 // folders in folders
		"rm -rf /srv && mkdir -p /srv/www && echo n > /srv/www/n", // a folder deleted and made again
	} {
		t.Run(fmt.Sprint(i+1), func(t *testing.T) {
			if i == 5 {
				dockertest.SkipOnPodman(t, cli, "Podman's diff says D /srv for a folder deleted and made again, which is there: "+
					"its layer holds /srv with whiteouts of what it held (C /srv, D /srv/top), as the files view lists")
			}
			c := run(t, cli, base, uniq("layerlab-test-diff"))
			if res, err := cli.Exec(ctx, c.ID, cmd); err != nil || res.ExitCode != 0 {
				t.Fatalf("%s: %v %+v", cmd, err, res)
			}
			w, err := cli.Writable(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			diff := map[string]string{}
			for _, ch := range w.Changes {
				diff[ch.Path] = ch.Kind.Letter()
			}
			ref := tagRef(t, "layerlab-test/diff:"+uniq("t"))
			if _, err := cli.Commit(ctx, c.ID, ref, "test-commit"); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _, _ = cli.RemoveImage(context.Background(), ref.String(), false) })
			layers, err := cli.Files(ctx, ref.String())
			if err != nil {
				t.Fatal(err)
			}
			view := map[string]string{}
			for _, f := range layers[len(layers)-1].Files {
				view[f.Path] = f.Kind.Letter()
			}
			show := func(m map[string]string) string {
				var s []string
				for p, k := range m {
					s = append(s, k+" "+p)
				}
				sort.Slice(s, func(i, j int) bool { return s[i][2:] < s[j][2:] })
				return strings.Join(s, ", ")
			}
			t.Logf("%s\n  docker diff: %s\n  files view:  %s", cmd, show(diff), show(view))
			if show(view) != show(diff) {
				t.Errorf("%s: the view lists\n  %s\ndocker diff\n  %s", cmd, show(view), show(diff))
			}
		})
	}
}

// TestAFilesReadGoesNoFurtherThanItNeeds: on the daemon, a read that wants
// one layer returns that layer and the layers below it, each known by the
// digest of its tar as it streamed past (the image's own diff ids, on both
// engines: the classic store's plain tars and the containerd store's
// compressed blobs); it keeps them in the index; a second read of any of
// them, in this or another image that has them, reads no export at all.
func TestAFilesReadGoesNoFurtherThanItNeeds(t *testing.T) {
	cli, busybox := lessonBase(t)
	ctx := context.Background()
	ref := uniq("layerlab-test/far") + ":1"
	dockertest.Build(t, dockertest.API(t), ref, "FROM "+busybox+"\nRUN echo a > /a\nRUN echo b > /b && rm /a\n", nil)
	ids, err := cli.DiffIDs(ctx, ref)
	if err != nil || len(ids) < 3 {
		t.Fatalf("diff ids %v, %v", ids, err)
	}
	idx := docker.OpenLayerIndex(t.TempDir(), 0)
	mid := ids[len(ids)-2]
	var reads int
	layers, err := cli.LayerFiles(ctx, ref, docker.FilesOptions{Layer: mid, Index: idx, Progress: func(docker.FilesProgress) { reads++ }})
	if err != nil {
		t.Fatal(err)
	}
	if len(layers) != len(ids)-1 || layers[len(layers)-1].DiffID != mid {
		t.Fatalf("a read for layer %d of %d returned %d layers", len(ids)-1, len(ids), len(layers))
	}
	last := layers[len(layers)-1].Files
	if cli.IsPodman() {
		// Podman's builder makes /run in every RUN's layer (its mount point).
		last = slices.DeleteFunc(slices.Clone(last), func(f docker.LayerFile) bool { return f.Path == "/run" && f.Dir })
	}
	if len(last) != 1 || last[0].Path != "/a" || last[0].Kind != docker.Added {
		t.Errorf("the RUN echo a layer lists %+v", last)
	}
	for _, d := range ids[:len(ids)-1] {
		if !idx.Has(d) {
			t.Errorf("layer %s read but not kept", d)
		}
	}
	if reads == 0 {
		t.Error("the export was read without progress")
	}
	reads = 0
	again, err := cli.LayerFiles(ctx, ref, docker.FilesOptions{Layer: ids[0], Index: idx, Progress: func(docker.FilesProgress) { reads++ }})
	if err != nil || len(again) != 1 || reads != 0 {
		t.Errorf("the bottom layer again: %d layers, %v, %d progress reports (the export was read)", len(again), err, reads)
	}
	top, err := cli.LayerFiles(ctx, ref, docker.FilesOptions{Layer: ids[len(ids)-1], Index: idx})
	if err != nil || len(top) != len(ids) {
		t.Fatalf("the top layer: %d layers, %v", len(top), err)
	}
	kinds := map[string]string{}
	for _, f := range top[len(top)-1].Files {
		kinds[f.Path] = f.Kind.Letter()
	}
	if kinds["/a"] != "D" || kinds["/b"] != "A" {
		t.Errorf("the top layer lists %v", kinds)
	}
	if _, err := cli.LayerFiles(ctx, ref, docker.FilesOptions{Layer: "sha256:" + strings.Repeat("0", 64)}); docker.KindOf(err) != docker.KindNotFound {
		t.Errorf("a layer the image lacks: %v", err)
	}
}
