package docker_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
)

// printedCase is a build of the lesson's workspace and the transcript of
// `docker build --progress=plain` of the same build on the same engine
// (testdata/plain/README.md says how they were recorded).
type printedCase struct {
	name, file, tag string
	failed          bool
}

// TestBuildPrintsAsDockerBuildDoes: a BuildKit build's printed lines (what
// the lesson's card and the `:` line show) are what docker build
// --progress=plain printed for the same Dockerfile on the same engine: the
// same vertices, numbered as the CLI numbers them (#1, #2, … down the
// output, FROM before the RUN after it), each one's lines before its
// DONE/CACHED/ERROR, the same output of RUN, the same ERROR, and a rebuild
// CACHED where the CLI's was.
func TestBuildPrintsAsDockerBuildDoes(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	dockertest.SkipOnPodman(t, cli, "compares with the docker CLI's transcripts of Docker's builders; Podman's builds are compared with its own transcripts (docker/testdata/podman, TestABuildRunsOnTheEnginesBuilder)")
	ctx := context.Background()
	eng, err := cli.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	engine := "debian-20.10"
	if eng.ContainerdStore {
		engine = "current"
	}
	// The lesson's own base, as the transcripts were recorded with it; new
	// to the daemon (the registry's images are made for this run), so the
	// first build finds nothing in the cache, as when they were recorded.
	dockertest.PreserveTag(t, api, "busybox:latest")
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	r, _ := docker.ParseRef("busybox:latest")
	if _, err := cli.Pull(ctx, r, docker.PullOptions{Mirror: reg.Host}, nil); err != nil {
		t.Fatal(err)
	}
	withLedger(t, cli)
	dir := lessonWorkspace(t, "build")
	tag := uniq("layerlab-test-printed")
	for _, c := range []printedCase{
		{name: "build-fresh", file: "Dockerfile", tag: tag + ":init"},
		{name: "build-cached", file: "Dockerfile", tag: tag + ":init"},
		{name: "broken", file: "broken/Dockerfile", failed: true},
		{name: "multi", file: "multi/Dockerfile", tag: tag + ":multi"},
	} {
		want, err := os.ReadFile(filepath.Join("testdata", "plain", engine, c.name+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		o := docker.BuildOptions{ContextDir: dir, Dockerfile: c.file, Lesson: "test-printed", BuildKit: true}
		if c.tag != "" {
			o.Tags = []docker.Ref{tagRef(t, c.tag)}
		}
		res, err := built(t, cli, o)
		if (err != nil) != c.failed {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := res.Progress.Printed
		t.Logf("%s printed:\n%s", c.name, strings.Join(got, "\n"))
		for _, v := range res.Progress.Vertices {
			t.Logf("V %q cached=%v %v %v", v.Name, v.Cached, v.Started.Format("05.000"), v.Completed.Format("05.000"))
		}
		checkPrinted(t, c.name, got, strings.Split(string(want), "\n"))
		if c.name == "build-fresh" {
			lessonSaysAsPrinted(t, got)
		}
	}
}

// lessonSaysAsPrinted: the build lesson's example of a numbered line
// ("#8 [4/4] RUN …") is a line this build printed, in both languages.
func lessonSaysAsPrinted(t *testing.T, printed []string) {
	t.Helper()
	example := regexp.MustCompile("`(#\\d+ \\[\\d+/\\d+\\] [A-Z]+) …`")
	for _, lang := range []string{"en", "ko"} {
		text := readFile(t, filepath.Join("..", "lessons", "content", lang, "07-build.md"))
		m := example.FindStringSubmatch(text)
		if m == nil {
			t.Errorf("%s: the build lesson gives no example of a numbered line", lang)
			continue
		}
		if !slices.ContainsFunc(printed, func(l string) bool { return strings.HasPrefix(l, m[1]+" ") }) {
			t.Errorf("%s: the lesson says %q; the build printed\n%s", lang, m[1], strings.Join(printed, "\n"))
		}
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// lessonWorkspace is a copy of the lesson's workspace seed.
func lessonWorkspace(t *testing.T, id string) string {
	t.Helper()
	src := filepath.Join("..", "assets", "workspace", id)
	dir := t.TempDir()
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if fi.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

var (
	digestIn  = regexp.MustCompile(`@sha256:[0-9a-f]{64}`)
	seconds   = regexp.MustCompile(`^\d+\.\d{3}$`)
	fromStage = regexp.MustCompile(`^\[\S+ 1/\d+\] FROM`)
)

// printedShape is a printed build as the comparison reads it: each vertex's
// name (an image's digest left out), how it ended (DONE, CACHED, ERROR: …),
// and the output lines of its command (their seconds left out).
type printedShape struct {
	name, end string
	output    []string
}

func shapes(t *testing.T, printed []string) []printedShape {
	t.Helper()
	vs, _ := docker.PrintedVertices(printed)
	var out []printedShape
	for _, v := range vs {
		if v.Number == 0 {
			continue // buildx's "#0 building with … instance"
		}
		s := printedShape{name: digestIn.ReplaceAllString(v.Name, ""), end: v.End}
		// Stages FROM one image share its vertex, named after either
		// stage: whichever BuildKit said last (a race in BuildKit, the CLI
		// prints either).
		s.name = fromStage.ReplaceAllString(s.name, "[FROM]")
		if strings.HasPrefix(s.end, "DONE") {
			s.end = "DONE"
		}
		for _, l := range v.Lines {
			if sec, text, ok := strings.Cut(l, " "); ok && seconds.MatchString(sec) {
				s.output = append(s.output, text)
			}
		}
		out = append(out, s)
	}
	return out
}

func checkPrinted(t *testing.T, name string, got, want []string) {
	t.Helper()
	// The CLI's numbers: #1, #2, … in the order first printed; every line
	// of a vertex before how it ended.
	next, ended, title := 1, map[string]bool{}, map[string]string{}
	for _, l := range got {
		num, rest, ok := strings.Cut(l, " ")
		if !ok || !strings.HasPrefix(num, "#") {
			continue
		}
		if _, seen := ended[num]; !seen {
			if num != "#"+strconv.Itoa(next) {
				t.Errorf("%s: %q is numbered out of turn (want #%d next)", name, l, next)
			}
			next++
			ended[num], title[num] = false, rest
		}
		if ended[num] && rest == title[num] {
			ended[num] = false // BuildKit ran it again (the CLI prints that too)
		}
		if ended[num] {
			t.Errorf("%s: %q comes after the vertex ended", name, l)
		}
		if rest == "CACHED" || strings.HasPrefix(rest, "DONE") || strings.HasPrefix(rest, "ERROR") {
			ended[num] = true
		}
	}
	g, w := shapes(t, got), shapes(t, want)
	names := func(ss []printedShape) (internal, own []string) {
		for _, s := range ss {
			if strings.HasPrefix(s.name, "[internal]") {
				internal = append(internal, s.name)
			} else {
				own = append(own, s.name)
			}
		}
		slices.Sort(internal) // BuildKit loads these at once: their order is a race
		return internal, own
	}
	gi, go_ := names(g)
	wi, wo := names(w)
	if !slices.Equal(gi, wi) || !slices.Equal(go_, wo) {
		t.Errorf("%s: vertices\n%q %q\nthe CLI printed\n%q %q", name, gi, go_, wi, wo)
	}
	byName := map[string]printedShape{}
	for _, s := range g {
		byName[s.name] = s
	}
	for _, ws := range w {
		gs := byName[ws.name]
		if !slices.Equal(gs.output, ws.output) {
			t.Errorf("%s: %s printed %q, the CLI %q", name, ws.name, gs.output, ws.output)
		}
		// Cached or run depends on what this engine built before, for
		// FROM and for BuildKit's own loading; for the Dockerfile's steps the
		// case is made as it was when recorded.
		step := strings.HasPrefix(ws.name, "[") && !strings.HasPrefix(ws.name, "[internal]") && !strings.Contains(ws.name, " FROM ")
		if (step || strings.HasPrefix(ws.end, "ERROR")) && gs.end != ws.end {
			t.Errorf("%s: %s ended %q, the CLI's %q", name, ws.name, gs.end, ws.end)
		}
	}
}
