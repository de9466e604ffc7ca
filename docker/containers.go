package docker

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/pkg/stdcopy"
)

// ChangeKind is what happened to a path in a container's writable layer.
type ChangeKind int

const (
	Changed ChangeKind = iota
	Added
	Deleted
)

// Letter is how `docker diff` prints the kind: C, A or D.
func (k ChangeKind) Letter() string { return [...]string{"C", "A", "D"}[k] }

// Change is one path a container changed, as `docker diff` shows it.
type Change struct {
	Kind ChangeKind
	Path string
}

// WritableLayer is a container's own thin layer on top of its image.
type WritableLayer struct {
	Container Container
	Size      int64 // bytes written by the container (SizeRw)
	Changes   []Change
}

// ExecResult is the outcome of a command run inside a container.
type ExecResult struct {
	Stdout, Stderr string
	ExitCode       int
}

// RunContainer starts a labelled, named container from image that stays up
// (an interactive shell waiting on its stdin, like `docker run -dit`).
func (c *Client) RunContainer(ctx context.Context, image, name, lesson string) (Container, error) {
	return c.Run(ctx, RunOptions{Image: image, Name: name, Lesson: lesson})
}

// RunOptions are what `docker run -dit [--rm] [--name NAME] IMAGE [CMD...]`
// may say here; nothing of the host can be given to the container.
type RunOptions struct {
	Image, Name, Lesson string
	Cmd                 []string
	AutoRemove          bool
	// KeepName: a name already taken is the daemon's conflict, as with
	// docker run --name (the learner's : line), never a container of
	// layerlab's removed and replaced (a lesson's step).
	KeepName bool
	// Volumes are the run's -v: named volumes (a lesson's step: only
	// layerlab's own) and, where Limits allow, folders of the host.
	Volumes []Mount
}

// Run starts a container that stays up, as RunContainer, with an optional
// command and --rm. Its id goes into the ledger: that, not its label, is what
// makes it layerlab's.
func (c *Client) Run(ctx context.Context, o RunOptions) (Container, error) {
	image, name := o.Image, o.Name
	op := "run " + image
	if err := c.roomForContainer(ctx, op); err != nil {
		return Container{}, err
	}
	mounts, err := c.mounts(ctx, op, o.Volumes)
	if err != nil {
		return Container{}, err
	}
	labels, opID := c.opLabels(o.Lesson)
	cfg := &container.Config{Image: image, Tty: true, OpenStdin: true, Labels: labels, Cmd: o.Cmd}
	// Nothing else from the host: the mounts checked above, no privileges,
	// default network.
	host := &container.HostConfig{AutoRemove: o.AutoRemove, Mounts: mounts}
	resp, err := c.create(ctx, cfg, host, name, o.Lesson, opID)
	if err != nil && name != "" && cerrdefs.IsConflict(err) && !c.learner && !o.KeepName {
		// The name is taken. If layerlab made that container (an earlier run of
		// this step) replace it; a container of the learner's is never touched.
		if rerr := c.RemoveContainer(ctx, name); rerr != nil {
			c.ledger.RemoveContainer(c.endpoint.Host, "", opID)
			return Container{}, rerr
		}
		resp, err = c.create(ctx, cfg, host, name, o.Lesson, opID)
	}
	if err != nil {
		return Container{}, c.classify(err, op)
	}
	if err := c.api.ContainerStart(ctx, resp.ID, container.StartOptions{}); err != nil {
		c.removeOwn(context.WithoutCancel(ctx), resp.ID)
		return Container{}, c.classify(err, op)
	}
	return c.container(ctx, resp.ID)
}

// create makes a container and records it in the ledger: first as pending
// (its op, before the daemon answers), then by id. A refused create leaves
// no record; one whose answer never came keeps the pending record, which
// settlePendingContainers resolves by the op label and name.
func (c *Client) create(ctx context.Context, cfg *container.Config, host *container.HostConfig, name, lesson, opID string) (container.CreateResponse, error) {
	c.ledger.AddContainer(c.endpoint.Host, Record{Name: name, Op: opID, Lesson: lesson, How: "run", Window: c.window})
	resp, err := c.api.ContainerCreate(ctx, cfg, host, nil, nil, name)
	if err != nil {
		if KindOf(c.classify(err, "create")) != KindInterrupted {
			c.ledger.RemoveContainer(c.endpoint.Host, "", opID)
		}
		return resp, err
	}
	c.ledger.AddContainer(c.endpoint.Host, Record{ContainerID: resp.ID, Name: name, Op: opID, Lesson: lesson, How: "run", Window: c.window})
	return resp, nil
}

