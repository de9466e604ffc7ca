// Command bench measures layerlab and its peers side by side, in the same
// run, on the same daemon, and prints the table of the performance budgets
// (issue 9; docs/performance.md). The docker CLI is always measured; dive,
// glow and lazydocker only when they are on PATH (their column is "-"
// otherwise, never a made-up figure). Run it with bench/run.sh.
package main

import (
	"archive/tar"
	"context"
	crand "crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
	"github.com/docker/docker/pkg/jsonmessage"
	"github.com/google/go-containerregistry/pkg/registry"

	"github.com/layerlab/layerlab/docker"
)

var (
	bin   = flag.String("bin", "", "the layerlab binary to measure")
	reps  = flag.Int("reps", 5, "repetitions of each timed run (medians are reported)")
	idle  = flag.Duration("idle", 60*time.Second, "how long the app stays open, idle, for the idle row")
	quick = flag.Bool("quick", false, "small images (for trying the script, not for the figures)")
	only  = flag.String("only", "", "run only these rows: firstframe, lesson, panel, ops, app (comma-separated)")
	// The start-up floors (bench/floor): an empty Bubble Tea program, and the
	// same linking layerlab's libraries; bench/run.sh builds them.
	floorEmpty = flag.String("floor-empty", "", "the empty Bubble Tea program (bench/floor/empty)")
	floorLibs  = flag.String("floor-libs", "", "the empty program linking layerlab's libraries (bench/floor/libs)")
)

// want reports whether a section is to be run.
func want(section string) bool {
	return *only == "" || strings.Contains(","+*only+",", ","+section+",")
}

// row is one line of the table: layerlab's figure, the peer's, and the budget.
type row struct {
	what, layerlab, peer, ratio, budget, verdict string
}

var rows []row

func add(r row) {
	rows = append(rows, r)
	fmt.Fprintf(os.Stderr, "  %-52s layerlab %-12s peer %-28s %s %s\n", r.what, r.layerlab, r.peer, r.ratio, r.verdict)
}

func ok(pass bool) string {
	if pass {
		return "✓"
	}
	return "✗ over budget"
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
func secs(d time.Duration) string {
	return fmt.Sprintf("%.2f s", d.Seconds())
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func main() {
	flag.Parse()
	log.SetFlags(0)
	if *bin == "" {
		fatal("bench: --bin is the layerlab binary (bench/run.sh builds it)")
	}
	ctx := context.Background()
	api, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		fatal(err)
	}
	if _, err := api.Ping(ctx); err != nil {
		fatalf("bench needs a running Docker daemon: %v", err)
	}
	api.NegotiateAPIVersion(ctx)
	if want("firstframe") {
		// One session lives through the rows, so that every start meets a
		// running tmux server (the server's own start is no program's).
		exec.Command("tmux", "new-session", "-d", "-s", "llbench-keep").Run() //nolint:errcheck
		firstFrame()
		exec.Command("tmux", "kill-session", "-t", "llbench-keep").Run() //nolint:errcheck
	}
	if want("lesson") {
		longLesson()
	}
	if !want("panel") && !want("ops") && !want("app") {
		print()
		return
	}
	reg := startRegistry()
	atExit = append(atExit, func() { sweep(api) })
	defer sweep(api)
	fmt.Fprintf(os.Stderr, "registry %s; building the test images (labelled %s)\n", reg, benchLabel)
	imgs := buildImages(ctx, api)
	for _, im := range imgs {
		push(ctx, api, reg, im.tag, "bench/"+im.name+":latest")
	}
	// The pull lesson's python:3.6.0-slim step, through the mirror, gets the medium image.
	push(ctx, api, reg, imgs[0].tag, "library/python:3.6.0-slim")
	if want("panel") {
		panel(imgs)
	}
	// From here on the images come from the registry: their local copies go
	// (they are built again by the next run), so that pulls download.
	for _, im := range imgs {
		// With its parents: the legacy builder keeps one untagged image
		// per step, and they hold the layers.
		_, err := api.ImageRemove(ctx, im.tag, image.RemoveOptions{PruneChildren: true})
		must(err)
	}
	if want("ops") {
		pullBuildCommit(ctx, api, reg, imgs[0])
	}
	if want("app") {
		appRun(ctx, api, reg, imgs)
	}
	print()
}

func print() {
	fmt.Println("| what | layerlab | peer | ratio | budget | |")
	fmt.Println("|---|---|---|---|---|---|")
	for _, r := range rows {
		fmt.Printf("| %s | %s | %s | %s | %s | %s |\n", r.what, r.layerlab, r.peer, r.ratio, r.budget, r.verdict)
	}
}

// startRegistry serves an in-memory registry on 127.0.0.1, which the daemon
// pulls from as from Docker Hub (127.0.0.0/8 is insecure by default).
func startRegistry() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fatal(err)
	}
	go http.Serve(ln, registry.New(registry.Logger(log.New(io.Discard, "", 0)))) //nolint:errcheck
	return ln.Addr().String()
}

const benchLabel = "org.layerlab.bench"

