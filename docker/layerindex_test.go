package docker

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestLayerIndexKeepsAListing: a listing kept is the listing found, odd
// paths included; a damaged file, or anything not a sha256 digest, is no
// listing; a compressed blob's digest leads to its layer.
func TestLayerIndexKeepsAListing(t *testing.T) {
	t.Parallel()
	x := OpenLayerIndex(t.TempDir(), 0)
	d := digestOf([]byte("layer"))
	l := listing{total: 5, bytes: 42, entries: []entry{
		{path: "/bin", dir: true},
		{path: "/bin/sh", link: "busybox"},
		{path: "/a\tb\nc", size: 42},
		{path: "/etc/old", whiteout: true, wh: "/etc/.wh.old"},
		{path: "/var", opaque: true},
	}}
	if _, ok := x.get(d); ok || x.Has(d) {
		t.Fatal("an empty index has a listing")
	}
	blob := digestOf([]byte("compressed"))
	if err := x.put(d, blob, l); err != nil {
		t.Fatal(err)
	}
	got, ok := x.get(d)
	if !ok || !reflect.DeepEqual(got, l) || !x.Has(d) {
		t.Fatalf("got %+v, %v\nwant %+v", got, ok, l)
	}
	if a := x.alias(blob); a != d {
		t.Errorf("the blob leads to %q, not %q", a, d)
	}
	for _, bad := range []string{"sha256:../../etc/passwd", "sha256:ABC", "md5:" + strings.Repeat("a", 64), ""} {
		if err := x.put(bad, "", l); err == nil {
			t.Errorf("%q was filed", bad)
		}
		if _, ok := x.get(bad); ok {
			t.Errorf("%q was found", bad)
		}
	}
	name := x.indexName(d, ".idx")
	if err := os.WriteFile(name, []byte("not gzip"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := x.get(d); ok {
		t.Error("a damaged file is a listing")
	}
}

// TestLayerIndexStaysInItsBound: past its bound the index drops the
// listings used least recently, to three quarters of it.
func TestLayerIndexStaysInItsBound(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	x := OpenLayerIndex(dir, 40_000)
	var entries []entry
	for i := range 1000 {
		entries = append(entries, entry{path: "/f/" + strings.Repeat("x", i%50) + string(rune('a'+i%26)), size: int64(i)})
	}
	var ids []string
	for i := range 40 {
		d := digestOf([]byte{byte(i)})
		ids = append(ids, d)
		if err := x.put(d, "", listing{entries: entries, total: i}); err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			x.get(ids[0]) // used again: kept longer than the second
		}
	}
	var total int64
	des, _ := os.ReadDir(dir)
	for _, de := range des {
		info, _ := de.Info()
		total += info.Size()
	}
	if total > 40_000 || len(des) == 0 {
		t.Fatalf("%d bytes in %d files, bound 40000", total, len(des))
	}
	if !x.Has(ids[39]) {
		t.Error("the newest listing was dropped")
	}
	// The first was used after the second was written: the second goes first.
	if _, err := os.Stat(filepath.Join(dir, strings.TrimPrefix(ids[1], "sha256:")+".idx")); err == nil && !x.Has(ids[0]) {
		t.Error("the listing used again went before one used less recently")
	}
}

// TestAReadStopsAtTheChosenLayer: a read that wants the bottom layer ends
// when that layer's tar has passed: what follows in the export (here
// garbage) is never read; progress shows the chosen layer's own paths as
// soon as its tar is read.
func TestAReadStopsAtTheChosenLayer(t *testing.T) {
	t.Parallel()
	base := tarOf(t, "bin/", "", "bin/busybox", "ELF....")
	top := tarOf(t, "app/", "", "app/x", "x")
	stream := tarOf(t, "aaa/layer.tar", string(base), "bbb/layer.tar", string(top))
	// Cut the export just after the first layer and add garbage.
	cut := bytes.Index(stream, []byte("bbb/layer.tar"))
	broken := append(append([]byte{}, stream[:cut]...), bytes.Repeat([]byte{0xff}, 4096)...)
	known := map[string]listing{}
	var last FilesProgress
	err := readLayers(bytes.NewReader(broken), []string{digestOf(base)}, known, FilesOptions{Progress: func(p FilesProgress) { last = p }})
	if err != nil {
		t.Fatalf("the read went past the layer it wanted: %v", err)
	}
	if _, ok := known[digestOf(base)]; !ok || len(known) != 1 {
		t.Fatalf("known: %v", known)
	}
	if last.Own == nil || len(last.Own.Files) != 2 || last.Known != 1 || last.Wanted != 1 {
		t.Errorf("progress: %+v", last)
	}
	// Wanting the top layer reads on, and meets the garbage.
	if err := readLayers(bytes.NewReader(broken), []string{digestOf(base), digestOf(top)}, map[string]listing{}, FilesOptions{}); err == nil {
		t.Error("a broken export read without an error")
	}
}

// TestIndexedBlobsAreNotReadAgain: with the index knowing a compressed
// blob's layer, a read skips that blob unread (its bytes here are not even
// a tar) and still knows the layer from the index.
func TestIndexedBlobsAreNotReadAgain(t *testing.T) {
	t.Parallel()
	x := OpenLayerIndex(t.TempDir(), 0)
	base := tarOf(t, "bin/", "", "bin/busybox", "ELF....")
	top := tarOf(t, "app/", "", "app/x", "x")
	gzBase := gz(t, base)
	stream := func(first string) []byte {
		return tarOf(t, "blobs/sha256/"+strings.TrimPrefix(digestOf([]byte(gzBase)), "sha256:"), first,
			"blobs/sha256/"+strings.TrimPrefix(digestOf([]byte("t")), "sha256:"), gz(t, top))
	}
	need := []string{digestOf(base), digestOf(top)}
	if err := readLayers(bytes.NewReader(stream(gzBase)), need, map[string]listing{}, FilesOptions{Index: x}); err != nil {
		t.Fatal(err)
	}
	if !x.Has(need[0]) || !x.Has(need[1]) {
		t.Fatal("the read kept nothing")
	}
	known := map[string]listing{}
	if l, ok := x.get(need[0]); ok {
		known[need[0]] = l
	}
	if err := readLayers(bytes.NewReader(stream("garbage, never read")), need, known, FilesOptions{Index: x}); err != nil {
		t.Fatal(err)
	}
	if len(known) != 2 {
		t.Errorf("known %d layers", len(known))
	}
}
