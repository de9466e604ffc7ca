package docker

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	return c.LayerFiles(ctx, ref, FilesOptions{})
}

// FilesOptions say which layer a files read wants, where listings are kept
// between reads, and who is told how the read goes.
type FilesOptions struct {
	// Layer is the diff id of the layer wanted: the read ends as soon as it
	// and the layers below it (which tell its added paths from its changed
	// ones) are known. "" wants every layer.
	Layer string
	// Index keeps listings between reads (nil: none kept).
	Index *LayerIndex
	// Progress, when not nil, is told how the read goes, from the reading
	// goroutine.
	Progress func(FilesProgress)
}

// FilesProgress is how far a files read is.
type FilesProgress struct {
	// Read is the bytes of the export read so far.
	Read int64
	// Known counts the layers wanted whose paths are known; Wanted the
	// layers the read needs (the chosen one and those below it).
	Known, Wanted int
	// Own is the chosen layer's paths as soon as its own tar was read, its
	// kinds not yet told apart (every path Added, whiteouts Deleted) while
	// layers below it are still read; nil before.
	Own *LayerFiles
}

// LayerFiles lists what the layers of ref hold, bottom first, up to and with
// the layer o wants (every layer when none): from the index where it knows a
// layer, otherwise by reading the image as `docker save` exports it, each
// layer's tar as it streams past (its headers only, while its digest is
// computed), and no further than the read needs.
func (c *Client) LayerFiles(ctx context.Context, ref string, o FilesOptions) ([]LayerFiles, error) {
	op := "list the files of " + ref
	insp, err := c.imageInspect(ctx, ref)
	if err != nil {
		return nil, c.classify(err, op)
	}
	diffIDs := insp.RootFS.Layers
	n := len(diffIDs)
	if o.Layer != "" {
		n = 0
		for i, d := range diffIDs {
			if d == o.Layer {
				n = i + 1
				break
			}
		}
		if n == 0 {
			return nil, &Error{Kind: KindNotFound, Op: op, Detail: "the image has no layer " + o.Layer}
		}
	}
	need := diffIDs[:n]
	known := make(map[string]listing, n)
	for _, d := range need {
		if l, ok := o.Index.get(d); ok {
			known[d] = l
		}
	}
	if !allKnown(need, known) {
		if err := c.readExport(ctx, op, insp.ID, need, known, o); err != nil {
			return nil, err
		}
	}
	layers := make([]listing, n)
	for i, d := range need {
		layers[i] = known[d]
	}
	out := classifyLayers(need, layers)
	if c.IsPodman() {
		for i := range out {
			out[i] = withoutPodmanFiles(out[i])
		}
	}
	return out, nil
}

func allKnown(need []string, known map[string]listing) bool {
	for _, d := range need {
		if _, ok := known[d]; !ok {
			return false
		}
	}
	return true
}

// readExport reads the export of image id until every layer of need is in
// known, listing each layer's tar that streams past and keeping it in the
// index; it stops reading (and the daemon exporting) as soon as it has them.
func (c *Client) readExport(ctx context.Context, op, id string, need []string, known map[string]listing, o FilesOptions) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rc, err := c.api.ImageSave(ctx, []string{id})
	if err != nil {
		return c.classify(err, op)
	}
	defer rc.Close()
	if err := readLayers(rc, need, known, o); err != nil {
		if ctx.Err() != nil {
			return c.classify(ctx.Err(), op)
		}
		var e *Error
		if errors.As(err, &e) {
			e.Op = op
			return e
		}
		return c.classify(err, op)
	}
	return nil
}

// readLayers reads a `docker save` stream until every layer of need is in
// known: each layer's tar that streams past is listed (its headers only)
// while its digest is computed, the digest says which layer it is, and the
// listing is kept in the index. Entries that are not layers (configs,
// manifests) and blobs already known stream past unread.
func readLayers(r io.Reader, need []string, known map[string]listing, o FilesOptions) error {
	wanted := make(map[string]bool, len(need))
	for _, d := range need {
		wanted[d] = true
	}
	chosen := need[len(need)-1]
	cr := &progressReader{r: r}
	tell := func() {
		if o.Progress == nil {
			return
		}
		p := FilesProgress{Read: cr.n, Known: len(known), Wanted: len(need)}
		if l, ok := known[chosen]; ok {
			own := classifyLayers([]string{chosen}, []listing{l})[0]
			p.Own = &own
		}
		o.Progress(p)
	}
	cr.every, cr.tick = 4<<20, tell
	tr := tar.NewReader(cr)
	for !allKnown(need, known) {
		h, err := tr.Next()
		if err == io.EOF {
			return &Error{Kind: KindUnknown, Detail: "the saved image lacks a layer it lists"}
		}
		if err != nil {
			return err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		name := path.Clean(h.Name)
		base := path.Base(name)
		if strings.HasSuffix(name, ".json") || base == "VERSION" || name == "repositories" || name == "oci-layout" {
			continue
		}
		// An OCI layout names each blob by its digest: a blob already known
		// (an uncompressed layer, or a compressed one the index has seen)
		// streams past unread.
		blob := ""
		if path.Dir(name) == "blobs/sha256" {
			blob = "sha256:" + base
			if d := o.Index.alias(blob); d != "" {
				blob = d
			}
			if _, ok := known[blob]; ok || (!wanted[blob] && o.Index.Has(blob)) {
				continue
			}
		}
		lr, done := decompressed(tr)
		if lr == nil {
			done()
			continue // a config or manifest blob
		}
		sum := sha256.New()
		l, ok := listLayer(io.TeeReader(lr, sum))
		if ok {
			// The digest is of the whole tar, the end-of-archive padding too.
			_, err = io.Copy(sum, lr)
		}
		done()
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		d := "sha256:" + hex.EncodeToString(sum.Sum(nil))
		o.Index.put(d, "sha256:"+base, l) //nolint:errcheck // a listing not kept is read again next time
		if wanted[d] {
			known[d] = l
			tell()
		}
	}
	return nil
}

// progressReader counts what passes and calls tick every so many bytes.
type progressReader struct {
	r     io.Reader
	n     int64
	every int64
	next  int64
	tick  func()
}

func (c *progressReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.tick != nil && c.n >= c.next {
		c.next = c.n + c.every
		c.tick()
	}
	return n, err
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
	case len(magic) >= 1 && (magic[0] == '{' || magic[0] == '['):
		return nil, func() {} // JSON: a config, a manifest, an index
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
