package docker_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/image"
	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
)

// filesImage builds a tiny image of layerlab's FROM the lesson base, as the
// "An image is files" lesson does (one file, one layer on busybox's).
func filesImage(t *testing.T, cli *docker.Client, base, tag, text string) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	df := "FROM " + base + "\nRUN echo " + text + " > /" + text + ".txt\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(df), 0o600); err != nil {
		t.Fatal(err)
	}
	r, _ := docker.ParseRef(tag)
	res, err := cli.Build(context.Background(), docker.BuildOptions{ContextDir: dir, Root: dir, Tags: []docker.Ref{r}, Lesson: "files"}, nil)
	if err != nil {
		t.Fatalf("build %s: %v", tag, err)
	}
	ids, err := cli.DiffIDs(context.Background(), res.Progress.ImageID)
	if err != nil {
		t.Fatal(err)
	}
	return res.Progress.ImageID, ids
}

// docker save writes the legacy layout on Docker 20.10 (manifest.json,
// repositories, <id>/layer.tar, the config as <id>.json: the image id is the
// config's sha256) and an OCI image layout on the containerd store
// (index.json, oci-layout, blobs/sha256/…, compressed layers named by the
// compressed digest: the image id is the manifest's sha256, which names the
// config's). Either way each layer's uncompressed sha256 is a diff id the
// layers panel shows, in order, and the config holds the history.
func TestSaveLayoutDigestsAndHistory(t *testing.T) {
	cli, base := lessonBase(t)
	_, api := dockertest.Daemon(t)
	ctx := context.Background()
	tag := uniq("layerlab-test-files") + ":v1"
	id, diffIDs := filesImage(t, cli, base, tag, "hello")
	root := t.TempDir()
	res, err := cli.SaveFile(ctx, []string{tag}, root, "files-demo.tar")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.IDs, []string{id}) || res.Bytes <= 0 {
		t.Fatalf("save: %+v, want id %s", res, id)
	}
	a, err := docker.ArchiveFile(root, "files-demo.tar")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]docker.ArchiveEntry{}
	for _, e := range a.Entries {
		names[e.Name] = e
	}
	containerd := dockertest.ContainerdStore(t, api)
	if a.OCI != containerd {
		t.Fatalf("OCI layout %v on the containerd store %v: %v", a.OCI, containerd, a.Entries)
	}
	if _, ok := names["manifest.json"]; !ok {
		t.Fatal("no manifest.json")
	}
	if len(a.Images) != 1 || !slices.Equal(a.Images[0].DiffIDs, diffIDs) || !a.LayerMatches() {
		t.Fatalf("images %+v, want diff ids %v", a.Images, diffIDs)
	}
	im := a.Images[0]
	// Podman's manifest.json names the image as it does (docker.io/library/…).
	if !slices.ContainsFunc(im.Tags, func(s string) bool { return docker.Familiar(s) == tag }) {
		t.Fatalf("tags %v, want %s", im.Tags, tag)
	}
	for j, lp := range im.Layers {
		e := names[lp]
		if e.Role != docker.RoleLayer || e.DiffID != diffIDs[j] {
			t.Fatalf("layer %d %+v, want diff id %s", j, e, diffIDs[j])
		}
		if containerd {
			// A blob named by its own (compressed) bytes' digest, not the diff id.
			if e.Compression == "" || "blobs/sha256/"+strings.TrimPrefix(e.Digest, "sha256:") != e.Name || e.Digest == e.DiffID {
				t.Fatalf("containerd layer %+v", e)
			}
		} else if e.Compression != "" || e.Digest != e.DiffID {
			t.Fatalf("legacy layer %+v", e)
		} else if name := path(e.Name); name != "layer.tar" && !(cli.IsPodman() && name == strings.TrimPrefix(e.DiffID, "sha256:")+".tar") {
			// Docker: <id>/layer.tar; Podman: <diff id>.tar at the top
			// (its <id>/layer.tar are links to it, for older readers).
			t.Fatalf("legacy layer %+v", e)
		} else if name != "layer.tar" {
			linked := false
			for _, l := range a.Entries {
				linked = linked || path(l.Name) == "layer.tar" && l.Link == name
			}
			if !linked {
				t.Fatalf("Podman's layer %s has no layer.tar linked to it: %+v", name, a.Entries)
			}
		}
	}
	if containerd {
		for _, n := range []string{"index.json", "oci-layout"} {
			if _, ok := names[n]; !ok {
				t.Fatalf("no %s in %v", n, a.Entries)
			}
		}
		// Every blob is named by its own sha256; the layers, compressed,
		// take less room than uncompressed.
		var packed, unpacked int64
		for _, e := range a.Entries {
			if strings.HasPrefix(e.Name, "blobs/sha256/") && "blobs/sha256/"+strings.TrimPrefix(e.Digest, "sha256:") != e.Name {
				t.Fatalf("blob %s has sha256 %s", e.Name, e.Digest)
			}
			if e.Role == docker.RoleLayer {
				packed, unpacked = packed+e.Size, unpacked+e.Unpacked
			}
		}
		if packed >= unpacked {
			t.Fatalf("compressed layers %d bytes, uncompressed %d", packed, unpacked)
		}
		if im.ManifestDigest != id || im.ConfigDigest == id {
			t.Fatalf("containerd: manifest %s config %s, id %s", im.ManifestDigest, im.ConfigDigest, id)
		}
	} else {
		for _, n := range []string{"index.json", "oci-layout"} {
			if _, ok := names[n]; ok {
				t.Fatalf("Docker 20.10 wrote %s", n)
			}
		}
		if _, ok := names["repositories"]; !ok {
			t.Fatal("no repositories file")
		}
		if im.ConfigDigest != id || im.Config != strings.TrimPrefix(id, "sha256:")+".json" {
			t.Fatalf("legacy: config %s %s, id %s", im.Config, im.ConfigDigest, id)
		}
	}
	// The config's history is docker history's, oldest first.
	hist, err := cli.History(ctx, tag)
	if err != nil {
		t.Fatal(err)
	}
	if len(im.History) != len(hist) || !strings.Contains(im.History[len(im.History)-1].CreatedBy, "echo hello") {
		t.Fatalf("history %+v vs docker history %d rows", im.History, len(hist))
	}
}

