package docker

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/klauspost/compress/zstd"
)

// Role is what one file of a `docker save` archive is.
type Role int

const (
	// RoleOther is a file the archive's indexes do not name.
	RoleOther Role = iota
	// RoleSaveManifest is manifest.json: for each image, its config file,
	// its names and its layer files, bottom first (both layouts write it).
	RoleSaveManifest
	// RoleIndex is index.json, the OCI image layout's entry point: the
	// images' manifests, by digest, with their names.
	RoleIndex
	// RoleLayoutVersion is oci-layout: the OCI layout's version.
	RoleLayoutVersion
	// RoleRepositories is the legacy repositories file (names to ids).
	RoleRepositories
	// RoleLegacyMeta is a legacy layout's per-layer VERSION or json file.
	RoleLegacyMeta
	// RoleConfig is an image's config: its settings, its history and its
	// layers' diff ids.
	RoleConfig
	// RoleManifest is an OCI image manifest: the config's and the layers'
	// digests and sizes.
	RoleManifest
	// RoleLayer is one layer: a tar of the files it adds, changes or deletes.
	RoleLayer
	// RoleLayerLink is a legacy layout's layer that is a link to another
	// layer's tar (Link): Docker 20.10 writes a layer two images share once,
	// and links to it where the other image's layer would be.
	RoleLayerLink
)

// ArchiveEntry is one file of a `docker save` archive, with the sha256 of its
// bytes and, for a layer, of its uncompressed tar (its diff id).
type ArchiveEntry struct {
	Name string
	Size int64
	// Digest is sha256 of the file's bytes ("sha256:…").
	Digest string
	// Compression is "gzip" or "zstd" for a compressed layer, "" for a plain one.
	Compression string
	// DiffID is sha256 of the layer's uncompressed tar (Digest for a plain
	// one); Unpacked its size uncompressed (Size for a plain one).
	DiffID   string
	Unpacked int64
	Role     Role
	// Image is the index in Archive.Images of the image the entry is the
	// config, manifest or a layer of (the first one, for a layer shared);
	// Layer is the layer's place in that image, from 0 at the bottom.
	Image, Layer int
	// Shared counts the images that have this layer (a layer saved once
	// for several images).
	Shared int
	// Link is where a symbolic link entry points (a path in the archive).
	Link string
}

// ArchiveImage is one image of an archive, as manifest.json and the image's
// config (and, in the OCI layout, index.json and its manifest) say it.
type ArchiveImage struct {
	Tags []string
	// Config is the config's entry name; ConfigDigest sha256 of its bytes.
	Config, ConfigDigest string
	// ManifestDigest is the image manifest's digest in an OCI layout ("" in
	// the legacy one): on the containerd image store, the image's id.
	ManifestDigest string
	// DiffIDs are the config's rootfs diff ids, bottom first; Layers the
	// layers' entry names, in the same order.
	DiffIDs []string
	Layers  []string
	// History is the config's history: what made each layer, and the
	// settings that made none (EmptyLayer).
	History []ArchiveHistory
}

// ArchiveHistory is one line of a config's history.
type ArchiveHistory struct {
	CreatedBy  string
	EmptyLayer bool
}

// Archive is what a `docker save` file holds.
type Archive struct {
	// OCI is true for an OCI image layout (index.json, oci-layout,
	// blobs/sha256/…), as Docker 25 and later and the containerd image
	// store write it; false for the legacy layout of earlier engines
	// (<id>/layer.tar, <config>.json, repositories).
	OCI     bool
	Entries []ArchiveEntry
	Images  []ArchiveImage
	// Bytes is the archive's size.
	Bytes int64
}

// Bounds on reading an archive: entries kept in memory (the JSON files)
// and how many entries there may be.
const (
	maxArchiveJSON    = 4 << 20
	maxArchiveEntries = 20000
)

