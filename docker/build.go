package docker

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/jsonmessage"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// DefaultMaxContext is the largest build context layerlab sends: a lesson's
// workspace is a few kilobytes; hundreds of megabytes means the wrong folder.
const DefaultMaxContext = 50_000_000

// BuildOptions are `docker build [-t TAG] [-f FILE] DIR`.
type BuildOptions struct {
	// ContextDir is the build context (the DIR argument).
	ContextDir string
	// Dockerfile is -f: a path relative to ContextDir or absolute; "" means
	// ContextDir/Dockerfile. It may lie outside the context, as with the CLI.
	Dockerfile string
	Tags       []Ref
	Lesson     string
	// MaxContext caps the context size (DefaultMaxContext when 0).
	MaxContext int64
	// Root, when set, is the folder nothing sent may come from outside of:
	// the context, the Dockerfile and every link in the context must stay
	// inside it once links are followed (a lesson's workspace).
	Root string
	// BuildKit builds with BuildKit, as docker build does since Docker 23;
	// false builds with the classic builder (one committed image per step).
	// An engine without BuildKit (Podman) builds with its own builder
	// whatever this says (see Client.buildKitOffered).
	BuildKit bool
	// NoCache is docker build --no-cache: every step runs again.
	NoCache bool
}

// BuildContext is what would be sent to the daemon, measured before sending.
type BuildContext struct {
	Dir   string
	Files int
	Size  int64 // bytes of file content
	// Ignored counts the files .dockerignore left out.
	Ignored int
	// Dockerfile is the file used; DockerfileInContext is false when -f
	// pointed outside the context (it is then sent alongside, as the CLI does).
	Dockerfile          string
	DockerfileInContext bool
	// Source is the Dockerfile's text, for the analyzer.
	Source string
	// Missing are the COPY and ADD sources the build will not find in
	// what it sends (found before it is sent).
	Missing []MissingSource
}

// BuildStep is one Dockerfile instruction as the legacy builder ran it.
type BuildStep struct {
	Index, Total int // Step Index/Total
	Instruction  string
	// Cached is true when the builder reused an image from an earlier build.
	Cached bool
	// Container is the intermediate container RUN ran in (removed after).
	Container string
	// ImageID is the image the step committed (short id as printed); "" until done.
	ImageID string
	Output  []string
	Done    bool
	// Stage is Podman's "[2/2]" before a step of a multi-stage build (its
	// Index and Total count in that stage); 0 otherwise.
	Stage int
}

// BuildProgress is a build so far.
type BuildProgress struct {
	Context BuildContext
	// BuildKit says BuildKit ran the build: Vertices are what it did, and
	// Steps the last stage's instructions (no image ids: BuildKit commits
	// none per step).
	BuildKit bool
	// Buildah says Podman's builder ran the build: Printed are its lines
	// as podman build prints them ("STEP 2/4: COPY …", "--> Using cache …",
	// "--> 6cc29199602", "COMMIT …"), Steps every stage's steps.
	Buildah  bool
	Vertices []BuildVertex
	// Printed is the build as `docker build --progress=plain` prints it,
	// line by line, so far (see PrintedVertices); with the classic builder,
	// the lines it printed.
	Printed []string
	Steps   []BuildStep
	// ImageID is the final image (full id), set when the build succeeded.
	ImageID string
	Done    bool
}

// Current is the step running or last finished (nil before the first).
// BuildKit names every step at the start: its current one is the first
// not finished.
func (p *BuildProgress) Current() *BuildStep {
	if len(p.Steps) == 0 {
		return nil
	}
	if p.BuildKit {
		for i := range p.Steps {
			if !p.Steps[i].Done {
				return &p.Steps[i]
			}
		}
	}
	return &p.Steps[len(p.Steps)-1]
}

// Clone copies the progress so another goroutine may read it.
func (p BuildProgress) Clone() BuildProgress {
	c := p
	c.Steps = make([]BuildStep, len(p.Steps))
	for i, s := range p.Steps {
		s.Output = append([]string(nil), s.Output...)
		c.Steps[i] = s
	}
	c.Printed = append([]string(nil), p.Printed...)
	if p.Vertices != nil {
		c.Vertices = make([]BuildVertex, len(p.Vertices))
		for i, v := range p.Vertices {
			v.Logs = append([]string(nil), v.Logs...)
			v.Statuses = append([]BuildStatus(nil), v.Statuses...)
			c.Vertices[i] = v
		}
	}
	return c
}

