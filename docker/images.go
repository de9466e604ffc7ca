package docker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"github.com/docker/docker/client"
	"io"
	"sort"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/pkg/jsonmessage"
)

// Image is one row of `docker images`: an image id with one of its tags.
type Image struct {
	ID       string // sha256:…
	Repo     string // <none> for dangling images
	Tag      string // <none> for dangling images
	Created  time.Time
	Size     int64
	Labels   map[string]string
	AllTags  []string
	ParentID string
	// ShortNames: on Podman, the short names its tags answer to (a
	// short name finds localhost/NAME there: podman commit c pyubuntu:mine
	// names localhost/pyubuntu:mine, and docker run pyubuntu:mine runs it).
	ShortNames []string
	// Owned is true when layerlab made this image (a commit or build of its
	// own, in its ledger); Lesson is the lesson that made it. Never from a label.
	Owned  bool
	Lesson string
}

// Ref is REPO:TAG as the CLI shows it, or the short id for a dangling image.
func (i Image) Ref() string {
	if i.Repo == "<none>" {
		return ShortID(i.ID)
	}
	return i.Repo + ":" + i.Tag
}

// Container is one row of `docker ps -a`.
type Container struct {
	ID      string
	Name    string
	Image   string // as the container was created: busybox:latest
	ImageID string
	Command string
	Created time.Time
	State   string // running, exited, created…
	Status  string // Up 3 seconds, Exited (0) 2 minutes ago
	Labels  map[string]string
	// Owned is true when layerlab created this container (in its ledger);
	// Lesson is the lesson that did. Never from a label.
	Owned  bool
	Lesson string
}

// Layer is one entry of an image's history, bottom (index 0) first. Entries
// that only change the config (ENV, CMD, EXPOSE…) have Meta set and no DiffID.
type Layer struct {
	Index       int
	DiffID      string // sha256:… of the uncompressed layer; "" for Meta entries
	Size        int64
	Instruction string // what created it, cleaned up: RUN …, COPY …, CMD ["sh"]
	// Commit: docker commit made it; Instruction is then the container's
	// command and Comment the commit's message, as docker history shows them.
	Commit  bool
	Meta    bool
	Created time.Time
	Comment string
}

// ImageConfig is what a container made from the image starts with.
type ImageConfig struct {
	Cmd        []string
	Entrypoint []string
	Env        []string
	WorkingDir string
	Exposed    []string
	Labels     map[string]string
}

// LayerStack is an image as a pile of layers: what the layers panel draws.
type LayerStack struct {
	ID     string
	Tags   []string
	Layers []Layer // bottom first, metadata entries included
	Size   int64
	Config ImageConfig
	// Created is when the image was made.
	Created time.Time
}

// FSLayers are the stack's filesystem layers, bottom first.
func (s LayerStack) FSLayers() []Layer {
	var out []Layer
	for _, l := range s.Layers {
		if !l.Meta {
			out = append(out, l)
		}
	}
	return out
}

// ShortID is the 12-hex-digit id the CLI prints.
func ShortID(id string) string {
	id = strings.TrimPrefix(id, "sha256:")
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// Images lists local images as `docker images` does: one row per tag, newest first.
func (c *Client) Images(ctx context.Context) ([]Image, error) {
	return c.images(ctx, false)
}

// AllImages lists local images as `docker images -a` does: with the
// untagged images a classic build made for its steps (intermediate images).
func (c *Client) AllImages(ctx context.Context) ([]Image, error) {
	return c.images(ctx, true)
}

func (c *Client) images(ctx context.Context, all bool) ([]Image, error) {
	list, err := c.imageList(ctx, image.ListOptions{All: all})
	if err != nil {
		return nil, c.classify(err, "list images")
	}
	var out []Image
	for _, s := range list {
		base := Image{ID: s.ID, Created: time.Unix(s.Created, 0), Size: s.Size, Labels: s.Labels, ParentID: s.ParentID}
		if rec, ok := c.ledger.Image(c.endpoint.Host, s.ID); ok {
			base.Owned, base.Lesson = true, rec.Lesson
		}
		var tags []string
		for _, t := range s.RepoTags {
			if t != "<none>:<none>" {
				tags = append(tags, t)
			}
		}
		base.AllTags = tags
		if c.IsPodman() {
			for _, t := range tags {
				if short, ok := strings.CutPrefix(t, "localhost/"); ok {
					base.ShortNames = append(base.ShortNames, short)
				}
			}
		}
		if len(tags) == 0 {
			base.Repo, base.Tag = "<none>", "<none>"
			out = append(out, base)
			continue
		}
		for _, t := range tags {
			row := base
			i := strings.LastIndex(t, ":")
			row.Repo, row.Tag = t[:i], t[i+1:]
			out = append(out, row)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.After(out[j].Created)
		}
		return out[i].Ref() < out[j].Ref()
	})
	return out, nil
}

