package docker

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
)

// ItemKind is what a cleanup item is.
type ItemKind string

const (
	ItemContainer ItemKind = "container"
	// ItemTag is a tag layerlab set; removing the last tag of an image deletes it.
	ItemTag ItemKind = "tag"
	// ItemImage is an untagged image layerlab built or committed.
	ItemImage ItemKind = "image"
	// ItemVolume is a named volume layerlab created.
	ItemVolume ItemKind = "volume"
)

// CleanupItem is one thing layerlab made and cleanup would remove.
type CleanupItem struct {
	Kind   ItemKind
	Name   string // container name, tag, or short image id
	ID     string // container or image id
	Size   int64  // image size; 0 for containers
	Lesson string
	How    string // pull, commit, build, tag; the container's state for containers
	Image  string // for containers, the image they run
	// OtherTags are tags that keep naming the image after this one goes: then
	// removing the tag deletes nothing.
	OtherTags []string
	// Unrecorded items carry layerlab's labels but are not in its records (its
	// state was lost, or the learner made them from a lesson image): they may
	// be the learner's, and are removed only when named one by one.
	Unrecorded bool
}

// Kept is something of layerlab's that cleanup leaves alone, and why.
type Kept struct {
	Name, ID string
	Why      KeptReason
	// Tags are the learner's tags that keep an image (KeptTheirTags).
	Tags []string
}

// KeptReason is why cleanup leaves something of layerlab's alone.
type KeptReason int

const (
	// KeptTagMoved: the tag layerlab set names another image now.
	KeptTagMoved KeptReason = iota + 1
	// KeptTheirTags: an image layerlab made carries tags the learner set.
	KeptTheirTags
	// KeptVolumeInUse: a volume layerlab created is mounted by containers
	// that stay (Tags: their names), the learner's: the volume stays too.
	KeptVolumeInUse
)

// CleanupPlan is what `layerlab cleanup` would remove, in the order it would.
type CleanupPlan struct {
	Host   string
	Lesson string // "" for every lesson
	Items  []CleanupItem
	Kept   []Kept
	// Unrecorded are what carries layerlab's labels without being in its
	// records: listed as "not recorded: may be yours", removed only by Adopt.
	Unrecorded []CleanupItem
	// stale are ledger records whose object is gone or names another image now.
	stale []Record
}

// Empty reports whether there is nothing to remove.
func (p CleanupPlan) Empty() bool { return len(p.Items) == 0 }

// Count is how many items of a kind the plan has.
func (p CleanupPlan) Count(k ItemKind) int {
	n := 0
	for _, it := range p.Items {
		if it.Kind == k {
			n++
		}
	}
	return n
}

// Adopt moves the unrecorded items the learner named one by one (a container
// name, an image id or a prefix of one of at least 12 digits, or a tag) into
// the items to remove. It returns the names that matched nothing unrecorded.
func (p CleanupPlan) Adopt(names []string) (CleanupPlan, []string) {
	var missing []string
	taken := map[int]bool{}
	for _, n := range names {
		found := false
		for i, it := range p.Unrecorded {
			if taken[i] || !it.answersTo(n) {
				continue
			}
			taken[i], found = true, true
		}
		if !found {
			missing = append(missing, n)
		}
	}
	var rest []CleanupItem
	for i, it := range p.Unrecorded {
		if taken[i] {
			p.Items = append(p.Items, it)
		} else {
			rest = append(rest, it)
		}
	}
	p.Unrecorded = rest
	return p, missing
}

// answersTo reports whether the learner's word n names this item exactly.
func (it CleanupItem) answersTo(n string) bool {
	id := strings.TrimPrefix(it.ID, "sha256:")
	return n == it.Name || n == it.ID || len(strings.TrimPrefix(n, "sha256:")) >= 12 && strings.HasPrefix(id, strings.TrimPrefix(n, "sha256:")) ||
		slices.Contains(it.OtherTags, n)
}