var (
	stepRe    = regexp.MustCompile(`^Step (\d+)/(\d+) : (.*)$`)
	exitRe    = regexp.MustCompile(`(?:(?:returned a non-zero code|exit code): |while running runtime: exit status )(\d+)`)
	lineRe    = regexp.MustCompile(`(?i)line (\d+)`)
	runningRe = regexp.MustCompile(`^ ---> Running in ([0-9a-f]+)$`)
	arrowRe   = regexp.MustCompile(`^ ---> ([0-9a-f]*)$`)
	// Podman's builder (buildah): "[1/2] STEP 2/3: RUN …" (the stage only
	// in a multi-stage build), "--> Using cache FULLID", "--> SHORTID" (the
	// step's image), "[2/2] COMMIT name", and the final id alone on a line.
	buildahStepRe  = regexp.MustCompile(`^(?:\[(\d+)/\d+\] )?STEP (\d+)/(\d+): (.*)$`)
	buildahCacheRe = regexp.MustCompile(`^--> Using cache ([0-9a-f]{12,})$`)
	buildahArrowRe = regexp.MustCompile(`^--> ([0-9a-f]{6,})$`)
	buildahOtherRe = regexp.MustCompile(`^(?:(?:\[\d+/\d+\] )?COMMIT\b.*|[0-9a-f]{64})$`)
)

// BuildahStepLine reports whether a line Podman's builder printed starts a
// step ("STEP 2/4: …", "[1/2] STEP 1/2: …").
func BuildahStepLine(line string) bool { return buildahStepRe.MatchString(line) }

// BuildahCommitLine reports whether a line is Podman's "COMMIT name" (the
// last step being committed as the image).
func BuildahCommitLine(line string) bool {
	return strings.HasPrefix(line, "COMMIT") || strings.HasPrefix(line, "[") && strings.Contains(line, "] COMMIT")
}

// applyBuildahLine folds one line of Podman's builder into the progress;
// false when the line is not one of its own (output, say).
func (p *BuildProgress) applyBuildahLine(line string) bool {
	if m := buildahStepRe.FindStringSubmatch(line); m != nil {
		if cur := p.Current(); cur != nil && !cur.Done && cur.ImageID == "" {
			cur.Done = true // FROM: Podman prints nothing more for it
		}
		stage, _ := strconv.Atoi(m[1])
		i, _ := strconv.Atoi(m[2])
		n, _ := strconv.Atoi(m[3])
		p.Steps = append(p.Steps, BuildStep{Index: i, Total: n, Instruction: m[4], Stage: stage})
		return true
	}
	cur := p.Current()
	switch {
	case cur == nil:
		return false
	case buildahCacheRe.MatchString(line):
		cur.Cached = true
		cur.ImageID = buildahCacheRe.FindStringSubmatch(line)[1]
	case buildahArrowRe.MatchString(line):
		if id := buildahArrowRe.FindStringSubmatch(line)[1]; !strings.HasPrefix(cur.ImageID, id) {
			cur.ImageID = id
		}
		cur.Done = true
	case buildahOtherRe.MatchString(line):
	default:
		return false
	}
	return true
}

// applyLine folds one line of the builder's output into the progress.
func (p *BuildProgress) applyLine(line string) {
	if p.Buildah && p.applyBuildahLine(line) {
		return
	}
	if m := stepRe.FindStringSubmatch(line); m != nil {
		i, _ := strconv.Atoi(m[1])
		n, _ := strconv.Atoi(m[2])
		p.Steps = append(p.Steps, BuildStep{Index: i, Total: n, Instruction: m[3]})
		return
	}
	cur := p.Current()
	if cur == nil {
		return
	}
	switch {
	case line == " ---> Using cache":
		cur.Cached = true
	case runningRe.MatchString(line):
		cur.Container = runningRe.FindStringSubmatch(line)[1]
	case arrowRe.MatchString(line):
		cur.ImageID = arrowRe.FindStringSubmatch(line)[1]
		cur.Done = true
	case strings.HasPrefix(line, "Removing intermediate container"),
		strings.HasPrefix(line, "Successfully built"), strings.HasPrefix(line, "Successfully tagged"):
	case strings.HasPrefix(line, " ---> [Warning]"):
		cur.Output = append(cur.Output, strings.TrimPrefix(line, " ---> "))
	default:
		if !cur.Done {
			cur.Output = append(cur.Output, line)
		}
	}
}

