package docker

import (
	"context"
	"sort"
	"strings"

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
}

// Kept is something with layerlab's label that cleanup leaves alone, and why.
type Kept struct {
	Name, ID string
	Why      string
}

// CleanupPlan is what `layerlab cleanup` would remove, in the order it would.
type CleanupPlan struct {
	Host   string
	Lesson string // "" for every lesson
	Items  []CleanupItem
	Kept   []Kept
	// stale are ledger records whose tag is gone or names another image now.
	stale []string
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

// PlanCleanup lists what layerlab made on this daemon, for one lesson or all
// (""): its containers (by label), the tags in its ledger that still name what
// it tagged, and its labelled images with no tag left. Nothing is changed.
func (c *Client) PlanCleanup(ctx context.Context, lesson string) (CleanupPlan, error) {
	p := CleanupPlan{Host: c.endpoint.Host, Lesson: lesson}
	cts, err := c.OwnedContainers(ctx, lesson)
	if err != nil {
		return p, err
	}
	for _, ct := range cts {
		p.Items = append(p.Items, CleanupItem{Kind: ItemContainer, Name: ct.Name, ID: ct.ID,
			Lesson: ct.Labels[LabelLesson], How: ct.State, Image: ct.Image})
	}
	for _, rec := range c.ledger.Records(c.endpoint.Host, lesson) {
		insp, err := c.api.ImageInspect(ctx, rec.Tag)
		if err != nil {
			if isNotFound(err) {
				p.stale = append(p.stale, rec.Tag)
				continue
			}
			return p, c.classify(err, "inspect "+rec.Tag)
		}
		own := c.ownership(insp)
		if !own.Removable(rec.Tag, false) {
			p.stale = append(p.stale, rec.Tag)
			p.Kept = append(p.Kept, Kept{Name: rec.Tag, ID: insp.ID, Why: "names another image than the one layerlab tagged"})
			continue
		}
		var others []string
		for _, t := range insp.RepoTags {
			if t != rec.Tag {
				others = append(others, t)
			}
		}
		p.Items = append(p.Items, CleanupItem{Kind: ItemTag, Name: rec.Tag, ID: insp.ID, Size: insp.Size,
			Lesson: rec.Lesson, How: rec.How, OtherTags: others})
	}
	if err := c.planIntermediates(ctx, &p, lesson); err != nil {
		return p, err
	}
	f := filters.NewArgs(filters.Arg("label", LabelOwned+"=true"))
	if lesson != "" {
		f.Add("label", LabelLesson+"="+lesson)
	}
	list, err := c.api.ImageList(ctx, image.ListOptions{Filters: f})
	if err != nil {
		return p, c.classify(err, "list images")
	}
	tagged := map[string]bool{}
	for _, it := range p.Items {
		if it.Kind == ItemTag {
			tagged[it.Name] = true
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Created > list[j].Created })
	for _, s := range list {
		var theirs []string
		for _, t := range s.RepoTags {
			if t != "<none>:<none>" && !tagged[t] {
				theirs = append(theirs, t)
			}
		}
		switch {
		case len(theirs) > 0:
			p.Kept = append(p.Kept, Kept{Name: ShortID(s.ID), ID: s.ID,
				Why: "also tagged " + strings.Join(theirs, ", ") + ", which layerlab has no record of setting"})
		case !hasTag(s.RepoTags):
			p.Items = append(p.Items, CleanupItem{Kind: ItemImage, Name: ShortID(s.ID), ID: s.ID, Size: s.Size,
				Lesson: s.Labels[LabelLesson], How: "untagged"})
		}
	}
	return p, nil
}

func hasTag(tags []string) bool {
	for _, t := range tags {
		if t != "<none>:<none>" {
			return true
		}
	}
	return false
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
// untagged images) and reports each through onItem. It never forces an image
// removal: an image a container of the learner's uses stays, with the reason.
// Every item is checked again when it is removed: only what is still
// layerlab's goes.
func (c *Client) Cleanup(ctx context.Context, p CleanupPlan, onItem func(CleanupResult)) []CleanupResult {
	var out []CleanupResult
	for _, t := range p.stale {
		c.ledger.Remove(p.Host, t)
	}
	for _, it := range p.Items {
		r := CleanupResult{Item: it}
		switch it.Kind {
		case ItemContainer:
			r.Err = c.RemoveContainer(ctx, it.ID)
		case ItemTag:
			r.Removed, r.Err = c.RemoveImage(ctx, it.Name, false)
		case ItemImage:
			r.Removed, r.Err = c.RemoveImage(ctx, it.ID, false)
		}
		if KindOf(r.Err) == KindNotFound && it.Kind != ItemContainer {
			// Gone already, e.g. removed with the image built on it: what cleanup wanted.
			c.ledger.Remove(p.Host, it.Name)
			c.ledger.RemoveIntermediate(p.Host, it.ID)
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

// planIntermediates adds the images of layerlab's build steps that are left
// over (a failed build, a rebuild that moved the tag): untagged, and with no
// child that stays. Newest first, so children go before their parents.
func (c *Client) planIntermediates(ctx context.Context, p *CleanupPlan, lesson string) error {
	recs := c.ledger.Intermediates(c.endpoint.Host, lesson)
	if len(recs) == 0 {
		return nil
	}
	all, err := c.api.ImageList(ctx, image.ListOptions{All: true})
	if err != nil {
		return c.classify(err, "list images")
	}
	byShort := map[string]image.Summary{}
	children := map[string][]string{}
	for _, s := range all {
		byShort[ShortID(s.ID)] = s
		if s.ParentID != "" {
			children[ShortID(s.ParentID)] = append(children[ShortID(s.ParentID)], ShortID(s.ID))
		}
	}
	going := map[string]bool{}
	for _, it := range p.Items {
		if it.Kind == ItemImage || it.Kind == ItemTag && len(it.OtherTags) == 0 {
			going[ShortID(it.ID)] = true
		}
	}
	for i := len(recs) - 1; i >= 0; i-- {
		id := recs[i].ImageID
		s, ok := byShort[id]
		if !ok {
			p.stale = append(p.stale, recs[i].Tag)
			continue
		}
		if hasTag(s.RepoTags) {
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
		p.Items = append(p.Items, CleanupItem{Kind: ItemImage, Name: id, ID: s.ID, Size: s.Size, Lesson: recs[i].Lesson, How: "build step"})
	}
	return nil
}