// PlanCleanup lists what layerlab made on this daemon, by its ledger, for one
// lesson or all (""): its containers, the tags it set that still name what it
// tagged, and the images it made that no tag names (nor any image that
// stays is built on). What carries its labels without being recorded is
// listed apart (Unrecorded). Nothing is changed.
func (c *Client) PlanCleanup(ctx context.Context, lesson string) (CleanupPlan, error) {
	host := c.endpoint.Host
	p := CleanupPlan{Host: host, Lesson: lesson}
	cts, err := c.OwnedContainers(ctx, lesson)
	if err != nil {
		return p, err
	}
	for _, ct := range cts {
		p.Items = append(p.Items, CleanupItem{Kind: ItemContainer, Name: ct.Name, ID: ct.ID,
			Lesson: ct.Lesson, How: ct.State, Image: ct.Image})
	}
	for _, rec := range c.ledger.Records(host, lesson) {
		insp, err := c.imageInspect(ctx, rec.Tag)
		if err != nil {
			if isNotFound(err) {
				p.stale = append(p.stale, rec)
				continue
			}
			return p, c.classify(err, "inspect "+rec.Tag)
		}
		own := c.ownership(insp)
		if !own.Removable(rec.Tag, false) {
			p.stale = append(p.stale, rec)
			p.Kept = append(p.Kept, Kept{Name: rec.Tag, ID: insp.ID, Why: KeptTagMoved})
			continue
		}
		var others []string
		for _, t := range insp.RepoTags {
			if t = Familiar(t); t != rec.Tag {
				others = append(others, t)
			}
		}
		p.Items = append(p.Items, CleanupItem{Kind: ItemTag, Name: rec.Tag, ID: insp.ID, Size: insp.Size,
			Lesson: rec.Lesson, How: rec.How, OtherTags: others})
	}
	all, err := c.imageList(ctx, image.ListOptions{All: true})
	if err != nil {
		return p, c.classify(err, "list images")
	}
	c.planImages(&p, all, lesson)
	if err := c.planUnrecorded(ctx, &p, all, lesson); err != nil {
		return p, err
	}
	if err := c.planVolumes(ctx, &p, lesson); err != nil {
		return p, err
	}
	return p, nil
}

// planVolumes adds the volumes layerlab created (by name, op label and
// creation time: a volume the learner made under the same name, even with
// the same labels, is not one) after the containers: a volume that a
// container which stays mounts (the learner's, or another lesson's) is
// kept, with their names. Volumes with layerlab's label and no record are
// listed apart, removed only when named.
func (c *Client) planVolumes(ctx context.Context, p *CleanupPlan, lesson string) error {
	vols, err := c.Volumes(ctx)
	if err != nil {
		return err
	}
	going := map[string]bool{}
	for _, it := range p.Items {
		if it.Kind == ItemContainer {
			going[it.Name] = true
		}
	}
	there := map[string]bool{}
	for _, v := range vols {
		if !v.Owned {
			if v.Labels[LabelOwned] == "true" && (lesson == "" || v.Labels[LabelLesson] == lesson) {
				p.Unrecorded = append(p.Unrecorded, CleanupItem{Kind: ItemVolume, Name: v.Name, ID: v.Name,
					Lesson: v.Labels[LabelLesson], How: "not recorded", Unrecorded: true})
			}
			continue
		}
		there[v.Name] = true
		if lesson != "" && v.Lesson != lesson {
			continue
		}
		var staying []string
		for _, u := range v.UsedBy {
			if !going[u] {
				staying = append(staying, u)
			}
		}
		if len(staying) > 0 {
			p.Kept = append(p.Kept, Kept{Name: v.Name, ID: v.Name, Why: KeptVolumeInUse, Tags: staying})
			continue
		}
		p.Items = append(p.Items, CleanupItem{Kind: ItemVolume, Name: v.Name, ID: v.Name, Lesson: v.Lesson, How: "volume create"})
	}
	for _, rec := range c.ledger.Volumes(c.endpoint.Host, lesson) {
		if !there[rec.Name] && (rec.CreatedAt != "" || time.Since(rec.At) > pendingFor) {
			p.stale = append(p.stale, rec) // gone, or a volume of that name is not ours
		}
	}
	return nil
}