// DecodeBuild reads the legacy builder's stream. Lines can arrive split over
// messages ("Step 1/6 : FROM x" then "\n"): they are joined before parsing.
// onUpdate gets every state of the progress.
func DecodeBuild(r io.Reader, p *BuildProgress, onUpdate func(BuildProgress)) error {
	dec := json.NewDecoder(r)
	var pending strings.Builder
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
		if m.Aux != nil {
			var res build.Result
			if json.Unmarshal(*m.Aux, &res) == nil && res.ID != "" {
				p.ImageID = res.ID
			}
			continue
		}
		if m.Stream == "" {
			continue
		}
		pending.WriteString(m.Stream)
		s := pending.String()
		last := strings.LastIndexByte(s, '\n')
		if last < 0 {
			continue
		}
		for _, line := range strings.Split(s[:last], "\n") {
			line = strings.TrimRight(line, "\r")
			p.Printed = append(p.Printed, line)
			p.applyLine(line)
		}
		pending.Reset()
		pending.WriteString(s[last+1:])
		if onUpdate != nil {
			onUpdate(p.Clone())
		}
	}
}

type buildStreamError struct{ msg string }

func (e *buildStreamError) Error() string { return e.msg }

// PrepareContext measures the context and packs it as a tar, the way the
// CLI does: .dockerignore honoured (the Dockerfile and .dockerignore always
// sent), a Dockerfile from outside the context added under a private name.
// It returns the tar and the name of the Dockerfile inside it.
func PrepareContext(o BuildOptions) (BuildContext, []byte, string, error) {
	op := "build " + o.ContextDir
	bc := BuildContext{Dir: o.ContextDir}
	st, err := os.Stat(o.ContextDir)
	if err != nil || !st.IsDir() {
		return bc, nil, "", &Error{Kind: KindNoContext, Op: op, Name: o.ContextDir, Detail: "no folder " + o.ContextDir + " to use as the build context"}
	}
	df := o.Dockerfile
	if df == "" {
		df = "Dockerfile"
	}
	if !filepath.IsAbs(df) {
		df = filepath.Join(o.ContextDir, df)
	}
	bc.Dockerfile = df
	if o.Root != "" {
		for _, p := range []string{o.ContextDir, df} {
			if err := confined(o.Root, p); err != nil {
				return bc, nil, "", &Error{Kind: KindOutside, Op: op, Detail: err.Error()}
			}
		}
	}
	src, err := os.ReadFile(df)
	if err != nil {
		name := df
		if rel, err := filepath.Rel(o.ContextDir, df); err == nil && !strings.HasPrefix(rel, "..") {
			name = filepath.ToSlash(rel)
		}
		return bc, nil, "", &Error{Kind: KindNoDockerfile, Op: op, Name: name, Detail: "no Dockerfile at " + df}
	}
	bc.Source = string(src)
	rel, err := filepath.Rel(o.ContextDir, df)
	bc.DockerfileInContext = err == nil && !strings.HasPrefix(rel, "..")
	var patterns []string
	if f, err := os.Open(filepath.Join(o.ContextDir, ".dockerignore")); err == nil {
		patterns, err = ignorefile.ReadAll(f)
		f.Close()
		if err != nil {
			return bc, nil, "", &Error{Kind: KindDockerfile, Op: op, Detail: ".dockerignore: " + err.Error()}
		}
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		return bc, nil, "", &Error{Kind: KindDockerfile, Op: op, Detail: ".dockerignore: " + err.Error()}
	}
	limit := o.MaxContext
	if limit <= 0 {
		limit = DefaultMaxContext
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	cf := contextFiles{patterns: patterns}
	tooBig := false
	walkErr := filepath.WalkDir(o.ContextDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		r, _ := filepath.Rel(o.ContextDir, path)
		if r == "." {
			return nil
		}
		r = filepath.ToSlash(r)
		always := r == ".dockerignore" || (bc.DockerfileInContext && r == filepath.ToSlash(rel))
		if !always {
			skip, err := pm.MatchesOrParentMatches(r)
			if err != nil {
				return err
			}
			if skip {
				if !d.IsDir() {
					bc.Ignored++
					cf.ignored = append(cf.ignored, r)
				}
				return nil
			}
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		link := ""
		if info.Mode()&fs.ModeSymlink != 0 {
			// A link is sent as a link (as the CLI does) when it points
			// inside the context; one that leads out of it is refused.
			if err := confined(o.ContextDir, path); err != nil {
				return &Error{Kind: KindOutside, Op: op, Detail: err.Error()}
			}
			if link, err = os.Readlink(path); err != nil {
				return err
			}
		} else if !info.Mode().IsRegular() && !info.IsDir() {
			return nil // sockets, devices: not lesson material
		}
		cf.sent = append(cf.sent, r)
		if tooBig {
			// Over the limit: the rest is only counted, so that the
			// learner is told how big it really is.
			if !info.IsDir() && link == "" {
				bc.Files++
				bc.Size += info.Size()
			}
			return nil
		}
		if !o.BuildKit { // BuildKit reads the context through its session: only measured here
			hdr, err := tar.FileInfoHeader(info, link)
			if err != nil {
				return err
			}
			hdr.Name = r
			if info.IsDir() {
				hdr.Name += "/"
			}
			hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname = 0, 0, "", ""
			if err := tw.WriteHeader(hdr); err != nil {
				return err
			}
		}
		if info.IsDir() || link != "" {
			return nil
		}
		bc.Files++
		bc.Size += info.Size()
		if bc.Size > limit {
			tooBig = true
			return nil
		}
		if o.BuildKit {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(tw, f)
		return err
	})
	if walkErr == nil && tooBig {
		// layerlab's refusal, not the daemon's: no Detail ("Docker said").
		return bc, nil, "", &Error{Kind: KindContextTooBig, Op: op, Size: bc.Size, Limit: limit}
	}
	if walkErr == nil {
		bc.Missing = missingSources(bc.Source, cf)
	}
	var de *Error
	if errors.As(walkErr, &de) {
		return bc, nil, "", de
	}
	if walkErr != nil {
		return bc, nil, "", &Error{Kind: KindUnknown, Op: op, Err: walkErr, Detail: walkErr.Error()}
	}
	name := filepath.ToSlash(rel)
	if !bc.DockerfileInContext {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		name = ".dockerfile." + hex.EncodeToString(b)
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(src))}); err != nil {
			return bc, nil, "", err
		}
		if _, err := tw.Write(src); err != nil {
			return bc, nil, "", err
		}
	}
	if err := tw.Close(); err != nil {
		return bc, nil, "", err
	}
	return bc, buf.Bytes(), name, nil
}