// ReadArchive reads a `docker save` archive in one pass: every file with its
// sha256 (a compressed layer also uncompressed, for its diff id), and the
// images its manifest.json and configs describe, each file told apart by
// its role. Both layouts: the legacy one (Docker 20.10) and the OCI image
// layout (Docker 25+, the containerd image store).
func ReadArchive(r io.Reader) (Archive, error) {
	var a Archive
	cr := &countingReader{r: r}
	tr := tar.NewReader(cr)
	small := map[string][]byte{}
	kept := 0
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return a, fmt.Errorf("not a docker save archive: %w", err)
		}
		if h.Typeflag != tar.TypeReg && h.Typeflag != tar.TypeSymlink {
			continue
		}
		if len(a.Entries) >= maxArchiveEntries {
			return a, errors.New("the archive has too many files")
		}
		if h.Typeflag == tar.TypeSymlink {
			name := path.Clean(h.Name)
			a.Entries = append(a.Entries, ArchiveEntry{Name: name, Link: path.Clean(path.Join(path.Dir(name), h.Linkname)), Image: -1, Layer: -1})
			continue
		}
		e := ArchiveEntry{Name: path.Clean(h.Name), Size: h.Size, Image: -1, Layer: -1}
		raw := sha256.New()
		br := bufio.NewReader(io.TeeReader(tr, raw))
		magic, _ := br.Peek(4)
		var body []byte
		switch {
		case isGzip(magic) || isZstd(magic):
			un := sha256.New()
			var zr io.Reader
			var closeZ func()
			if isGzip(magic) {
				e.Compression = "gzip"
				if g, err := gzip.NewReader(br); err == nil {
					zr, closeZ = g, func() { g.Close() }
				}
			} else {
				e.Compression = "zstd"
				if z, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1)); err == nil {
					zr, closeZ = z, z.Close
				}
			}
			if zr != nil {
				if n, err := io.Copy(un, zr); err == nil {
					e.DiffID, e.Unpacked = "sha256:"+hex.EncodeToString(un.Sum(nil)), n
				}
				closeZ()
			}
		case h.Size <= 1<<20 && kept+int(h.Size) <= maxArchiveJSON && (len(magic) > 0 && (magic[0] == '{' || magic[0] == '[') || path.Base(e.Name) == "VERSION"):
			b, err := io.ReadAll(br)
			if err != nil {
				return a, err
			}
			body, kept = b, kept+len(b)
		}
		if _, err := io.Copy(io.Discard, br); err != nil {
			return a, fmt.Errorf("not a docker save archive: %w", err)
		}
		e.Digest = "sha256:" + hex.EncodeToString(raw.Sum(nil))
		if e.Compression == "" {
			e.DiffID, e.Unpacked = e.Digest, e.Size
		}
		if body != nil {
			small[e.Name] = body
		}
		a.Entries = append(a.Entries, e)
	}
	a.Bytes = cr.n
	return a, a.describe(small)
}

