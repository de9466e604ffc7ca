package docker

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/docker/docker/api/types/image"
)

// Podman's Docker API answers in its own forms where Docker's are fixed:
// image ids without "sha256:" (commit, remove, parents) and fully
// qualified names in RepoTags (docker.io/library/busybox:1.36). layerlab
// reads every image answer through these, so that the ledger, the tables
// and the exercises see the forms Docker gives (and the docker CLI shows
// against Podman: busybox, localhost/busybox). On Docker they change nothing.

// fullID gives an image id the "sha256:" Docker's answers carry.
func fullID(id string) string {
	if len(id) == 64 && strings.Trim(id, "0123456789abcdef") == "" {
		return "sha256:" + id
	}
	return id
}

// familiarTags writes each name as the docker CLI shows it.
func familiarTags(tags []string) {
	for i, t := range tags {
		tags[i] = Familiar(t)
	}
}

func (c *Client) imageInspect(ctx context.Context, ref string) (image.InspectResponse, error) {
	insp, err := c.api.ImageInspect(ctx, ref)
	if err == nil {
		insp.ID = fullID(insp.ID)
		//lint:ignore SA1019 Parent is the legacy builder's chain of step images, which removeBuildParents walks (see remove.go); Podman gives it without sha256:.
		insp.Parent = fullID(insp.Parent)
		familiarTags(insp.RepoTags)
	}
	return insp, err
}

func (c *Client) imageList(ctx context.Context, o image.ListOptions) ([]image.Summary, error) {
	list, err := c.api.ImageList(ctx, o)
	for i := range list {
		list[i].ID, list[i].ParentID = fullID(list[i].ID), fullID(list[i].ParentID)
		familiarTags(list[i].RepoTags)
	}
	return list, err
}

func (c *Client) imageRemove(ctx context.Context, ref string, o image.RemoveOptions) ([]image.DeleteResponse, error) {
	resp, err := c.api.ImageRemove(ctx, ref, o)
	for i := range resp {
		resp[i].Deleted = fullID(resp[i].Deleted)
		if resp[i].Untagged != "" {
			resp[i].Untagged = Familiar(resp[i].Untagged)
		}
	}
	return resp, err
}

// podmanOwn reports whether path is a file Podman's runtime adds to every
// container's writable layer (so a commit keeps it): the container
// marker, the mounts link, and the mount points of the files it binds in.
// Not the learner's changes: on Podman they are left out of a container's
// changes and of a layer's files.
func podmanOwn(path string) bool {
	switch path {
	case "/run/.containerenv", "/etc/mtab", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf":
		return true
	}
	return false
}

// podmanDirOnly reports whether dir is a folder of a path that was taken
// out and nothing that stays is under it: Podman's files changed it,
// nothing else did.
func podmanDirOnly(dir string, gone []string, stays func(func(string) bool) bool) bool {
	d := strings.TrimSuffix(dir, "/") + "/"
	took := false
	for _, g := range gone {
		if strings.HasPrefix(g, d) {
			took = true
		}
	}
	return took && !stays(func(p string) bool { return strings.HasPrefix(p, d) })
}

// withoutPodmanChanges leaves Podman's own files (podmanOwn, added) out of
// a container's changes, and the folders only they changed.
func withoutPodmanChanges(ch []Change) []Change {
	var gone []string
	var kept []Change
	for _, c := range ch {
		if c.Kind == Added && podmanOwn(c.Path) {
			gone = append(gone, c.Path)
			continue
		}
		kept = append(kept, c)
	}
	if len(gone) == 0 {
		// Podman's diff leaves its files out itself, but not /etc and /run.
		gone = append(gone, "/run/.containerenv", "/etc/mtab")
	}
	out := kept[:0:0]
	for _, c := range kept {
		if c.Kind != Deleted && podmanDirOnly(c.Path, gone, func(f func(string) bool) bool {
			return slices.ContainsFunc(kept, func(o Change) bool { return f(o.Path) })
		}) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// withoutPodmanFiles leaves Podman's own files out of a layer's listing
// (and out of its counts), and the folders that held only them.
func withoutPodmanFiles(l LayerFiles) LayerFiles {
	var gone []string
	var kept []LayerFile
	for _, f := range l.Files {
		if !f.Dir && f.Kind == Added && podmanOwn(f.Path) {
			gone = append(gone, f.Path)
			l.Total--
			l.Bytes -= f.Size
			continue
		}
		kept = append(kept, f)
	}
	if len(gone) == 0 {
		return l
	}
	out := kept[:0:0]
	for _, f := range kept {
		if f.Dir && f.Kind != Deleted && podmanDirOnly(f.Path, gone, func(m func(string) bool) bool {
			return slices.ContainsFunc(kept, func(o LayerFile) bool { return o.Path != f.Path && m(o.Path) })
		}) {
			l.Total--
			continue
		}
		out = append(out, f)
	}
	l.Files = out
	return l
}

// familiarImage is a container's image as docker ps shows it: a name in
// the CLI's form (Podman gives docker.io/library/busybox:latest), an id
// as it is.
func familiarImage(ref string) string {
	if !strings.HasPrefix(ref, "docker.io/") {
		return ref // as the learner gave it: busybox stays busybox
	}
	return Familiar(ref)
}

// labelChanges gives a commit's labels as LABEL changes too: Podman's commit
// reads no config from the body, so its image would carry only the
// container's labels, the container's op among them, and a commit whose
// answer never came would not be found by its own op. Docker applies the
// same labels either way.
func labelChanges(labels map[string]string) []string {
	var ch []string
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		v := labels[k]
		if strings.ContainsAny(v, " \t\n\"'\\$") || v == "" {
			v = strconv.Quote(v)
		}
		ch = append(ch, "LABEL "+k+"="+v)
	}
	return ch
}
