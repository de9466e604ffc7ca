package docker_test

import (
	"context"
	"path"
	"sort"
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker/dockertest"
)

// nativeOverlayDiff reports whether the engine's docker diff reads overlay2's
// upper folder itself (Docker 20.10 where the kernel lets it: "Native
// Overlay Diff: true"), rather than comparing the container's files with its
// image's, as current engines do (overlay2 since Docker 25, the containerd
// image store).
func nativeOverlayDiff(t *testing.T) bool {
	t.Helper()
	info, err := dockertest.API(t).Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range info.DriverStatus {
		if len(kv) == 2 && kv[0] == "Native Overlay Diff" && kv[1] == "true" {
			return true
		}
	}
	return false
}

// TestTheFilesViewIsWhatDockerDiffLists: for commands a learner types in the
// commit lesson, the files view of the committed layer lists the paths
// `docker diff` lists for the container it was committed from, with the
// same letters: a folder the command changed something in (C /bin) too.
// An engine whose docker diff reads overlay2's upper folder itself (20.10)
// lists fewer folders: there, only folders that hold something it lists may
// be listed by the view alone, and a folder deleted and made again is D to
// it (C to current engines, with what it held D).
func TestTheFilesViewIsWhatDockerDiffLists(t *testing.T) {
	cli, base := lessonBase(t)
	native := nativeOverlayDiff(t)
	ctx := context.Background()
	for _, cmd := range []string{
		"echo hi > /hello.txt && mkdir /app", // the lesson's own
		"ln -s busybox /bin/hello",           // a file added to a folder below
		"rm /bin/vi",
		"echo more >> /etc/layerlab-image", // a file changed, nothing added to its folder
		"mkdir -p /usr/local/share && echo x > /usr/local/share/tool",
		"rm -rf /var && mkdir -p /var/new", // a folder deleted and made again
	} {
		t.Run(strings.Fields(cmd)[0]+" "+strings.Fields(cmd)[len(strings.Fields(cmd))-1], func(t *testing.T) {
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
			if !native {
				if show(view) != show(diff) {
					t.Errorf("%s: the view lists\n  %s\ndocker diff\n  %s", cmd, show(view), show(diff))
				}
				return
			}
			holds := func(dir string) bool {
				for p := range diff {
					if strings.HasPrefix(p, dir+"/") {
						return true
					}
				}
				return false
			}
			for p, k := range diff {
				remade := k == "D" && view[p] == "C" // a folder deleted and made again
				if view[p] != k && !remade {
					t.Errorf("%s: docker diff lists %s %s, the view %q (view: %s)", cmd, k, p, view[p], show(view))
				}
			}
			for p, k := range view {
				if _, ok := diff[p]; ok {
					continue
				}
				gone := k == "D" && diff[path.Dir(p)] == "D" // what a folder made again held
				if !gone && (k != "C" || !holds(p)) {
					t.Errorf("%s: the view alone lists %s %s (docker diff: %s)", cmd, k, p, show(diff))
				}
			}
		})
	}
}