// FreeContainerName is name if layerlab may create a container with it (no
// container has it, or this client's own does and will be replaced), else
// the first free one of name-2, name-3, …: a lesson never touches a
// container of the learner's that happens to have its container's name, nor
// one another window of layerlab's created.
func (c *Client) FreeContainerName(ctx context.Context, name string) (string, error) {
	for i := 1; i < 100; i++ {
		try := name
		if i > 1 {
			try = name + "-" + strconv.Itoa(i)
		}
		insp, err := c.api.ContainerInspect(ctx, try)
		if cerrdefs.IsNotFound(err) {
			return try, nil
		}
		if err != nil {
			return name, c.classify(err, "inspect container "+try)
		}
		if strings.TrimPrefix(insp.Name, "/") == try && c.ownsContainer(ctx, insp.ID) && c.thisWindows(insp.ID) {
			return try, nil
		}
	}
	return name, &Error{Kind: KindNotOwned, Op: "run", Name: name, NotOwned: NotOwnedContainer}
}

// removeOwn removes a container layerlab just created and forgets it.
func (c *Client) removeOwn(ctx context.Context, id string) {
	if err := c.api.ContainerRemove(ctx, id, container.RemoveOptions{Force: true}); err == nil || cerrdefs.IsNotFound(err) {
		c.ledger.RemoveContainer(c.endpoint.Host, id, "")
	}
}

// settlePendingContainers gives the ledger's pending containers (created, the
// answer lost) their ids: the container with the record's op label and name.
// Records of creates that never happened are dropped after a while.
func (c *Client) settlePendingContainers(list []container.Summary) {
	for _, rec := range c.ledger.Containers(c.endpoint.Host, "") {
		if rec.ContainerID != "" || rec.Op == "" {
			continue
		}
		found := false
		for _, s := range list {
			if s.Labels[LabelOp] != rec.Op || (rec.Name != "" && !slices.Contains(s.Names, "/"+rec.Name)) {
				continue
			}
			rec.ContainerID, found = s.ID, true
			c.ledger.AddContainer(c.endpoint.Host, rec)
			break
		}
		if !found && time.Since(rec.At) > pendingFor {
			c.ledger.RemoveContainer(c.endpoint.Host, "", rec.Op)
		}
	}
}

// pendingFor is how long a pending record waits for its object to appear.
const pendingFor = 10 * time.Minute

func (c *Client) container(ctx context.Context, id string) (Container, error) {
	insp, err := c.api.ContainerInspect(ctx, id)
	if err != nil {
		return Container{}, c.classify(err, "inspect container "+id)
	}
	ct := Container{ID: insp.ID, Name: strings.TrimPrefix(insp.Name, "/"), ImageID: insp.Image}
	if insp.Config != nil {
		ct.Image = insp.Config.Image
		ct.Labels = insp.Config.Labels
		ct.Command = strings.Join(insp.Config.Cmd, " ")
	}
	if insp.State != nil {
		ct.State = string(insp.State.Status)
	}
	if rec, ok := c.ledger.Container(c.endpoint.Host, insp.ID); ok {
		ct.Owned, ct.Lesson = true, rec.Lesson
	}
	return ct, nil
}