// planImages adds the images layerlab made (commits, builds, build steps)
// that are left over (a failed build, a rebuild that moved the tag, a
// commit whose tag was removed): untagged, and with no child that stays.
// Newest first, so children go before their parents. One the learner tagged
// is kept, with the reason.
func (c *Client) planImages(p *CleanupPlan, all []image.Summary, lesson string) {
	recs := c.ledger.Images(c.endpoint.Host, lesson)
	byShort := map[string]image.Summary{}
	children := map[string][]string{}
	for _, s := range all {
		byShort[ShortID(s.ID)] = s
		if s.ParentID != "" {
			children[ShortID(s.ParentID)] = append(children[ShortID(s.ParentID)], ShortID(s.ID))
		}
	}
	going := map[string]bool{}
	tagsGoing := map[string][]string{}
	for _, it := range p.Items {
		if it.Kind == ItemTag {
			tagsGoing[ShortID(it.ID)] = append(tagsGoing[ShortID(it.ID)], it.Name)
		}
	}
	// A child can have its parent's second (Podman's build steps often do):
	// then the deeper one, the child, goes first.
	depth := func(id string) int {
		n := 0
		for s, ok := byShort[id]; ok && s.ParentID != "" && n < 1000; s, ok = byShort[ShortID(s.ParentID)] {
			n++
		}
		return n
	}
	sort.SliceStable(recs, func(i, j int) bool {
		a, b := ShortID(recs[i].ImageID), ShortID(recs[j].ImageID)
		if byShort[a].Created != byShort[b].Created {
			return byShort[a].Created > byShort[b].Created
		}
		return depth(a) > depth(b)
	})
	for _, rec := range recs {
		id := ShortID(rec.ImageID)
		s, ok := byShort[id]
		if !ok {
			p.stale = append(p.stale, rec)
			continue
		}
		var theirs []string
		for _, t := range s.RepoTags {
			if t = Familiar(t); t != "<none>:<none>" && !slices.Contains(tagsGoing[id], t) {
				theirs = append(theirs, t)
			}
		}
		if len(theirs) > 0 {
			if rec.How != "build step" {
				p.Kept = append(p.Kept, Kept{Name: id, ID: s.ID, Why: KeptTheirTags, Tags: theirs})
			}
			continue
		}
		if len(tagsGoing[id]) > 0 {
			going[id] = true // removing its last tag deletes it
			continue
		}
		stays := false
		for _, ch := range children[id] {
			if !going[ch] {
				stays = true
			}
		}
		if stays {
			continue
		}
		going[id] = true
		p.Items = append(p.Items, CleanupItem{Kind: ItemImage, Name: id, ID: s.ID, Size: s.Size, Lesson: rec.Lesson, How: rec.How})
	}
}

// planUnrecorded lists the containers and images that carry layerlab's label
// but are not in its records: made before the records were lost, or made by
// the learner from a lesson image (Docker copies labels). Images that layerlab
// would remove anyway (a tag of its own names them) are not listed.
func (c *Client) planUnrecorded(ctx context.Context, p *CleanupPlan, all []image.Summary, lesson string) error {
	f := filters.NewArgs(filters.Arg("label", LabelOwned+"=true"))
	if lesson != "" {
		f.Add("label", LabelLesson+"="+lesson)
	}
	cts, err := c.api.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	if err != nil {
		return c.classify(err, "list containers")
	}
	for _, ct := range c.fromSummaries(cts) {
		if !ct.Owned {
			p.Unrecorded = append(p.Unrecorded, CleanupItem{Kind: ItemContainer, Name: ct.Name, ID: ct.ID,
				Lesson: ct.Labels[LabelLesson], How: ct.State, Image: ct.Image, Unrecorded: true})
		}
	}
	planned := map[string]bool{}
	for _, it := range p.Items {
		planned[ShortID(it.ID)] = true
	}
	for _, s := range all {
		if s.Labels[LabelOwned] != "true" || lesson != "" && s.Labels[LabelLesson] != lesson ||
			planned[ShortID(s.ID)] || c.ledger.HasImage(c.endpoint.Host, s.ID) {
			continue
		}
		var tags []string
		for _, t := range s.RepoTags {
			if t != "<none>:<none>" {
				tags = append(tags, Familiar(t))
			}
		}
		p.Unrecorded = append(p.Unrecorded, CleanupItem{Kind: ItemImage, Name: ShortID(s.ID), ID: s.ID, Size: s.Size,
			Lesson: s.Labels[LabelLesson], How: "not recorded", OtherTags: tags, Unrecorded: true})
	}
	return nil
}

func isNotFound(err error) bool {
	return KindOf(classifyMessage(err, "")) == KindNotFound
}

// CleanupResult is what one item's removal did.
type CleanupResult struct {
	Item CleanupItem
	// Removed is what the daemon reported for an image or tag.
	Removed RemoveResult
	Err     error
}

