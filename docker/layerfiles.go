package docker

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/klauspost/compress/zstd"
)

// LayerFile is one path a layer puts into the image's filesystem: added
// (nothing below had it), changed (a layer below had it: this one replaces
// it; a folder below that the layer holds is changed, for something in it
// changed) or deleted (a whiteout: the path below is hidden from here up).
// These are the paths `docker diff` lists for the container a layer was
// committed from, with its letters.
type LayerFile struct {
	Path string
	Kind ChangeKind
	Size int64
	Dir  bool
	// Link is where a symbolic or hard link points.
	Link string
	// Whiteout is the entry a deleted path is in the layer's tar: an empty
	// file named .wh.NAME beside where NAME was (/bin/.wh.vi hides /bin/vi),
	// as overlayfs and the containerd store both export it; "" for a path a
	// folder made opaque hides.
	Whiteout string
}

// LayerFiles is what one layer holds, the way `docker save` ships it.
type LayerFiles struct {
	DiffID string
	// Files are sorted by path, at most MaxLayerFiles.
	Files []LayerFile
	// Total counts every path of the layer; Bytes the content's size.
	Total int
	Bytes int64
}

// MaxLayerFiles caps the paths kept per layer: the panel shows a screenful,
// and an image of 100,000 files must not fill memory.
const MaxLayerFiles = 2000

// Files lists what every layer of ref holds, bottom first, by reading the
// image as `docker save` exports it (the daemon streams it; nothing is
// written to disk). Each path is told apart as added, changed or deleted
// from what the layers below it hold.
func (c *Client) Files(ctx context.Context, ref string) ([]LayerFiles, error) {
	op := "list the files of " + ref
	insp, err := c.api.ImageInspect(ctx, ref)
	if err != nil {
		return nil, c.classify(err, op)
	}
	rc, err := c.api.ImageSave(ctx, []string{insp.ID})
	if err != nil {
		return nil, c.classify(err, op)
	}
	defer rc.Close()
	listings, order, err := readSave(rc)
	if err != nil {
		if ctx.Err() != nil {
			return nil, c.classify(ctx.Err(), op)
		}
		return nil, c.classify(err, op)
	}
	if len(order) != len(insp.RootFS.Layers) {
		return nil, &Error{Kind: KindUnknown, Op: op, Detail: "the saved image does not list its layers as the image does"}
	}
	layers := make([]listing, len(order))
	for i, p := range order {
		l, ok := listings[p]
		if !ok {
			return nil, &Error{Kind: KindUnknown, Op: op, Detail: "the saved image lacks its layer " + p}
		}
		layers[i] = l
	}
	return classifyLayers(insp.RootFS.Layers, layers), nil
}

// entry is one tar header of a layer, as read.
type entry struct {
	path     string
	size     int64
	dir      bool
	link     string
	whiteout bool
	// wh is the whiteout's own path in the tar (/bin/.wh.vi).
	wh string
	// opaque: the folder path's contents below are hidden (overlayfs: a
	// folder deleted and made again); the layer's own entries follow.
	opaque bool
}

type listing struct {
	entries []entry
	total   int
	bytes   int64
}

// saveManifest is the manifest.json of `docker save` (legacy and OCI layouts
// both write it): the layers' files in the tar, bottom first.
type saveManifest []struct {
	Layers []string
}

// readSave reads a `docker save` stream: each layer's tar is listed as it
// passes (its headers only), and manifest.json says their order. Entries
// that are not tars (configs, manifests) are skipped.
func readSave(r io.Reader) (map[string]listing, []string, error) {
	tr := tar.NewReader(r)
	listings := map[string]listing{}
	var order []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		name := path.Clean(h.Name)
		if name == "manifest.json" {
			var m saveManifest
			if err := json.NewDecoder(io.LimitReader(tr, 1<<20)).Decode(&m); err != nil {
				return nil, nil, err
			}
			if len(m) != 1 {
				return nil, nil, errors.New("the saved image has no single manifest")
			}
			for _, l := range m[0].Layers {
				order = append(order, path.Clean(l))
			}
			continue
		}
		if strings.HasSuffix(name, ".json") || path.Base(name) == "VERSION" || name == "repositories" || name == "oci-layout" {
			continue
		}
		lr, done := decompressed(tr)
		l, ok := listLayer(lr)
		done()
		if ok {
			listings[name] = l
		}
	}
	if order == nil {
		return nil, nil, errors.New("the saved image has no manifest.json")
	}
	return listings, order, nil
}