// Containers lists containers as `docker ps -a` does (all=true) or `docker ps`.
func (c *Client) Containers(ctx context.Context, all bool) ([]Container, error) {
	list, err := c.api.ContainerList(ctx, container.ListOptions{All: all})
	if err != nil {
		return nil, c.classify(err, "list containers")
	}
	c.settlePendingContainers(list)
	return c.fromSummaries(list), nil
}

// fromSummaries turns the API's container list into rows of `docker ps -a`,
// each marked as layerlab's or not by the ledger.
func (c *Client) fromSummaries(list []container.Summary) []Container {
	out := make([]Container, 0, len(list))
	for _, s := range list {
		name := ""
		if len(s.Names) > 0 {
			name = strings.TrimPrefix(s.Names[0], "/")
		}
		ct := Container{ID: s.ID, Name: name, Image: familiarImage(s.Image), ImageID: s.ImageID, Command: s.Command,
			Created: time.Unix(s.Created, 0), State: string(s.State), Status: s.Status, Labels: s.Labels}
		if rec, ok := c.ledger.Container(c.endpoint.Host, s.ID); ok {
			ct.Owned, ct.Lesson = true, rec.Lesson
		}
		out = append(out, ct)
	}
	return out
}

// Stack reads an image's layers: RootFS.Layers from inspect joined with history.
func (c *Client) Stack(ctx context.Context, ref string) (LayerStack, error) {
	insp, err := c.imageInspect(ctx, ref)
	if err != nil {
		return LayerStack{}, c.classify(err, "inspect "+ref)
	}
	hist, err := c.api.ImageHistory(ctx, insp.ID)
	if err != nil {
		return LayerStack{}, c.classify(err, "history "+ref)
	}
	var diffIDs []string
	if insp.RootFS.Type == "layers" || len(insp.RootFS.Layers) > 0 {
		diffIDs = insp.RootFS.Layers
	}
	st := BuildStack(diffIDs, hist)
	st.ID = insp.ID
	st.Tags = insp.RepoTags
	st.Size = insp.Size
	if t, err := time.Parse(time.RFC3339Nano, insp.Created); err == nil {
		st.Created = t
	}
	if cfg := insp.Config; cfg != nil {
		st.Config = ImageConfig{Cmd: cfg.Cmd, Entrypoint: cfg.Entrypoint, Env: cfg.Env, WorkingDir: cfg.WorkingDir, Labels: cfg.Labels}
		for p := range cfg.ExposedPorts {
			st.Config.Exposed = append(st.Config.Exposed, p)
		}
		sort.Strings(st.Config.Exposed)
	}
	return st, nil
}

// BuildKitComment is the comment BuildKit puts on every history entry of a
// Dockerfile it built: not a commit message.
const BuildKitComment = "buildkit.dockerfile.v0"

// buildahStep reports whether a history entry is a step of a build by
// Podman's builder (Buildah), not a commit: Buildah comments every step
// after the first "FROM <the image before it>", as it does a commit
// (podman commit, or docker commit through Podman's API, whose message it
// drops), but records a Dockerfile step as the classic builder does,
// "/bin/sh -c …"; a commit records the container's command.
func buildahStep(h image.HistoryResponseItem) bool {
	return strings.HasPrefix(h.Comment, "FROM ") && strings.HasPrefix(strings.TrimSpace(h.CreatedBy), "/bin/sh -c ")
}

