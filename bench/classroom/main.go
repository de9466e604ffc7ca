// Command classroom is the classroom server's load test (bench/run.sh
// --classroom): it starts `layerlab serve` on 127.0.0.1 with N learners,
// opens N SSH sessions (golang.org/x/crypto/ssh), each logged in as a
// different learner, opens the pull lesson and runs its pulls, types keys
// while all of them pull, and runs one `docker images` over a second
// session each. It prints connect → first frame (p50/p95), key → frame
// (p95), the server's RSS per learner without and with the engines, and the
// engines' start. Run as root (the server creates the learners' users), on a
// machine with Docker, rootlesskit and uidmap.
package main

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

var (
	bin       = flag.String("bin", "", "the layerlab binary")
	n         = flag.Int("n", 30, "learners")
	keys      = flag.Int("keys", 10, "keys each learner types while the pulls run")
	keep      = flag.Bool("keep", false, "keep the learners' engines and state (default: reset them at the end)")
	bigMB     = flag.Int("big", 40, "the size (MB) of the python:3.6.0-slim the pull lesson pulls (a stand-in built for the run; 0 uses the daemon's own)")
	noPull    = flag.Bool("no-pull", false, "type the keys with no pull running (a peer of the loaded run)")
	stateDir  = flag.String("state", "", "the server's state folder (default: a new one under /tmp)")
	engineCPU = flag.Int("engine-cpu", -1, "the server's --engine-cpu (-1: its default; 0: the engines keep only their niceness, a peer)")
)

type learner struct {
	name   string
	signer gossh.Signer
	// measured
	firstFrame time.Duration
	keyLat     []time.Duration
	// keysDuring: how many keys were typed while the python pull ran.
	keysDuring int
	pullDone   time.Duration
	imagesLat  time.Duration
	err        error
}

func main() {
	os.Exit(run())
}