// benchImage is a test image: layers of files of random data.
type benchImage struct {
	name, tag     string
	layers, files int
	size          int64 // bytes per layer
}

// buildImages builds (once; later runs reuse them) the busybox base, a
// medium image (20 layers, ~20k files, ~200 MB) and a large one (5 layers,
// ~100k files, ~500 MB), from random data, with the legacy builder.
func buildImages(ctx context.Context, api *client.Client) []benchImage {
	base := "layerlab-bench/base:v1"
	if !exists(ctx, api, base) {
		dir := tmpDir()
		bb, err := os.ReadFile("/bin/busybox")
		if err != nil {
			fatal("bench needs Debian's busybox-static (/bin/busybox)")
		}
		must(os.WriteFile(filepath.Join(dir, "busybox"), bb, 0o755))
		must(os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\nENV PATH=/bin\nCMD [\"sh\"]\n"), 0o644))
		cliBuild(dir, base)
	}
	medium := benchImage{name: "medium", layers: 20, files: 1024, size: 10 << 20}
	large := benchImage{name: "large", layers: 5, files: 20480, size: 100 << 20}
	if *quick {
		medium = benchImage{name: "medium", layers: 20, files: 64, size: 640 << 10}
		large = benchImage{name: "large", layers: 5, files: 1024, size: 5 << 20}
	}
	var out []benchImage
	for _, im := range []benchImage{medium, large} {
		im.tag = fmt.Sprintf("layerlab-bench/%s:%dx%dx%d", im.name, im.layers, im.files, im.size)
		{
			fmt.Fprintf(os.Stderr, "  building %s (%d layers of %d files, %d MB in all)…\n", im.tag, im.layers, im.layers*im.files, int64(im.layers)*im.size>>20)
			buildLayered(ctx, api, base, im)
		}
		out = append(out, im)
	}
	return out
}

// buildLayered builds im FROM base with one COPY per layer of a folder of
// random files; the context is written as a tar stream (one process, no
// files on disk), as the CLI would send it.
func buildLayered(ctx context.Context, api *client.Client, base string, im benchImage) {
	pr, pw := io.Pipe()
	go func() {
		tw := tar.NewWriter(pw)
		df := "FROM " + base + "\n"
		for i := range im.layers {
			df += fmt.Sprintf("COPY l%d /data/l%d\n", i, i)
		}
		hdr := func(name string, size int64) {
			must(tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: size, ModTime: time.Unix(1700000000, 0), Typeflag: tar.TypeReg}))
		}
		hdr("Dockerfile", int64(len(df)))
		_, _ = tw.Write([]byte(df))
		// A new seed each run: no layer of an earlier run's image is shared.
		var seed [32]byte
		_, _ = crand.Read(seed[:])
		rnd := rand.NewChaCha8(seed)
		per := im.size / int64(im.files)
		buf := make([]byte, per)
		for i := range im.layers {
			for f := range im.files {
				hdr(fmt.Sprintf("l%d/f%05d", i, f), per)
				_, _ = rnd.Read(buf)
				if _, err := tw.Write(buf); err != nil {
					pw.CloseWithError(err)
					return
				}
			}
		}
		pw.CloseWithError(tw.Close())
	}()
	resp, err := api.ImageBuild(ctx, pr, build.ImageBuildOptions{Version: build.BuilderV1, Tags: []string{im.tag}, Remove: true, ForceRemove: true,
		Labels: map[string]string{benchLabel: "true"}})
	must(err)
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	for {
		var m jsonmessage.JSONMessage
		if err := dec.Decode(&m); err == io.EOF {
			break
		} else if err != nil {
			fatal(err)
		}
		if m.Error != nil {
			fatalf("build %s: %s", im.tag, m.Error.Message)
		}
	}
}

func cliBuild(dir, tag string) {
	cmd := exec.Command("docker", "build", "-q", "--label", benchLabel+"=true", "-t", tag, dir)
	cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		fatalf("build %s: %v\n%s", tag, err, out)
	}
}

func exists(ctx context.Context, api *client.Client, ref string) bool {
	_, err := api.ImageInspect(ctx, ref)
	return err == nil
}

func push(ctx context.Context, api *client.Client, reg, local, name string) {
	target := reg + "/" + name
	must(api.ImageTag(ctx, local, target))
	defer api.ImageRemove(ctx, target, image.RemoveOptions{}) //nolint:errcheck // untag only
	if out, err := exec.Command("docker", "push", "-q", target).CombinedOutput(); err != nil {
		fatalf("push %s: %v\n%s", target, err, out)
	}
}

// sweep removes the bench's images that lost their tag (each repetition
// of a build or commit moves its tag to a new image): only what carries the
// bench's label.
func sweep(api *client.Client) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	list, err := api.ImageList(ctx, image.ListOptions{Filters: filters.NewArgs(filters.Arg("dangling", "true"), filters.Arg("label", benchLabel+"=true"))})
	if err != nil {
		return
	}
	for _, im := range list {
		api.ImageRemove(ctx, im.ID, image.RemoveOptions{PruneChildren: true}) //nolint:errcheck
	}
}