// BuildStack joins diff ids (bottom first) with history (newest first, as the
// API returns it) into a stack, bottom first. The API does not say which
// history entries are metadata-only, so they are told apart by instruction,
// and checked against the number of diff ids.
func BuildStack(diffIDs []string, hist []image.HistoryResponseItem) LayerStack {
	n := len(hist)
	layers := make([]Layer, n)
	for i, h := range hist {
		l := &layers[n-1-i]
		l.Instruction = Instruction(h.CreatedBy)
		commit := h.Comment != "" && h.Comment != BuildKitComment && !buildahStep(h)
		if commit {
			// docker commit records the container's command and the commit message.
			l.Instruction, l.Commit = strings.TrimSpace(h.CreatedBy), true
		}
		l.Size = h.Size
		l.Created = time.Unix(h.Created, 0)
		l.Comment = h.Comment
		// BuildKit marks the entries that made a layer "# buildkit".
		l.Meta = h.Size == 0 && !commit && isMetaInstruction(h.CreatedBy) && !strings.HasSuffix(strings.TrimSpace(h.CreatedBy), "# buildkit")
	}
	fs := 0
	for _, l := range layers {
		if !l.Meta {
			fs++
		}
	}
	if fs < len(diffIDs) {
		// The classic builder commits a layer for WORKDIR (it creates the
		// folder), usually empty: those are the missing layers when they add up.
		var workdirs []int
		for i, l := range layers {
			if l.Meta && l.Size == 0 && strings.HasPrefix(strings.ToUpper(l.Instruction), "WORKDIR") {
				workdirs = append(workdirs, i)
			}
		}
		if fs+len(workdirs) == len(diffIDs) {
			for _, i := range workdirs {
				layers[i].Meta = false
			}
			fs = len(diffIDs)
		}
	}
	if fs != len(diffIDs) {
		// The heuristic disagrees with the image: trust sizes, then fill from the top.
		for i := range layers {
			layers[i].Meta = layers[i].Size == 0
		}
		fs = 0
		for _, l := range layers {
			if !l.Meta {
				fs++
			}
		}
		for i := n - 1; i >= 0 && fs < len(diffIDs); i-- {
			if layers[i].Meta {
				layers[i].Meta = false
				fs++
			}
		}
	}
	d := 0
	var total int64
	for i := range layers {
		layers[i].Index = i
		if !layers[i].Meta && d < len(diffIDs) {
			layers[i].DiffID = diffIDs[d]
			d++
		}
		total += layers[i].Size
	}
	return LayerStack{Layers: layers, Size: total}
}

var metaInstructions = []string{"ENV", "CMD", "EXPOSE", "LABEL", "ENTRYPOINT", "WORKDIR", "USER", "VOLUME",
	"STOPSIGNAL", "HEALTHCHECK", "SHELL", "ONBUILD", "ARG", "MAINTAINER"}

func isMetaInstruction(createdBy string) bool {
	ins := Instruction(createdBy)
	word, _, _ := strings.Cut(ins, " ")
	word = strings.ToUpper(word)
	for _, m := range metaInstructions {
		if word == m {
			return true
		}
	}
	return false
}

// Instruction turns a history CreatedBy into the Dockerfile line a learner would
// recognise: "/bin/sh -c #(nop)  CMD [\"sh\"]" becomes `CMD ["sh"]`, and
// "/bin/sh -c echo hi" becomes "RUN echo hi".
func Instruction(createdBy string) string {
	s := strings.TrimSpace(createdBy)
	s = strings.TrimSuffix(s, "# buildkit")
	s = strings.TrimSpace(s)
	// Build args are recorded as "|2 A=1 B=2 /bin/sh -c …".
	if strings.HasPrefix(s, "|") {
		if i := strings.Index(s, "/bin/sh -c "); i > 0 {
			s = s[i:]
		}
	}
	if rest, ok := strings.CutPrefix(s, "/bin/sh -c #(nop) "); ok {
		return strings.TrimSpace(rest)
	}
	if rest, ok := strings.CutPrefix(s, "/bin/sh -c "); ok {
		return "RUN " + strings.TrimSpace(rest)
	}
	// BuildKit records a shell-form RUN as "RUN /bin/sh -c …", and EXPOSE
	// as Go prints a map ("EXPOSE map[8080/tcp:{}]", Engine 20.10).
	if rest, ok := strings.CutPrefix(s, "RUN /bin/sh -c "); ok {
		return "RUN " + strings.TrimSpace(rest)
	}
	if rest, ok := strings.CutPrefix(s, "EXPOSE map["); ok && strings.HasSuffix(rest, "]") {
		ports := strings.Fields(strings.ReplaceAll(strings.TrimSuffix(rest, "]"), ":{}", ""))
		return "EXPOSE " + strings.Join(ports, " ")
	}
	// The current engine's BuildKit records it as a list: "EXPOSE [8080/tcp]".
	if rest, ok := strings.CutPrefix(s, "EXPOSE ["); ok && strings.HasSuffix(rest, "]") {
		return "EXPOSE " + strings.Join(strings.Fields(strings.TrimSuffix(rest, "]")), " ")
	}
	word, _, _ := strings.Cut(s, " ")
	switch strings.ToUpper(word) {
	case "RUN", "COPY", "ADD", "ENV", "CMD", "EXPOSE", "LABEL", "ENTRYPOINT", "WORKDIR", "USER", "VOLUME",
		"STOPSIGNAL", "HEALTHCHECK", "SHELL", "ONBUILD", "ARG", "MAINTAINER":
		return s
	}
	if s == "" {
		return "(no instruction recorded)"
	}
	// Exec-form RUN and commits record the bare command.
	return "RUN " + s
}

