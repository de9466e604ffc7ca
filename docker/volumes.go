package docker

import (
	"context"
	"path"
	"sort"
	"strconv"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/volume"
)

// Volume is a named volume, as `docker volume ls` and `docker volume inspect`
// show it: data that lives outside every container's writable layer, kept
// when the containers that used it are removed.
type Volume struct {
	Name, Driver string
	// Mountpoint is where the engine keeps its data (under its data root).
	Mountpoint string
	// CreatedAt is the daemon's creation time, as it says it (RFC 3339).
	CreatedAt string
	Labels    map[string]string
	// Owned: layerlab created it (its ledger has this name, with the
	// operation label and the creation time the daemon gave it); Lesson is
	// the lesson that did.
	Owned  bool
	Lesson string
	// UsedBy are the names of the containers (running or not) that mount it.
	UsedBy []string
}

// Mount is one -v of `docker run`: a named volume (Volume) or, for a bind
// mount, a folder of this machine (Source, an absolute path), at Target in
// the container.
type Mount struct {
	Volume, Source, Target string
}

// Bind reports whether the mount is a folder of the host (a bind mount).
func (m Mount) Bind() bool { return m.Source != "" }

// String is the mount as docker run -v takes it.
func (m Mount) String() string {
	if m.Bind() {
		return m.Source + ":" + m.Target
	}
	return m.Volume + ":" + m.Target
}

// ParseMount reads docker run's -v SOURCE:TARGET: a SOURCE that is a path
// (starts with /, ./ or ~, or is . or ..) is a folder of the host, any
// other a volume's name. Only the two-part form, and no options (:ro), is
// taught.
func ParseMount(s string) (Mount, error) {
	src, dst, ok := strings.Cut(s, ":")
	bad := &Error{Kind: KindBadMount, Op: "-v " + s, Name: s}
	if !ok || src == "" || !strings.HasPrefix(dst, "/") || strings.Contains(dst, ":") {
		return Mount{}, bad
	}
	if hostPath(src) {
		return Mount{Source: src, Target: path.Clean(dst)}, nil
	}
	if !ValidVolumeName(src) {
		return Mount{}, bad
	}
	return Mount{Volume: src, Target: path.Clean(dst)}, nil
}

func hostPath(s string) bool {
	return strings.HasPrefix(s, "/") || strings.HasPrefix(s, ".") || strings.HasPrefix(s, "~")
}

// ValidVolumeName is Docker's rule for a volume's name: a letter or digit,
// then letters, digits, _ . or -.
func ValidVolumeName(s string) bool {
	if s == "" || len(s) > 255 {
		return false
	}
	for i, r := range s {
		alnum := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if !alnum && (i == 0 || r != '_' && r != '.' && r != '-') {
			return false
		}
	}
	return true
}

// CreateVolume makes a named volume (`docker volume create NAME`) and
// records it in the ledger by name and the operation's label (a random id):
// a volume of the same name made later by the learner is not layerlab's. A name the learner's volume has is refused
// (KindNotOwned, NotOwnedVolume): docker volume create would answer with
// the learner's volume, and layerlab would then write into it. Creating a
// volume layerlab already has returns it.
func (c *Client) CreateVolume(ctx context.Context, name, lesson string) (Volume, error) {
	op := "volume create " + name
	if !ValidVolumeName(name) {
		return Volume{}, &Error{Kind: KindBadMount, Op: op, Name: name}
	}
	if insp, err := c.api.VolumeInspect(ctx, name); err == nil {
		if c.learner {
			return c.volume(insp, nil), nil
		}
		if _, ok := c.ownsVolume(insp); ok {
			return c.volume(insp, nil), nil
		}
		return Volume{}, &Error{Kind: KindNotOwned, Op: op, Name: name, NotOwned: NotOwnedVolume}
	} else if !cerrdefs.IsNotFound(err) {
		return Volume{}, c.classify(err, op)
	}
	if err := c.roomForVolume(ctx, op); err != nil {
		return Volume{}, err
	}
	labels, opID := c.opLabels(lesson)
	host := c.endpoint.Host
	if !c.learner {
		c.ledger.AddVolume(host, Record{Name: name, Op: opID, Lesson: lesson, How: "volume create"})
	}
	v, err := c.api.VolumeCreate(ctx, volume.CreateOptions{Name: name, Labels: labels})
	if err != nil {
		if !c.learner && KindOf(c.classify(err, op)) != KindInterrupted {
			c.ledger.RemoveVolume(host, name, opID)
		}
		return Volume{}, c.classify(err, op)
	}
	if c.learner {
		return c.volume(v, nil), nil
	}
	if v.Labels[LabelOp] != opID {
		// The learner made a volume of that name in the meantime: the
		// daemon answered with theirs.
		c.ledger.RemoveVolume(host, name, opID)
		return Volume{}, &Error{Kind: KindNotOwned, Op: op, Name: name, NotOwned: NotOwnedVolume}
	}
	c.ledger.AddVolume(host, Record{Name: name, Op: opID, CreatedAt: v.CreatedAt, Lesson: lesson, How: "volume create"})
	out := c.volume(v, nil)
	out.Owned, out.Lesson = true, lesson
	return out, nil
}

