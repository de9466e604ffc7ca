package docker_test

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
)

// Both layouts read the same way: each file's role, each layer's
// uncompressed sha256 against the config's diff ids, a layer two images
// share written once, the config's and the manifest's digests.
func TestReadArchiveBothLayouts(t *testing.T) {
	t.Parallel()
	for _, oci := range []bool{false, true} {
		s := dockertest.Archive(oci,
			dockertest.ArchiveImage{Tag: "files-demo:v1", Layers: []string{"base", "one"}},
			dockertest.ArchiveImage{Tag: "files-demo:v2", Layers: []string{"base", "two"}})
		a, err := docker.ReadArchive(bytes.NewReader(s.Bytes))
		if err != nil {
			t.Fatal(err)
		}
		if a.OCI != oci || len(a.Images) != 2 || !a.LayerMatches() || a.Bytes != int64(len(s.Bytes)) {
			t.Fatalf("oci %v: %+v", oci, a)
		}
		roles := map[docker.Role]int{}
		links := 0
		shared := 0
		for _, e := range a.Entries {
			roles[e.Role]++
			if e.Role == docker.RoleLayer && e.Shared == 2 {
				shared++
			}
			if e.Role == docker.RoleLayerLink {
				links++
			}
			if e.Role == docker.RoleLayer && (e.Compression != "") != oci {
				t.Errorf("oci %v: layer %+v", oci, e)
			}
		}
		if roles[docker.RoleLayer] != 3 || shared != 1 || roles[docker.RoleConfig] != 2 || roles[docker.RoleSaveManifest] != 1 {
			t.Errorf("oci %v: roles %v, shared %d", oci, roles, shared)
		}
		if !oci && links != 1 || oci && links != 0 {
			t.Errorf("oci %v: %d links", oci, links)
		}
		if oci && (roles[docker.RoleIndex] != 1 || roles[docker.RoleManifest] != 2 || roles[docker.RoleLayoutVersion] != 1) {
			t.Errorf("oci roles %v", roles)
		}
		for i, im := range a.Images {
			if im.ConfigDigest != s.ConfigIDs[i] || im.ManifestDigest != s.Manifests[i] || !slices.Equal(im.DiffIDs, s.DiffIDs[i]) {
				t.Errorf("oci %v image %d: %+v", oci, i, im)
			}
		}
		if ids := docker.ArchiveIDs(a, s.Manifests); oci && !slices.Equal(ids, s.Manifests) || !oci && !slices.Equal(ids, s.ConfigIDs) {
			t.Errorf("ids %v", ids)
		}
		sorted := a.Sorted()
		if sorted[0].Role == docker.RoleLayer || sorted[len(sorted)-1].Role == docker.RoleSaveManifest {
			t.Errorf("sorted: %v", sorted)
		}
	}
}

// TestPodmansSaveLayout: Podman's docker save (podman 4.3.1) writes each
// layer once at the top of the file, named by its diff id, and each legacy
// folder's layer.tar as a link to it; the links are that layer's, not
// files the index does not name.
func TestPodmansSaveLayout(t *testing.T) {
	t.Parallel()
	var layer bytes.Buffer
	lw := tar.NewWriter(&layer)
	_ = lw.WriteHeader(&tar.Header{Name: "hello.txt", Mode: 0o644, Size: 6, Typeflag: tar.TypeReg})
	_, _ = lw.Write([]byte("hello\n"))
	_ = lw.Close()
	diff := fmt.Sprintf("%x", sha256.Sum256(layer.Bytes()))
	config := fmt.Sprintf(`{"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created_by":"podman commit"}]}`, diff)
	cid := fmt.Sprintf("%x", sha256.Sum256([]byte(config)))
	var b bytes.Buffer
	w := tar.NewWriter(&b)
	file := func(name string, data []byte) {
		_ = w.WriteHeader(&tar.Header{Name: name, Mode: 0o444, Size: int64(len(data)), Typeflag: tar.TypeReg})
		_, _ = w.Write(data)
	}
	file(diff+".tar", layer.Bytes())
	file(cid+".json", []byte(config))
	_ = w.WriteHeader(&tar.Header{Name: "4cdfeeb9f5be/layer.tar", Typeflag: tar.TypeSymlink, Linkname: "../" + diff + ".tar"})
	file("4cdfeeb9f5be/VERSION", []byte("1.0"))
	file("manifest.json", []byte(fmt.Sprintf(`[{"Config":"%s.json","RepoTags":["docker.io/library/files-demo:v1"],"Layers":["%s.tar"]}]`, cid, diff)))
	_ = w.Close()
	a, err := docker.ReadArchive(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Images) != 1 || !a.LayerMatches() {
		t.Fatalf("%+v", a)
	}
	roles := map[string]docker.Role{}
	for _, e := range a.Entries {
		roles[e.Name] = e.Role
		if e.Role == docker.RoleLayerLink && (e.Image != 0 || e.Layer != 0) {
			t.Errorf("link %+v: not layer 1 of image 1", e)
		}
	}
	if roles[diff+".tar"] != docker.RoleLayer || roles["4cdfeeb9f5be/layer.tar"] != docker.RoleLayerLink || roles["4cdfeeb9f5be/VERSION"] != docker.RoleLegacyMeta {
		t.Errorf("roles %v", roles)
	}
}

// What is not a docker save archive, a file outside the workspace and a
// file not there are refused with their reasons.
func TestArchiveFileRefusals(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	if _, err := docker.ArchiveFile(root, "nothing.tar"); docker.KindOf(err) != docker.KindArchive {
		t.Errorf("missing: %v", err)
	}
	if err := os.WriteFile(filepath.Join(root, "x.tar"), []byte(strings.Repeat("not a tar ", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	var de *docker.Error
	if _, err := docker.ArchiveFile(root, "x.tar"); docker.KindOf(err) != docker.KindArchive || !errors.As(err, &de) || de.Archive != docker.ArchiveNotSave {
		t.Errorf("not a save: %v", err)
	}
	for _, p := range []string{"../x.tar", "/etc/passwd", ""} {
		if _, err := docker.ArchiveFile(root, p); docker.KindOf(err) != docker.KindOutside {
			t.Errorf("%q: %v", p, err)
		}
	}
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	if _, err := docker.ArchiveFile(root, "link/x.tar"); docker.KindOf(err) != docker.KindOutside {
		t.Errorf("through a link: %v", err)
	}
}