// BuildResult is what a finished build left on the daemon.
type BuildResult struct {
	ImageID  string
	Progress BuildProgress
	// PreviousIDs are what the tags named before the build ("" if nothing).
	PreviousIDs map[string]string
}

// Build runs `docker build` with the legacy builder, so that every step is a
// committed image the lessons can show, on Engine API 1.41 and on current
// engines alike. Its images (every step's, by the ids the stream reports) and
// its tags go into the ledger; a tag naming an image of the learner's is
// refused (KindNotOwned, see ClaimName). Intermediate
// containers never outlive the build, even when it fails or is cancelled.
func (c *Client) Build(ctx context.Context, o BuildOptions, onUpdate func(BuildProgress)) (BuildResult, error) {
	res, err := c.build(ctx, o, onUpdate)
	return res, c.marked(placeStep(err, res.Progress))
}

func (c *Client) build(ctx context.Context, o BuildOptions, onUpdate func(BuildProgress)) (BuildResult, error) {
	op := "build " + o.ContextDir
	res := BuildResult{PreviousIDs: map[string]string{}}
	if err := c.roomForImage(ctx, op); err != nil {
		return res, err
	}
	buildKit, buildah := c.buildKitOffered(ctx)
	o.BuildKit = o.BuildKit && buildKit // else the context goes as the request's body
	res.Progress.Buildah = buildah
	bc, tarball, dfName, err := PrepareContext(o)
	res.Progress.Context = bc
	if err != nil {
		return res, err
	}
	if onUpdate != nil {
		onUpdate(res.Progress.Clone())
	}
	var tags []string
	for _, t := range o.Tags {
		if err := c.ClaimName(ctx, t); err != nil {
			return res, err
		}
		_, prev, err := c.Exists(ctx, t.Full())
		if err != nil {
			return res, err
		}
		res.PreviousIDs[t.String()] = prev
		tags = append(tags, t.Full())
	}
	if o.BuildKit {
		res.Progress.BuildKit = true
		if err := c.buildKit(ctx, o, &res, tags, onUpdate); err != nil {
			return res, err
		}
		return c.finishBuild(ctx, o, res, onUpdate), nil
	}
	// No labels: each would be a LABEL step the learner did not write. The
	// images are layerlab's by the ids the stream reports, in the ledger.
	resp, err := c.api.ImageBuild(ctx, bytes.NewReader(tarball), build.ImageBuildOptions{
		Version: build.BuilderV1, Tags: tags, Dockerfile: dfName,
		Remove: true, ForceRemove: true, NoCache: o.NoCache,
	})
	if err != nil {
		return res, c.buildErr(err, op, &res.Progress)
	}
	derr := DecodeBuild(resp.Body, &res.Progress, onUpdate)
	resp.Body.Close()
	if res.Progress.Buildah {
		c.fullStepIDs(ctx, &res.Progress)
	}
	// Record every step's image as layerlab's (they are parents of the result
	// and cache for the next build), so that removing the result can remove them.
	for _, s := range res.Progress.Steps {
		if s.ImageID != "" && !s.Cached && !strings.HasPrefix(strings.ToUpper(s.Instruction), "FROM") {
			c.ledger.AddImage(c.endpoint.Host, s.ImageID, o.Lesson, "build step")
		}
	}
	if derr == nil && ctx.Err() != nil {
		derr = ctx.Err()
	}
	if derr != nil {
		c.removeIntermediates(res.Progress)
		return res, interruptedBuild(c.buildErr(derr, op, &res.Progress), res.Progress)
	}
	if res.Progress.ImageID == "" {
		c.removeIntermediates(res.Progress)
		return res, interruptedBuild(&Error{Kind: KindInterrupted, Op: op}, res.Progress)
	}
	if c.ledger.HasImage(c.endpoint.Host, res.Progress.ImageID) {
		// Made by this build (not all from the cache, which may be the learner's).
		c.ledger.AddImage(c.endpoint.Host, res.Progress.ImageID, o.Lesson, "build")
	}
	return c.finishBuild(ctx, o, res, onUpdate), nil
}