// atExit runs when the harness ends, also on a fatal error: no tmux
// session, app or bench image is left behind.
var atExit []func()

func fatal(v ...any) {
	for i := len(atExit) - 1; i >= 0; i-- {
		atExit[i]()
	}
	log.Fatal(v...)
}

func fatalf(format string, v ...any) { fatal(fmt.Sprintf(format, v...)) }

func must(err error) {
	if err != nil {
		fatal(err)
	}
}

func tmpDir() string {
	d, err := os.MkdirTemp("", "layerlab-bench")
	must(err)
	return d
}

// tmuxFirst starts cmd in a fresh 120x40 tmux session and returns how long it
// took until the screen contained want.
func tmuxFirst(cmd, want string) (time.Duration, error) {
	exec.Command("tmux", "kill-session", "-t", "llbench").Run() //nolint:errcheck
	start := time.Now()
	if out, err := exec.Command("tmux", "new-session", "-d", "-s", "llbench", "-x", "120", "-y", "40", cmd).CombinedOutput(); err != nil {
		return 0, fmt.Errorf("tmux: %v: %s", err, out)
	}
	defer exec.Command("tmux", "kill-session", "-t", "llbench").Run() //nolint:errcheck
	for time.Since(start) < 20*time.Second {
		out, _ := exec.Command("tmux", "capture-pane", "-p", "-t", "llbench").Output()
		if strings.Contains(string(out), want) {
			return time.Since(start), nil
		}
		time.Sleep(time.Millisecond)
	}
	return 0, fmt.Errorf("%q never showed %q", cmd, want)
}

func repeat(f func() (time.Duration, error)) (time.Duration, error) {
	var ds []time.Duration
	for range *reps {
		d, err := f()
		if err != nil {
			return 0, err
		}
		ds = append(ds, d)
	}
	return median(ds), nil
}

func peer(name string) string {
	p, err := exec.LookPath(name)
	if err != nil {
		return ""
	}
	return p
}

// firstFrame: process start to the first screen with the lesson list, in
// tmux 120x40; with the daemon answering, absent, and slow (a proxy that
// holds each answer 2 s).
func firstFrame() {
	env := "env XDG_STATE_HOME=" + tmpDir() + " XDG_CACHE_HOME=" + tmpDir() + " LANG=en_US.UTF-8 "
	want := "Pick a lesson"
	slow := slowProxy(2 * time.Second)
	cases := []struct{ label, prefix string }{
		{"daemon answering", ""},
		{"no daemon", "DOCKER_HOST=unix:///nonexistent/docker.sock "},
		{"daemon slow (2 s per answer)", "DOCKER_HOST=unix://" + slow + " "},
	}
	lazy := "-"
	if p := peer("lazydocker"); p != "" {
		if d, err := repeat(func() (time.Duration, error) { return tmuxFirst(p, "Containers") }); err == nil {
			lazy = "lazydocker " + ms(d)
		}
	}
	glow := "-"
	if p := peer("glow"); p != "" {
		md, _ := filepath.Abs("bench/testdata/long-lesson.md")
		if d, err := repeat(func() (time.Duration, error) { return tmuxFirst(p+" -p "+md, "Part 0") }); err == nil {
			glow = "glow " + ms(d)
		}
	}
	floors(env, want)
	for _, c := range cases {
		d, err := repeat(func() (time.Duration, error) { return tmuxFirst(env+c.prefix+*bin, want) })
		if err != nil {
			fatal(err)
		}
		p := lazy + ", " + glow
		add(row{what: "first frame in tmux 120x40, " + c.label, layerlab: ms(d), peer: p, ratio: "", budget: "≤ 60 ms", verdict: ok(d <= 60*time.Millisecond)})
	}
}

// floors measures layerlab's first frame against the two start-up floors,
// in turn in the same rounds (the order rotating, so none always meets a
// warm cache): the medians and layerlab's ratio to the floor that links its
// libraries (budget 1.10: the rest of its start-up is the libraries').
func floors(env, want string) {
	if *floorEmpty == "" || *floorLibs == "" {
		return
	}
	progs := []string{*bin, *floorLibs, *floorEmpty}
	times := make([][]time.Duration, len(progs))
	n := max(*reps, 9)
	for round := range n {
		for k := range progs {
			i := (k + round) % len(progs)
			d, err := tmuxFirst(env+progs[i], want)
			if err != nil {
				fatal(err)
			}
			times[i] = append(times[i], d)
		}
	}
	me, libs, empty := median(times[0]), median(times[1]), median(times[2])
	r := float64(me) / float64(libs)
	add(row{what: fmt.Sprintf("first frame vs the floors (median of %d, in turn)", n), layerlab: ms(me),
		peer: "empty " + ms(empty) + ", empty + libraries " + ms(libs), ratio: fmt.Sprintf("%.3f", r),
		budget: "≤ 1.10 × empty + libraries", verdict: ok(r <= 1.10)})
}