// FreeVolumeName is name if layerlab may create (or reuse) a volume with
// it: no volume has it, or layerlab's does. Else the first free one of
// name-2, name-3, …: a lesson never writes into a volume of the learner's.
func (c *Client) FreeVolumeName(ctx context.Context, name string) (string, error) {
	for i := 1; i < 100; i++ {
		try := name
		if i > 1 {
			try = name + "-" + strconv.Itoa(i)
		}
		insp, err := c.api.VolumeInspect(ctx, try)
		if cerrdefs.IsNotFound(err) {
			return try, nil
		}
		if err != nil {
			return name, c.classify(err, "volume inspect "+try)
		}
		if _, ok := c.ownsVolume(insp); ok {
			return try, nil
		}
	}
	return name, &Error{Kind: KindNotOwned, Op: "volume create", Name: name, NotOwned: NotOwnedVolume}
}

// RemoveVolume removes a volume layerlab created (`docker volume rm NAME`),
// never forced: one a container still mounts is the daemon's refusal
// (KindConflict, ConflictVolumeInUse, Container: a container that mounts
// it). A volume that is not layerlab's is refused (KindNotOwned), except
// for the learner's own commands (AsLearner).
func (c *Client) RemoveVolume(ctx context.Context, name string) error {
	op := "volume rm " + name
	insp, err := c.api.VolumeInspect(ctx, name)
	if err != nil {
		e := c.classify(err, op)
		if ee, ok := e.(*Error); ok && ee.Kind == KindNotFound {
			ee.Absent, ee.Name = AbsentVolume, name
		}
		return e
	}
	rec, owned := c.ownsVolume(insp)
	if !c.learner && !owned {
		return &Error{Kind: KindNotOwned, Op: op, Name: name, NotOwned: NotOwnedVolume}
	}
	if err := c.api.VolumeRemove(ctx, name, false); err != nil {
		if cerrdefs.IsConflict(err) || strings.Contains(strings.ToLower(err.Error()), "in use") {
			e := &Error{Kind: KindConflict, Op: op, Name: name, Conflict: ConflictVolumeInUse, Detail: err.Error(), Err: err}
			if users, uerr := c.volumeUsers(ctx); uerr == nil && len(users[name]) > 0 {
				e.Container = users[name][0]
			}
			return e
		}
		e := c.classify(err, op)
		if KindOf(e) == KindNotFound && owned {
			c.ledger.RemoveVolume(c.endpoint.Host, name, rec.Op)
		}
		return e
	}
	if owned {
		c.ledger.RemoveVolume(c.endpoint.Host, name, rec.Op)
	}
	return nil
}