// run is the load test; its deferred clean-up (the learners' engines, the
// stand-in image's name) runs before the exit code is returned.
func run() int {
	flag.Parse()
	log.SetFlags(0)
	if *bin == "" {
		log.Fatal("classroom: --bin is the layerlab binary")
	}
	if *stateDir == "" {
		d, err := os.MkdirTemp("/tmp", "llclass-")
		must(err)
		must(os.Chmod(d, 0o711))
		*stateDir = d
	}
	restore := standIn()
	defer restore()
	ls := make([]*learner, *n)
	var class bytes.Buffer
	for i := range ls {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		must(err)
		s, err := gossh.NewSignerFromKey(priv)
		must(err)
		ls[i] = &learner{name: fmt.Sprintf("ld%02d", i+1), signer: s}
		fmt.Fprintf(&class, "%s %s", ls[i].name, gossh.MarshalAuthorizedKey(s.PublicKey()))
	}
	classFile := filepath.Join(*stateDir, "class.txt")
	must(os.WriteFile(classFile, class.Bytes(), 0o600))
	port := freePort()
	addr := "127.0.0.1:" + port
	srv := exec.Command(*bin, "serve", "--class", classFile, "--addr", addr, "--state", filepath.Join(*stateDir, "state"),
		"--run", filepath.Join(*stateDir, "run"), "--lang", "en")
	if *engineCPU >= 0 {
		srv.Args = append(srv.Args, "--engine-cpu", strconv.Itoa(*engineCPU))
	}
	var srvOut bytes.Buffer
	srv.Stdout, srv.Stderr = &srvOut, &srvOut
	// LAYERLAB_CPUPROFILE in the environment profiles the server (go tool pprof).
	must(srv.Start())
	defer func() {
		srv.Process.Signal(os.Interrupt) //nolint:errcheck
		srv.Wait()                       //nolint:errcheck
		if !*keep {
			for _, l := range ls {
				reset := exec.Command(*bin, "serve", "--reset", l.name, "--state", filepath.Join(*stateDir, "state"), "--run", filepath.Join(*stateDir, "run"))
				reset.Env = append(os.Environ(), "LAYERLAB_CPUPROFILE=") // the server's profile is kept
				reset.Run()                                              //nolint:errcheck
			}
			os.RemoveAll(*stateDir)
		}
	}()
	waitPort(addr)
	rssIdle := rss(srv.Process.Pid)

	// All learners log in at once, as a class does when told to.
	var wg sync.WaitGroup
	start := make(chan struct{})
	pulling := make(chan struct{}, *n)
	for _, l := range ls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			l.err = session(l, addr, pulling)
		}()
	}
	// The peaks, sampled while the sessions run.
	var rssAll, engines int64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			rssAll, engines = max(rssAll, rss(srv.Process.Pid)), max(engines, enginesRSS(ls))
			select {
			case <-stop:
				return
			case <-time.After(500 * time.Millisecond):
			}
		}
	}()
	srvSched0, selfSched0 := schedstat(srv.Process.Pid), schedstat(os.Getpid())
	t0 := time.Now()
	close(start)
	wg.Wait()
	total := time.Since(t0)
	close(stop)
	<-sampled
	srvSched, selfSched := schedstat(srv.Process.Pid).sub(srvSched0), schedstat(os.Getpid()).sub(selfSched0)

	var first, keysAll, pulls, images []time.Duration
	failed, during := 0, 0
	for _, l := range ls {
		if l.err != nil {
			failed++
			fmt.Fprintf(os.Stderr, "%s: %v\n", l.name, l.err)
			continue
		}
		first = append(first, l.firstFrame)
		keysAll = append(keysAll, l.keyLat...)
		during += l.keysDuring
		pulls = append(pulls, l.pullDone)
		images = append(images, l.imagesLat)
	}
	fmt.Printf("classroom load: %d learners on one machine (%d cores), the whole run %.1f s, %d failed\n", *n, cores(), total.Seconds(), failed)
	fmt.Printf("  connect → first frame (engine started at first login): p50 %s  p95 %s  max %s\n", pct(first, 50), pct(first, 95), pct(first, 100))
	fmt.Printf("  key → frame while all pull (%d keys, %d of them before that learner's pull ended): p50 %s  p95 %s  max %s   budget p95 ≤ 100 ms\n", len(keysAll), during, pct(keysAll, 50), pct(keysAll, 95), pct(keysAll, 100))
	fmt.Printf("  the lesson's pulls (busybox, then python:3.6.0-slim of %d MB), all at once, ±1 s: p50 %s  p95 %s\n", *bigMB, pct(pulls, 50), pct(pulls, 95))
	fmt.Printf("  docker images over a second session:                   p50 %s  p95 %s\n", pct(images, 50), pct(images, 95))
	fmt.Printf("  the server's threads: on a CPU %s, runnable but waiting for one %s, %s a wait (mean of %d)\n", srvSched.run.Round(time.Millisecond), srvSched.wait.Round(time.Millisecond), srvSched.perSlice(), srvSched.slices)
	fmt.Printf("  this load test's own threads (the learners' SSH clients): on a CPU %s, waiting for one %s, %s a wait\n", selfSched.run.Round(time.Millisecond), selfSched.wait.Round(time.Millisecond), selfSched.perSlice())
	fmt.Printf("  server RSS: %.1f MiB idle, %.1f MiB at the peak of %d sessions: %.2f MiB per learner\n", mib(rssIdle), mib(rssAll), *n, mib(rssAll-rssIdle)/float64(*n))
	fmt.Printf("  engines' RSS at the peak (rootlesskit, dockerd, containerd per learner): %.1f MiB in all, %.1f MiB per learner\n", mib(engines), mib(engines)/float64(*n))
	if failed > 0 {
		fmt.Fprintln(os.Stderr, srvOut.String())
		return 1
	}
	return 0
}