func path(name string) string { return filepath.Base(name) }

// docker rmi, then docker load of the saved file: the same image id, the
// same name, and the image is layerlab's again (its own save, by identity).
// A load of a file the lesson did not save, or of another image, is refused;
// so is a path out of the workspace and a name of the learner's.
func TestLoadRestoresTheSameID(t *testing.T) {
	cli, base := lessonBase(t)
	_, api := dockertest.Daemon(t)
	ctx := context.Background()
	tag := uniq("layerlab-test-files") + ":v1"
	id, _ := filesImage(t, cli, base, tag, "hello")
	root := t.TempDir()
	if _, err := cli.SaveFile(ctx, []string{tag}, root, "out/files.tar"); err != nil {
		t.Fatal(err)
	}
	if _, err := cli.SaveFile(ctx, []string{tag}, root, "../x.tar"); docker.KindOf(err) != docker.KindOutside {
		t.Fatalf("save outside: %v", err)
	}
	if _, err := cli.RemoveImage(ctx, tag, false); err != nil {
		t.Fatal(err)
	}
	if _, err := cli.LoadFile(ctx, root, "out/files.tar", nil, "files"); docker.KindOf(err) != docker.KindArchive {
		t.Fatalf("load unsaved: %v", err)
	}
	if _, err := cli.LoadFile(ctx, root, "out/files.tar", []string{"sha256:" + strings.Repeat("a", 64)}, "files"); docker.KindOf(err) != docker.KindArchive {
		t.Fatalf("load of other ids: %v", err)
	}
	res, err := cli.LoadFile(ctx, root, "out/files.tar", []string{id}, "files")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.IDs, []string{id}) || !slices.Contains(res.Loaded, tag) {
		t.Fatalf("load: %+v, want %s as %s", res, id, tag)
	}
	insp, err := api.ImageInspect(ctx, tag)
	if err != nil || insp.ID != id {
		t.Fatalf("after load: %v %v, want %s", insp.ID, err, id)
	}
	ims, _ := cli.Images(ctx)
	if im, ok := findImage(ims, tag); !ok || !im.Owned {
		t.Fatalf("loaded image owned %v %v", ok, im.Owned)
	}
	// A learner's image under the name: the load would move it, refused.
	if _, err := cli.RemoveImage(ctx, tag, false); err != nil {
		t.Fatal(err)
	}
	mine := dockertest.Build(t, api, tag, "FROM "+base+"\nRUN echo mine > /mine.txt\n", nil)
	if _, err := cli.LoadFile(ctx, root, "out/files.tar", []string{id}, "files"); docker.KindOf(err) != docker.KindNotOwned {
		t.Fatalf("load over a learner's name: %v", err)
	}
	if insp, _ := api.ImageInspect(ctx, tag); insp.ID != mine {
		t.Fatalf("the learner's %s moved to %s", tag, insp.ID)
	}
}