// buildKitOffered says whether the engine builds with BuildKit and, when it
// does not, whether it is Podman, whose builder (buildah) prints lines of
// its own. Podman answers /_ping with an empty Builder-Version (and /session
// with 404); Docker 20.10 names none either yet has BuildKit (not its
// default), so an empty one means no BuildKit only when the version's
// components say Podman Engine.
func (c *Client) buildKitOffered(ctx context.Context) (buildKit, buildah bool) {
	ping, err := c.api.Ping(ctx)
	if err != nil || ping.BuilderVersion != "" {
		return true, false // a failed ping: the build itself says what is wrong
	}
	if c.podman != nil && c.podman.Load() {
		return false, true
	}
	v, err := c.api.ServerVersion(ctx)
	if err == nil && isPodman(v) {
		return false, true
	}
	return true, false
}

// fullStepIDs puts the full ids of the images Podman's steps made in place
// of the short ones it prints (11 digits, fewer than the ledger's 12), so
// that they are recorded and matched as the daemon lists them.
func (c *Client) fullStepIDs(ctx context.Context, p *BuildProgress) {
	for i := range p.Steps {
		s := &p.Steps[i]
		if s.ImageID == "" || len(s.ImageID) >= 64 {
			continue
		}
		if insp, err := c.api.ImageInspect(ctx, s.ImageID); err == nil && strings.HasPrefix(strings.TrimPrefix(insp.ID, "sha256:"), s.ImageID) {
			s.ImageID = strings.TrimPrefix(insp.ID, "sha256:")
		}
	}
}

// finishBuild ends a build that made its image: done, the tags recorded.
func (c *Client) finishBuild(ctx context.Context, o BuildOptions, res BuildResult, onUpdate func(BuildProgress)) BuildResult {
	res.Progress.Done = true
	res.ImageID = res.Progress.ImageID
	for _, t := range o.Tags {
		c.recordTag(ctx, t.String(), res.ImageID, o.Lesson, "build", res.PreviousIDs[t.String()], "")
	}
	if onUpdate != nil {
		onUpdate(res.Progress.Clone())
	}
	return res
}