// session is one learner: log in, wait for the lesson list, open the pull
// lesson, run its pulls, type keys while they run, docker images.
func session(l *learner, addr string, pulling chan struct{}) error {
	cfg := &gossh.ClientConfig{User: l.name, Auth: []gossh.AuthMethod{gossh.PublicKeys(l.signer)}, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 60 * time.Second}
	t0 := time.Now()
	conn, err := gossh.Dial("tcp", addr, cfg)
	if err != nil {
		return err
	}
	defer conn.Close()
	s, err := conn.NewSession()
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Setenv("LANG", "en_US.UTF-8"); err != nil {
		return err
	}
	if err := s.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}); err != nil {
		return err
	}
	out := &stream{}
	s.Stdout = out
	in, err := s.StdinPipe()
	if err != nil {
		return err
	}
	if err := s.Shell(); err != nil {
		return err
	}
	if err := out.waitFor("Pick a lesson", 0, 120*time.Second); err != nil {
		return fmt.Errorf("first frame: %w", err)
	}
	l.firstFrame = time.Since(t0)
	// The pull lesson: the second of the list; step 1 pulls busybox, step 3 python.
	send := func(k string) { in.Write([]byte(k)) } //nolint:errcheck
	mark := out.len()
	send("j")
	time.Sleep(100 * time.Millisecond)
	send("\r")
	if err := out.waitFor("Pull busybox", mark, 30*time.Second); err != nil {
		return fmt.Errorf("open the pull lesson: %w", err)
	}
	time.Sleep(300 * time.Millisecond)
	if *noPull {
		if _, err := typeKeys(l, out, send); err != nil {
			return err
		}
		send("q")
		return nil
	}
	pullStart := time.Now()
	// step 1: docker pull busybox. Enter before the app reached its engine
	// only says so (a learner presses it again): again until it runs.
	for try := 0; ; try++ {
		send("\r")
		err := stepState(l.name, "pull", 1, "running", 3*time.Second)
		if err == nil {
			break
		}
		if try == 20 {
			return fmt.Errorf("the busybox pull did not start: %w", err)
		}
	}
	if err := stepState(l.name, "pull", 1, "done", 3*time.Minute); err != nil {
		return fmt.Errorf("the busybox pull: %w", err)
	}
	send("n")
	time.Sleep(200 * time.Millisecond)
	send("n")
	time.Sleep(200 * time.Millisecond)
	send("\r") // step 3: docker pull python:3.6.0-slim
	if err := stepState(l.name, "pull", 3, "running", 30*time.Second); err != nil {
		return fmt.Errorf("start the python pull: %w", err)
	}
	// The screen is drawn as differences (a line that was "pulled busybox…"
	// may change only from "python" on): the step's end is read from the
	// server's own status, written every second, as the instructor sees it.
	pulled := make(chan error, 1)
	var pulledAt time.Time
	go func() {
		err := stepState(l.name, "pull", 3, "done", 5*time.Minute)
		pulledAt = time.Now()
		pulled <- err
	}()
	// Keys while the pulls run.
	typed, err := typeKeys(l, out, send)
	if err != nil {
		return err
	}
	if err := <-pulled; err != nil {
		tail := out.String()
		return fmt.Errorf("the python pull: %w; the screen's last bytes: %q", err, tail[max(len(tail)-600, 0):])
	}
	l.pullDone = pulledAt.Sub(pullStart)
	for _, t := range typed {
		if t.Before(pulledAt) {
			l.keysDuring++
		}
	}
	// One docker images over a second session.
	t := time.Now()
	s2, err := conn.NewSession()
	if err != nil {
		return err
	}
	res, err := s2.CombinedOutput("docker images")
	s2.Close()
	if err != nil || !strings.Contains(string(res), "python") {
		return fmt.Errorf("docker images: %v: %s", err, res)
	}
	l.imagesLat = time.Since(t)
	send("q")
	return nil
}

// typeKeys types *keys times ? (the help opens) and ? again (it closes),
// timing each opening: key → frame. It returns when each key was typed.
func typeKeys(l *learner, out *stream, send func(string)) ([]time.Time, error) {
	var typed []time.Time
	for i := 0; i < *keys; i++ {
		mark := out.len()
		t := time.Now()
		send("?")
		if err := out.waitFor("close help", mark, 30*time.Second); err != nil {
			return typed, fmt.Errorf("help: %w", err)
		}
		l.keyLat = append(l.keyLat, time.Since(t))
		typed = append(typed, t)
		time.Sleep(100 * time.Millisecond)
		mark = out.len()
		send("?")
		if err := out.waitFor("next/prev step", mark, 30*time.Second); err != nil {
			return typed, fmt.Errorf("close help: %w", err)
		}
		time.Sleep(150 * time.Millisecond)
	}
	return typed, nil
}

// stepState waits until the server's status says learner's step (1-based)
// of lesson is in state (running, done); a failed step fails it.
func stepState(learner, lesson string, step int, state string, d time.Duration) error {
	deadline := time.Now().Add(d)
	last := ""
	for time.Now().Before(deadline) {
		var st struct {
			Learners []struct {
				Name, Lesson, State string
				Step                int
			}
		}
		if b, err := os.ReadFile(filepath.Join(*stateDir, "state", "status.json")); err == nil && json.Unmarshal(b, &st) == nil {
			for _, l := range st.Learners {
				if l.Name == learner {
					last = fmt.Sprintf("%s step %d %s", l.Lesson, l.Step, l.State)
				}
				if l.Name == learner && l.Lesson == lesson && l.Step == step && (l.State == state || state == "running" && l.State == "done") {
					return nil
				}
				if l.Name == learner && l.Lesson == lesson && l.Step == step && l.State == "failed" {
					return fmt.Errorf("step %d of %s failed", step, lesson)
				}
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("step %d of %s not %s after %s (the server says: %s)", step, lesson, state, d, last)
}

// stream is what the session printed, to wait for text in.
type stream struct {
	mu sync.Mutex
	b  []byte
	ch chan struct{}
}

func (s *stream) Write(p []byte) (int, error) {
	s.mu.Lock()
	s.b = append(s.b, p...)
	if s.ch != nil {
		close(s.ch)
		s.ch = nil
	}
	s.mu.Unlock()
	return len(p), nil
}

func (s *stream) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(s.b)
}

func (s *stream) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.b)
}