// Cleanup removes the plan's items in order (containers, then tags, then
// images) and reports each through onItem. It never forces an image
// removal: an image a container of the learner's uses stays, with the reason.
// Every item is checked again when it is removed: only what is still
// layerlab's goes, and an unrecorded item only if it still carries the label.
func (c *Client) Cleanup(ctx context.Context, p CleanupPlan, onItem func(CleanupResult)) []CleanupResult {
	var out []CleanupResult
	for _, r := range p.stale {
		switch r.Kind {
		case RecordTag:
			c.ledger.Remove(p.Host, r.Tag)
		case RecordImage:
			c.ledger.RemoveImage(p.Host, r.ImageID)
		case RecordVolume:
			c.ledger.RemoveVolume(p.Host, r.Name, r.Op)
		}
	}
	sort.SliceStable(p.Items, func(i, j int) bool { return itemOrder(p.Items[i]) < itemOrder(p.Items[j]) })
	for _, it := range p.Items {
		r := CleanupResult{Item: it}
		switch {
		case it.Unrecorded:
			r.Removed, r.Err = c.removeUnrecorded(ctx, it)
		case it.Kind == ItemContainer:
			r.Err = c.RemoveContainer(ctx, it.ID)
		case it.Kind == ItemTag:
			r.Removed, r.Err = c.RemoveImage(ctx, it.Name, false)
		case it.Kind == ItemImage:
			r.Removed, r.Err = c.RemoveImage(ctx, it.ID, false)
		case it.Kind == ItemVolume:
			r.Err = c.RemoveVolume(ctx, it.Name)
			if KindOf(r.Err) == KindNotFound {
				r.Err = nil // gone already: what cleanup wanted
			}
		}
		if KindOf(r.Err) == KindNotFound && it.Kind != ItemContainer && it.Kind != ItemVolume {
			// Gone already, e.g. removed with the image built on it: what cleanup wanted.
			if it.Kind == ItemTag {
				c.ledger.Remove(p.Host, it.Name)
			} else {
				c.ledger.RemoveImage(p.Host, it.ID)
			}
			r.Err = nil
		}
		out = append(out, r)
		if onItem != nil {
			onItem(r)
		}
		if ctx.Err() != nil {
			break
		}
	}
	return out
}

// itemOrder puts containers first, then tags, then images (as planned).
func itemOrder(it CleanupItem) int {
	switch it.Kind {
	case ItemContainer:
		return 0
	case ItemTag:
		return 1
	case ItemVolume:
		return 3
	}
	return 2
}

// removeUnrecorded removes an item the learner named although layerlab has no
// record of it: only while it still carries layerlab's label. An image is
// removed by id, never forced: its tags go with it.
func (c *Client) removeUnrecorded(ctx context.Context, it CleanupItem) (RemoveResult, error) {
	res := RemoveResult{Target: it.Name}
	if it.Kind == ItemVolume {
		insp, err := c.api.VolumeInspect(ctx, it.Name)
		if err != nil {
			if cerrdefs.IsNotFound(err) {
				return res, nil
			}
			return res, c.classify(err, "volume rm "+it.Name)
		}
		if insp.Labels[LabelOwned] != "true" {
			return res, &Error{Kind: KindNotOwned, Op: "volume rm " + it.Name, Name: it.Name, NotOwned: NotOwnedVolume}
		}
		return res, c.AsLearner().RemoveVolume(ctx, it.Name)
	}
	if it.Kind == ItemContainer {
		insp, err := c.api.ContainerInspect(ctx, it.ID)
		if err != nil {
			if cerrdefs.IsNotFound(err) {
				return res, nil
			}
			return res, c.classify(err, "remove container "+it.Name)
		}
		if insp.Config == nil || insp.Config.Labels[LabelOwned] != "true" {
			return res, &Error{Kind: KindNotOwned, Op: "remove container " + it.Name, Name: it.Name, NotOwned: NotOwnedContainer}
		}
		return res, c.classify(c.api.ContainerRemove(ctx, insp.ID, container.RemoveOptions{Force: true}), "remove container "+it.Name)
	}
	insp, err := c.imageInspect(ctx, it.ID)
	if err != nil {
		return res, c.classify(err, "remove image "+it.Name)
	}
	if insp.Config == nil || insp.Config.Labels[LabelOwned] != "true" {
		return res, &Error{Kind: KindNotOwned, Op: "remove image " + it.Name, Name: it.Name, NotOwned: NotOwnedImage}
	}
	res.ImageID, res.Tags = insp.ID, insp.RepoTags
	for _, t := range insp.RepoTags {
		resp, err := c.imageRemove(ctx, t, image.RemoveOptions{PruneChildren: false})
		if err != nil {
			return res, c.removeErr(ctx, err, "remove image "+t)
		}
		res.collect(resp, insp.ID)
	}
	if !res.ImageDeleted {
		resp, err := c.imageRemove(ctx, insp.ID, image.RemoveOptions{PruneChildren: false})
		if err != nil {
			return res, c.removeErr(ctx, err, "remove image "+it.Name)
		}
		res.collect(resp, insp.ID)
	}
	return res, nil
}
