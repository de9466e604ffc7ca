package docker

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/pkg/jsonmessage"
	controlapi "github.com/moby/buildkit/api/services/control"
	"github.com/moby/buildkit/session"
	"github.com/moby/buildkit/session/filesync"
	"github.com/tonistiigi/fsutil"
	fstypes "github.com/tonistiigi/fsutil/types"
)

// BuildVertex is one thing BuildKit did in a build, as it reports it: an
// instruction ("[2/3] RUN echo hi"), reading the Dockerfile ("[internal]
// load build definition from Dockerfile"), exporting the image. docker
// build prints each as "#N NAME", its output, then CACHED, DONE or ERROR.
type BuildVertex struct {
	// Number is the #N docker build --progress=plain prints: the order its
	// printer first printed it (0 until then; never, for a vertex the build
	// did not start).
	Number int
	Digest string
	Name   string
	Cached bool
	// Started and Completed are zero until they happen.
	Started, Completed time.Time
	Error              string
	// Logs are the output lines of its command, each with the seconds since
	// it started, as docker build prints them ("0.215 hi").
	Logs []string
	// Statuses are its sub-tasks as last reported ("writing image sha256:…
	// done"), in the order they came.
	Statuses []BuildStatus
	partial  string
}

// BuildStatus is a sub-task of a vertex: what it does, and whether it is done.
type BuildStatus struct {
	ID   string
	Done bool
}

// Done reports whether the vertex finished (cached, done or failed).
func (v BuildVertex) Done() bool { return !v.Completed.IsZero() || v.Cached }

// Duration is how long it ran (zero while running or cached).
func (v BuildVertex) Duration() time.Duration {
	if v.Started.IsZero() || v.Completed.IsZero() {
		return 0
	}
	return v.Completed.Sub(v.Started)
}

// instrRe reads an instruction's vertex name: "[2/3] RUN …", or in a
// multi-stage build "[build 2/3] RUN …" (the stage's name first); from ten
// instructions on, BuildKit pads the number ("[ 2/11]").
var instrRe = regexp.MustCompile(`^\[\s*(?:(\S+)\s+)?(\d+)/(\d+)\]\s+(.*)$`)

// Instruction reads the vertex as a Dockerfile instruction: its stage ("" for
// a single stage, else the stage's name or "stage-N"), its place in the
// stage, the stage's count and the instruction; ok is false for BuildKit's
// own work (loading the Dockerfile, exporting).
func (v BuildVertex) Instruction() (stage string, index, total int, text string, ok bool) {
	m := instrRe.FindStringSubmatch(v.Name)
	if m == nil {
		return "", 0, 0, "", false
	}
	index, _ = strconv.Atoi(m[2])
	total, _ = strconv.Atoi(m[3])
	return m[1], index, total, m[4], true
}

// buildkitTrace folds BuildKit's status messages into the progress: its
// vertices in the order they were first named, and, for the readers that
// know the classic builder's steps, each instruction of the last stage as a
// step (Cached, Done, Output).
type buildkitTrace struct {
	p      *BuildProgress
	byDgst map[string]int
	// final is the final stage's name in the vertices (see finalStage).
	final string
}

func (t *buildkitTrace) apply(resp *controlapi.StatusResponse) {
	for _, v := range resp.Vertexes {
		i, ok := t.byDgst[v.Digest]
		if !ok {
			i = len(t.p.Vertices)
			t.byDgst[v.Digest] = i
			t.p.Vertices = append(t.p.Vertices, BuildVertex{Digest: v.Digest})
		}
		bv := &t.p.Vertices[i]
		bv.Name, bv.Cached, bv.Error = v.Name, v.Cached, v.Error
		if v.Started != nil {
			bv.Started = v.Started.AsTime()
		}
		if v.Completed != nil {
			bv.Completed = v.Completed.AsTime()
		}
	}
	for _, s := range resp.Statuses {
		i, ok := t.byDgst[s.Vertex]
		if !ok {
			continue
		}
		bv := &t.p.Vertices[i]
		done := s.Completed != nil
		found := false
		for j := range bv.Statuses {
			if bv.Statuses[j].ID == s.ID {
				bv.Statuses[j].Done, found = done, true
			}
		}
		if !found {
			bv.Statuses = append(bv.Statuses, BuildStatus{ID: s.ID, Done: done})
		}
	}
	for _, l := range resp.Logs {
		i, ok := t.byDgst[l.Vertex]
		if !ok {
			continue
		}
		bv := &t.p.Vertices[i]
		at := 0.0
		if l.Timestamp != nil && !bv.Started.IsZero() {
			at = l.Timestamp.AsTime().Sub(bv.Started).Seconds()
		}
		text := bv.partial + string(l.Msg)
		lines := strings.Split(text, "\n")
		bv.partial = lines[len(lines)-1]
		for _, line := range lines[:len(lines)-1] {
			bv.Logs = append(bv.Logs, strconv.FormatFloat(at, 'f', 3, 64)+" "+strings.TrimRight(line, "\r"))
		}
	}
	t.steps()
}