// waitFor waits until text appears after byte offset from.
func (s *stream) waitFor(text string, from int, d time.Duration) error {
	deadline := time.After(d)
	for {
		s.mu.Lock()
		if bytes.Contains(s.b[from:], []byte(text)) {
			s.mu.Unlock()
			return nil
		}
		if s.ch == nil {
			s.ch = make(chan struct{})
		}
		ch := s.ch
		s.mu.Unlock()
		select {
		case <-ch:
		case <-deadline:
			return fmt.Errorf("%q did not appear in %s", text, d)
		}
	}
}

// standIn builds the pull lesson's python:3.6.0-slim as busybox plus a layer
// of *bigMB random megabytes, so that the pulls last while keys are typed;
// the daemon's own image (if any) gets its name back at the end.
func standIn() func() {
	if *bigMB == 0 {
		return func() {}
	}
	prev, _ := exec.Command("docker", "image", "inspect", "-f", "{{.Id}}", "python:3.6.0-slim").Output()
	dir, err := os.MkdirTemp("", "llclass-img-")
	must(err)
	defer os.RemoveAll(dir)
	bb, err := os.ReadFile("/bin/busybox")
	must(err)
	must(os.WriteFile(filepath.Join(dir, "busybox"), bb, 0o755))
	big := make([]byte, *bigMB<<20)
	rand.Read(big) //nolint:errcheck
	must(os.WriteFile(filepath.Join(dir, "big"), big, 0o644))
	must(os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM scratch\nCOPY busybox /bin/busybox\nCOPY big /big\nCMD [\"/bin/busybox\", \"sh\"]\n"), 0o644))
	cmd := exec.Command("docker", "build", "-q", "-t", "python:3.6.0-slim", "--label", "layerlab-bench=true", dir)
	cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=0")
	o, err := cmd.Output()
	if err != nil {
		log.Fatalf("build the stand-in: %v\n%s", err, o)
	}
	built := strings.TrimSpace(string(o))
	return func() {
		if id := strings.TrimSpace(string(prev)); id != "" {
			exec.Command("docker", "tag", id, "python:3.6.0-slim").Run() //nolint:errcheck
		}
		exec.Command("docker", "rmi", built).Run() //nolint:errcheck
	}
}

// sched is what the kernel's scheduler counted for a process's threads
// (/proc/PID/task/*/schedstat): time on a CPU, time runnable but waiting
// for one, and how many times it was given one. The wait is the run queue's
// share of a key's latency: a frame cannot be drawn while its thread waits.
type sched struct {
	run, wait time.Duration
	slices    int64
}

func (a sched) sub(b sched) sched {
	return sched{run: a.run - b.run, wait: a.wait - b.wait, slices: a.slices - b.slices}
}

func (a sched) perSlice() time.Duration {
	if a.slices <= 0 {
		return 0
	}
	return (a.wait / time.Duration(a.slices)).Round(10 * time.Microsecond)
}

// schedstat sums the threads alive now; a thread that ended is not counted.
func schedstat(pid int) sched {
	var s sched
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		var run, wait, slices int64
		if _, err := fmt.Sscan(string(b), &run, &wait, &slices); err == nil {
			s.run += time.Duration(run)
			s.wait += time.Duration(wait)
			s.slices += slices
		}
	}
	return s
}

func rss(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			f := strings.Fields(rest)
			kb, _ := strconv.ParseInt(f[0], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// enginesRSS is the RSS of every process run by the learners' users.
func enginesRSS(ls []*learner) int64 {
	uids := map[string]bool{}
	for _, l := range ls {
		if u, err := user.Lookup("ll-" + l.name); err == nil {
			uids[u.Uid] = true
		}
	}
	ents, _ := os.ReadDir("/proc")
	var total int64
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/status")
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "Uid:"); ok {
				if f := strings.Fields(rest); len(f) > 0 && uids[f[0]] {
					total += rss(pid)
				}
			}
		}
	}
	return total
}

func pct(ds []time.Duration, p int) string {
	if len(ds) == 0 {
		return "—"
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s)*p + 99) / 100
	i = min(max(i-1, 0), len(s)-1)
	d := s[i]
	if d < time.Second {
		return fmt.Sprintf("%.0f ms", float64(d.Microseconds())/1000)
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

func cores() int {
	b, _ := os.ReadFile("/proc/cpuinfo")
	return strings.Count(string(b), "processor\t:")
}

func freePort() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	defer ln.Close()
	_, p, _ := net.SplitHostPort(ln.Addr().String())
	return p
}

func waitPort(addr string) {
	for i := 0; i < 600; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	log.Fatalf("the server did not listen on %s", addr)
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