// Exec runs cmd with sh -c inside a running container and waits for it.
// It refuses (KindNotOwned) a container layerlab did not create.
func (c *Client) Exec(ctx context.Context, ctr, cmd string) (ExecResult, error) {
	op := "exec in " + ctr
	if err := c.ownContainer(ctx, ctr, op); err != nil {
		return ExecResult{}, err
	}
	ex, err := c.api.ContainerExecCreate(ctx, ctr, container.ExecOptions{
		Cmd: []string{"sh", "-c", cmd}, AttachStdout: true, AttachStderr: true,
	})
	if err != nil {
		return ExecResult{}, c.classify(err, op)
	}
	att, err := c.api.ContainerExecAttach(ctx, ex.ID, container.ExecAttachOptions{})
	if err != nil {
		return ExecResult{}, c.classify(err, op)
	}
	defer att.Close()
	var out, errb bytes.Buffer
	interrupted := func(err error) (ExecResult, error) {
		// The output so far is kept; the command may still be running.
		return ExecResult{Stdout: out.String(), Stderr: errb.String()}, &Error{Kind: KindInterrupted, Op: op, Err: err,
			Detail: "the daemon went away while the command ran: it may still be running in the container, and what it printed after that is lost"}
	}
	if _, err := stdcopy.StdCopy(&out, &errb, att.Reader); err != nil {
		if ctx.Err() == nil {
			return interrupted(err)
		}
		return ExecResult{}, c.classify(err, op)
	}
	insp, err := c.api.ContainerExecInspect(ctx, ex.ID)
	if err != nil {
		if IsConnection(c.classify(err, op)) {
			// The stream ended because the daemon went away, not because
			// the command finished.
			return interrupted(err)
		}
		return ExecResult{}, c.classify(err, op)
	}
	if insp.Running {
		return interrupted(nil)
	}
	res := ExecResult{Stdout: out.String(), Stderr: errb.String(), ExitCode: insp.ExitCode}
	// 126/127 from the runtime itself with this message: the image has no sh.
	if insp.ExitCode == 126 || insp.ExitCode == 127 {
		if s := res.Stdout + res.Stderr; strings.Contains(s, "executable file not found") || strings.Contains(s, "no such file or directory") && strings.Contains(s, "\"sh\"") {
			return res, &Error{Kind: KindNoShell, Op: op, Detail: strings.TrimSpace(s)}
		}
	}
	return res, nil
}

// Writable reads a container's writable layer: its size and changed paths.
func (c *Client) Writable(ctx context.Context, ctr string) (WritableLayer, error) {
	insp, _, err := c.api.ContainerInspectWithRaw(ctx, ctr, true)
	if err != nil {
		return WritableLayer{}, c.classify(err, "inspect container "+ctr)
	}
	ct := Container{ID: insp.ID, Name: strings.TrimPrefix(insp.Name, "/"), ImageID: insp.Image}
	if insp.Config != nil {
		ct.Image, ct.Labels = familiarImage(insp.Config.Image), insp.Config.Labels
	}
	if insp.State != nil {
		ct.State = string(insp.State.Status)
	}
	w := WritableLayer{Container: ct}
	if insp.SizeRw != nil {
		w.Size = *insp.SizeRw
	}
	changes, err := c.api.ContainerDiff(ctx, ctr)
	if err != nil {
		return WritableLayer{}, c.classify(err, "diff "+ctr)
	}
	for _, ch := range changes {
		k := Changed
		switch ch.Kind {
		case container.ChangeAdd:
			k = Added
		case container.ChangeDelete:
			k = Deleted
		}
		w.Changes = append(w.Changes, Change{Kind: k, Path: ch.Path})
	}
	if c.IsPodman() {
		w.Changes = withoutPodmanChanges(w.Changes)
	}
	sort.Slice(w.Changes, func(i, j int) bool { return w.Changes[i].Path < w.Changes[j].Path })
	return w, nil
}

// CommitResult is the image a commit made, and what the tag named before.
type CommitResult struct {
	Ref     Ref
	ImageID string
	// PreviousID is the image the tag named before the commit moved it ("" if none).
	PreviousID string
	// Empty is true when nothing had changed in the container: the commit
	// added an empty layer (0 B), or, NoLayer, none at all (some engines).
	Empty, NoLayer bool
	// Base is the image the container was run from, as it was named
	// (busybox:1.36): the layers the commit is built on, kept when the
	// container is gone.
	Base string
}