// Exists reports whether ref names a local image.
func (c *Client) Exists(ctx context.Context, ref string) (bool, string, error) {
	insp, err := c.imageInspect(ctx, ref)
	if err != nil {
		if cerrdefs.IsNotFound(err) {
			return false, "", nil
		}
		return false, "", c.classify(err, "inspect "+ref)
	}
	return true, insp.ID, nil
}

// classify turns an SDK error into a *Error with the right Kind, marked
// Podman's on Podman (its words are then Podman's, not Docker's).
func (c *Client) classify(err error, op string) error {
	return c.marked(c.classifyErr(err, op))
}

// marked sets Podman on a *Error when the engine is Podman.
func (c *Client) marked(err error) error {
	var e *Error
	if c.IsPodman() && errors.As(err, &e) {
		e.Podman = true
	}
	return err
}

func (c *Client) classifyErr(err error, op string) error {
	if err == nil {
		return nil
	}
	var already *Error
	if errors.As(err, &already) {
		return err
	}
	switch {
	case errors.Is(err, context.Canceled):
		return &Error{Kind: KindCanceled, Op: op, Err: err}
	case errors.Is(err, context.DeadlineExceeded):
		// Nobody stopped it: the daemon did not answer in time.
		return &Error{Kind: KindNoAnswer, Op: op, Host: c.endpoint.Host, Err: err}
	case isConnFailure(err):
		return c.classifyConn(err, op)
	}
	return classifyMessage(err, op)
}

func isConnFailure(err error) bool {
	s := err.Error()
	return strings.Contains(s, "Cannot connect to the Docker daemon") ||
		strings.Contains(s, "error during connect") ||
		strings.Contains(s, "while trying to connect to the Docker daemon")
}

// classifyMessage covers errors whose kind is only in the daemon's words, as
// with registry failures relayed through a pull.
func classifyMessage(err error, op string) error {
	s := err.Error()
	low := strings.ToLower(s)
	e := &Error{Kind: KindUnknown, Op: op, Err: err, Detail: s}
	switch {
	case strings.Contains(low, "is not running"):
		// Sent as a conflict (409), but nothing holds anything: it stopped.
		e.Kind = KindNotRunning
	case cerrdefs.IsConflict(err) || strings.Contains(low, "conflict") ||
		// Podman's words, sent as a 500: rm of a running container, a name in use.
		strings.Contains(low, "as it is running") || strings.Contains(low, "is already in use"):
		e.Kind = KindConflict
	case strings.Contains(low, "executable file not found") && strings.Contains(low, `"sh"`):
		e.Kind = KindNoShell
	case strings.Contains(low, "executable file not found") ||
		strings.Contains(low, "exec: \"") && strings.Contains(low, "no such file or directory"):
		// The image is there; the command is not a program in it.
		e.Kind, e.Name = KindNoCommand, execName(s)
	case strings.Contains(low, "no such host") || strings.Contains(low, "dial tcp") ||
		strings.Contains(low, "i/o timeout") || strings.Contains(low, "network is unreachable") ||
		strings.Contains(low, "tls handshake timeout") || strings.Contains(low, "connection refused") ||
		strings.Contains(low, "server misbehaving") || strings.Contains(low, "temporary failure in name resolution"):
		e.Kind = KindRegistryUnreachable
	case strings.Contains(low, "pull access denied") || strings.Contains(low, "manifest unknown") ||
		strings.Contains(low, "not found") || strings.Contains(low, "no such") ||
		strings.Contains(low, "repository does not exist") || cerrdefs.IsNotFound(err) ||
		strings.Contains(low, "name unknown"): // Podman relays the registry's words alone
		e.Kind, e.Absent = KindNotFound, absent(low)
	case strings.Contains(low, "unauthorized") || strings.Contains(low, "authentication required") ||
		cerrdefs.IsUnauthorized(err) || cerrdefs.IsPermissionDenied(err):
		e.Kind = KindUnauthorized
	case strings.Contains(low, "unexpected eof") || strings.Contains(low, "connection reset") ||
		strings.Contains(low, "broken pipe"):
		e.Kind = KindInterrupted
	}
	return e
}