// describe names each entry's role from manifest.json, index.json and the configs.
func (a *Archive) describe(small map[string][]byte) error {
	byName := map[string]int{}
	for i, e := range a.Entries {
		byName[e.Name] = i
		switch {
		case e.Name == "manifest.json":
			a.Entries[i].Role = RoleSaveManifest
		case e.Name == "index.json":
			a.Entries[i].Role, a.OCI = RoleIndex, true
		case e.Name == "oci-layout":
			a.Entries[i].Role = RoleLayoutVersion
		case e.Name == "repositories":
			a.Entries[i].Role = RoleRepositories
		case path.Base(e.Name) == "VERSION" || path.Base(e.Name) == "json" && path.Dir(e.Name) != ".":
			a.Entries[i].Role = RoleLegacyMeta
		}
	}
	var m []struct {
		Config   string
		RepoTags []string
		Layers   []string
	}
	mb, ok := small["manifest.json"]
	if !ok {
		return errors.New("the archive has no manifest.json: not a docker save archive")
	}
	if err := json.Unmarshal(mb, &m); err != nil {
		return fmt.Errorf("manifest.json: %w", err)
	}
	// The OCI layout's manifests, by the config they name.
	manifestOf := map[string]string{}
	if ib, ok := small["index.json"]; ok {
		var idx struct {
			Manifests []struct{ Digest string }
		}
		if json.Unmarshal(ib, &idx) == nil {
			for _, d := range idx.Manifests {
				name := "blobs/" + strings.Replace(d.Digest, ":", "/", 1)
				var om struct{ Config struct{ Digest string } }
				if i, ok := byName[name]; ok && json.Unmarshal(small[name], &om) == nil {
					a.Entries[i].Role = RoleManifest
					manifestOf[om.Config.Digest] = d.Digest
				}
			}
		}
	}
	for n, im := range m {
		ci, ok := byName[path.Clean(im.Config)]
		if !ok {
			return fmt.Errorf("manifest.json names %s, which is not in the archive", im.Config)
		}
		var cfg struct {
			RootFS struct {
				DiffIDs []string `json:"diff_ids"`
			} `json:"rootfs"`
			History []struct {
				CreatedBy  string `json:"created_by"`
				EmptyLayer bool   `json:"empty_layer"`
			} `json:"history"`
		}
		if err := json.Unmarshal(small[a.Entries[ci].Name], &cfg); err != nil {
			return fmt.Errorf("%s: %w", im.Config, err)
		}
		ai := ArchiveImage{Tags: im.RepoTags, Config: a.Entries[ci].Name, ConfigDigest: a.Entries[ci].Digest,
			DiffIDs: cfg.RootFS.DiffIDs}
		ai.ManifestDigest = manifestOf[ai.ConfigDigest]
		for _, h := range cfg.History {
			ai.History = append(ai.History, ArchiveHistory{CreatedBy: h.CreatedBy, EmptyLayer: h.EmptyLayer})
		}
		a.Entries[ci].Role, a.Entries[ci].Image = RoleConfig, n
		if len(im.Layers) != len(ai.DiffIDs) {
			return fmt.Errorf("%s lists %d layers, its config %d", "manifest.json", len(im.Layers), len(ai.DiffIDs))
		}
		for j, lp := range im.Layers {
			li, ok := byName[path.Clean(lp)]
			if ok && a.Entries[li].Link != "" {
				l := &a.Entries[li]
				l.Role, l.Image, l.Layer = RoleLayerLink, n, j
				li, ok = byName[l.Link]
			}
			if !ok || a.Entries[li].Link != "" {
				return fmt.Errorf("manifest.json names %s, which is not in the archive", lp)
			}
			ai.Layers = append(ai.Layers, a.Entries[li].Name)
			e := &a.Entries[li]
			if e.Role != RoleLayer {
				e.Role, e.Image, e.Layer = RoleLayer, n, j
			}
			e.Shared++
		}
		for i, e := range a.Entries {
			if e.Role == RoleManifest && e.Digest == ai.ManifestDigest {
				a.Entries[i].Image = n
			}
		}
		a.Images = append(a.Images, ai)
	}
	// Podman's manifest names each layer at the top of the file (<diff
	// id>.tar); every legacy folder's layer.tar is a link to one, for older
	// readers: a link to a layer stored once.
	for i, e := range a.Entries {
		if e.Role != RoleOther || e.Link == "" || path.Base(e.Name) != "layer.tar" {
			continue
		}
		if t, ok := byName[e.Link]; ok && a.Entries[t].Role == RoleLayer {
			a.Entries[i].Role, a.Entries[i].Image, a.Entries[i].Layer = RoleLayerLink, a.Entries[t].Image, a.Entries[t].Layer
		}
	}
	return nil
}

// Sorted are the entries in the order a listing shows them: the indexes
// first, then each image's manifest, config and layers bottom first, then
// the rest, by name.
func (a Archive) Sorted() []ArchiveEntry {
	out := append([]ArchiveEntry(nil), a.Entries...)
	rank := func(e ArchiveEntry) int {
		switch e.Role {
		case RoleIndex, RoleSaveManifest, RoleLayoutVersion, RoleRepositories:
			return 0
		case RoleManifest, RoleConfig, RoleLayer, RoleLayerLink:
			return 1
		}
		return 2
	}
	order := func(e ArchiveEntry) int {
		switch e.Role {
		case RoleManifest:
			return -2
		case RoleConfig:
			return -1
		}
		return e.Layer
	}
	sort.SliceStable(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if rank(x) != rank(y) {
			return rank(x) < rank(y)
		}
		if rank(x) == 1 && (x.Image != y.Image || order(x) != order(y)) {
			if x.Image != y.Image {
				return x.Image < y.Image
			}
			return order(x) < order(y)
		}
		return x.Name < y.Name
	})
	return out
}

// LayerMatches reports whether each layer's uncompressed sha256 is the diff
// id its image's config lists at its place: what makes a layer the same
// layer wherever it is.
func (a Archive) LayerMatches() bool {
	for _, im := range a.Images {
		for j, lp := range im.Layers {
			for _, e := range a.Entries {
				if e.Name == lp && e.DiffID != im.DiffIDs[j] {
					return false
				}
			}
		}
	}
	return len(a.Images) > 0
}

func isGzip(m []byte) bool { return len(m) >= 2 && m[0] == 0x1f && m[1] == 0x8b }
func isZstd(m []byte) bool {
	return len(m) == 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
