package docker

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
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

// Ownership is what layerlab may do with one image.
type Ownership struct {
	// Labelled images were built or committed by layerlab.
	Labelled bool
	// Intermediate images are a layerlab build's step images (not labelled:
	// the builder adds the label in the last step).
	Intermediate bool
	// Ours are the image's tags layerlab set (in the ledger and still naming
	// what layerlab tagged); Theirs the others.
	Ours, Theirs []string
}

// Removable reports whether layerlab may remove target (a tag or an id) of
// this image: a tag only if it is one of Ours; an id only if every tag is
// Ours and, when no tag is left, the image carries layerlab's label.
func (o Ownership) Removable(target string, byID bool) bool {
	if !byID {
		for _, t := range o.Ours {
			if t == target {
				return true
			}
		}
		return false
	}
	if len(o.Theirs) > 0 {
		return false
	}
	return len(o.Ours) > 0 || o.Labelled || o.Intermediate
}

// ownership decides, from the ledger and the image's label, which tags are layerlab's.
func (c *Client) ownership(insp image.InspectResponse) Ownership {
	o := Ownership{}
	if insp.Config != nil {
		o.Labelled = insp.Config.Labels[LabelOwned] == "true"
	}
	o.Intermediate = c.ledger.IsIntermediate(c.endpoint.Host, insp.ID)
	for _, t := range insp.RepoTags {
		rec, ok := c.ledger.Lookup(c.endpoint.Host, t)
		if ok && (rec.ImageID == insp.ID || o.Labelled) {
			o.Ours = append(o.Ours, t)
		} else {
			o.Theirs = append(o.Theirs, t)
		}
	}
	return o
}

// recordTag notes in the ledger that layerlab set tag to id, unless the tag
// named an image of the learner's before: it existed, and neither the ledger
// nor the image's label says layerlab made what it named.
// It reports whether it recorded. An empty id is a pending record: the
// labelled image the call is making will be layerlab's whatever its id.
func (c *Client) recordTag(ctx context.Context, tag, id, lesson, how string, existed bool, prevID string) bool {
	if existed {
		rec, ok := c.ledger.Lookup(c.endpoint.Host, tag)
		if !ok || (rec.ImageID != prevID && rec.ImageID != "") {
			insp, err := c.api.ImageInspect(ctx, prevID)
			if err != nil || insp.Config == nil || insp.Config.Labels[LabelOwned] != "true" {
				return false
			}
		}
	}
	c.ledger.Add(Record{Host: c.endpoint.Host, Tag: tag, ImageID: id, Lesson: lesson, How: how, At: time.Now().UTC()})
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
	ok, id, err := c.Exists(ctx, src)
	if err != nil {
		return res, err
	}
	if !ok {
		return res, &Error{Kind: KindNotFound, Op: op, Detail: "no image " + src + " on this daemon"}
	}
	existed, prev, err := c.Exists(ctx, dst.Full())
	if err != nil {
		return res, err
	}
	res.ImageID, res.PreviousID = id, prev
	if err := c.api.ImageTag(ctx, id, dst.Full()); err != nil {
		return res, c.classify(err, op)
	}
	c.recordTag(ctx, dst.String(), id, lesson, "tag", existed, prev)
	return res, nil
}

// ClaimName refuses (KindNotOwned) to give ref to a new image when it names
// an image of the learner's now: tagging, committing or building with that
// name would take it from their image (which would stay, as <none>). A name
// that is free, or that names an image layerlab made, may be taken.
func (c *Client) ClaimName(ctx context.Context, ref Ref) error {
	op := "name " + ref.String()
	insp, err := c.api.ImageInspect(ctx, ref.Full())
	if err != nil {
		if cerrdefs.IsNotFound(err) {
			return nil
		}
		return c.classify(err, op)
	}
	own := c.ownership(insp)
	if own.Labelled || slices.Contains(own.Ours, ref.String()) {
		return nil
	}
	return &Error{Kind: KindNotOwned, Op: op, Detail: ref.String() + " names an image layerlab did not make (" + ShortID(insp.ID) + ")"}
}

// RemoveImage runs `docker rmi [-f] target` for an image layerlab made, and
// refuses (KindNotOwned) any other: target is a tag layerlab set, or an id of
// an image whose tags are all layerlab's. The result tells which tags went and
// which layers were deleted or kept.
func (c *Client) RemoveImage(ctx context.Context, target string, force bool) (RemoveResult, error) {
	op := "remove image " + target
	res := RemoveResult{Target: target}
	insp, err := c.api.ImageInspect(ctx, target)
	if err != nil {
		if cerrdefs.IsNotFound(err) {
			return res, &Error{Kind: KindNotFound, Op: op, Detail: "no image " + target + " on this daemon: it is already gone"}
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
	if !own.Removable(tag, byID) {
		detail := target + " was not made by layerlab"
		if byID && len(own.Theirs) > 0 {
			detail = target + " is also tagged " + strings.Join(own.Theirs, ", ") + ", which layerlab did not make"
		}
		return res, &Error{Kind: KindNotOwned, Op: op, Detail: detail}
	}
	if stack, err := c.Stack(ctx, insp.ID); err == nil {
		res.Stack = stack
	}
	// No pruning of parents: the CLI's default (prune) also deletes the untagged
	// images an image was made from, which may be the learner's (a tag a pull
	// moved away). layerlab deletes the one image it was asked to, nothing more.
	resp, err := c.api.ImageRemove(ctx, target, image.RemoveOptions{Force: force, PruneChildren: false})
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
		}
	}
	if deleted[insp.ID] {
		c.ledger.RemoveIntermediate(c.endpoint.Host, insp.ID)
	}
	res.ImageDeleted = deleted[insp.ID]
	if res.ImageDeleted {
		res.Deleted = append(res.Deleted, c.removeBuildParents(ctx, insp.Parent)...)
	}
	diffIDs := insp.RootFS.Layers
	chains := ChainIDs(diffIDs)
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

// isIDOf reports whether target is (a prefix of) the image id rather than a name.
func isIDOf(target, id string) bool {
	return LooksLikeID(target) &&
		strings.HasPrefix(strings.TrimPrefix(id, "sha256:"), strings.TrimPrefix(target, "sha256:"))
}

var conflictContainer = regexp.MustCompile(`container ([0-9a-f]{12,64})`)

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
		}
	}
	return de
}

// removeBuildParents removes, from parent down, the images of layerlab's own
// build steps that nothing needs any more: untagged, without other children,
// and recorded in the ledger as made by a layerlab build. It stops at the
// first image that is anything else (the FROM image, a learner's image).
func (c *Client) removeBuildParents(ctx context.Context, parent string) []string {
	var deleted []string
	for parent != "" && c.ledger.IsIntermediate(c.endpoint.Host, parent) {
		pi, err := c.api.ImageInspect(ctx, parent)
		if err != nil || len(pi.RepoTags) > 0 {
			break
		}
		resp, err := c.api.ImageRemove(ctx, pi.ID, image.RemoveOptions{PruneChildren: false})
		if err != nil {
			break // another image is built on it: it stays
		}
		c.ledger.RemoveIntermediate(c.endpoint.Host, pi.ID)
		for _, r := range resp {
			if r.Deleted != "" {
				deleted = append(deleted, r.Deleted)
			}
		}
		parent = pi.Parent
	}
	return deleted
}
