package docker

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// tarOf makes a tar of (name, body) pairs; a name ending in / is a folder,
// "name -> target" a symbolic link.
func tarOf(t *testing.T, entries ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for i := 0; i < len(entries); i += 2 {
		name, body := entries[i], entries[i+1]
		h := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}
		switch {
		case strings.HasSuffix(name, "/"):
			h.Typeflag, h.Size, h.Mode = tar.TypeDir, 0, 0o755
		case strings.Contains(name, " -> "):
			h.Name, h.Linkname, _ = strings.Cut(name, " -> ")
			h.Typeflag, h.Size = tar.TypeSymlink, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Size > 0 {
			if _, err := tw.Write([]byte(body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gz(t *testing.T, b []byte) string {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	if _, err := zw.Write(b); err != nil || zw.Close() != nil {
		t.Fatal(err)
	}
	return out.String()
}

func zst(t *testing.T, b []byte) string {
	zw, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer zw.Close()
	return string(zw.EncodeAll(b, nil))
}

func digestOf(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}

// TestFilesOfASavedImage: a `docker save` stream in the legacy layout
// (layer tars, then the config and manifest.json at the end) and in the OCI
// layout (blobs, manifest.json first, a config blob that is no tar): each
// layer is known by the digest of its tar (uncompressed), and its paths come
// out added, changed or deleted by what is below.
func TestFilesOfASavedImage(t *testing.T) {
	t.Parallel()
	base := tarOf(t, "bin/", "", "bin/busybox", "ELF....", "bin/ls -> busybox", "", "etc/", "", "etc/motd", "hello", "etc/old", "x")
	top := tarOf(t, "etc/", "", "etc/motd", "changed!", "etc/.wh.old", "", "app/", "", "app/hello.txt", "hi\n")
	empty := tarOf(t)
	config := []byte(`{"architecture":"amd64","rootfs":{"type":"layers"}}`)
	layouts := map[string][]string{
		"legacy": {"aaa/layer.tar", string(base), "aaa/VERSION", "1.0", "bbb/layer.tar", string(top), "ccc/layer.tar", string(empty),
			"cfg.json", string(config), "manifest.json", `[{"Config":"cfg.json","Layers":["aaa/layer.tar","bbb/layer.tar","ccc/layer.tar"]}]`},
		"oci": {"oci-layout", `{"imageLayoutVersion":"1.0.0"}`, "manifest.json", `[{"Config":"blobs/sha256/c0","Layers":["blobs/sha256/a1","blobs/sha256/b2","blobs/sha256/e3"]}]`,
			"blobs/sha256/c0", string(config), "blobs/sha256/a1", string(base), "blobs/sha256/b2", string(top), "blobs/sha256/e3", string(empty), "index.json", "{}"},
		// The containerd image store (current engines) ships the layers as
		// stored: compressed, named by the compressed digest.
		"oci compressed": {"oci-layout", `{"imageLayoutVersion":"1.0.0"}`, "manifest.json", `[{"Config":"blobs/sha256/c0","Layers":["blobs/sha256/a1","blobs/sha256/b2","blobs/sha256/e3"]}]`,
			"blobs/sha256/c0", string(config), "blobs/sha256/a1", gz(t, base), "blobs/sha256/b2", zst(t, top), "blobs/sha256/e3", gz(t, empty), "index.json", "{}"},
	}
	ids := []string{digestOf(base), digestOf(top), digestOf(empty)}
	for name, entries := range layouts {
		t.Run(name, func(t *testing.T) {
			known := map[string]listing{}
			if err := readLayers(bytes.NewReader(tarOf(t, entries...)), ids, known, FilesOptions{}); err != nil {
				t.Fatal(err)
			}
			var layers []listing
			for _, d := range ids {
				layers = append(layers, known[d])
			}
			got := classifyLayers(ids, layers)
			show := func(lf LayerFiles) string {
				var s []string
				for _, f := range lf.Files {
					s = append(s, fmt.Sprintf("%s %s %d %s", f.Kind.Letter(), f.Path, f.Size, f.Link))
				}
				return strings.Join(s, ", ")
			}
			want := []string{
				"A /bin 0 , A /bin/busybox 7 , A /bin/ls 0 busybox, A /etc 0 , A /etc/motd 5 , A /etc/old 1 ",
				"A /app 0 , A /app/hello.txt 3 , C /etc 0 , C /etc/motd 8 , D /etc/old 0 ",
				"",
			}
			if len(got) != 3 {
				t.Fatalf("%d layers", len(got))
			}
			for i := range got {
				if s := show(got[i]); s != want[i] || got[i].DiffID != ids[i] {
					t.Errorf("layer %d: %s\nwant %s", i+1, s, want[i])
				}
			}
			if got[0].Total != 6 || got[0].Bytes != 13 || got[1].Total != 5 {
				t.Errorf("totals: %+v %+v", got[0], got[1])
			}
		})
	}
	if err := readLayers(bytes.NewReader(tarOf(t, "aaa/layer.tar", string(base))), ids, map[string]listing{}, FilesOptions{}); KindOf(err) != KindUnknown {
		t.Errorf("a save that lacks a layer: %v", err)
	}
}

// TestADeletedFolderTakesItsContents: a folder deleted in one layer and
// made again above: its files are added there, not changed.
func TestADeletedFolderTakesItsContents(t *testing.T) {
	t.Parallel()
	l := func(entries ...entry) listing { return listing{entries: entries, total: len(entries)} }
	got := classifyLayers([]string{"1", "2", "3"}, []listing{
		l(entry{path: "/d", dir: true}, entry{path: "/d/a"}, entry{path: "/keep"}),
		l(entry{path: "/d", whiteout: true}, entry{path: "/keep"}),
		l(entry{path: "/d", dir: true}, entry{path: "/d/a"}, entry{path: "/keep"}),
	})
	var s []string
	for _, lf := range got {
		for _, f := range lf.Files {
			s = append(s, f.Kind.Letter()+" "+f.Path)
		}
		s = append(s, "|")
	}
	if want := "A /d A /d/a A /keep | D /d C /keep | A /d A /d/a C /keep |"; strings.Join(s, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(s, " "), want)
	}
}

// TestChangedFoldersAsDockerDiffListsThem: a folder a layer holds that was
// there below is changed, C, as docker diff lists it (something in it
// changed: the layer holds a folder only for that); a folder over a file is
// changed too; a folder made opaque (deleted and made again in a container)
// hides what it held below: what the layer does not hold again is deleted,
// its topmost path only; the root is never listed.
func TestChangedFoldersAsDockerDiffListsThem(t *testing.T) {
	t.Parallel()
	l := func(entries ...entry) listing { return listing{entries: entries, total: len(entries)} }
	got := classifyLayers([]string{"1", "2", "3"}, []listing{
		l(entry{path: "/bin", dir: true}, entry{path: "/bin/sh"}, entry{path: "/etc", dir: true}, entry{path: "/etc/passwd"},
			entry{path: "/d", dir: true}, entry{path: "/d/a"}, entry{path: "/d/sub", dir: true}, entry{path: "/d/sub/x"}, entry{path: "/d/keep", dir: true}, entry{path: "/d/keep/y"},
			entry{path: "/f"}),
		// ln -s /bin/sh /bin/hi; echo >> /etc/passwd; rm -rf /d; mkdir -p /d/keep; rm /f; mkdir /f
		l(entry{path: "/bin", dir: true}, entry{path: "/bin/hi", link: "/bin/sh"}, entry{path: "/etc", dir: true}, entry{path: "/etc/passwd"},
			entry{path: "/d", dir: true}, entry{path: "/d", opaque: true}, entry{path: "/d/keep", dir: true},
			entry{path: "/f", dir: true}),
		// The opaque folder's old contents are gone for the layers above.
		l(entry{path: "/d", dir: true}, entry{path: "/d/a"}, entry{path: "/d/keep", dir: true}, entry{path: "/d/keep/y"}),
	})
	var s []string
	for _, lf := range got[1:] {
		for _, f := range lf.Files {
			s = append(s, f.Kind.Letter()+" "+f.Path)
		}
		s = append(s, "|")
	}
	want := "C /bin A /bin/hi C /d D /d/a C /d/keep D /d/keep/y D /d/sub C /etc C /etc/passwd C /f | C /d A /d/a C /d/keep A /d/keep/y |"
	if strings.Join(s, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(s, " "), want)
	}
	root := tarOf(t, "./", "", "etc/", "", "etc/motd", "x")
	if l, ok := listLayer(bytes.NewReader(root)); !ok || len(l.entries) != 2 || l.entries[0].path != "/etc" {
		t.Errorf("the root is listed: %+v", l.entries)
	}
}

// BenchmarkClassifyLayers: an image of 100,000 files, then a layer that
// deletes 11,000 of them one by one (rm /d/1*): the whiteouts must not
// each walk every path below.
func BenchmarkClassifyLayers(b *testing.B) {
	var base, top listing
	for i := range 100_000 {
		base.entries = append(base.entries, entry{path: fmt.Sprintf("/d/%d", i)})
	}
	for i := range 11_000 {
		top.entries = append(top.entries, entry{path: fmt.Sprintf("/d/%d", i), whiteout: true})
	}
	for b.Loop() {
		classifyLayers([]string{"1", "2"}, []listing{base, top})
	}
}

// TestAWhiteoutKeepsItsEntryName: a deleted path says which tar entry hides
// it (bin/.wh.vi for /bin/vi), for the panel to show; a path an opaque
// folder hides has no entry of its own.
func TestAWhiteoutKeepsItsEntryName(t *testing.T) {
	t.Parallel()
	lower, ok := listLayer(bytes.NewReader(tarOf(t, "bin/", "", "bin/vi -> busybox", "", "d/", "", "d/x", "x")))
	upper, ok2 := listLayer(bytes.NewReader(tarOf(t, "bin/", "", "bin/.wh.vi", "", "d/", "", "d/.wh..wh..opq", "")))
	if !ok || !ok2 {
		t.Fatal("not read as tars")
	}
	got := map[string]string{}
	for _, f := range classifyLayers([]string{"a", "b"}, []listing{lower, upper})[1].Files {
		got[f.Kind.Letter()+" "+f.Path] = f.Whiteout
	}
	want := map[string]string{"C /bin": "", "D /bin/vi": "/bin/.wh.vi", "C /d": "", "D /d/x": ""}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