// removeIntermediates removes the containers the build announced ("Running
// in …") if the daemon left any: it does after a cancel on some engines.
func (c *Client) removeIntermediates(p BuildProgress) {
	ctx := context.Background()
	for _, s := range p.Steps {
		if s.Container == "" {
			continue
		}
		if insp, err := c.api.ContainerInspect(ctx, s.Container); err == nil {
			_ = c.api.ContainerRemove(ctx, insp.ID, container.RemoveOptions{Force: true})
		}
	}
}

// confined says why p, once every link on the way is followed, is not
// inside root (nil when it is).
func confined(root, p string) error {
	r, err := filepath.EvalSymlinks(root)
	if err != nil {
		return err
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		if os.IsNotExist(err) {
			// A dangling link: its target is named, not followed.
			target, lerr := os.Readlink(p)
			if lerr != nil {
				return nil // a missing file, reported where it is read
			}
			if !filepath.IsAbs(target) {
				target = filepath.Join(filepath.Dir(p), target)
			}
			real = filepath.Clean(target)
		} else {
			return err
		}
	}
	rel, err := filepath.Rel(r, real)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		name, _ := filepath.Rel(root, p)
		return fmt.Errorf("%s leads to %s, outside %s: layerlab sends nothing from outside the lesson's folder", name, real, root)
	}
	return nil
}

// interruptedBuild says where a build was when the daemon went away: the
// step it was at; the steps before it are in the build cache, so the next
// build goes on from there. Other errors pass through.
func interruptedBuild(err error, p BuildProgress) error {
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindInterrupted {
		return err
	}
	cur := p.Current()
	if cur == nil {
		e.Detail = "the daemon went away before the build started"
		return e
	}
	e.Step = cur.Index
	e.Detail = fmt.Sprintf("the daemon went away during step %d (%s); the steps before it are in the build cache, the result was not tagged", cur.Index, cur.Instruction)
	return e
}

// buildErr explains a failed build: the Dockerfile line, the failing step
// and its exit code and output, a base image that cannot be pulled.
func (c *Client) buildErr(err error, op string, p *BuildProgress) error {
	if errors.Is(err, context.Canceled) {
		return &Error{Kind: KindCanceled, Op: op, Err: err}
	}
	if isConnFailure(err) {
		return c.classifyConn(err, op)
	}
	msg := err.Error()
	var se *buildStreamError
	cur := p.Current()
	switch {
	case errors.As(err, &se) && exitRe.MatchString(msg):
		code, _ := strconv.Atoi(exitRe.FindStringSubmatch(msg)[1])
		e := &Error{Kind: KindBuildFailed, Op: op, Detail: msg, ExitCode: code}
		if cur != nil {
			e.Step = cur.Index
		}
		return e
	case strings.Contains(strings.ToLower(msg), "dockerfile parse error") || strings.Contains(strings.ToLower(msg), "unknown instruction"):
		e := &Error{Kind: KindDockerfile, Op: op, Detail: strings.TrimPrefix(msg, "Error response from daemon: ")}
		if m := lineRe.FindStringSubmatch(msg); m != nil {
			e.Line, _ = strconv.Atoi(m[1])
		}
		if p.Buildah && cur != nil {
			// Podman names no line, but the step it was at (placeStep finds
			// its line), and adds its parser's insides to the words.
			e.Step = cur.Index
			e.Detail, _, _ = strings.Cut(strings.TrimSpace(e.Detail), " &imagebuilder.Step{")
		}
		return e
	}
	if errors.As(err, &se) && cur != nil && !strings.HasPrefix(strings.ToUpper(cur.Instruction), "FROM") {
		// A step that is not FROM failed in the builder (COPY of a missing
		// file, say): the words are the builder's, the step is the learner's.
		return &Error{Kind: KindBuildFailed, Op: op, Detail: msg, Step: cur.Index}
	}
	e := classifyMessage(err, op)
	if de, ok := e.(*Error); ok {
		if cur != nil {
			de.Step = cur.Index
			if f := strings.Fields(cur.Instruction); len(f) > 1 && strings.EqualFold(f[0], "FROM") {
				de.Image = f[1]
			}
		}
		if de.Kind == KindUnknown && errors.As(err, &se) || de.Kind == KindNoCommand && cur != nil {
			// A step's program missing in its image (an exec-form RUN, the
			// classic builder) is that step failing.
			de.Kind = KindBuildFailed
		}
		if de.Kind == KindUnknown && (errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(msg, "EOF")) {
			de.Kind = KindInterrupted
		}
	}
	return e
}
