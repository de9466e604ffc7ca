package dockertest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// ArchiveImage is an image for Archive: its name and, bottom first, the one
// file each of its layers adds (path: content).
type ArchiveImage struct {
	Tag    string
	Layers []string
}

// Saved is what Archive wrote: the archive's bytes and, per image, its id
// on Docker 20.10 (the config's digest), its manifest's digest (OCI: its
// id on the containerd store) and its diff ids.
type Saved struct {
	Bytes     []byte
	ConfigIDs []string
	Manifests []string
	DiffIDs   [][]string
}

func digestOf(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}

// Archive writes a `docker save` archive of images, without a daemon: the
// legacy layout of Docker 20.10 (<id>/layer.tar, <config>.json,
// repositories) or, oci, the OCI image layout (index.json, oci-layout,
// blobs/sha256/… with gzip layers). A layer two images share is written once.
func Archive(oci bool, images ...ArchiveImage) Saved {
	var out Saved
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	written := map[string]bool{}
	legacyAt := map[string]string{} // a diff id: where the legacy layout wrote it
	add := func(name string, b []byte) {
		if written[name] {
			return
		}
		written[name] = true
		_ = tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(b)), ModTime: time.Unix(0, 0), Typeflag: tar.TypeReg})
		_, _ = tw.Write(b)
	}
	type entry struct {
		Config   string
		RepoTags []string
		Layers   []string
	}
	var manifest []entry
	var index []map[string]any
	for _, im := range images {
		var diffIDs, files []string
		var descs []map[string]any
		for _, l := range im.Layers {
			var lb bytes.Buffer
			lt := tar.NewWriter(&lb)
			_ = lt.WriteHeader(&tar.Header{Name: "layer.txt", Mode: 0o644, Size: int64(len(l)), ModTime: time.Unix(0, 0), Typeflag: tar.TypeReg})
			_, _ = lt.Write([]byte(l))
			_ = lt.Close()
			raw := lb.Bytes()
			diff := digestOf(raw)
			diffIDs = append(diffIDs, diff)
			if oci {
				var zb bytes.Buffer
				zw, _ := gzip.NewWriterLevel(&zb, gzip.BestSpeed)
				zw.ModTime = time.Unix(0, 0)
				_, _ = zw.Write(raw)
				_ = zw.Close()
				d := digestOf(zb.Bytes())
				name := "blobs/sha256/" + d[len("sha256:"):]
				add(name, zb.Bytes())
				files = append(files, name)
				descs = append(descs, map[string]any{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": d, "size": zb.Len()})
			} else {
				// As Docker 20.10 does: each image's layer in a folder of its
				// own, a layer written before a link to it.
				name := digestOf([]byte(im.Tag + diff))[len("sha256:"):][:16] + "/layer.tar"
				if first, ok := legacyAt[diff]; ok {
					_ = tw.WriteHeader(&tar.Header{Name: name, Linkname: "../" + first, Mode: 0o777, ModTime: time.Unix(0, 0), Typeflag: tar.TypeSymlink})
				} else {
					legacyAt[diff] = name
					add(name, raw)
				}
				files = append(files, name)
			}
		}
		hist := []map[string]any{}
		for range im.Layers {
			hist = append(hist, map[string]any{"created_by": "/bin/sh -c echo a layer"})
		}
		cfg, _ := json.Marshal(map[string]any{"architecture": "amd64", "os": "linux",
			"rootfs": map[string]any{"type": "layers", "diff_ids": diffIDs}, "history": hist})
		cd := digestOf(cfg)
		cname := cd[len("sha256:"):] + ".json"
		md := ""
		if oci {
			cname = "blobs/sha256/" + cd[len("sha256:"):]
			m, _ := json.Marshal(map[string]any{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
				"config": map[string]any{"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": len(cfg)}, "layers": descs})
			md = digestOf(m)
			add("blobs/sha256/"+md[len("sha256:"):], m)
			index = append(index, map[string]any{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md, "size": len(m)})
		}
		add(cname, cfg)
		manifest = append(manifest, entry{Config: cname, RepoTags: []string{im.Tag}, Layers: files})
		out.ConfigIDs = append(out.ConfigIDs, cd)
		out.Manifests = append(out.Manifests, md)
		out.DiffIDs = append(out.DiffIDs, diffIDs)
	}
	mb, _ := json.Marshal(manifest)
	add("manifest.json", mb)
	if oci {
		ib, _ := json.Marshal(map[string]any{"schemaVersion": 2, "manifests": index})
		add("index.json", ib)
		add("oci-layout", []byte(`{"imageLayoutVersion":"1.0.0"}`))
	} else {
		add("repositories", []byte(fmt.Sprintf(`{"%s":{}}`, images[0].Tag)))
	}
	_ = tw.Close()
	out.Bytes = buf.Bytes()
	return out
}
