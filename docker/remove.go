package docker

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/opencontainers/go-digest"
	"github.com/opencontainers/image-spec/identity"
)

// ConflictReason says why the daemon refused to remove an image.
type ConflictReason int

const (
	ConflictNone ConflictReason = iota
	// ConflictContainer: a (stopped) container uses the image; force would untag it.
	ConflictContainer
	// ConflictRunning: a running container uses the image; even force cannot delete it.
	ConflictRunning
	// ConflictTags: removing by id, but several tags name the image.
	ConflictTags
	// ConflictChildren: other images are built on this one.
	ConflictChildren
	// ConflictVolumeInUse: a container (Error.Container) mounts the volume
	// being removed.
	ConflictVolumeInUse
)

// RemovedLayer is one filesystem layer of a removed image and what became of it.
type RemovedLayer struct {
	Layer
	ChainID string
	// Deleted is true when the daemon deleted the layer; false when another
	// image (or a container) still uses it.
	Deleted bool
}

// RemoveResult is the daemon's answer to `docker rmi`, with the image as it was.
type RemoveResult struct {
	Target  string
	ImageID string
	// Tags named the image before.
	Tags []string
	// Untagged are the tags removed; Deleted the image and layer ids deleted.
	Untagged []string
	Deleted  []string
	// ImageDeleted is true when the image itself went (not only a tag).
	ImageDeleted bool
	// Layers are the image's filesystem layers, bottom first, each marked deleted or kept.
	Layers []RemovedLayer
	Stack  LayerStack
	// LayersChecked is true when the engine reported only the image (the
	// containerd image store does): which layers went was found by looking
	// at which ones the images left still use.
	LayersChecked bool
}

// ChainIDs are the ids the daemon's layer store uses for a stack of diff ids:
// the first is the diff id itself, each next one hashes its parent's with its own.
func ChainIDs(diffIDs []string) []string {
	ds := make([]digest.Digest, len(diffIDs))
	for i, d := range diffIDs {
		ds[i] = digest.Digest(d)
	}
	out := make([]string, 0, len(ds))
	for _, c := range identity.ChainIDs(ds) {
		out = append(out, c.String())
	}
	return out
}

// Ownership is what layerlab may do with one image, by its ledger alone.
type Ownership struct {
	// Made is true when layerlab made the image: a commit, a build, or one
	// of its build's steps. Labels do not count: Docker copies them to
	// whatever the learner makes from a lesson image.
	Made bool
	// Ours are the image's tags layerlab set (in the ledger and still naming
	// what layerlab tagged); Theirs the others.
	Ours, Theirs []string
}

// Removable reports whether layerlab may remove target (a tag or an id) of
// this image: a tag only if it is one of Ours; an id only if every tag is
// Ours and, when no tag is left, layerlab made the image.
func (o Ownership) Removable(target string, byID bool) bool {
	if !byID {
		return slices.Contains(o.Ours, target)
	}
	if len(o.Theirs) > 0 {
		return false
	}
	return len(o.Ours) > 0 || o.Made
}

// ownership decides, from the ledger, which of the image's tags are
// layerlab's and whether it made the image. A commit whose answer never came
// is settled here: its pending tag record names the image that carries the
// record's op label.
func (c *Client) ownership(insp image.InspectResponse) Ownership {
	host := c.endpoint.Host
	o := Ownership{Made: c.ledger.HasImage(host, insp.ID)}
	for _, t := range insp.RepoTags {
		t = Familiar(t)
		rec, ok := c.ledger.Lookup(host, t)
		if ok && rec.ImageID == "" && rec.Op != "" && insp.Config != nil && insp.Config.Labels[LabelOp] == rec.Op {
			c.ledger.AddImage(host, insp.ID, rec.Lesson, rec.How)
			rec.ImageID, rec.Op = insp.ID, ""
			c.ledger.Add(rec)
			o.Made = true
		}
		if ok && rec.ImageID == insp.ID {
			o.Ours = append(o.Ours, t)
		} else {
			o.Theirs = append(o.Theirs, t)
		}
	}
	return o
}

// recordTag notes in the ledger that layerlab set tag to id, unless the tag
// named an image of the learner's before (prevID, "" if it named nothing):
// neither the ledger's record of the tag nor of the image says layerlab made
// what it named. It reports whether it recorded. An empty id with an op is a
// pending record: the image the call is making carries LabelOp = op.
func (c *Client) recordTag(ctx context.Context, tag, id, lesson, how, prevID, op string) bool {
	if prevID != "" {
		rec, ok := c.ledger.Lookup(c.endpoint.Host, tag)
		ours := ok && (rec.ImageID == prevID || rec.ImageID == "" && rec.Op != "")
		if !ours && !c.ledger.HasImage(c.endpoint.Host, prevID) {
			return false
		}
	}
	c.ledger.Add(Record{Host: c.endpoint.Host, Tag: tag, ImageID: id, Op: op, Lesson: lesson, How: how, At: time.Now().UTC()})
	return true
}