// A layer two images share is stored once in a save of both: the archive
// holds each diff id once, however many images list it.
func TestSaveStoresASharedLayerOnce(t *testing.T) {
	cli, base := lessonBase(t)
	ctx := context.Background()
	a := uniq("layerlab-test-files") + ":a"
	b := uniq("layerlab-test-files") + ":b"
	_, da := filesImage(t, cli, base, a, "one")
	_, db := filesImage(t, cli, base, b, "two")
	root := t.TempDir()
	if _, err := cli.SaveFile(ctx, []string{a, b}, root, "both.tar"); err != nil {
		t.Fatal(err)
	}
	ar, err := docker.ArchiveFile(root, "both.tar")
	if err != nil {
		t.Fatal(err)
	}
	unique := map[string]bool{}
	for _, d := range append(slices.Clone(da), db...) {
		unique[d] = true
	}
	layers, shared := 0, 0
	for _, e := range ar.Entries {
		if e.Role == docker.RoleLayer {
			layers++
			if e.Shared == 2 {
				shared++
			}
		}
	}
	if len(ar.Images) != 2 || layers != len(unique) || layers >= len(da)+len(db) || shared != len(da)-1 {
		t.Fatalf("%d images, %d layer files (%d shared) for %d unique diff ids of %d+%d", len(ar.Images), layers, shared, len(unique), len(da), len(db))
	}
	// The image and its base, as the lesson saves them: the base's top
	// layer is its own image's top and a layer below the other's. Docker
	// 20.10 writes it once and links to it (a symbolic link in the tar);
	// the OCI layout names it by its digest, once.
	if _, err := cli.SaveFile(ctx, []string{a, base}, root, "base.tar"); err != nil {
		t.Fatal(err)
	}
	ar, err = docker.ArchiveFile(root, "base.tar")
	if err != nil {
		t.Fatal(err)
	}
	layers, links := 0, 0
	for _, e := range ar.Entries {
		switch e.Role {
		case docker.RoleLayer:
			layers++
		case docker.RoleLayerLink:
			links++
		}
	}
	// Podman's docker save writes each layer once at the top of the file,
	// named by its diff id, and every legacy folder's layer.tar links to it.
	if len(ar.Images) != 2 || layers != len(da) || !ar.LayerMatches() || links > 0 && ar.OCI || links == 0 && !ar.OCI {
		t.Fatalf("image and base: %d layer files, %d links, for %d layers", layers, links, len(da))
	}
	t.Logf("image and its base: %d layer files, %d links (OCI %v)", layers, links, ar.OCI)
}

// The daemon's events for a learner's own save, rmi and load: an image
// "save", "delete" and "load" event whose actor is the image id, on both
// engines (the name attribute is the id too, not the tag). The delete makes
// layerlab forget an image of its own: the learner's load of it is theirs.
func TestSaveLoadEventsAndTheLearnersLoad(t *testing.T) {
	cli, base := lessonBase(t)
	_, api := dockertest.Daemon(t)
	ctx := context.Background()
	tag := uniq("layerlab-test-files") + ":v1"
	id, _ := filesImage(t, cli, base, tag, "hello")
	evctx, cancel := context.WithCancel(ctx)
	defer cancel()
	evs, _ := cli.Events(evctx)
	time.Sleep(200 * time.Millisecond)
	// The learner, in their own terminal: docker save, docker rmi, docker load.
	rc, err := api.ImageSave(ctx, []string{tag})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(rc)
	rc.Close()
	if _, err := api.ImageRemove(ctx, tag, image.RemoveOptions{PruneChildren: true}); err != nil {
		t.Fatal(err)
	}
	seen := map[string]docker.Event{}
	wait := func(action string) {
		t.Helper()
		deadline := time.After(20 * time.Second)
		for {
			if _, ok := seen[action]; ok {
				return
			}
			select {
			case ev := <-evs:
				if ev.Type == "image" && ev.ID == id {
					if _, ok := seen[ev.Action]; !ok {
						seen[ev.Action] = ev
					}
				}
			case <-deadline:
				t.Fatalf("no %s event; saw %v", action, seen)
			}
		}
	}
	wait("save")
	wait("delete")
	resp, err := api.ImageLoad(ctx, &buf)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = new(bytes.Buffer).ReadFrom(resp.Body)
	resp.Body.Close()
	wait("load")
	if !seen["save"].Time.Before(seen["delete"].Time) || !seen["delete"].Time.Before(seen["load"].Time) {
		t.Fatalf("event times %v", seen)
	}
	insp, err := api.ImageInspect(ctx, tag)
	if err != nil || insp.ID != id {
		t.Fatalf("loaded %v %v, want %s", insp.ID, err, id)
	}
	ims, _ := cli.Images(ctx)
	if im, ok := findImage(ims, tag); !ok || im.Owned {
		t.Fatalf("the learner's load is layerlab's: %v %v", ok, im.Owned)
	}
	t.Cleanup(func() { dockertest.RemoveIfOwned(api, tag) })
}