// absent reads what a not-found answer found missing from its words: the
// registry's error codes as the daemon relays them (manifest unknown, name
// unknown, Docker Hub's pull access denied) or the daemon's own (No such
// image, No such container).
func absent(low string) Absent {
	switch {
	case strings.Contains(low, "manifest unknown"):
		return AbsentTag
	case strings.Contains(low, "name unknown") || strings.Contains(low, "repository does not exist") ||
		strings.Contains(low, "pull access denied") || strings.Contains(low, "requested access to the resource is denied"):
		return AbsentRepository
	case strings.Contains(low, "failed to resolve reference"):
		return AbsentTagOrRepository
	case strings.Contains(low, "no such container"):
		return AbsentContainer
	case strings.Contains(low, "no such image") || strings.Contains(low, "image not known"): // Podman: "image not known"
		return AbsentLocal
	}
	return AbsentUnknown
}

// execName is the command Docker's "exec: \"NAME\": executable file not
// found" names ("" if it names none).
func execName(s string) string {
	_, rest, ok := strings.Cut(s, `exec: "`)
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, `"`)
	return name
}

// DiffIDs are an image's filesystem layers, bottom first.
func (c *Client) DiffIDs(ctx context.Context, id string) ([]string, error) {
	insp, err := c.imageInspect(ctx, id)
	if err != nil {
		return nil, c.classify(err, "inspect "+id)
	}
	return insp.RootFS.Layers, nil
}

// Save writes refs as one `docker save` archive to w.
func (c *Client) Save(ctx context.Context, refs []string, w io.Writer) error {
	rc, err := c.api.ImageSave(ctx, refs)
	if err != nil {
		return c.classify(err, "save "+strings.Join(refs, " "))
	}
	defer rc.Close()
	if _, err := io.Copy(w, rc); err != nil {
		return c.classify(err, "save")
	}
	return nil
}

// Load reads a `docker save` archive into the daemon and returns what it
// said it loaded ("Loaded image: busybox:latest").
func (c *Client) Load(ctx context.Context, r io.Reader) ([]string, error) {
	resp, err := c.api.ImageLoad(ctx, r)
	if err != nil {
		return nil, c.classify(err, "load")
	}
	defer resp.Body.Close()
	var loaded []string
	dec := json.NewDecoder(resp.Body)
	for {
		var m jsonmessage.JSONMessage
		if err := dec.Decode(&m); err != nil {
			if errors.Is(err, io.EOF) {
				return loaded, nil
			}
			return loaded, c.classify(err, "load")
		}
		if m.Error != nil {
			return loaded, &Error{Kind: KindUnknown, Op: "load", Detail: m.Error.Message}
		}
		if s, ok := strings.CutPrefix(strings.TrimSpace(m.Stream), "Loaded image: "); ok {
			loaded = append(loaded, familiarImage(s)) // Podman: docker.io/library/…
		}
	}
}

// HistoryRow is one line of `docker history`.
type HistoryRow struct {
	ID        string // <missing> below the top, as the CLI shows
	Created   time.Time
	CreatedBy string
	Size      int64
	Comment   string
}

// History is `docker history ref`, newest first.
func (c *Client) History(ctx context.Context, ref string) ([]HistoryRow, error) {
	hist, err := c.api.ImageHistory(ctx, ref)
	if err != nil {
		return nil, c.classify(err, "history "+ref)
	}
	out := make([]HistoryRow, 0, len(hist))
	for _, h := range hist {
		out = append(out, HistoryRow{ID: h.ID, Created: time.Unix(h.Created, 0), CreatedBy: h.CreatedBy, Size: h.Size, Comment: h.Comment})
	}
	return out, nil
}

// InspectJSON is `docker inspect` of an image or container, as JSON.
func (c *Client) InspectJSON(ctx context.Context, ref string) ([]byte, error) {
	// The daemon's own JSON, every field it sent (empty ones too) in its
	// order, indented as the CLI indents it.
	var raw bytes.Buffer
	if _, err := c.api.ImageInspect(ctx, ref, client.ImageInspectWithRawResponse(&raw)); err == nil {
		return cliInspectJSON(raw.Bytes())
	}
	_, b, err := c.api.ContainerInspectWithRaw(ctx, ref, false)
	if err != nil {
		return nil, &Error{Kind: KindNotFound, Op: "inspect " + ref, Absent: AbsentLocal, Detail: "No such object: " + ref}
	}
	return cliInspectJSON(b)
}

// cliInspectJSON is one object of the daemon's JSON as docker inspect
// prints it: in a list, indented four spaces.
func cliInspectJSON(raw []byte) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("[\n    ")
	if err := json.Indent(&b, bytes.TrimSpace(raw), "    ", "    "); err != nil {
		return nil, err
	}
	b.WriteString("\n]")
	return b.Bytes(), nil
}
