package docker_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	units "github.com/docker/go-units"

	"github.com/layerlab/layerlab/assets"
	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
	"github.com/layerlab/layerlab/lessons/engine"
)

// The shrink lesson's claims, on the lesson's own Dockerfiles (its
// workspace seed, FROM the test's busybox), built with BuildKit as the
// lesson's steps build them, on both engines.

// shrinkWorkspace copies the lesson's seed into a fresh folder, FROM base.
func shrinkWorkspace(t *testing.T, base string) string {
	t.Helper()
	seed, ok := assets.Workspace("shrink")
	if !ok {
		t.Fatal("no workspace seed for the shrink lesson")
	}
	dir := t.TempDir()
	err := fs.WalkDir(seed, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		out := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		b, err := fs.ReadFile(seed, p)
		if err != nil {
			return err
		}
		return os.WriteFile(out, []byte(strings.ReplaceAll(string(b), "busybox:latest", base)), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func shrinkBuild(t *testing.T, cli *docker.Client, dir, ctxDir, file, tag string) docker.BuildResult {
	t.Helper()
	o := docker.BuildOptions{ContextDir: filepath.Join(dir, ctxDir), Lesson: "shrink", Root: dir, BuildKit: true,
		Tags: []docker.Ref{tagRef(t, tag)}}
	if file != "" {
		o.Dockerfile = filepath.Join(dir, file)
	}
	res, err := built(t, cli, o)
	if err != nil {
		t.Fatalf("build %s: %v\n%s", tag, err, strings.Join(res.Progress.Printed, "\n"))
	}
	return res
}

func imageSize(t *testing.T, cli *docker.Client, ref string) int64 {
	t.Helper()
	ims, err := cli.Images(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, im := range ims {
		if im.Ref() == ref {
			return im.Size
		}
	}
	t.Fatalf("no image %s", ref)
	return 0
}

// TestDeletingInALaterLayerKeepsTheBytes: RUN rm in a later layer leaves
// the image as large as with the file (docker images: 10 MB more than the
// fixes; twice that on the containerd store, which counts each layer
// compressed and unpacked); docker history shows the dd entry of 10.5 MB
// and the rm entry of 0 B (a few kB on the containerd store); the rm
// layer's files are one whiteout, D /big, over the layer that still has
// it; one RUN that makes and deletes, and a multi-stage build, are
// busybox's size plus a few bytes, with no 10 MB entry in their history;
// the work stage's layer stays in the build cache.
func TestDeletingInALaterLayerKeepsTheBytes(t *testing.T) {
	cli, base := lessonBase(t)
	dockertest.SkipOnPodman(t, cli, "the sizes and CACHED lines of Docker's stores; on Podman the lesson's statements (rm's entry 2 kB, --> Using cache) are TestTheShrinkLessonOnPodman's")
	withLedger(t, cli)
	ctx := context.Background()
	eng, err := cli.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := shrinkWorkspace(t, base)
	repo := uniq("layerlab-test-shrink")
	later, one, multi := repo+":later-rm", repo+":one-run", repo+":multi-stage"
	shrinkBuild(t, cli, dir, "big", "", later)
	shrinkBuild(t, cli, dir, "onerun", "", one)
	shrinkBuild(t, cli, dir, "multistage", "", multi)
	bigSize, oneSize, multiSize, baseSize := imageSize(t, cli, later), imageSize(t, cli, one), imageSize(t, cli, multi), imageSize(t, cli, base)
	t.Logf("containerd store %v: later-rm %d, one-run %d, multi-stage %d, busybox %d", eng.ContainerdStore, bigSize, oneSize, multiSize, baseSize)
	const tenMB = 10 << 20
	twice := int64(1)
	if eng.ContainerdStore {
		twice = 2 // compressed and unpacked: random bytes do not compress
	}
	for name, small := range map[string]int64{"one-run": oneSize, "multi-stage": multiSize} {
		if bigSize-small < twice*10_000_000 {
			t.Errorf("later-rm %d is not %d×10 MB larger than %s %d", bigSize, twice, name, small)
		}
		if small-baseSize > 100_000 {
			t.Errorf("%s %d is more than busybox %d and a few bytes", name, small, baseSize)
		}
	}
	hist, err := cli.History(ctx, later)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) < 2 || !strings.Contains(hist[0].CreatedBy, "rm /big") || !strings.Contains(hist[1].CreatedBy, "dd if=/dev/urandom") {
		t.Fatalf("history: %+v", hist)
	}
	if hist[1].Size < tenMB || hist[0].Size > 10_000 {
		t.Errorf("history sizes: dd %d (want 10.5 MB), rm %d (want 0 B, a few kB on the containerd store)", hist[1].Size, hist[0].Size)
	}
	if !eng.ContainerdStore && hist[0].Size != 0 {
		t.Errorf("rm's entry is %d B on the classic store, the lesson says 0 B", hist[0].Size)
	}
	if render := units.HumanSizeWithPrecision(float64(hist[1].Size), 3); render != "10.5MB" {
		t.Errorf("dd's entry prints as %s, the lesson says 10.5MB", render)
	}
	mh, err := cli.History(ctx, multi)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range mh {
		if h.Size > 1<<20 && !strings.Contains(h.CreatedBy, "COPY") {
			t.Errorf("multi-stage has a large entry: %+v", h)
		}
		if strings.Contains(h.CreatedBy, "dd if=") {
			t.Errorf("the work stage's RUN is in the image's history: %+v", h)
		}
	}
	// The work stage's layer stays in the build cache: built again, its RUN is CACHED.
	again := shrinkBuild(t, cli, dir, "multistage", "", multi)
	vs, _ := docker.PrintedVertices(again.Progress.Printed)
	var workCached bool
	for _, v := range vs {
		if strings.Contains(v.Name, "dd if=/dev/urandom") && v.End == "CACHED" {
			workCached = true
		}
	}
	if !workCached {
		t.Errorf("the work stage's RUN is not in the build cache:\n%s", strings.Join(again.Progress.Printed, "\n"))
	}
	layers, err := cli.Files(ctx, later)
	if err != nil {
		t.Fatal(err)
	}
	top, below := layers[len(layers)-1], layers[len(layers)-2]
	var whiteout bool
	for _, f := range top.Files {
		switch {
		case f.Path == "/big" && f.Kind == docker.Deleted:
			whiteout = true
		case !f.Dir:
			t.Errorf("the rm layer holds a file: %+v", f)
		}
	}
	if !whiteout {
		t.Errorf("the rm layer's files: %+v (want the whiteout D /big)", top.Files)
	}
	var found bool
	for _, f := range below.Files {
		if f.Path == "/big" && f.Kind == docker.Added && f.Size == tenMB {
			found = true
		}
	}
	if !found {
		t.Errorf("the dd layer does not hold /big whole: %+v", below.Files)
	}
}

// cachedSteps says of each instruction of a BuildKit build (FROM left out)
// whether it came from the cache, by its text.
func cachedSteps(t *testing.T, res docker.BuildResult) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, s := range res.Progress.Steps[1:] {
		out[s.Instruction] = s.Cached
	}
	return out
}

// TestCacheOrderAsTheLessonSays: with COPY . . before the slow RUN, a
// changed source file runs the RUN again (DONE in 2 s or more, not
// CACHED); with the dependency list copied first, the RUN stays CACHED and
// only the last COPY . . runs; a changed log runs COPY . . again and is
// sent in the context (32 kB), and with .dockerignore it is not sent (1
// ignored, a few hundred bytes) and a change in it leaves every step CACHED.
func TestCacheOrderAsTheLessonSays(t *testing.T) {
	cli, base := lessonBase(t)
	dockertest.SkipOnPodman(t, cli, "BuildKit's DONE and CACHED lines; on Podman the cache order is TestTheShrinkLessonOnPodman's")
	withLedger(t, cli)
	dir := shrinkWorkspace(t, base)
	repo := uniq("layerlab-test-cache")
	change := func(file, line string) {
		t.Helper()
		if _, err := engine.AppendLine(dir, file, line, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	const run, deps, all = "RUN sleep 2 && cp deps.txt installed.txt", "COPY deps.txt .", "COPY . ."
	shrinkBuild(t, cli, dir, "cache", "cache/slow.Dockerfile", repo+":slow")
	change("cache/app.sh", "# changed $(date)")
	res := shrinkBuild(t, cli, dir, "cache", "cache/slow.Dockerfile", repo+":slow")
	if c := cachedSteps(t, res); c[run] || c[all] {
		t.Errorf("COPY . . first, app.sh changed: %v (want COPY . . and the RUN run again)", c)
	}
	var ran bool
	vs, _ := docker.PrintedVertices(res.Progress.Printed)
	for _, v := range vs {
		if strings.Contains(v.Name, "RUN sleep 2") {
			var secs float64
			if _, err := fmt.Sscanf(v.End, "DONE %fs", &secs); err == nil && secs >= 2 {
				ran = true
			}
		}
	}
	if !ran {
		t.Errorf("the slow RUN did not print DONE 2.0s or more:\n%s", strings.Join(res.Progress.Printed, "\n"))
	}

	shrinkBuild(t, cli, dir, "cache", "", repo+":deps-first")
	change("cache/app.sh", "# changed $(date)")
	res = shrinkBuild(t, cli, dir, "cache", "", repo+":deps-first")
	if c := cachedSteps(t, res); !c[run] || !c[deps] || c[all] {
		t.Errorf("deps first, app.sh changed: %v (want the COPY of deps.txt and the RUN cached, COPY . . run)", c)
	}
	change("cache/debug.log", "$(date) debug request served in 3 ms")
	res = shrinkBuild(t, cli, dir, "cache", "", repo+":deps-first")
	if c := cachedSteps(t, res); !c[run] || c[all] {
		t.Errorf("deps first, debug.log changed: %v (want the RUN cached, COPY . . run)", c)
	}
	sent := res.Progress.Context
	if sent.Size < 32_000 || sent.Size > 33_000 || sent.Ignored != 0 {
		t.Errorf("cache's context: %+v (want debug.log's 32 kB in it)", sent)
	}

	res = shrinkBuild(t, cli, dir, "ignore", "", repo+":ignored")
	if c := cachedSteps(t, res); !c[run] || !c[deps] {
		t.Errorf("ignore's first build: %v (want the COPY of deps.txt and the RUN from the cache: same contents as cache's)", c)
	}
	ign := res.Progress.Context
	if ign.Ignored != 1 || ign.Size > 1000 {
		t.Errorf("ignore's context: %+v (want debug.log ignored, a few hundred bytes sent)", ign)
	}
	change("ignore/debug.log", "$(date) debug request served in 3 ms")
	res = shrinkBuild(t, cli, dir, "ignore", "", repo+":ignored")
	for ins, cached := range cachedSteps(t, res) {
		if !cached {
			t.Errorf("%s ran again after a change of an ignored file", ins)
		}
	}
	// As the lesson says it: FROM prints DONE, not CACHED; the card's 5
	// steps, 4 from the cache.
	n, cached := len(res.Progress.Steps), 0
	for _, s := range res.Progress.Steps {
		if s.Cached {
			cached++
		}
	}
	if from := res.Progress.Steps[0]; n != 5 || cached != 4 || from.Cached || !strings.HasPrefix(strings.ToUpper(from.Instruction), "FROM") {
		t.Errorf("ignore's second build: %d steps, %d cached, the first %q cached %v (want 5, 4, FROM not cached)", n, cached, from.Instruction, from.Cached)
	}
	vs, _ = docker.PrintedVertices(res.Progress.Printed)
	for _, v := range vs {
		if strings.Contains(v.Name, "] FROM ") && !strings.HasPrefix(v.End, "DONE") {
			t.Errorf("the FROM line ends %q, not DONE", v.End)
		}
	}
}