// decompressed is a layer blob as a tar stream: `docker save` on the
// containerd image store (current engines) ships each layer as it is stored,
// gzip- or zstd-compressed and named by the compressed digest; the classic
// store ships plain tars.
// Call done when the layer is read.
func decompressed(r io.Reader) (layer io.Reader, done func()) {
	br := bufio.NewReader(r)
	magic, _ := br.Peek(4)
	switch {
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		if zr, err := gzip.NewReader(br); err == nil {
			return zr, func() { zr.Close() }
		}
	case len(magic) == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd:
		if zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1)); err == nil {
			return zr, zr.Close
		}
	}
	return br, func() {}
}

// listLayer reads a layer's tar headers; ok is false when r is not a tar.
func listLayer(r io.Reader) (listing, bool) {
	tr := tar.NewReader(r)
	var l listing
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return l, true
		}
		if err != nil {
			return l, l.total > 0 // a blob that is not a tar fails on its first header
		}
		l.total++
		p := path.Clean("/" + h.Name)
		base := path.Base(p)
		if p == "/" {
			continue // the root: docker diff never lists it
		}
		if base == ".wh..wh..opq" {
			l.entries = append(l.entries, entry{path: path.Dir(p), opaque: true})
			continue
		}
		e := entry{path: p, size: h.Size, dir: h.Typeflag == tar.TypeDir}
		if strings.HasPrefix(base, ".wh.") {
			e = entry{path: path.Join(path.Dir(p), strings.TrimPrefix(base, ".wh.")), whiteout: true, wh: p}
		}
		if h.Typeflag == tar.TypeSymlink || h.Typeflag == tar.TypeLink {
			e.link = h.Linkname
		}
		if h.Typeflag == tar.TypeReg {
			l.bytes += h.Size
		}
		l.entries = append(l.entries, e)
	}
}

// classifyLayers tells each layer's paths apart as `docker diff` does:
// added, changed (a lower layer has the path: a file replaced, or a folder
// that holds something that changed: the layer holds a folder only for
// that), deleted (a whiteout; for a folder made opaque, what it held below
// and the layer does not hold again).
func classifyLayers(diffIDs []string, layers []listing) []LayerFiles {
	// below holds every path the layers so far make visible, true for the
	// folders (a deleted folder takes its contents with it).
	n := 0
	for _, l := range layers {
		n += len(l.entries)
	}
	below := make(map[string]bool, n)
	out := make([]LayerFiles, len(layers))
	for i, l := range layers {
		lf := LayerFiles{DiffID: diffIDs[i], Total: l.total, Bytes: l.bytes}
		keep := func(f LayerFile) {
			if len(lf.Files) < MaxLayerFiles {
				lf.Files = append(lf.Files, f)
			}
		}
		var opaque []string
		for _, e := range l.entries {
			f := LayerFile{Path: e.path, Size: e.size, Dir: e.dir, Link: e.link, Kind: Added}
			switch {
			case e.opaque:
				opaque = append(opaque, e.path)
				continue
			case e.whiteout:
				f.Kind, f.Whiteout = Deleted, e.wh
			default:
				if _, ok := below[e.path]; ok {
					f.Kind = Changed
				}
			}
			keep(f)
		}
		// A folder made opaque hides what it held below: what the layer does
		// not hold again is deleted (the topmost path of each, as a whiteout).
		for _, d := range opaque {
			held := map[string]bool{d: true}
			for _, e := range l.entries {
				if !e.whiteout && !e.opaque && strings.HasPrefix(e.path, d+"/") {
					held[e.path] = true
				}
			}
			var gone []string
			for p := range below {
				if strings.HasPrefix(p, d+"/") && !held[p] {
					gone = append(gone, p)
				}
			}
			for _, p := range gone {
				if held[path.Dir(p)] {
					keep(LayerFile{Path: p, Kind: Deleted})
				}
				delete(below, p)
			}
		}
		sort.Slice(lf.Files, func(a, b int) bool { return lf.Files[a].Path < lf.Files[b].Path })
		for _, e := range l.entries {
			if e.opaque {
				continue
			}
			if !e.whiteout {
				below[e.path] = e.dir
				continue
			}
			dir, ok := below[e.path]
			delete(below, e.path)
			if ok && dir { // rare: a whole folder deleted
				for p := range below {
					if strings.HasPrefix(p, e.path+"/") {
						delete(below, p)
					}
				}
			}
		}
		out[i] = lf
	}
	return out
}