// Volumes lists the daemon's volumes (`docker volume ls`), by name, each
// marked Owned when layerlab created it, with the containers that mount it.
func (c *Client) Volumes(ctx context.Context) ([]Volume, error) {
	resp, err := c.api.VolumeList(ctx, volume.ListOptions{})
	if err != nil {
		return nil, c.classify(err, "volume ls")
	}
	users, err := c.volumeUsers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Volume, 0, len(resp.Volumes))
	for _, v := range resp.Volumes {
		if v != nil {
			out = append(out, c.volume(*v, users[v.Name]))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// InspectVolume is one volume, as `docker volume inspect NAME` shows it.
func (c *Client) InspectVolume(ctx context.Context, name string) (Volume, error) {
	insp, err := c.api.VolumeInspect(ctx, name)
	if err != nil {
		e := c.classify(err, "volume inspect "+name)
		if ee, ok := e.(*Error); ok && ee.Kind == KindNotFound {
			ee.Absent, ee.Name = AbsentVolume, name
		}
		return Volume{}, e
	}
	users, err := c.volumeUsers(ctx)
	if err != nil {
		return Volume{}, err
	}
	return c.volume(insp, users[name]), nil
}

// OwnedVolumes are the volumes layerlab created that are still there, for
// one lesson or all ("").
func (c *Client) OwnedVolumes(ctx context.Context, lesson string) ([]Volume, error) {
	all, err := c.Volumes(ctx)
	if err != nil {
		return nil, err
	}
	var out []Volume
	for _, v := range all {
		if v.Owned && (lesson == "" || v.Lesson == lesson) {
			out = append(out, v)
		}
	}
	return out, nil
}

func (c *Client) volume(v volume.Volume, users []string) Volume {
	out := Volume{Name: v.Name, Driver: v.Driver, Mountpoint: v.Mountpoint, CreatedAt: v.CreatedAt, Labels: v.Labels, UsedBy: users}
	if rec, ok := c.ownsVolume(v); ok {
		out.Owned, out.Lesson = true, rec.Lesson
	}
	return out
}

// ownsVolume finds the ledger's record of a volume: its name and the
// operation label layerlab set on it (a random id of that create) agree.
// A volume has no id: the name alone would take the learner's volume made
// under a name layerlab used before, and labels alone one the learner made
// with them. The daemon's CreatedAt is no identity either: Docker 20.10
// reads it from its folder, which the first mount changes.
func (c *Client) ownsVolume(v volume.Volume) (Record, bool) {
	if c.ledger == nil || v.Labels[LabelOp] == "" {
		return Record{}, false
	}
	for _, rec := range c.ledger.Volumes(c.endpoint.Host, "") {
		if rec.Name == v.Name && rec.Op == v.Labels[LabelOp] {
			return rec, true
		}
	}
	return Record{}, false
}

// volumeUsers maps each volume's name to the containers that mount it.
func (c *Client) volumeUsers(ctx context.Context) (map[string][]string, error) {
	list, err := c.api.ContainerList(ctx, container.ListOptions{All: true, Filters: filters.NewArgs()})
	if err != nil {
		return nil, c.classify(err, "list containers")
	}
	users := map[string][]string{}
	for _, s := range list {
		name := s.ID
		if len(s.Names) > 0 {
			name = strings.TrimPrefix(s.Names[0], "/")
		}
		for _, m := range s.Mounts {
			if m.Type == mount.TypeVolume && m.Name != "" {
				users[m.Name] = append(users[m.Name], name)
			}
		}
	}
	return users, nil
}

// mounts turns a run's -v into the daemon's mounts, with layerlab's rules: a
// bind mount only where the client's Limits allow folders of the host, and
// for a lesson's step (not the learner's own command) only volumes layerlab
// created (a volume of the learner's is never written to, and a name that
// is no volume is not made behind the ledger's back).
func (c *Client) mounts(ctx context.Context, op string, vs []Mount) ([]mount.Mount, error) {
	var out []mount.Mount
	for _, m := range vs {
		if !strings.HasPrefix(m.Target, "/") || (m.Volume == "") == (m.Source == "") {
			return nil, &Error{Kind: KindBadMount, Op: op, Name: m.String()}
		}
		if m.Bind() {
			if c.Limits().NoBindMounts {
				return nil, &Error{Kind: KindHostMount, Op: op, Name: m.Source}
			}
			if !path.IsAbs(m.Source) {
				return nil, &Error{Kind: KindBadMount, Op: op, Name: m.String()}
			}
			out = append(out, mount.Mount{Type: mount.TypeBind, Source: m.Source, Target: m.Target})
			continue
		}
		if !ValidVolumeName(m.Volume) {
			return nil, &Error{Kind: KindBadMount, Op: op, Name: m.String()}
		}
		insp, err := c.api.VolumeInspect(ctx, m.Volume)
		switch {
		case err != nil && !cerrdefs.IsNotFound(err):
			return nil, c.classify(err, op)
		case err != nil && !c.learner:
			return nil, &Error{Kind: KindNotFound, Op: op, Name: m.Volume, Absent: AbsentVolume}
		case err != nil:
			// The learner's run makes the volume, as docker run -v does.
			if err := c.roomForVolume(ctx, op); err != nil {
				return nil, err
			}
		case !c.learner:
			if _, ok := c.ownsVolume(insp); !ok {
				return nil, &Error{Kind: KindNotOwned, Op: op, Name: m.Volume, NotOwned: NotOwnedVolume}
			}
		}
		out = append(out, mount.Mount{Type: mount.TypeVolume, Source: m.Volume, Target: m.Target})
	}
	return out, nil
}

// VolumeInspectJSON is `docker volume inspect NAME` as the CLI prints it:
// the daemon's own JSON, in a list, indented as the CLI indents it.
func (c *Client) VolumeInspectJSON(ctx context.Context, name string) ([]byte, error) {
	_, raw, err := c.api.VolumeInspectWithRaw(ctx, name)
	if err != nil {
		e := c.classify(err, "volume inspect "+name)
		if ee, ok := e.(*Error); ok && ee.Kind == KindNotFound {
			ee.Absent, ee.Name = AbsentVolume, name
		}
		return nil, e
	}
	return cliInspectJSON(raw)
}
