package docker

import (
	"bytes"
	"context"
	"io"
	"sort"
	"strings"

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
}

// Run starts a labelled container that stays up, as RunContainer, with an
// optional command and --rm.
func (c *Client) Run(ctx context.Context, o RunOptions) (Container, error) {
	image, name := o.Image, o.Name
	op := "run " + image
	cfg := &container.Config{Image: image, Tty: true, OpenStdin: true, Labels: OwnedLabels(o.Lesson), Cmd: o.Cmd}
	// Nothing from the host: no mounts, no privileges, default network.
	host := &container.HostConfig{AutoRemove: o.AutoRemove}
	resp, err := c.api.ContainerCreate(ctx, cfg, host, nil, nil, name)
	if err != nil && name != "" && cerrdefs.IsConflict(err) {
		// The name is taken. If layerlab made that container (an earlier run of
		// this step) replace it; a container of the learner's is never touched.
		if rerr := c.RemoveContainer(ctx, name); rerr != nil {
			return Container{}, rerr
		}
		resp, err = c.api.ContainerCreate(ctx, cfg, host, nil, nil, name)
	}
	if err != nil {
		return Container{}, c.classify(err, op)
	}
	if err := c.api.ContainerStart(ctx, resp.ID, container.StartOptions{}); err != nil {
		_ = c.api.ContainerRemove(context.WithoutCancel(ctx), resp.ID, container.RemoveOptions{Force: true})
		return Container{}, c.classify(err, op)
	}
	return c.container(ctx, resp.ID)
}

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
		ct.Image, ct.Labels = insp.Config.Image, insp.Config.Labels
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
	sort.Slice(w.Changes, func(i, j int) bool { return w.Changes[i].Path < w.Changes[j].Path })
	return w, nil
}

// CommitResult is the image a commit made, and what the tag named before.
type CommitResult struct {
	Ref     Ref
	ImageID string
	// PreviousID is the image the tag named before the commit moved it ("" if none).
	PreviousID string
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
	_, prev, err := c.Exists(ctx, ref.Full())
	if err != nil {
		return res, err
	}
	res.PreviousID = prev
	// Noted before the call: if the daemon goes away after committing but
	// before answering, the (labelled) image it made is still known as
	// layerlab's, so that cleanup can take it away.
	pending := c.recordTag(ctx, ref.String(), "", lesson, "commit", prev != "", prev)
	resp, err := c.api.ContainerCommit(ctx, ctr, container.CommitOptions{
		Reference: ref.Full(), Comment: "layerlab lesson " + lesson,
		Config: &container.Config{Labels: OwnedLabels(lesson)},
	})
	if err != nil {
		err = c.classify(err, op)
		if pending && KindOf(err) != KindInterrupted {
			c.ledger.Remove(c.endpoint.Host, ref.String())
		}
		return res, err
	}
	res.ImageID = resp.ID
	c.recordTag(ctx, ref.String(), resp.ID, lesson, "commit", prev != "", prev)
	return res, nil
}

// ownContainer refuses (KindNotOwned) a container that does not
// carry layerlab's label: a learner's own container is never changed.
func (c *Client) ownContainer(ctx context.Context, ctr, op string) error {
	insp, err := c.api.ContainerInspect(ctx, ctr)
	if err != nil {
		err = c.classify(err, op)
		if de, ok := err.(*Error); ok && de.Kind == KindNotFound {
			de.Container = ctr // the learner is told which one is missing
		}
		return err
	}
	if insp.Config == nil || insp.Config.Labels[LabelOwned] != "true" {
		return &Error{Kind: KindNotOwned, Op: op, Detail: ctr + " was not created by layerlab"}
	}
	return nil
}

// RemoveContainer removes a container layerlab created; it refuses any other.
func (c *Client) RemoveContainer(ctx context.Context, ctr string) error {
	op := "remove container " + ctr
	insp, err := c.api.ContainerInspect(ctx, ctr)
	if err != nil {
		if cerrdefs.IsNotFound(err) {
			return nil
		}
		return c.classify(err, op)
	}
	if insp.Config == nil || insp.Config.Labels[LabelOwned] != "true" {
		return &Error{Kind: KindNotOwned, Op: op, Detail: ctr + " was not created by layerlab"}
	}
	if err := c.api.ContainerRemove(ctx, insp.ID, container.RemoveOptions{Force: true}); err != nil {
		return c.classify(err, op)
	}
	return nil
}

// OwnedContainers lists the containers layerlab created, for one lesson or all ("").
func (c *Client) OwnedContainers(ctx context.Context, lesson string) ([]Container, error) {
	f := filters.NewArgs(filters.Arg("label", LabelOwned+"=true"))
	if lesson != "" {
		f.Add("label", LabelLesson+"="+lesson)
	}
	list, err := c.api.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	if err != nil {
		return nil, c.classify(err, "list containers")
	}
	return fromSummaries(list), nil
}

// RunOnce is `docker run --rm image`: a labelled container runs the image's
// CMD to its end (at most until ctx is done); its output and exit code come
// back and the container is removed.
func (c *Client) RunOnce(ctx context.Context, image, lesson string) (ExecResult, error) {
	op := "run " + image
	resp, err := c.api.ContainerCreate(ctx, &container.Config{Image: image, Labels: OwnedLabels(lesson)}, &container.HostConfig{}, nil, nil, "")
	if err != nil {
		return ExecResult{}, c.classify(err, op)
	}
	defer func() {
		_ = c.api.ContainerRemove(context.WithoutCancel(ctx), resp.ID, container.RemoveOptions{Force: true})
	}()
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