// Commit runs `docker commit ctr ref`: the container's writable layer becomes
// one new image layer on top of its image's layers. The image is labelled.
// It refuses (KindNotOwned) a container layerlab did not create: a commit
// pauses the container while it copies its layer.
func (c *Client) Commit(ctx context.Context, ctr string, ref Ref, lesson string) (CommitResult, error) {
	op := "commit " + ctr
	res := CommitResult{Ref: ref}
	if err := c.ownContainer(ctx, ctr, op); err != nil {
		return res, err
	}
	if err := c.roomForImage(ctx, op); err != nil {
		return res, err
	}
	if err := c.ClaimName(ctx, ref); err != nil {
		return res, err
	}
	_, prev, err := c.Exists(ctx, ref.Full())
	if err != nil {
		return res, err
	}
	res.PreviousID = prev
	// Noted before the call: if the daemon goes away after committing but
	// before answering, the image it made is still known as layerlab's (by
	// the op label it carries and the tag naming it), so that cleanup can take
	// it away.
	labels, opID := c.opLabels(lesson)
	pending := c.recordTag(ctx, ref.String(), "", lesson, "commit", prev, opID)
	resp, err := c.api.ContainerCommit(ctx, ctr, container.CommitOptions{
		Reference: ref.Full(), Comment: c.commitComment(lesson),
		Config: &container.Config{Labels: labels}, Changes: labelChanges(labels),
	})
	if err != nil {
		err = c.classify(err, op)
		if pending && KindOf(err) != KindInterrupted {
			c.ledger.Remove(c.endpoint.Host, ref.String())
		}
		return res, err
	}
	resp.ID = fullID(resp.ID) // Podman's answer leaves out sha256:
	res.ImageID = resp.ID
	c.ledger.AddImage(c.endpoint.Host, resp.ID, lesson, "commit")
	c.recordTag(ctx, ref.String(), resp.ID, lesson, "commit", prev, "")
	n, size, base, ok := c.addedLayers(ctx, ctr, resp.ID)
	res.Base = base
	if ok {
		res.Empty, res.NoLayer = size == 0, n == 0
	}
	return res, nil
}

// addedLayers says what a commit added on top of the container's image: how
// many filesystem layers, and their size, and that image's name as the
// container was run from it; ok is false when it cannot be read.
func (c *Client) addedLayers(ctx context.Context, ctr, id string) (n int, size int64, name string, ok bool) {
	ci, err := c.api.ContainerInspect(ctx, ctr)
	if err != nil {
		return 0, 0, "", false
	}
	if ci.Config != nil {
		name = ci.Config.Image
	}
	base, err1 := c.DiffIDs(ctx, ci.Image)
	st, err2 := c.Stack(ctx, id)
	if err1 != nil || err2 != nil {
		return 0, 0, name, false
	}
	fs := st.FSLayers()
	for _, l := range fs[min(len(base), len(fs)):] {
		size += l.Size
	}
	return max(len(fs)-len(base), 0), size, name, true
}

// ownContainer refuses (KindNotOwned) a container that layerlab did not
// create (by the ledger): a learner's own container, one run from a lesson
// image included, is never changed.
func (c *Client) ownContainer(ctx context.Context, ctr, op string) error {
	if c.learner {
		return nil
	}
	insp, err := c.api.ContainerInspect(ctx, ctr)
	if err != nil {
		err = c.classify(err, op)
		if de, ok := err.(*Error); ok && de.Kind == KindNotFound {
			de.Container = ctr // the learner is told which one is missing
		}
		return err
	}
	if !c.ownsContainer(ctx, insp.ID) {
		return &Error{Kind: KindNotOwned, Op: op, Name: ctr, NotOwned: NotOwnedContainer, Detail: ctr + " was not created by layerlab"}
	}
	return nil
}

// ownsContainer reports whether the ledger has the container, settling a
// pending record first if one is waiting.
// StartedHere reports whether this client created container id (recorded
// with its window): what quitting this window removes, even a container
// whose start the app had not heard of yet when the window was closed.
func (c *Client) StartedHere(id string) bool {
	r, ok := c.ledger.Container(c.endpoint.Host, id)
	return ok && r.Window == c.window
}

// ThisWindows reports whether this client (this window) created container
// id; a record of an older file, with no window, counts as this one's.
func (c *Client) ThisWindows(id string) bool { return c.thisWindows(id) }

func (c *Client) thisWindows(id string) bool {
	r, ok := c.ledger.Container(c.endpoint.Host, id)
	return ok && (r.Window == "" || r.Window == c.window || !windowAlive(r.Window))
}