// steps derives the final stage's instructions, in their order, as the
// classic builder's steps, for the readers that count steps. BuildKit
// numbers only the instructions that make a filesystem (FROM, RUN, COPY,
// ADD, WORKDIR); ENV, CMD, LABEL, EXPOSE only change the image's config.
func (t *buildkitTrace) steps() {
	var steps []BuildStep
	for _, v := range t.p.Vertices {
		stage, i, n, text, ok := v.Instruction()
		if !ok || stage != t.final {
			continue
		}
		out := make([]string, 0, len(v.Logs))
		for _, l := range v.Logs {
			if _, msg, ok := strings.Cut(l, " "); ok {
				out = append(out, msg)
			}
		}
		steps = append(steps, BuildStep{Index: i, Total: n, Instruction: text, Cached: v.Cached, Done: v.Done() && v.Error == "", Output: out})
	}
	sort.SliceStable(steps, func(a, b int) bool { return steps[a].Index < steps[b].Index })
	t.p.Steps = steps
}

// finalStage is how BuildKit names the Dockerfile's last stage in its
// vertices: "" for a Dockerfile of one stage, else the stage's name (FROM …
// AS name) or "stage-N" (N counted from 0).
func finalStage(dockerfile string) string {
	n, name := 0, ""
	for _, line := range strings.Split(dockerfile, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || !strings.EqualFold(f[0], "FROM") {
			continue
		}
		n++
		name = ""
		if len(f) >= 4 && strings.EqualFold(f[len(f)-2], "AS") {
			name = strings.ToLower(f[len(f)-1])
		}
	}
	switch {
	case n <= 1:
		return ""
	case name != "":
		return name
	}
	return "stage-" + strconv.Itoa(n-1)
}

// decodeBuildKit reads a BuildKit build's stream: its trace (protobuf in
// "moby.buildkit.trace" messages), the image it made ("moby.image.id"), and
// the error that ended it. The trace goes to the CLI's own printer too
// (p.Printed); onUpdate gets every state of the progress, one at a time.
func decodeBuildKit(r io.Reader, final string, p *BuildProgress, onUpdate func(BuildProgress)) error {
	var mu sync.Mutex
	publish := func() {
		if onUpdate != nil {
			onUpdate(p.Clone())
		}
	}
	pr := startPrinter(p, &mu, publish)
	defer pr.finish()
	dec := json.NewDecoder(r)
	t := &buildkitTrace{p: p, byDgst: map[string]int{}, final: final}
	for {
		var m jsonmessage.JSONMessage
		if err := dec.Decode(&m); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if m.Error != nil {
			return &buildStreamError{msg: m.Error.Message}
		}
		if m.Aux == nil {
			continue
		}
		switch m.ID {
		case "moby.buildkit.trace":
			var dt []byte
			if err := json.Unmarshal(*m.Aux, &dt); err != nil {
				continue
			}
			var resp controlapi.StatusResponse
			if err := resp.UnmarshalVT(dt); err != nil {
				continue
			}
			mu.Lock()
			t.apply(&resp)
			publish()
			mu.Unlock()
			pr.send(&resp)
		case "moby.image.id":
			var res build.Result
			if json.Unmarshal(*m.Aux, &res) == nil && res.ID != "" {
				mu.Lock()
				p.ImageID = res.ID
				mu.Unlock()
			}
		}
	}
}