// slowProxy is a unix socket in front of the daemon that holds every chunk
// of its answers for d: a daemon that answers slowly.
func slowProxy(d time.Duration) string {
	path := filepath.Join(tmpDir(), "slow.sock")
	ln, err := net.Listen("unix", path)
	must(err)
	up := strings.TrimPrefix(client.DefaultDockerHost, "unix://")
	if h := os.Getenv("DOCKER_HOST"); strings.HasPrefix(h, "unix://") {
		up = strings.TrimPrefix(h, "unix://")
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("unix", up)
			if err != nil {
				c.Close()
				continue
			}
			go func() { io.Copy(u, c); u.Close() }() //nolint:errcheck
			go func() {
				buf := make([]byte, 32<<10)
				for {
					n, err := u.Read(buf)
					if n > 0 {
						time.Sleep(d)
						if _, werr := c.Write(buf[:n]); werr != nil {
							break
						}
					}
					if err != nil {
						break
					}
				}
				c.Close()
			}()
		}
	}()
	return path
}

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(-\d+)?\s+\d+\s+([\d.]+) ns/op`)

// goBench runs Go benchmarks and returns ns/op by name (without -N).
func goBench(pkg, pattern, benchtime string, env ...string) map[string]time.Duration {
	cmd := exec.Command("go", "test", pkg, "-run", "XX", "-bench", pattern, "-benchtime", benchtime)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		fatalf("go test -bench %s: %v\n%s", pattern, err, out)
	}
	res := map[string]time.Duration{}
	for _, line := range strings.Split(string(out), "\n") {
		if m := benchLine.FindStringSubmatch(line); m != nil {
			ns, _ := strconv.ParseFloat(m[3], 64)
			res[m[1]] = time.Duration(ns)
		}
	}
	return res
}

// procs is the -N go test adds to a benchmark's name (GOMAXPROCS).
var procs = regexp.MustCompile(`-\d+$`)

// benchMetric runs benchmarks and returns the metric unit each reported,
// by the benchmark's last name part (the image).
func benchMetric(pkg, pattern, benchtime, unit string, env ...string) map[string]float64 {
	cmd := exec.Command("go", "test", pkg, "-run", "XX", "-bench", pattern, "-benchtime", benchtime)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		fatalf("go test -bench %s: %v\n%s", pattern, err, out)
	}
	res := map[string]float64{}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		for i := 1; i < len(f); i++ {
			if f[i] == unit && strings.HasPrefix(f[0], "Benchmark") {
				v, _ := strconv.ParseFloat(f[i-1], 64)
				name := procs.ReplaceAllString(f[0], "")
				res[name[strings.Index(name, "/")+1:]] = v
			}
		}
	}
	return res
}

// saveTimes is how long docker save of ref takes to its first byte and to
// its last, read and thrown away.
func saveTimes(ref string) (first, all time.Duration, err error) {
	cmd := exec.Command("docker", "save", ref)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	var one [1]byte
	if _, err := io.ReadFull(out, one[:]); err != nil {
		cmd.Wait() //nolint:errcheck
		return 0, 0, err
	}
	first = time.Since(start)
	if _, err := io.Copy(io.Discard, out); err != nil {
		return 0, 0, err
	}
	return first, time.Since(start), cmd.Wait()
}

// timeProc runs a command to its end and returns its wall time.
func timeProc(name string, args ...string) (time.Duration, error) {
	start := time.Now()
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	err := cmd.Run()
	return time.Since(start), err
}

func longLesson() {
	res := goBench("./tui", "LongLesson", "30x")
	glow := "-"
	if p := peer("glow"); p != "" {
		if d, err := repeat(func() (time.Duration, error) {
			return timeProc(p, "-s", "dark", "-w", "100", "bench/testdata/long-lesson.md")
		}); err == nil {
			glow = "glow (whole process) " + ms(d)
		}
	}
	first := res["BenchmarkLongLessonFirstRender"]
	add(row{what: "first render of a 300-line lesson, width 100", layerlab: ms(first), peer: glow, budget: "≤ 50 ms", verdict: ok(first > 0 && first <= 50*time.Millisecond)})
	back := res["BenchmarkLongLessonSwitchBack"]
	add(row{what: "switching back to it (list and lesson again)", layerlab: ms(back), peer: "-", budget: "≤ 16 ms", verdict: ok(back > 0 && back <= 16*time.Millisecond)})
	rs := res["BenchmarkLongLessonResizeSeen"]
	add(row{what: "resizing to a width already seen", layerlab: ms(rs), peer: "-", budget: "≤ 16 ms", verdict: ok(rs > 0 && rs <= 16*time.Millisecond)})
}

// panel: selection to the frame showing the image's layers, against dive's
// analysis of the same image (dive --ci: analyse, report, exit).
func panel(imgs []benchImage) {
	var refs []string
	for _, im := range imgs {
		refs = append(refs, im.tag)
	}
	env := "LAYERLAB_BENCH_IMAGES=" + strings.Join(refs, ",")
	res := goBench("./tui", "Panel", "20x", env)
	files := goBench("./tui", "^BenchmarkLayerFiles$", "3x", env)
	first := goBench("./tui", "^BenchmarkLayerFirstFiles$", "1x", env)
	indexed := goBench("./tui", "^BenchmarkLayerIndexed$", "20x", env)
	rss := benchMetric("./tui", "^BenchmarkLayerFiles$", "1x", "peak-RSS-MiB", env)
	of := func(res map[string]time.Duration, im benchImage) time.Duration {
		var d time.Duration
		for name, v := range res {
			if strings.Contains(name, strings.ReplaceAll(im.tag, ":", "_")) || strings.Contains(name, im.tag) {
				d = v
			}
		}
		return d
	}
	for _, im := range imgs {
		d, f, ix := of(res, im), of(files, im), of(indexed, im)
		// The first files of each layer: the median over the layers.
		var firsts []time.Duration
		for name, v := range first {
			if strings.Contains(name, im.tag) || strings.Contains(name, strings.ReplaceAll(im.tag, ":", "_")) {
				firsts = append(firsts, v)
			}
		}
		sort.Slice(firsts, func(a, b int) bool { return firsts[a] < firsts[b] })
		var med time.Duration
		if len(firsts) > 0 {
			med = firsts[len(firsts)/2]
		}
		p, r, fp, fr, mr := "-", "", "-", "", ""
		pass := d > 0 && d <= 50*time.Millisecond
		firstPass := false
		if dive := peer("dive"); dive != "" {
			cmd := exec.Command(dive, "--ci", "--lowestEfficiency", "0", "--highestUserWastedPercent", "1", im.tag)
			cmd.Env = append(os.Environ(), "CI=true")
			start := time.Now()
			if err := cmd.Run(); err == nil {
				dd := time.Since(start)
				p = "dive " + secs(dd)
				r = fmt.Sprintf("%.0fx faster", float64(dd)/float64(d))
				pass = pass && dd >= 80*d
				fp, fr = p, fmt.Sprintf("%.2fx dive's speed", float64(dd)/float64(f))
				mr = fmt.Sprintf("%.2fx dive's time", float64(med)/float64(dd))
				firstPass = med > 0 && med*2 <= dd
			}
		}
		what := fmt.Sprintf("%s image (%d layers, %d files)", im.name, im.layers+2, im.layers*im.files)
		add(row{what: "layers panel, " + what, layerlab: ms(d), peer: p, ratio: r, budget: "≤ 50 ms, ≥ 80x dive", verdict: ok(pass)})
		add(row{what: "a layer's first files, median over its layers, none read before, " + what, layerlab: secs(med), peer: p, ratio: mr, budget: "≤ 0.5x dive's time", verdict: ok(firstPass)})
		// The floor of any reader of the export: the daemon's first byte
		// (Docker 20.10 writes the whole export to a folder before it sends
		// one), and its last.
		if first, all, err := saveTimes(im.tag); err == nil {
			add(row{what: "docker save, to its first byte / its last, " + what, layerlab: "-", peer: "docker CLI " + secs(first) + " / " + secs(all), ratio: "", budget: "-", verdict: ""})
		}
		add(row{what: "the top layer's files (every layer read), " + what, layerlab: secs(f), peer: fp, ratio: fr, budget: "-", verdict: ""})
		add(row{what: "a layer's files, already indexed, " + what, layerlab: ms(ix), peer: "-", budget: "≤ 50 ms", verdict: ok(ix > 0 && ix <= 50*time.Millisecond)})
		if v, ok2 := rss[im.tag]; ok2 {
			add(row{what: "peak RSS while reading every layer, " + what, layerlab: fmt.Sprintf("%.0f MiB", v), peer: "-", budget: "≤ 64 MiB", verdict: ok(v > 0 && v <= 64)})
		}
	}
}

// pullBuildCommit: the same operation by layerlab's code and by the docker
// CLI on the same daemon, alternated, medians compared.
func pullBuildCommit(ctx context.Context, api *client.Client, reg string, medium benchImage) {
	cli, err := docker.New(docker.ResolveEndpoint())
	must(err)
	defer cli.Close()
	_, err = cli.Connect(ctx)
	must(err)
	cli.UseLedger(docker.OpenLedger(filepath.Join(tmpDir(), "owned.json")))
	removeOpsTags(ctx, api)
	remote := reg + "/bench/medium:latest"
	rmi := func() {
		api.ImageRemove(ctx, remote, image.RemoveOptions{Force: true}) //nolint:errcheck
	}
	ref, err := docker.ParseRef(remote)
	must(err)
	var mine, theirs []time.Duration
	for i := range *reps {
		run := []func(){
			func() {
				rmi()
				start := time.Now()
				if _, err := cli.Pull(ctx, ref, docker.PullOptions{Lesson: "bench"}, nil); err != nil {
					fatal(err)
				}
				mine = append(mine, time.Since(start))
			},
			func() {
				rmi()
				d, err := timeProc("docker", "pull", "-q", remote)
				must(err)
				theirs = append(theirs, d)
			},
		}
		alternate(i, run)
	}
	rmi()
	addRatio("pull of the medium image from a local registry", mine, theirs, "docker pull")

	// build: 10 RUN steps, none from the cache (a nonce in the first).
	mine, theirs = nil, nil
	dir := tmpDir()
	build := func(nonce string) {
		df := "FROM layerlab-bench/base:v1\nRUN echo " + nonce + " > /nonce\n"
		for i := 1; i < 10; i++ {
			df += fmt.Sprintf("RUN head -c 1048576 /dev/urandom > /f%d\n", i)
		}
		must(os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(df), 0o644))
	}
	for i := range *reps {
		run := []func(){
			func() {
				build(fmt.Sprintf("layerlab-%d-%d", i, time.Now().UnixNano()))
				t, _ := docker.ParseRef("layerlab-bench/built:mine")
				start := time.Now()
				if _, err := cli.Build(ctx, docker.BuildOptions{ContextDir: dir, Tags: []docker.Ref{t}, Lesson: "bench"}, nil); err != nil {
					fatal(err)
				}
				mine = append(mine, time.Since(start))
			},
			func() {
				build(fmt.Sprintf("cli-%d-%d", i, time.Now().UnixNano()))
				start := time.Now()
				// The same build: the legacy builder, the same labels.
				cmd := exec.Command("docker", "build", "-q", "--label", docker.LabelOwned+"=true", "--label", docker.LabelLesson+"=bench", "-t", "layerlab-bench/built:cli", dir)
				cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=0")
				if out, err := cmd.CombinedOutput(); err != nil {
					fatalf("docker build: %v\n%s", err, out)
				}
				theirs = append(theirs, time.Since(start))
			},
		}
		alternate(i, run)
	}
	addRatio("build, 10 RUN steps, no cache", mine, theirs, "docker build")

	// The same with BuildKit, as docker build today: against Debian's
	// docker CLI 20.10, which builds with BuildKit itself when
	// DOCKER_BUILDKIT=1 (a current CLI needs the buildx plugin for it).
	// Both without network for RUN, as layerlab builds; then a rebuild of
	// the same Dockerfile, all from the cache.
	kitCLI := "/usr/bin/docker"
	if _, err := os.Stat(kitCLI); err != nil {
		kitCLI = "docker"
	}
	for _, cached := range []bool{false, true} {
		mine, theirs = nil, nil
		for i := range *reps {
			run := []func(){
				func() {
					if !cached {
						build(fmt.Sprintf("kit-layerlab-%d-%d", i, time.Now().UnixNano()))
					}
					t, _ := docker.ParseRef("layerlab-bench/builtkit:mine")
					start := time.Now()
					if _, err := cli.Build(ctx, docker.BuildOptions{ContextDir: dir, Tags: []docker.Ref{t}, Lesson: "bench", BuildKit: true}, nil); err != nil {
						fatal(err)
					}
					mine = append(mine, time.Since(start))
				},
				func() {
					if !cached {
						build(fmt.Sprintf("kit-cli-%d-%d", i, time.Now().UnixNano()))
					}
					start := time.Now()
					cmd := exec.Command(kitCLI, "build", "-q", "--network", "none", "-t", "layerlab-bench/builtkit:cli", dir)
					cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=1")
					if out, err := cmd.CombinedOutput(); err != nil {
						fatalf("DOCKER_BUILDKIT=1 docker build: %v\n%s", err, out)
					}
					theirs = append(theirs, time.Since(start))
				},
			}
			alternate(i, run)
		}
		what := "BuildKit build, 10 RUN steps, no cache"
		if cached {
			what = "BuildKit rebuild, all from the cache"
		}
		addRatio(what, mine, theirs, "DOCKER_BUILDKIT=1 docker build")
	}

	// commit: a container with a 50 MiB change, committed by each.
	mine, theirs = nil, nil
	for i := range *reps {
		// Started by layerlab (in its ledger: a container only labelled is
		// not layerlab's to commit), as the commit lesson's is.
		c, err := cli.Run(ctx, docker.RunOptions{Image: "layerlab-bench/base:v1", Lesson: "bench",
			Cmd: []string{"sh", "-c", "head -c 52428800 /dev/urandom > /big && sleep 3600"}})
		must(err)
		// Removed below; on a fatal error too.
		atExit = append(atExit, func() { api.ContainerRemove(context.Background(), c.ID, container.RemoveOptions{Force: true}) }) //nolint:errcheck
		for {
			d, _ := api.ContainerDiff(ctx, c.ID)
			if len(d) > 0 {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		time.Sleep(time.Second) // the file is written in full
		run := []func(){
			func() {
				t, _ := docker.ParseRef("layerlab-bench/committed:mine")
				start := time.Now()
				if _, err := cli.Commit(ctx, c.ID, t, "bench"); err != nil {
					fatal(err)
				}
				mine = append(mine, time.Since(start))
			},
			func() {
				d, err := timeProc("docker", "commit", c.ID, "layerlab-bench/committed:cli")
				must(err)
				theirs = append(theirs, d)
			},
		}
		alternate(i, run)
		api.ContainerRemove(ctx, c.ID, container.RemoveOptions{Force: true}) //nolint:errcheck
	}
	addRatio("commit of a 50 MiB change", mine, theirs, "docker commit")
	removeOpsTags(ctx, api)
}

// opsTags are the names the ops rows give what they make.
var opsTags = []string{"layerlab-bench/built:mine", "layerlab-bench/built:cli", "layerlab-bench/builtkit:mine", "layerlab-bench/builtkit:cli", "layerlab-bench/committed:mine", "layerlab-bench/committed:cli"}

// removeOpsTags removes them: after the rows, and before (a run cut off
// left them, and another run's ledger does not know them).
func removeOpsTags(ctx context.Context, api *client.Client) {
	for _, t := range opsTags {
		api.ImageRemove(ctx, t, image.RemoveOptions{PruneChildren: true}) //nolint:errcheck
	}
}

// alternate runs the two sides, layerlab's first on even rounds and the
// CLI's first on odd ones, so that neither always meets a warm daemon.
func alternate(round int, run []func()) {
	if round%2 == 1 {
		run[0], run[1] = run[1], run[0]
	}
	run[0]()
	run[1]()
}

func addRatio(what string, mine, theirs []time.Duration, peerName string) {
	a, b := median(mine), median(theirs)
	r := float64(a) / float64(b)
	add(row{what: what, layerlab: secs(a), peer: peerName + " " + secs(b), ratio: fmt.Sprintf("%.3f", r), budget: "ratio ≤ 1.03", verdict: ok(r <= 1.03)})
}

// appRun drives the real app in tmux, as a learner would: the pull lesson's
// python:3.6.0-slim step pulls the medium image through the registry mirror
// (CPU of the process, writes to the terminal per second), then the app
// stays open with nothing happening (its CPU and the daemon's), then the
// same step pulls the large image (peak memory, VmHWM).
func appRun(ctx context.Context, api *client.Client, reg string, imgs []benchImage) {
	const name = "python:3.6.0-slim"
	// A learner's own python:3.6.0-slim is put back afterwards.
	const large = "bench/large:latest"
	restore := func() {
		api.ImageRemove(ctx, name, image.RemoveOptions{})  //nolint:errcheck
		api.ImageRemove(ctx, large, image.RemoveOptions{}) //nolint:errcheck
	}
	if insp, err := api.ImageInspect(ctx, name); err == nil {
		saved := "layerlab-bench/saved:python"
		must(api.ImageTag(ctx, insp.ID, saved))
		restore = func() {
			// The pulled image goes first: moving the tag back would leave
			// it behind, untagged (200 MB each run).
			api.ImageRemove(ctx, name, image.RemoveOptions{})  //nolint:errcheck
			api.ImageRemove(ctx, large, image.RemoveOptions{}) //nolint:errcheck
			api.ImageTag(ctx, saved, name)                     //nolint:errcheck
			api.ImageRemove(ctx, saved, image.RemoveOptions{}) //nolint:errcheck
		}
	}
	atExit = append(atExit, restore)
	defer restore()
	api.ImageRemove(ctx, name, image.RemoveOptions{}) //nolint:errcheck

	timing := filepath.Join(tmpDir(), "timing")
	env := "env XDG_STATE_HOME=" + tmpDir() + " XDG_CACHE_HOME=" + tmpDir() + " LANG=en_US.UTF-8 "
	app := env + *bin + " --registry-mirror " + reg
	exec.Command("tmux", "kill-session", "-t", "llbench").Run() //nolint:errcheck
	if out, err := exec.Command("tmux", "new-session", "-d", "-s", "llbench", "-x", "120", "-y", "40",
		"script -q -f -T "+timing+" -c '"+app+"' /dev/null").CombinedOutput(); err != nil {
		fatalf("tmux: %v %s", err, out)
	}
	atExit = append(atExit, func() { exec.Command("tmux", "kill-session", "-t", "llbench").Run() }) //nolint:errcheck
	defer exec.Command("tmux", "kill-session", "-t", "llbench").Run()                               //nolint:errcheck
	screen := func() string {
		out, _ := exec.Command("tmux", "capture-pane", "-p", "-t", "llbench").Output()
		return string(out)
	}
	waitFor := func(want string, limit time.Duration) time.Duration {
		start := time.Now()
		for !strings.Contains(screen(), want) {
			if time.Since(start) > limit {
				fatalf("the app never showed %q:\n%s", want, screen())
			}
			time.Sleep(5 * time.Millisecond)
		}
		return time.Since(start)
	}
	keys := func(k ...string) {
		for _, key := range k {
			exec.Command("tmux", "send-keys", "-t", "llbench", key).Run() //nolint:errcheck
			time.Sleep(150 * time.Millisecond)
		}
	}
	waitFor("Pick a lesson", 10*time.Second)
	pid := appPID()
	// Linux updates VmHWM only when memory is unmapped, not when the Go
	// runtime hands pages back (madvise): it can miss a peak. The process is
	// also sampled every 20 ms, from here to the end of the large pull.
	stop := make(chan struct{})
	sampled := rssPeak(pid, stop)
	keys("j", "Enter")
	waitFor("Step 1", 5*time.Second)
	keys("n", "n")
	cpu0, writes0 := cpuTicks(pid), lines(timing)
	start := time.Now()
	keys("Enter")
	waitFor("pulled "+name, 10*time.Minute)
	wall := time.Since(start)
	cpu := float64(cpuTicks(pid)-cpu0) / 100 / wall.Seconds() * 100
	writes := float64(lines(timing)-writes0) / wall.Seconds()
	add(row{what: fmt.Sprintf("CPU of layerlab during a pull (medium image, %s)", secs(wall)), layerlab: fmt.Sprintf("%.1f%% of a core", cpu), peer: "-", budget: "≤ 10%", verdict: ok(cpu <= 10)})
	add(row{what: "writes to the terminal during that pull", layerlab: fmt.Sprintf("%.1f/s", writes), peer: "-", budget: "redraws ≤ 30/s", verdict: ok(writes <= 30)})

	// Idle: nothing happens; the heartbeat is one tiny request per 10 s.
	time.Sleep(2 * time.Second)
	d0, a0 := cpuTicks(daemonPID()), cpuTicks(pid)
	time.Sleep(*idle)
	appIdle := float64(cpuTicks(pid)-a0) / 100 / idle.Seconds() * 100
	dIdle := float64(cpuTicks(daemonPID())-d0) / 100 / idle.Seconds() * 100
	add(row{what: fmt.Sprintf("idle, app open %s: CPU of layerlab / of dockerd", *idle), layerlab: fmt.Sprintf("%.2f%% / %.2f%%", appIdle, dIdle), peer: "-", budget: "≈ 0, no polling", verdict: ok(appIdle < 1 && dIdle < 1)})

	// The large image through the same step, its reference edited (e):
	// peak memory.
	keys("e")
	for range len(name) {
		keys("BSpace")
	}
	exec.Command("tmux", "send-keys", "-t", "llbench", "-l", large).Run() //nolint:errcheck
	keys("Enter", "Enter")
	waitFor("pulled "+large, 20*time.Minute)
	time.Sleep(time.Second)
	close(stop)
	peak := <-sampled
	top := max(vmHWM(pid), peak["VmRSS"])
	add(row{what: fmt.Sprintf("peak RSS of the app, through pulls of both images (%d MB)", int64(imgs[1].layers)*imgs[1].size>>20), layerlab: fmt.Sprintf("%.1f MiB", float64(top)/1024), peer: "-", budget: "≤ 40 MiB", verdict: ok(top <= 40*1024)})
	fmt.Printf("  the most resident sample: %.1f MiB = %.1f anonymous (heap, stacks, runtime) + %.1f of the binary's pages and libraries (VmHWM %.1f MiB)\n",
		float64(peak["VmRSS"])/1024, float64(peak["RssAnon"])/1024, float64(peak["RssFile"]+peak["RssShmem"])/1024, float64(vmHWM(pid))/1024)
	keys("q")
}

func appPID() int {
	for range 100 {
		out, _ := exec.Command("pgrep", "-n", "-f", "^"+*bin+" --registry-mirror").Output()
		if pid, err := strconv.Atoi(strings.TrimSpace(string(out))); err == nil {
			return pid
		}
		time.Sleep(20 * time.Millisecond)
	}
	fatal("the app's process was not found")
	return 0
}

func daemonPID() int {
	out, _ := exec.Command("pgrep", "-o", "-x", "dockerd").Output()
	pid, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return pid
}

// cpuTicks is a process's user+system CPU time, in clock ticks (1/100 s).
func cpuTicks(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return u + st
}

// vmHWM is a process's peak resident memory, in KiB.
func vmHWM(pid int) int64 { return procStatus(pid)["VmHWM"] }

// procStatus reads the kB figures of /proc/PID/status (VmRSS, RssAnon…).
func procStatus(pid int) map[string]int64 {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	out := map[string]int64{}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) == 3 && f[2] == "kB" {
			v, _ := strconv.ParseInt(f[1], 10, 64)
			out[strings.TrimSuffix(f[0], ":")] = v
		}
	}
	return out
}

// rssPeak samples the process's memory every 20 ms until stop is closed
// and returns the sample with the most resident: what it was made of
// (the kernel's VmHWM says only how much).
func rssPeak(pid int, stop <-chan struct{}) <-chan map[string]int64 {
	out := make(chan map[string]int64, 1)
	go func() {
		var peak map[string]int64
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			if s := procStatus(pid); peak == nil || s["VmRSS"] > peak["VmRSS"] {
				peak = s
			}
			select {
			case <-stop:
				out <- peak
				return
			case <-t.C:
			}
		}
	}()
	return out
}

func lines(path string) int {
	b, _ := os.ReadFile(path)
	return strings.Count(string(b), "\n")
}