// windowAlive reports whether the process of a window token ("PID:…")
// still runs: a container of a window that ended (killed, crashed) is
// left to whichever window comes next.
func windowAlive(w string) bool {
	p, _, _ := strings.Cut(w, ":")
	pid, err := strconv.Atoi(p)
	if err != nil || pid <= 0 {
		return false
	}
	err = syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

func (c *Client) ownsContainer(ctx context.Context, id string) bool {
	if _, ok := c.ledger.Container(c.endpoint.Host, id); ok {
		return true
	}
	for _, rec := range c.ledger.Containers(c.endpoint.Host, "") {
		if rec.ContainerID == "" && rec.Op != "" {
			if list, err := c.api.ContainerList(ctx, container.ListOptions{All: true,
				Filters: filters.NewArgs(filters.Arg("label", LabelOp+"="+rec.Op))}); err == nil {
				c.settlePendingContainers(list)
			}
		}
	}
	_, ok := c.ledger.Container(c.endpoint.Host, id)
	return ok
}

// RemoveContainer removes a container layerlab created, running or not; it
// refuses any other.
func (c *Client) RemoveContainer(ctx context.Context, ctr string) error {
	return c.RemoveContainerOpts(ctx, ctr, RemoveContainerOptions{Force: true})
}

// RemoveContainerOptions are docker rm's: without Force the daemon refuses a
// running container (KindConflict, its words in Detail).
type RemoveContainerOptions struct {
	Force bool
}

// RemoveContainerOpts is docker rm [-f] of a container layerlab created; it
// refuses any other. A container that is not there is no error.
func (c *Client) RemoveContainerOpts(ctx context.Context, ctr string, o RemoveContainerOptions) error {
	op := "remove container " + ctr
	insp, err := c.api.ContainerInspect(ctx, ctr)
	if err != nil {
		if cerrdefs.IsNotFound(err) {
			return nil
		}
		return c.classify(err, op)
	}
	if !c.learner && !c.ownsContainer(ctx, insp.ID) {
		return &Error{Kind: KindNotOwned, Op: op, Name: ctr, NotOwned: NotOwnedContainer, Detail: ctr + " was not created by layerlab"}
	}
	if err := c.api.ContainerRemove(ctx, insp.ID, container.RemoveOptions{Force: o.Force}); err != nil && !cerrdefs.IsNotFound(err) {
		return c.classify(err, op)
	}
	c.ledger.RemoveContainer(c.endpoint.Host, insp.ID, "")
	return nil
}

// OwnedContainers lists the containers layerlab created (by the ledger), for
// one lesson or all (""). Records of containers that are gone are dropped.
func (c *Client) OwnedContainers(ctx context.Context, lesson string) ([]Container, error) {
	list, err := c.api.ContainerList(ctx, container.ListOptions{All: true})
	if err != nil {
		return nil, c.classify(err, "list containers")
	}
	c.settlePendingContainers(list)
	present := map[string]bool{}
	var out []Container
	for _, ct := range c.fromSummaries(list) {
		present[ct.ID] = true
		if ct.Owned && (lesson == "" || ct.Lesson == lesson) {
			out = append(out, ct)
		}
	}
	for _, rec := range c.ledger.Containers(c.endpoint.Host, lesson) {
		if rec.ContainerID != "" && !present[rec.ContainerID] {
			c.ledger.RemoveContainer(c.endpoint.Host, rec.ContainerID, "")
		}
	}
	return out, nil
}

// RunOnce is `docker run --rm image`: a labelled container runs the image's
// CMD to its end (at most until ctx is done); its output and exit code come
// back and the container is removed.
func (c *Client) RunOnce(ctx context.Context, image, lesson string) (ExecResult, error) {
	op := "run " + image
	if err := c.roomForContainer(ctx, op); err != nil {
		return ExecResult{}, err
	}
	labels, opID := c.opLabels(lesson)
	resp, err := c.create(ctx, &container.Config{Image: image, Labels: labels}, &container.HostConfig{}, "", lesson, opID)
	if err != nil {
		return ExecResult{}, c.classify(err, op)
	}
	defer c.removeOwn(context.WithoutCancel(ctx), resp.ID)
	if err := c.api.ContainerStart(ctx, resp.ID, container.StartOptions{}); err != nil {
		return ExecResult{}, c.classify(err, op)
	}
	wait, errc := c.api.ContainerWait(ctx, resp.ID, container.WaitConditionNotRunning)
	var res ExecResult
	select {
	case w := <-wait:
		res.ExitCode = int(w.StatusCode)
	case err := <-errc:
		return res, c.classify(err, op)
	}
	logs, err := c.api.ContainerLogs(ctx, resp.ID, container.LogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		return res, c.classify(err, op)
	}
	defer logs.Close()
	var stdout, stderr strings.Builder
	if _, err := stdcopy.StdCopy(&stdout, &stderr, io.LimitReader(logs, 1<<20)); err != nil {
		return res, c.classify(err, op)
	}
	res.Stdout, res.Stderr = stdout.String(), stderr.String()
	return res, nil
}