// TagResult is what `docker tag` did.
type TagResult struct {
	Source, Target Ref
	ImageID        string
	// PreviousID is what Target named before ("" if nothing).
	PreviousID string
}

// Tag runs `docker tag src dst`: one more name for the same image, no new layer.
func (c *Client) Tag(ctx context.Context, src string, dst Ref, lesson string) (TagResult, error) {
	op := "tag " + src + " " + dst.String()
	res := TagResult{Target: dst}
	if r, err := ParseRef(src); err == nil {
		res.Source = r
	}
	if err := c.roomForImage(ctx, op); err != nil {
		return res, err
	}
	ok, id, err := c.Exists(ctx, src)
	if err != nil {
		return res, err
	}
	if !ok {
		return res, &Error{Kind: KindNotFound, Op: op, Absent: AbsentLocal, Detail: "no image " + src + " on this daemon"}
	}
	if err := c.ClaimName(ctx, dst); err != nil {
		return res, err
	}
	_, prev, err := c.Exists(ctx, dst.Full())
	if err != nil {
		return res, err
	}
	res.ImageID, res.PreviousID = id, prev
	if err := c.api.ImageTag(ctx, id, dst.Full()); err != nil {
		return res, c.classify(err, op)
	}
	c.recordTag(ctx, dst.String(), id, lesson, "tag", prev, "")
	return res, nil
}

// ClaimName refuses (KindNotOwned) to give ref to a new image unless the
// name is free or is a tag layerlab set (by its ledger): tagging, committing
// or building with a name of the learner's would take it from their image
// (which would stay, as <none>). That holds for a tag the learner put on an
// image layerlab made, too: the tag is theirs.
func (c *Client) ClaimName(ctx context.Context, ref Ref) error {
	if c.learner {
		return nil
	}
	op := "name " + ref.String()
	insp, err := c.imageInspect(ctx, ref.Full())
	if err != nil {
		if cerrdefs.IsNotFound(err) {
			return nil
		}
		return c.classify(err, op)
	}
	if slices.Contains(c.ownership(insp).Ours, ref.String()) {
		return nil
	}
	return &Error{Kind: KindNotOwned, Op: op, Name: ref.String(), NotOwned: NotOwnedName, Others: []string{ShortID(insp.ID)},
		Detail: ref.String() + " names an image layerlab did not make (" + ShortID(insp.ID) + ")"}
}

// FreeName is ref if layerlab may give it to a new image (ClaimName), else
// the first of ref's tag with -2, -3, … appended that it may: a lesson never
// moves a name the learner had, it uses one of its own beside it.
func (c *Client) FreeName(ctx context.Context, ref Ref) (Ref, error) {
	err := c.ClaimName(ctx, ref)
	if KindOf(err) != KindNotOwned {
		return ref, err
	}
	tag := ref.Tag()
	if tag == "" {
		tag = "latest"
	}
	for i := 2; i < 100; i++ {
		alt, perr := ParseRef(ref.Name() + ":" + tag + "-" + strconv.Itoa(i))
		if perr != nil {
			return ref, err
		}
		switch cerr := c.ClaimName(ctx, alt); {
		case cerr == nil:
			return alt, nil
		case KindOf(cerr) != KindNotOwned:
			return ref, cerr
		}
	}
	return ref, err
}