func findImage(ims []docker.Image, ref string) (docker.Image, bool) {
	for _, im := range ims {
		if im.Ref() == ref || slices.Contains(im.AllTags, ref) {
			return im, true
		}
	}
	return docker.Image{}, false
}

// TestALayerTarIsNotThePanelsSize is what lesson 11 says of a layer's size
// in the saved file: the panel (docker history's SIZE) counts the layer's
// files unpacked on the engine's disk; a layer tar adds a 512-byte header
// for every file, folder and link and rounds each file up to 512 bytes, so
// busybox's layer of hundreds of links is many times its panel size as a
// tar. On Docker 20.10 the file holds that tar as it is (never smaller than
// the panel's size); on the containerd store the layer is compressed, its
// file smaller than its tar. Podman's panel is the tar's size.
func TestALayerTarIsNotThePanelsSize(t *testing.T) {
	cli, base := lessonBase(t)
	_, api := dockertest.Daemon(t)
	ctx := context.Background()
	stack, err := cli.Stack(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if _, err := cli.SaveFile(ctx, []string{base}, root, "base.tar"); err != nil {
		t.Fatal(err)
	}
	a, err := docker.ArchiveFile(root, "base.tar")
	if err != nil {
		t.Fatal(err)
	}
	containerd := dockertest.ContainerdStore(t, api)
	byDiff := map[string]docker.ArchiveEntry{}
	for _, e := range a.Entries {
		if e.Role == docker.RoleLayer {
			byDiff[e.DiffID] = e
		}
	}
	links := false
	for _, l := range stack.Layers {
		if l.Meta || l.DiffID == "" {
			continue
		}
		e, ok := byDiff[l.DiffID]
		if !ok {
			t.Fatalf("layer %s not in the file: %+v", l.DiffID, a.Entries)
		}
		t.Logf("%s: panel %d, file %d (%s), tar %d", l.Instruction, l.Size, e.Size, e.Compression, e.Unpacked)
		if cli.IsPodman() {
			// Podman counts a layer as its tar: the panel's size is the tar's.
			if e.Compression != "" || e.Unpacked != l.Size {
				t.Errorf("Podman: layer %s stored as %d bytes %q, its tar %d, the panel's %d", l.DiffID, e.Size, e.Compression, e.Unpacked, l.Size)
			}
			if strings.Contains(l.Instruction, "--install") {
				links = true
			}
			continue
		}
		if containerd {
			if e.Compression == "" || e.Size >= e.Unpacked {
				t.Errorf("containerd store: layer %s stored as %d bytes %q, its tar %d: not compressed smaller", l.DiffID, e.Size, e.Compression, e.Unpacked)
			}
		} else if e.Compression != "" || e.Size != e.Unpacked || e.Size < l.Size {
			t.Errorf("Docker 20.10: layer %s stored as %d bytes %q, its tar %d, the panel's %d", l.DiffID, e.Size, e.Compression, e.Unpacked, l.Size)
		}
		if strings.Contains(l.Instruction, "--install") {
			links = true
			if e.Unpacked < 4*l.Size || e.Unpacked < 100_000 {
				t.Errorf("busybox's layer of links: panel %d, its tar %d: not a few times the panel and over 100 kB as a tar", l.Size, e.Unpacked)
			}
		}
	}
	if !links {
		t.Fatalf("no layer of busybox --install in %s: %+v", base, stack.Layers)
	}
}
