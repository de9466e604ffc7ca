package docker_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

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