// RemoveImage runs `docker rmi [-f] target` for an image layerlab made, and
// refuses (KindNotOwned) any other: target is a tag layerlab set, or an id of
// an image whose tags are all layerlab's. The result tells which tags went and
// which layers were deleted or kept.
func (c *Client) RemoveImage(ctx context.Context, target string, force bool) (RemoveResult, error) {
	op := "remove image " + target
	res := RemoveResult{Target: target}
	insp, err := c.imageInspect(ctx, target)
	if err != nil {
		if bad := badReference(err, target, op); bad != nil {
			return res, bad
		}
		if cerrdefs.IsNotFound(err) {
			return res, &Error{Kind: KindNotFound, Op: op, Absent: AbsentLocal, Detail: "no image " + target + " on this daemon: it is already gone"}
		}
		return res, c.classify(err, op)
	}
	res.ImageID, res.Tags = insp.ID, insp.RepoTags
	byID := isIDOf(target, insp.ID)
	tag := target
	if !byID {
		// The daemon accepts busybox for busybox:latest; the ledger keeps the CLI's form.
		if r, err := ParseRef(target); err == nil {
			tag = r.String()
		}
	}
	own := c.ownership(insp)
	if !c.learner && !own.Removable(tag, byID) {
		e := &Error{Kind: KindNotOwned, Op: op, Name: target, NotOwned: NotOwnedImage, Detail: target + " was not made by layerlab"}
		if byID && len(own.Theirs) > 0 {
			e.NotOwned, e.Others = NotOwnedOtherTags, own.Theirs
			e.Detail = target + " is also tagged " + strings.Join(own.Theirs, ", ") + ", which layerlab did not make"
		}
		return res, e
	}
	if force && c.IsPodman() && c.imageInUse(ctx, insp.ID) {
		// Podman's force also removes every container that uses the image
		// (its files with it): while one does, the request means more
		// there, in a way that can remove what is not layerlab's, and is
		// never sent. With none it does what Docker's does.
		return res, &Error{Kind: KindEngineDiffers, Op: op, Name: target}
	}
	if stack, err := c.Stack(ctx, insp.ID); err == nil {
		res.Stack = stack
	}
	// No pruning of parents: the CLI's default (prune) also deletes the untagged
	// images an image was made from, which may be the learner's (a tag a pull
	// moved away). layerlab deletes the one image it was asked to, nothing more.
	resp, err := c.imageRemove(ctx, target, image.RemoveOptions{Force: force, PruneChildren: false})
	if err != nil {
		return res, c.removeErr(ctx, err, op)
	}
	deleted := map[string]bool{}
	for _, r := range resp {
		if r.Untagged != "" {
			res.Untagged = append(res.Untagged, r.Untagged)
			c.ledger.Remove(c.endpoint.Host, Familiar(r.Untagged))
		}
		if r.Deleted != "" {
			res.Deleted = append(res.Deleted, r.Deleted)
			deleted[r.Deleted] = true
			// Podman deletes the untagged parents too (it ignores noprune):
			// the build steps it names are forgotten with the image.
			c.ledger.RemoveImage(c.endpoint.Host, r.Deleted)
		}
	}
	res.ImageDeleted = deleted[insp.ID]
	if res.ImageDeleted {
		//lint:ignore SA1019 Parent has no replacement: it is the legacy builder's own chain of step images, which the API still returns for them (moby/moby#51104), and exactly what removeBuildParents walks.
		res.Deleted = append(res.Deleted, c.removeBuildParents(ctx, insp.Parent)...)
	}
	diffIDs := insp.RootFS.Layers
	chains := ChainIDs(diffIDs)
	if res.ImageDeleted && !slices.ContainsFunc(chains, func(c string) bool { return deleted[c] }) {
		// The containerd image store answers with the image only; its layers
		// go when no image uses them any more.
		if used, err := c.chainsInUse(ctx); err == nil {
			res.LayersChecked = true
			for _, ch := range chains {
				deleted[ch] = !used[ch]
			}
		}
	}
	fs := res.Stack.FSLayers()
	for i, d := range diffIDs {
		l := Layer{Index: i, DiffID: d}
		if i < len(fs) && fs[i].DiffID == d {
			l = fs[i]
		}
		res.Layers = append(res.Layers, RemovedLayer{Layer: l, ChainID: chains[i], Deleted: deleted[chains[i]]})
	}
	return res, nil
}

// badReference is the daemon's refusal of a name that breaks the naming
// rules ("invalid reference format", which Engine 20.10 sends as a not
// found: "no such image: BAD: invalid reference format: repository name
// must be lowercase"), as KindBadReference with the rule it breaks and the
// daemon's words; nil for any other error.
func badReference(err error, target, op string) error {
	low := strings.ToLower(err.Error())
	// Podman says only the rule: "normalizing name for compat API:
	// repository name must be lowercase".
	if !strings.Contains(low, "invalid reference format") && !strings.Contains(low, "repository name must be lowercase") {
		return nil
	}
	e := &Error{Kind: KindBadReference, Op: op, Err: err, Detail: err.Error()}
	var pe *Error
	if _, perr := ParseRef(target); errors.As(perr, &pe) {
		e.Rule, e.Suggest = pe.Rule, pe.Suggest
	}
	return e
}

// Familiar is a reference as the docker CLI shows it (docker.io/library/x:t, as
// some engines report it, becomes x:t); anything unparsable is left as it is.
func Familiar(tag string) string {
	if r, err := ParseRef(tag); err == nil {
		return r.String()
	}
	return tag
}

// LooksLikeID reports whether s has the form of an image id or a prefix of
// one (hex digits, optionally after sha256:), as `docker rmi 9ed39be7` takes.
func LooksLikeID(s string) bool {
	t := strings.TrimPrefix(s, "sha256:")
	return len(t) >= 4 && len(t) <= 64 && strings.Trim(t, "0123456789abcdef") == ""
}

