package docker_test

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockerfile"
	"github.com/layerlab/layerlab/docker/dockertest"
)

// workspace writes files into a fresh folder, as a lesson's workspace.
func workspace(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// built runs a build and removes its result (and its step images) when the test ends.
func built(t *testing.T, cli *docker.Client, o docker.BuildOptions) (docker.BuildResult, error) {
	t.Helper()
	res, err := cli.Build(context.Background(), o, nil)
	if res.ImageID != "" {
		t.Cleanup(func() {
			for _, tag := range o.Tags {
				_, _ = cli.RemoveImage(context.Background(), tag.String(), false)
			}
			_, _ = cli.RemoveImage(context.Background(), res.ImageID, false)
		})
	}
	return res, err
}

func tagRef(t *testing.T, s string) docker.Ref {
	r, err := docker.ParseRef(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// lessonDockerfile teaches FROM, ENV and substitution, RUN, EXPOSE, two CMDs.
const lessonDockerfile = `FROM BASE
ENV GREETING=hello DIR=/app
WORKDIR ${DIR}/work
COPY hello.txt $DIR/
LABEL greeting="$GREETING world" dir=${DIR}
RUN echo built > /built.txt && echo "building in $PWD"
EXPOSE 8080
CMD ["sh", "-c", "echo cmd1"]
CMD echo "$GREETING from cmd2"
`

func TestBuildHistoryMatchesTheInstructions(t *testing.T) {
	cli, base := lessonBase(t)
	dockertest.SkipOnPodman(t, cli, "the classic builder's steps and history: Podman's builder (buildah) makes no image for FROM and keeps COPY's $DIR unexpanded in the history; TestTheBuildLessonOnPodman tests its builds")
	withLedger(t, cli)
	api := dockertest.API(t)
	ctx := context.Background()
	src := strings.ReplaceAll(lessonDockerfile, "BASE", base)
	dir := workspace(t, map[string]string{"Dockerfile": src, "hello.txt": "hello\n"})
	tag := tagRef(t, uniq("layerlab-test-build")+":init")
	res, err := built(t, cli, docker.BuildOptions{ContextDir: dir, Tags: []docker.Ref{tag}, Lesson: "test-build"})
	if err != nil {
		t.Fatal(err)
	}
	an := dockerfile.Analyze(src)
	steps := res.Progress.Steps
	// Every instruction is one step, and there is no other: layerlab adds
	// no LABEL steps the learner did not write.
	if len(steps) != an.Steps || steps[0].Total != an.Steps {
		t.Fatalf("%d steps (of %d), analyzer counts %d", len(steps), steps[0].Total, an.Steps)
	}
	for i, l := range an.Lines {
		if !strings.HasPrefix(steps[i].Instruction, l.Written) || !steps[i].Done || steps[i].ImageID == "" {
			t.Errorf("step %d %+v for %s", i+1, steps[i], l.Keyword)
		}
	}
	if !slices.Contains(steps[5].Output, "building in /app/work") {
		t.Errorf("RUN output not captured: %q", steps[5].Output)
	}
	// The image's history matches the instructions one to one, newest first.
	hist, err := api.ImageHistory(ctx, res.ImageID)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hist[:an.Steps-1] { // what this build added, above FROM
		if strings.Contains(h.CreatedBy, "org.layerlab") {
			t.Errorf("layerlab's own entry in the image's history: %q", h.CreatedBy)
		}
	}
	if top := hist[0].CreatedBy; !strings.Contains(top, "CMD") {
		t.Errorf("the top entry is %q, not the Dockerfile's last instruction", top)
	}
	if docker.ShortID(res.ImageID) != steps[len(steps)-1].ImageID || !cli.Ledger().HasImage(cli.Endpoint().Host, res.ImageID) {
		t.Errorf("the built image %s is not the last step's (%s) or not recorded", res.ImageID, steps[len(steps)-1].ImageID)
	}
	for i := len(an.Lines) - 1; i >= 1; i-- {
		l, h := an.Lines[i], hist[len(an.Lines)-1-i]
		word := l.Keyword
		if word == "RUN" {
			word = "/bin/sh -c echo built"
		}
		if !strings.Contains(h.CreatedBy, word) {
			t.Errorf("history entry for line %d (%s) is %q", l.Line, l.Keyword, h.CreatedBy)
		}
		switch l.Keyword {
		case "RUN", "COPY":
			if h.Size == 0 {
				t.Errorf("%s made an empty layer", l.Keyword)
			}
		case "CMD", "ENV", "EXPOSE", "LABEL":
			if h.Size != 0 {
				t.Errorf("%s made %d bytes", l.Keyword, h.Size)
			}
		}
		// What the explanation pane shows after substitution is what the image got.
		if l.Keyword == "COPY" && !strings.HasSuffix(strings.TrimSpace(h.CreatedBy), "in "+strings.Fields(l.Expanded)[1]) {
			t.Errorf("COPY expanded to %q, history says %q", l.Expanded, h.CreatedBy)
		}
	}
	insp, err := api.ImageInspect(ctx, tag.String())
	if err != nil {
		t.Fatal(err)
	}
	cfg := insp.Config
	if !slices.Equal(cfg.Cmd, []string{"/bin/sh", "-c", `echo "$GREETING from cmd2"`}) {
		t.Errorf("Cmd %q: the last CMD must win", cfg.Cmd)
	}
	if wd, _ := an.LineAt(3); cfg.WorkingDir != wd.Expanded {
		t.Errorf("WORKDIR: image %q, explanation %q", cfg.WorkingDir, wd.Expanded)
	}
	if lab, _ := an.LineAt(5); lab.Expanded != `greeting="hello world" dir=/app` || cfg.Labels["greeting"] != "hello world" || cfg.Labels["dir"] != "/app" {
		t.Errorf("LABEL: image %v, explanation %q", cfg.Labels, lab.Expanded)
	}
	if _, ok := cfg.Labels[docker.LabelOwned]; ok {
		t.Errorf("a build of layerlab's labels the image (a LABEL step the learner did not write): %v", cfg.Labels)
	}
	for _, e := range an.Env {
		if !slices.Contains(cfg.Env, e) {
			t.Errorf("env %s not in the image's %v", e, cfg.Env)
		}
	}
	// Running it: the last CMD runs, with the ENV value; the first does not.
	run, err := cli.RunOnce(ctx, tag.String(), "test-build")
	if err != nil || strings.TrimSpace(run.Stdout) != "hello from cmd2" || run.ExitCode != 0 {
		t.Errorf("container printed %q (exit %d): %v", run.Stdout, run.ExitCode, err)
	}
	// Removing the tag removes the image and its step images, nothing below.
	rm, err := cli.RemoveImage(ctx, tag.String(), false)
	if err != nil || !rm.ImageDeleted {
		t.Fatalf("%+v %v", rm, err)
	}
	for _, s := range steps[1:] {
		if ok, _, _ := cli.Exists(ctx, s.ImageID); ok {
			t.Errorf("step %d's image %s was left behind", s.Index, s.ImageID)
		}
	}
	if ok, _, _ := cli.Exists(ctx, base); !ok {
		t.Fatal("the base image went with the build")
	}
}

func TestRebuildUsesTheCacheUntilTheChangedLine(t *testing.T) {
	cli, base := lessonBase(t)
	withLedger(t, cli)
	src := strings.ReplaceAll(lessonDockerfile, "BASE", base)
	dir := workspace(t, map[string]string{"Dockerfile": src, "hello.txt": "hello\n"})
	tag := tagRef(t, uniq("layerlab-test-rebuild")+":1")
	o := docker.BuildOptions{ContextDir: dir, Tags: []docker.Ref{tag}, Lesson: "test-build"}
	first, err := built(t, cli, o)
	if err != nil {
		t.Fatal(err)
	}
	second, err := built(t, cli, o)
	if err != nil {
		t.Fatal(err)
	}
	if second.ImageID != first.ImageID {
		t.Error("an unchanged rebuild made a new image")
	}
	for _, s := range second.Progress.Steps[1:] {
		if !s.Cached {
			t.Errorf("step %d %q not from the cache", s.Index, s.Instruction)
		}
	}
	changed := strings.Replace(src, "echo built", "echo rebuilt", 1) // line 6
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	third, err := built(t, cli, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range third.Progress.Steps[1:] {
		if want := s.Index < 6; s.Cached != want {
			t.Errorf("step %d %q: cached %v, want %v", s.Index, s.Instruction, s.Cached, want)
		}
	}
	if third.PreviousIDs[tag.String()] != first.ImageID {
		t.Errorf("previous id %v", third.PreviousIDs)
	}
}

func TestBuildDashFAndDashTLikeTheCLI(t *testing.T) {
	cli, base := lessonBase(t)
	withLedger(t, cli)
	api := dockertest.API(t)
	ctx := context.Background()
	src := strings.ReplaceAll(lessonDockerfile, "BASE", base)
	ctxDir := workspace(t, map[string]string{"hello.txt": "hello\n"})
	dfDir := workspace(t, map[string]string{"path/to/Dockerfile": src})
	df := filepath.Join(dfDir, "path/to/Dockerfile")
	tag := tagRef(t, uniq("layerlab-test-dashf")+":init")
	res, err := built(t, cli, docker.BuildOptions{ContextDir: ctxDir, Dockerfile: df, Tags: []docker.Ref{tag}, Lesson: "test-build"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Progress.Context.DockerfileInContext || res.Progress.Context.Files != 1 {
		t.Errorf("context %+v", res.Progress.Context)
	}
	mine, err := api.ImageInspect(ctx, tag.String())
	if err != nil || mine.ID != res.ImageID {
		t.Fatalf("-t did not tag the result: %v", err)
	}
	bin, err := exec.LookPath("docker")
	if err != nil {
		t.Log("no docker CLI here: comparison with `docker build -f` skipped")
		return
	}
	cliTag := uniq("layerlab-test-dashf-cli") + ":init"
	cmd := exec.Command(bin, "build", "-q", "--label", dockertest.LabelTest+"="+dockertest.RunID, "-t", cliTag, "-f", df, ctxDir)
	cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}
	t.Cleanup(func() { dockertest.RemoveIfOwned(api, cliTag) })
	theirs, err := api.ImageInspect(ctx, cliTag)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(theirs.Config.Cmd, mine.Config.Cmd) || !slices.Equal(theirs.Config.Env, mine.Config.Env) ||
		theirs.Config.WorkingDir != mine.Config.WorkingDir || !slices.Equal(theirs.RootFS.Layers, mine.RootFS.Layers) {
		t.Errorf("layerlab's build differs from the CLI's:\n%+v %v\n%+v %v", mine.Config, mine.RootFS.Layers, theirs.Config, theirs.RootFS.Layers)
	}
}

func TestFailingRunKeepsTheLayersBeforeIt(t *testing.T) {
	cli, base := lessonBase(t)
	withLedger(t, cli)
	api := dockertest.API(t)
	before := containerIDs(t, api, false) // a build's step containers carry no label
	src := "FROM " + base + "\nRUN echo " + uniq("ok") + " > /ok.txt\nRUN echo oops && exit 3\nCMD [\"sh\"]\n"
	dir := workspace(t, map[string]string{"Dockerfile": src})
	_, err := built(t, cli, docker.BuildOptions{ContextDir: dir, Lesson: "test-build"})
	var de *docker.Error
	if !errors.As(err, &de) || de.Kind != docker.KindBuildFailed || de.ExitCode != 3 || de.Step != 3 {
		t.Fatalf("want step 3 failing with exit code 3, got %#v", err)
	}
	if left := madeSince(before, containerIDs(t, api, false)); len(left) > 0 {
		t.Errorf("containers left behind by the failed build: %v", left)
	}
	fixed := strings.Replace(src, "exit 3", "true", 1)
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := built(t, cli, docker.BuildOptions{ContextDir: dir, Lesson: "test-build"})
	if err != nil {
		t.Fatal(err)
	}
	if s := res.Progress.Steps; !s[1].Cached || s[2].Cached {
		t.Errorf("the step before the failure should come from the cache: %+v", s)
	}
	// Cleanup finds the step images the failed build left.
	plan, err := cli.PlanCleanup(context.Background(), "test-build")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range cli.Cleanup(context.Background(), plan, nil) {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Item.Name, r.Err)
		}
	}
	if len(cli.Ledger().Images(cli.Endpoint().Host, "test-build")) != 0 {
		t.Error("step images left in the ledger after cleanup")
	}
	for _, s := range res.Progress.Steps[1:] {
		if ok, _, _ := cli.Exists(context.Background(), s.ImageID); ok {
			t.Errorf("step image %s left after cleanup", s.ImageID)
		}
	}
}

func TestCancelledBuildLeavesNoContainer(t *testing.T) {
	cli, base := lessonBase(t)
	withLedger(t, cli)
	api := dockertest.API(t)
	before := containerIDs(t, api, false) // a build's step containers carry no label
	dir := workspace(t, map[string]string{"Dockerfile": "FROM " + base + "\nRUN echo " + uniq("x") + " && sleep 30\n"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var running string
	_, err := cli.Build(ctx, docker.BuildOptions{ContextDir: dir, Lesson: "test-build"}, func(p docker.BuildProgress) {
		if s := p.Current(); s != nil && s.Container != "" && running == "" {
			running = s.Container
			cancel()
		}
		// Podman's builder (buildah) prints no "Running in": its RUN is
		// running once it has printed the echo. Its working container is
		// not in the Docker API's list (madeSince sees none): cancelled,
		// Podman lets the RUN's command end, commits nothing and removes
		// that container (seen with podman ps --external).
		if s := p.Current(); p.Buildah && s != nil && len(s.Output) > 0 && running == "" {
			running = "buildah working container"
			cancel()
		}
	})
	if !errors.Is(err, docker.ErrCanceled) {
		t.Fatalf("want cancelled, got %v", err)
	}
	if running == "" {
		t.Fatal("never saw the step's container")
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(madeSince(before, containerIDs(t, api, false))) > 0 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	if left := madeSince(before, containerIDs(t, api, false)); len(left) > 0 {
		t.Errorf("containers left behind by the cancelled build: %v", left)
	}
}

func TestBuildErrorsAreExplained(t *testing.T) {
	cli, base := lessonBase(t)
	withLedger(t, cli)
	ctx := context.Background()
	cases := []struct {
		name  string
		files map[string]string
		o     docker.BuildOptions
		kind  docker.Kind
		check func(*docker.Error) bool
	}{
		{"unknown instruction", map[string]string{"Dockerfile": "FROM " + base + "\nRUM echo hi\n"}, docker.BuildOptions{}, docker.KindDockerfile,
			func(e *docker.Error) bool { return e.Line == 2 }},
		{"base image nowhere", map[string]string{"Dockerfile": "FROM layerlab-no-such-image-x\n"}, docker.BuildOptions{}, docker.KindNotFound,
			func(e *docker.Error) bool { return e.Image == "layerlab-no-such-image-x" }},
		{"COPY of a missing file", map[string]string{"Dockerfile": "FROM " + base + "\nCOPY nothere.txt /\n"}, docker.BuildOptions{}, docker.KindSourceMissing,
			func(e *docker.Error) bool {
				return e.Line == 2 && e.Missing != nil && e.Missing.Why == docker.SourceAbsent && strings.Contains(e.Detail, "nothere.txt")
			}},
		{"context too big", map[string]string{"Dockerfile": "FROM " + base + "\n", "big.bin": strings.Repeat("x", 4096)}, docker.BuildOptions{MaxContext: 1024}, docker.KindContextTooBig,
			func(e *docker.Error) bool { return e.Limit == 1024 && e.Size > 1024 }},
		{"no Dockerfile", map[string]string{"other": "x"}, docker.BuildOptions{}, docker.KindNoDockerfile,
			func(e *docker.Error) bool { return e.Name == "Dockerfile" }},
		{"-f naming a missing file", map[string]string{"Dockerfile": "FROM " + base + "\n"}, docker.BuildOptions{Dockerfile: "env/Dockerfile"}, docker.KindNoDockerfile,
			func(e *docker.Error) bool { return e.Name == "env/Dockerfile" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := c.o
			o.ContextDir = workspace(t, c.files)
			_, err := cli.Build(ctx, o, nil)
			var de *docker.Error
			if !errors.As(err, &de) {
				t.Fatalf("not a *docker.Error: %v", err)
			}
			if de.Kind != c.kind && !(c.kind == docker.KindNotFound && de.Kind == docker.KindRegistryUnreachable) {
				t.Fatalf("kind %v, want %v: %v", de.Kind, c.kind, err)
			}
			if c.check != nil && !c.check(de) {
				t.Errorf("%+v", de)
			}
		})
	}
}

func TestDockerignoreIsHonoured(t *testing.T) {
	dir := workspace(t, map[string]string{
		"Dockerfile": "FROM scratch\n", "keep.txt": "k", "secret.txt": "s", "logs/a.log": "l", ".dockerignore": "secret.txt\nlogs\nDockerfile\n",
	})
	bc, tarball, name, err := docker.PrepareContext(docker.BuildOptions{ContextDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	got := tarNames(t, tarball)
	for _, want := range []string{"keep.txt", "Dockerfile", ".dockerignore"} {
		if !slices.Contains(got, want) {
			t.Errorf("%s missing from the context %v", want, got)
		}
	}
	for _, no := range []string{"secret.txt", "logs/a.log"} {
		if slices.Contains(got, no) {
			t.Errorf("%s sent although .dockerignore excludes it", no)
		}
	}
	if name != "Dockerfile" || bc.Ignored != 2 || bc.Files != 3 {
		t.Errorf("name %q, context %+v", name, bc)
	}
}

func tarNames(t *testing.T, b []byte) []string {
	t.Helper()
	var out []string
	tr := tar.NewReader(bytes.NewReader(b))
	for {
		h, err := tr.Next()
		if err != nil {
			return out
		}
		out = append(out, strings.TrimSuffix(h.Name, "/"))
	}
}

// TestSubstitutionShownIsWhatTheImageGets builds a set of Dockerfiles and
// checks every substitution the explanation pane shows against the image:
// WORKDIR against its working folder, LABEL against its labels, COPY
// against where the history says the files went, ENV against its environment.
func TestSubstitutionShownIsWhatTheImageGets(t *testing.T) {
	cli, base := lessonBase(t)
	dockertest.SkipOnPodman(t, cli, "Podman's builder keeps COPY's $VARIABLES unexpanded in the image's history (COPY file:… in $DIR/), so the history cannot be compared with the pane; the image gets the same paths")
	withLedger(t, cli)
	api := dockertest.API(t)
	ctx := context.Background()
	cases := map[string]string{
		"lesson": lessonDockerfile,
		"braces and defaults": `FROM BASE
ENV ROOT=/srv NAME=demo
ENV DATA=${ROOT}/data FULL="${NAME} app"
WORKDIR ${DATA}/${NAME}
COPY hello.txt ${ROOT}/${NAME}.txt
COPY hello.txt $DATA/
LABEL app="${FULL}" where=$DATA version=${VERSION:-1.0}
WORKDIR sub
`,
		"redefined": `FROM BASE
ENV X=one
LABEL first=$X
ENV X=two Y=${X}-too
LABEL second=$X third=$Y
WORKDIR /tmp/$X
`,
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			src := strings.ReplaceAll(src, "BASE", base)
			dir := workspace(t, map[string]string{"Dockerfile": src, "hello.txt": "hello\n"})
			res, err := built(t, cli, docker.BuildOptions{ContextDir: dir, Lesson: "test-build"})
			if err != nil {
				t.Fatal(err)
			}
			insp, err := api.ImageInspect(ctx, res.ImageID)
			if err != nil {
				t.Fatal(err)
			}
			hist, err := api.ImageHistory(ctx, res.ImageID)
			if err != nil {
				t.Fatal(err)
			}
			an := dockerfile.Analyze(src)
			labels := map[string]string{}
			workdir := ""
			for i, l := range an.Lines {
				h := hist[len(an.Lines)-1-i]
				shown := l.Args
				if l.Expanded != "" {
					shown = l.Expanded
				}
				switch l.Keyword {
				case "WORKDIR":
					if strings.HasPrefix(shown, "/") {
						workdir = shown
					} else {
						workdir = filepath.Join(workdir, shown)
					}
				case "LABEL":
					for _, kv := range splitPairs(shown) {
						k, v, _ := strings.Cut(kv, "=")
						labels[k] = strings.Trim(v, `"`)
					}
				case "COPY":
					f := strings.Fields(shown)
					if !strings.HasSuffix(strings.TrimSpace(h.CreatedBy), "in "+f[len(f)-1]) {
						t.Errorf("line %d: pane shows %q, history %q", l.Line, shown, h.CreatedBy)
					}
				}
			}
			if insp.Config.WorkingDir != workdir {
				t.Errorf("WORKDIR: pane %q, image %q", workdir, insp.Config.WorkingDir)
			}
			for k, v := range labels {
				if insp.Config.Labels[k] != v {
					t.Errorf("LABEL %s: pane %q, image %q", k, v, insp.Config.Labels[k])
				}
			}
			for _, e := range an.Env {
				if !slices.Contains(insp.Config.Env, strings.Trim(e, `"`)) && !slices.Contains(insp.Config.Env, unquoteEnv(e)) {
					t.Errorf("ENV %s not in %v", e, insp.Config.Env)
				}
			}
		})
	}
}

// splitPairs splits `a="x y" b=z` into its key=value words.
func splitPairs(s string) []string {
	var out []string
	var cur strings.Builder
	inQuote := false
	for _, r := range s {
		switch {
		case r == '"':
			inQuote = !inQuote
			cur.WriteRune(r)
		case r == ' ' && !inQuote:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

func unquoteEnv(e string) string {
	k, v, _ := strings.Cut(e, "=")
	return k + "=" + strings.Trim(v, `"`)
}

// TestWhatEnvReachesAsTheLessonSays: the Dockerfile lesson says ENV values
// are substituted in STOPSIGNAL (among others) and that FROM sees only the
// ARGs declared before it, never ENV. The daemon agrees: an ARG feeds FROM;
// an ENV does not (FROM $IMG is refused); STOPSIGNAL $SIG is the ENV value.
func TestWhatEnvReachesAsTheLessonSays(t *testing.T) {
	cli, base := lessonBase(t) // busybox:1.36
	withLedger(t, cli)
	name, tag, _ := strings.Cut(base, ":")
	good := "ARG V=" + tag + "\nFROM " + name + ":$V\nENV SIG=SIGUSR1\nSTOPSIGNAL $SIG\n"
	ref := tagRef(t, uniq("layerlab-test-envs")+":1")
	res, err := built(t, cli, docker.BuildOptions{ContextDir: workspace(t, map[string]string{"Dockerfile": good}), Tags: []docker.Ref{ref}, Lesson: "test-build"})
	if err != nil {
		t.Fatalf("ARG before FROM: %v", err)
	}
	insp, err := dockertest.API(t).ImageInspect(context.Background(), res.ImageID)
	if err != nil || insp.Config.StopSignal != "SIGUSR1" {
		t.Errorf("STOPSIGNAL $SIG: %v %+v", err, insp.Config)
	}
	bad := "FROM " + base + "\nENV IMG=" + base + "\nFROM $IMG\nRUN true\n"
	if _, err := built(t, cli, docker.BuildOptions{ContextDir: workspace(t, map[string]string{"Dockerfile": bad}), Lesson: "test-build"}); err == nil {
		t.Error("FROM $IMG with IMG set by ENV built: FROM saw an ENV value")
	}
}
