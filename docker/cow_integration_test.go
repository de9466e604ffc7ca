package docker_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker"
)

// TestTheCopyOnWriteLessonsClaims runs the copy-on-write lesson's commands
// and checks each thing it says of Docker: touching /bin/busybox (a file of
// the image's bottom layer) copies the whole file up into the writable layer
// (docker diff C, the layer's size jumps by the file's size) while the
// image's layers stay the same (ids and sizes); adding and deleting show A
// and D; a second container from the image sees none of it and has an empty
// writable layer; the commit adds one layer that holds the file whole and a
// .wh. entry for the deleted one, and the image does not get smaller. The
// exercise's hint (rm /bin/less) works in busybox.
func TestTheCopyOnWriteLessonsClaims(t *testing.T) {
	cli, base := lessonBase(t)
	withLedger(t, cli)
	ctx := context.Background()
	before, err := cli.Stack(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	baseFiles, err := cli.Files(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	var bbSize int64
	for _, f := range baseFiles[0].Files {
		if f.Path == "/bin/busybox" {
			bbSize = f.Size
		}
	}
	if bbSize < 1_000_000 {
		t.Fatalf("/bin/busybox of the bottom layer is %d bytes", bbSize)
	}
	exec := func(ctr, cmd string) docker.ExecResult {
		t.Helper()
		res, err := cli.Exec(ctx, ctr, cmd)
		if err != nil {
			t.Fatalf("%s: %v", cmd, err)
		}
		return res
	}
	diff := func(ctr string) (string, int64) {
		t.Helper()
		w, err := cli.Writable(ctx, ctr)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, ch := range w.Changes {
			s = append(s, ch.Kind.Letter()+" "+ch.Path)
		}
		sort.Slice(s, func(i, j int) bool { return s[i][2:] < s[j][2:] })
		return strings.Join(s, ", "), w.Size
	}
	layersOf := func(st docker.LayerStack) string {
		var s []string
		for _, l := range st.FSLayers() {
			s = append(s, fmt.Sprintf("%s %d", l.DiffID, l.Size))
		}
		return strings.Join(s, "; ")
	}

	c1 := run(t, cli, base, uniq("layerlab-test-cow-1"))
	if d, size := diff(c1.ID); d != "" || size > 64<<10 {
		t.Errorf("a new container's writable layer: %q, %d bytes", d, size)
	}
	if res := exec(c1.ID, "touch /bin/busybox"); res.ExitCode != 0 {
		t.Fatalf("touch: %+v", res)
	}
	d, size := diff(c1.ID)
	// overlay2's diff lists every folder of the writable layer; Podman's
	// lists a folder whose own entry changed, and a touch of a file in
	// /bin does not change /bin (the lesson shows the diff after rm /bin/cat,
	// which does, on both).
	touched := "C /bin, C /bin/busybox"
	if cli.IsPodman() {
		touched = "C /bin/busybox"
	}
	if d != touched {
		t.Errorf("docker diff after touch: %q", d)
	}
	if size < bbSize || size > bbSize+256<<10 {
		t.Errorf("the writable layer after touch is %d bytes; the file is %d: not copied up whole", size, bbSize)
	}
	t.Logf("busybox %d bytes, the writable layer after touch %d", bbSize, size)
	if res := exec(c1.ID, "echo new > /notes.txt && rm /bin/cat"); res.ExitCode != 0 {
		t.Fatalf("add and delete: %+v", res)
	}
	if d, _ := diff(c1.ID); d != "C /bin, C /bin/busybox, D /bin/cat, A /notes.txt" {
		t.Errorf("docker diff: %q", d)
	}
	after, err := cli.Stack(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	if after.ID != before.ID || layersOf(after) != layersOf(before) {
		t.Errorf("the image's layers changed:\n%s\n%s", layersOf(before), layersOf(after))
	}

	c2 := run(t, cli, base, uniq("layerlab-test-cow-2"))
	res := exec(c2.ID, "ls /bin/cat /notes.txt")
	if res.ExitCode == 0 || res.Stdout != "/bin/cat\n" || !strings.Contains(res.Stderr, "/notes.txt") {
		t.Errorf("the second container: %+v", res)
	}
	if d, size := diff(c2.ID); d != "" || size > 64<<10 {
		t.Errorf("the second container's writable layer: %q, %d bytes", d, size)
	}

	ref := uniq("layerlab-test-cow") + ":v1"
	cr := commitAs(t, cli, c1.ID, ref)
	st, err := cli.Stack(ctx, cr.ImageID)
	if err != nil {
		t.Fatal(err)
	}
	b, n := before.FSLayers(), st.FSLayers()
	if len(n) != len(b)+1 || !slices.Equal(diffIDs(n[:len(b)]), diffIDs(b)) {
		t.Fatalf("the commit is not busybox's layers plus one:\n%s\n%s", layersOf(before), layersOf(st))
	}
	top := n[len(n)-1]
	if top.Size < bbSize || top.Size > bbSize+256<<10 {
		t.Errorf("the committed layer is %d bytes, busybox %d", top.Size, bbSize)
	}
	if st.Size < before.Size {
		t.Errorf("deleting a file made the image smaller: %d < %d", st.Size, before.Size)
	}
	t.Logf("the committed layer %d bytes; the image %d, busybox %d", top.Size, st.Size, before.Size)
	files, err := cli.Files(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files[len(files)-1].Files {
		s := f.Kind.Letter() + " " + f.Path
		switch {
		case f.Whiteout != "":
			s += " " + f.Whiteout
		case !f.Dir:
			s += fmt.Sprint(" ", f.Size)
		}
		got = append(got, s)
	}
	want := fmt.Sprintf("C /bin, C /bin/busybox %d, D /bin/cat /bin/.wh.cat, A /notes.txt 4", bbSize)
	if strings.Join(got, ", ") != want {
		t.Errorf("the committed layer holds\n  %s\nwant\n  %s", strings.Join(got, ", "), want)
	}

	// The layer below still holds /bin/cat: the whiteout only hides it.
	below := false
	for _, f := range files[len(files)-2].Files {
		below = below || f.Path == "/bin/cat" && f.Kind == docker.Added
	}
	if !below {
		t.Errorf("the layer below the commit's does not hold /bin/cat: %+v", files[len(files)-2].Files[:min(5, len(files[len(files)-2].Files))])
	}

	// The exercise's hint.
	if res := exec(c2.ID, "rm /bin/less"); res.ExitCode != 0 {
		t.Errorf("rm /bin/less: %+v", res)
	}
	if d, _ := diff(c2.ID); d != "C /bin, D /bin/less" {
		t.Errorf("docker diff after rm /bin/less: %q", d)
	}
}

func diffIDs(ls []docker.Layer) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.DiffID)
	}
	return out
}