// imageInUse reports whether a container (running or not) was made from
// the image id; true when it cannot tell.
func (c *Client) imageInUse(ctx context.Context, id string) bool {
	list, err := c.api.ContainerList(ctx, container.ListOptions{All: true})
	if err != nil {
		return true
	}
	for _, ct := range list {
		if sameID(ct.ImageID, id) {
			return true
		}
	}
	return false
}

// isIDOf reports whether target is (a prefix of) the image id rather than a name.
func isIDOf(target, id string) bool {
	return LooksLikeID(target) &&
		strings.HasPrefix(strings.TrimPrefix(id, "sha256:"), strings.TrimPrefix(target, "sha256:"))
}

// conflictContainer finds the container an in-use answer names: Docker's
// "… by container ID", Podman's "image used by ID: …".
var conflictContainer = regexp.MustCompile(`(?:container|used by) ([0-9a-f]{12,64})`)

// removeErr explains a refused removal: which container holds the image, and
// whether force could help.
func (c *Client) removeErr(ctx context.Context, err error, op string) error {
	e := c.classify(err, op)
	de, ok := e.(*Error)
	if !ok || de.Kind != KindConflict {
		return e
	}
	low := strings.ToLower(de.Detail)
	switch {
	case strings.Contains(low, "running container"):
		de.Conflict = ConflictRunning
	case strings.Contains(low, "multiple repositories"):
		de.Conflict = ConflictTags
	case strings.Contains(low, "child images"):
		de.Conflict = ConflictChildren
	case strings.Contains(low, "container"):
		de.Conflict = ConflictContainer
	}
	if m := conflictContainer.FindStringSubmatch(de.Detail); m != nil {
		de.Container = ShortID(m[1])
		if ct, err := c.container(ctx, m[1]); err == nil {
			de.Container = ct.Name
			if ct.State == "running" && de.Conflict == ConflictContainer {
				// Refused by name, the daemon does not say the container runs.
				de.Conflict = ConflictRunning
			}
		}
	}
	de.Podman = c.IsPodman()
	if in, err := c.api.Info(ctx); err == nil {
		de.ContainerdStore = containerdStore(in.DriverStatus)
	}
	return de
}

// removeBuildParents removes, from parent down, the images of layerlab's own
// build steps that nothing needs any more: untagged, without other children,
// and recorded in the ledger as made by a layerlab build. It stops at the
// first image that is anything else (the FROM image, a learner's image).
func (c *Client) removeBuildParents(ctx context.Context, parent string) []string {
	var deleted []string
	for parent != "" && c.isBuildStep(parent) {
		pi, err := c.imageInspect(ctx, parent)
		if err != nil || len(pi.RepoTags) > 0 {
			break
		}
		resp, err := c.imageRemove(ctx, pi.ID, image.RemoveOptions{PruneChildren: false})
		if err != nil {
			break // another image is built on it: it stays
		}
		c.ledger.RemoveImage(c.endpoint.Host, pi.ID)
		for _, r := range resp {
			if r.Deleted != "" {
				deleted = append(deleted, r.Deleted)
			}
		}
		//lint:ignore SA1019 as above: the legacy builder's step images are chained by Parent only.
		parent = pi.Parent
	}
	return deleted
}

// isBuildStep reports whether id is the image of one of layerlab's build steps.
func (c *Client) isBuildStep(id string) bool {
	rec, ok := c.ledger.Image(c.endpoint.Host, id)
	return ok && rec.How == "build step"
}

// collect adds one ImageRemove answer to the result.
func (r *RemoveResult) collect(resp []image.DeleteResponse, id string) {
	for _, d := range resp {
		if d.Untagged != "" {
			r.Untagged = append(r.Untagged, d.Untagged)
		}
		if d.Deleted != "" {
			r.Deleted = append(r.Deleted, d.Deleted)
			if d.Deleted == id {
				r.ImageDeleted = true
			}
		}
	}
}

// chainsInUse are the layer chain ids of every image on the daemon.
func (c *Client) chainsInUse(ctx context.Context) (map[string]bool, error) {
	list, err := c.imageList(ctx, image.ListOptions{All: true})
	if err != nil {
		return nil, c.classify(err, "list images")
	}
	used := map[string]bool{}
	for _, s := range list {
		insp, err := c.imageInspect(ctx, s.ID)
		if err != nil {
			continue // removed meanwhile
		}
		for _, ch := range ChainIDs(insp.RootFS.Layers) {
			used[ch] = true
		}
	}
	return used, nil
}