// buildKit runs a build with BuildKit, as `docker build` does since Docker
// 23: no intermediate images, no intermediate containers, a cache of its
// own. The context goes as the request's body (no session), RUN has no
// network (nothing is downloaded; the base image must be on the daemon,
// as in a classroom without internet). The image it made is layerlab's when
// it was not on the daemon before (an identical image of the learner's,
// rebuilt from the cache, stays theirs).
func (c *Client) buildKit(ctx context.Context, o BuildOptions, res *BuildResult, tags []string, onUpdate func(BuildProgress)) error {
	op := "build " + o.ContextDir
	// The images there before (top-level ones: a BuildKit result is never a
	// classic build's intermediate image).
	before := map[string]bool{}
	if list, err := c.api.ImageList(ctx, image.ListOptions{}); err == nil {
		for _, im := range list {
			before[im.ID] = true
		}
	}
	// The context is served as the docker CLI serves it: a session the
	// daemon dials back through, whose file sync sends what the build reads
	// (measured and checked above, by PrepareContext).
	sess, err := contextSession(ctx, o.ContextDir, res.Progress.Context.Dockerfile)
	if err != nil {
		return &Error{Kind: KindUnknown, Op: op, Detail: err.Error(), Err: err}
	}
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	defer sess.Close()
	go sess.Run(sctx, func(ctx context.Context, proto string, meta map[string][]string) (net.Conn, error) { //nolint:errcheck // ends with the build
		return c.api.DialHijack(ctx, "/session", proto, meta)
	})
	resp, err := c.api.ImageBuild(ctx, nil, build.ImageBuildOptions{
		Version: build.BuilderBuildKit, Tags: tags, NetworkMode: "none",
		SessionID: sess.ID(), RemoteContext: "client-session", Dockerfile: filepath.Base(res.Progress.Context.Dockerfile),
		NoCache: o.NoCache,
	})
	if err != nil {
		return c.buildErr(err, op, &res.Progress)
	}
	derr := decodeBuildKit(resp.Body, finalStage(res.Progress.Context.Source), &res.Progress, onUpdate)
	resp.Body.Close()
	if derr == nil && ctx.Err() != nil {
		derr = ctx.Err()
	}
	if derr != nil {
		return interruptedBuild(buildKitErr(c.buildErr(derr, op, &res.Progress), res.Progress), res.Progress)
	}
	if res.Progress.ImageID == "" {
		return interruptedBuild(&Error{Kind: KindInterrupted, Op: op}, res.Progress)
	}
	if !before[res.Progress.ImageID] || c.ledger.HasImage(c.endpoint.Host, res.Progress.ImageID) {
		c.ledger.AddImage(c.endpoint.Host, res.Progress.ImageID, o.Lesson, "build")
	}
	return nil
}

// sourceRe and manifestRe find the base image BuildKit could not get: by
// its name, or in the registry's address it asked.
var (
	sourceRe   = regexp.MustCompile(`failed to resolve source metadata for (?:docker\.io/library/|docker\.io/)?([^\s:]+(?::[^\s:]+)?):`)
	manifestRe = regexp.MustCompile(`/v2/(?:library/)?([^"\s]+)/manifests/([^"\s]+)"`)
)

// buildKitErr names, in a failed BuildKit build's error, the instruction
// that failed (BuildKit runs in parallel: the failed vertex, not the last
// one named) and the base image it could not get.
func buildKitErr(err error, p BuildProgress) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	for _, v := range p.Vertices {
		if _, i, _, text, ok := v.Instruction(); ok && v.Error != "" {
			e.Step = i
			if f := strings.Fields(text); len(f) > 1 && strings.EqualFold(f[0], "FROM") {
				e.Image = f[1]
			}
		}
	}
	if m := sourceRe.FindStringSubmatch(e.Detail); m != nil {
		e.Image = m[1]
		if e.Kind == KindBuildFailed || e.Kind == KindUnknown {
			e.Kind = KindNotFound
		}
	} else if m := manifestRe.FindStringSubmatch(e.Detail); m != nil && e.Image == "" {
		e.Image = m[1] + ":" + m[2]
	}
	return e
}

// contextSession is a BuildKit session that serves the build context and
// the folder of the Dockerfile, as the docker CLI's does: files as they are
// (links sent as links, never followed), owned by root as in a tar the CLI
// sends.
func contextSession(ctx context.Context, dir, dockerfile string) (*session.Session, error) {
	sess, err := session.NewSession(ctx, "layerlab-"+filepath.Base(dir))
	if err != nil {
		return nil, err
	}
	byRoot := &fsutil.FilterOpt{Map: func(_ string, st *fstypes.Stat) fsutil.MapResult {
		st.Uid, st.Gid = 0, 0
		return fsutil.MapResultKeep
	}}
	dirs := filesync.StaticDirSource{}
	for name, d := range map[string]string{"context": dir, "dockerfile": filepath.Dir(dockerfile)} {
		fs, err := fsutil.NewFS(d)
		if err != nil {
			return nil, err
		}
		if fs, err = fsutil.NewFilterFS(fs, byRoot); err != nil {
			return nil, err
		}
		dirs[name] = fs
	}
	sess.Allow(filesync.NewFSSyncProvider(dirs))
	return sess, nil
}
