package classroom

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/docker/docker/client"
	gossh "golang.org/x/crypto/ssh"

	"github.com/layerlab/layerlab/docker"

	"github.com/layerlab/layerlab/docker/dockertest"
	"github.com/layerlab/layerlab/docker/engines"
	"github.com/layerlab/layerlab/lessons"
)

// classroom is a server on 127.0.0.1 with rootless engines, for a test.
type classroom struct {
	t        *testing.T
	addr     string
	srv      *Server
	cfg      Config
	provider *engines.Rootless
	keys     map[string]gossh.Signer
	reg      *dockertest.Registry
}

// newClassroom starts a classroom for learners (they log in with keys),
// its engines pulling through the test's registry. It skips (or fails,
// when the daemon tests are required) where rootless engines cannot run.
func newClassroom(t *testing.T, learners ...string) *classroom {
	t.Helper()
	_, api := dockertest.Daemon(t)
	base, err := os.MkdirTemp("/tmp", "llserve-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(base, 0o711); err != nil {
		t.Fatal(err)
	}
	p := engines.NewRootless(filepath.Join(base, "engines"), filepath.Join(base, "run"))
	if missing := p.Check(); missing != "" {
		t.Fatalf("rootless engines cannot run here: missing %s (.ci/run installs rootlesskit and uidmap)", missing)
	}
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	// The only address a learner's engine reaches: the registry, served
	// inside its network namespace.
	p.Registry, p.RegistryAddr = reg.Handler, reg.Host
	c := &classroom{t: t, provider: p, keys: map[string]gossh.Signer{}, reg: reg}
	text := "passphrase: " + classPass + "\n"
	for _, l := range learners {
		if strings.HasPrefix(l, "pw") {
			text += l + "\n" // logs in with the passphrase
			continue
		}
		signer, pub := newKey(t)
		c.keys[l] = signer
		text += l + " " + pub + "\n"
	}
	class, err := ParseClass("class", strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	byLang := map[string][]*lessons.Lesson{}
	for _, lang := range []string{"en", "ko"} {
		if byLang[lang], err = lessons.Builtin(lang); err != nil {
			t.Fatal(err)
		}
	}
	c.cfg = Config{StateDir: filepath.Join(base, "state"), Class: class, Engines: p, Mirror: reg.Host, Lessons: byLang, Logf: t.Logf,
		MaxContainers: 4}
	c.start()
	t.Cleanup(func() {
		c.srv.Close()
		p.Close()
		for _, l := range learners {
			if err := p.Reset(context.Background(), l); err != nil {
				t.Errorf("reset %s: %v", l, err)
			}
		}
		os.RemoveAll(base)
	})
	return c
}

func (c *classroom) start() {
	c.t.Helper()
	srv, err := New(c.cfg)
	if err != nil {
		c.t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		c.t.Fatal(err)
	}
	c.srv, c.addr = srv, ln.Addr().String()
	go srv.Serve(ln) //nolint:errcheck
}

// classPass is the test class's passphrase, for learners named pw….
const classPass = "red kite"

func (c *classroom) dial(learner string) *gossh.Client {
	c.t.Helper()
	// A learner without a key: the passphrase at the first login, which
	// chooses their secret; the secret afterwards.
	auth := (&asker{pass: classPass, secret: "the secret of " + learner}).method()
	if k, ok := c.keys[learner]; ok {
		auth = gossh.PublicKeys(k)
	}
	conn, err := gossh.Dial("tcp", c.addr, &gossh.ClientConfig{User: learner,
		Auth: []gossh.AuthMethod{auth}, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second})
	if err != nil {
		c.t.Fatalf("%s logs in: %v", learner, err)
	}
	return conn
}

// run is `ssh LEARNER@HOST COMMAND`: what it printed, and its exit status.
func (c *classroom) run(learner, command string) (string, int) {
	c.t.Helper()
	conn := c.dial(learner)
	defer conn.Close()
	s, err := conn.NewSession()
	if err != nil {
		c.t.Fatal(err)
	}
	defer s.Close()
	out, err := s.CombinedOutput(command)
	var exit *gossh.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exit):
		return string(out), exit.ExitStatus()
	}
	c.t.Fatalf("%s: %s: %v", learner, command, err)
	return "", -1
}

func (c *classroom) must(learner, command string) string {
	c.t.Helper()
	out, code := c.run(learner, command)
	if code != 0 {
		c.t.Fatalf("%s: %s exited %d:\n%s", learner, command, code, out)
	}
	return out
}

func (c *classroom) refused(learner, command, want string) {
	c.t.Helper()
	out, code := c.run(learner, command)
	if code == 0 || !strings.Contains(out, want) {
		c.t.Errorf("%s: %s: exit %d, want a refusal saying %q:\n%s", learner, command, code, want, out)
	}
}

// Two learners, each on an engine of their own: what one makes the other
// cannot list, remove, exec in or commit; neither reaches the instructor's
// daemon or the host's files; unknown names are refused with words; the
// app itself runs over SSH; a restarted server finds every engine again.
func TestClassroomIsolation(t *testing.T) {
	c := newClassroom(t, "tstalice", "tstbob", "pwcarol")
	start := time.Now()
	out := c.must("tstalice", "docker images")
	t.Logf("alice's engine answered %s after her first login", time.Since(start).Round(time.Millisecond))
	if !strings.Contains(out, "REPOSITORY") || strings.Contains(out, "busybox") {
		t.Errorf("a new engine's images: not the empty table:\n%q", out)
	}
	c.must("tstalice", "docker pull busybox")
	c.must("tstalice", "docker run -d --name alices busybox sleep 600")
	c.must("tstalice", "docker exec alices sh -c 'echo mine > /note'")
	c.must("tstalice", "docker commit alices alice:mine")
	if out := c.must("tstalice", "docker images"); !strings.Contains(out, "alice") || !strings.Contains(out, "busybox") {
		t.Errorf("alice does not see her own images:\n%s", out)
	}
	// What she made over her second session is hers, as from her own
	// terminal: no label of layerlab's, and hers to remove.
	api, err := client.NewClientWithOpts(client.WithHost(c.provider.Endpoint("tstalice").Host), client.WithAPIVersionNegotiation())
	if err != nil {
		t.Fatal(err)
	}
	defer api.Close()
	ci, err := api.ContainerInspect(context.Background(), "alices")
	if err != nil {
		t.Fatal(err)
	}
	ii, err := api.ImageInspect(context.Background(), "alice:mine")
	if err != nil {
		t.Fatal(err)
	}
	for k := range docker.OwnedLabels("x") {
		if _, ok := ci.Config.Labels[k]; ok {
			t.Errorf("alice's own container carries layerlab's label %s", k)
		}
		if _, ok := ii.Config.Labels[k]; ok {
			t.Errorf("alice's own commit carries layerlab's label %s", k)
		}
	}
	c.must("tstalice", "docker run -d --name scratchpad busybox sleep 600")
	c.must("tstalice", "docker rm -f scratchpad") // running: without -f the daemon refuses, as with the CLI
	c.must("tstalice", "docker tag alice:mine alice:copy")
	c.must("tstalice", "docker rmi alice:copy")

	// Bob's engine is another one: nothing of alice's is there.
	if out := c.must("tstbob", "docker ps -a"); strings.Contains(out, "alices") {
		t.Errorf("bob lists alice's container:\n%s", out)
	}
	if out := c.must("tstbob", "docker images"); strings.Contains(out, "alice") || strings.Contains(out, "busybox") {
		t.Errorf("bob lists alice's images:\n%s", out)
	}
	for _, cmd := range []string{"docker rm alices", "docker exec alices ls", "docker commit alices bob:stolen", "docker rmi alice:mine", "docker history alice:mine"} {
		if out, code := c.run("tstbob", cmd); code == 0 {
			t.Errorf("bob: %s worked on alice's engine:\n%s", cmd, out)
		}
	}
	// The host's files and the instructor's daemon are out of reach.
	c.refused("tstbob", "docker run -d -v /etc:/host busybox sleep 1", "-v")
	c.refused("tstbob", "docker run -d --privileged busybox sleep 1", "--privileged")
	c.refused("tstbob", "docker run -d --pid host busybox sleep 1", "--pid")
	c.refused("tstbob", "docker run -d --network host busybox sleep 1", "--network")
	c.refused("tstbob", "docker -H unix:///var/run/docker.sock images", "not supported here")
	c.refused("tstbob", "docker build -f /etc/passwd .", "")
	c.refused("tstbob", "cat /etc/shadow", "Only docker commands")
	c.refused("tstbob", "sh", "Only docker commands")
	// A flood of containers stops at the learner's bound, with words.
	c.must("tstbob", "docker pull busybox")
	for i := range 4 {
		c.must("tstbob", "docker run -d --name flood"+strconv.Itoa(i)+" busybox sleep 600")
	}
	c.refused("tstbob", "docker run -d --name flood4 busybox sleep 600", "the most one learner may keep here (4)")
	// Without a terminal (output into a file), plain text: no escape code.
	// Into a pipe: plain lines, no carriage return ($(ssh … docker ps -q)).
	if out := c.must("tstbob", "docker ps -a"); strings.ContainsRune(out, '\r') {
		t.Errorf("docker ps -a without a terminal holds carriage returns: %q", out)
	}
	if out, code := c.run("tstbob", "docker rmi nosuch"); code == 0 || strings.ContainsAny(out, "\x1b\r") || !strings.Contains(out, "✗ ") {
		t.Errorf("docker rmi nosuch without a terminal: exit %d, %q", code, out)
	}
	// Images come from the classroom's registry only.
	c.refused("tstbob", "docker pull 127.0.0.1:5556/library/ubuntu:16.04", "images come only from the classroom's registry here")
	// As the real CLI: rm -f of a missing container says so and succeeds.
	if out, code := c.run("tstbob", "docker rm -f nosuch"); code != 0 || !strings.Contains(out, "No such container: nosuch") {
		t.Errorf("docker rm -f nosuch: exit %d, %q", code, out)
	}
	// No forwarding: not to the instructor's Docker socket, not to a port.
	fwd := c.dial("tstbob")
	if conn, err := fwd.Dial("unix", "/var/run/docker.sock"); err == nil {
		conn.Close()
		t.Error("bob forwarded a connection to the instructor's Docker socket")
	}
	if conn, err := fwd.Dial("tcp", c.addr); err == nil {
		conn.Close()
		t.Error("bob forwarded a TCP connection through the server")
	}
	fwd.Close()
	host, _ := dockertest.Daemon(t)
	if ok, _, _ := host.Exists(context.Background(), "alice:mine"); ok {
		t.Error("alice's commit is on the instructor's daemon")
	}

	// A learner without a key logs in with the class passphrase, and only with it.
	if out := c.must("pwcarol", "docker ps -a"); strings.Contains(out, "alices") {
		t.Errorf("carol lists alice's container:\n%s", out)
	}
	if _, err := gossh.Dial("tcp", c.addr, &gossh.ClientConfig{User: "pwcarol", Auth: []gossh.AuthMethod{gossh.Password("red")},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second}); err == nil {
		t.Error("a wrong passphrase logged carol in")
	}
	if _, err := gossh.Dial("tcp", c.addr, &gossh.ClientConfig{User: "tstalice", Auth: []gossh.AuthMethod{gossh.Password(classPass)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second}); err == nil {
		t.Error("the passphrase logged in alice, who has a key")
	}

	// A name not on the list is refused, and told why.
	var said string
	var mu sync.Mutex
	_, err = gossh.Dial("tcp", c.addr, &gossh.ClientConfig{User: "mallory", HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second,
		Auth: []gossh.AuthMethod{gossh.KeyboardInteractive(func(_, instruction string, _ []string, _ []bool) ([]string, error) {
			mu.Lock()
			said += instruction
			mu.Unlock()
			return nil, nil
		})}})
	if err == nil {
		t.Fatal("an unknown learner logged in")
	}
	if mu.Lock(); !strings.Contains(said, "mallory is not on this class's list") {
		t.Errorf("the refusal said %q", said)
	}
	mu.Unlock()

	// The app over SSH, at the terminal's size; the instructor sees alice in it.
	conn := c.dial("tstalice")
	s, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Setenv("LANG", "ko_KR.UTF-8"); err != nil {
		t.Logf("LANG not accepted: %v", err)
	}
	if err := s.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	var screen lockedBuf
	s.Stdout = &screen
	in, _ := s.StdinPipe()
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the lesson list over SSH, in Korean", func() bool { return strings.Contains(screen.String(), "레슨") })
	waitFor(t, "the instructor's view to show alice online", func() bool {
		for _, l := range c.srv.Snapshot().Learners {
			if l.Name == "tstalice" && l.Sessions >= 1 {
				return true
			}
		}
		return false
	})
	io.WriteString(in, "q") //nolint:errcheck
	done := make(chan error, 1)
	go func() { done <- s.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Error("q did not end the app's session")
	}
	conn.Close()

	// The server killed and started again: the engines are taken up, with
	// everything in them.
	c.srv.Close()
	c.start()
	if out := c.must("tstalice", "docker images"); !strings.Contains(out, "alice") {
		t.Errorf("after a restart alice's commit is gone:\n%s", out)
	}
	if out := c.must("tstalice", "docker ps"); !strings.Contains(out, "alices") {
		t.Errorf("after a restart alice's container is not running:\n%s", out)
	}
}

// screen opens the app in a terminal of w×h for learner: what it prints,
// where to type, and how to end the session.
func (c *classroom) screen(learner string, w, h int) (*lockedBuf, io.Writer, func()) {
	c.t.Helper()
	conn := c.dial(learner)
	s, err := conn.NewSession()
	if err != nil {
		c.t.Fatal(err)
	}
	if err := s.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		c.t.Fatal(err)
	}
	out := &lockedBuf{}
	s.Stdout = out
	in, _ := s.StdinPipe()
	if err := s.Shell(); err != nil {
		c.t.Fatal(err)
	}
	return out, in, func() { conn.Close() }
}

// A learner's connection drops mid-pull (bad Wi-Fi): the app goes on
// without a screen, and the next login shows it as it is, the pull's result
// on its card; a newer login takes the app over from an older one.
func TestClassroomReconnectMidPull(t *testing.T) {
	c := newClassroom(t, "tstdave")
	screen, in, drop := c.screen("tstdave", 100, 30)
	// Dave's terminal names no language: he is asked once.
	waitFor(t, "the language question", func() bool { return strings.Contains(screen.String(), "Language / 언어") })
	io.WriteString(in, "1") //nolint:errcheck
	waitFor(t, "the lesson list", func() bool { return strings.Contains(screen.String(), "Pick a lesson") })
	io.WriteString(in, "j") //nolint:errcheck
	time.Sleep(200 * time.Millisecond)
	io.WriteString(in, "\r") //nolint:errcheck
	waitFor(t, "the pull lesson", func() bool { return strings.Contains(screen.String(), "Pull busybox") })
	c.reg.SlowBlobs(4 * time.Second)
	io.WriteString(in, "\r") //nolint:errcheck // docker pull busybox
	waitFor(t, "the pull to start", func() bool { return strings.Contains(screen.String(), "running") })
	drop() // mid-pull
	if strings.Contains(screen.String(), "pulled busybox") {
		t.Fatal("the pull ended before the connection dropped: the test proves nothing")
	}
	time.Sleep(500 * time.Millisecond)
	screen2, in2, drop2 := c.screen("tstdave", 80, 24)
	defer drop2()
	waitFor(t, "the same lesson after logging in again", func() bool { return strings.Contains(screen2.String(), "Pull busybox") })
	if strings.Contains(screen2.String(), "Pick a lesson") {
		t.Error("the new login started the app anew (the lesson list), not the app as it was")
	}
	// The pull goes on at the registry's slow pace (on a loaded machine under
	// the race detector, longer than the other waits): the screen is shown
	// if it never ends.
	for deadline := time.Now().Add(90 * time.Second); !strings.Contains(screen2.String(), "pulled busybox"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			out := screen2.String()
			t.Fatalf("timed out waiting for the pull's result on its card:\n%s", out[max(0, len(out)-3000):])
		}
	}
	// A third login takes the app over; the second is told and closed.
	screen3, _, drop3 := c.screen("tstdave", 100, 30)
	defer drop3()
	waitFor(t, "the app in the newest session", func() bool { return strings.Contains(screen3.String(), "Pull busybox") })
	waitFor(t, "the older session told it was taken over", func() bool { return strings.Contains(screen2.String(), "taken over") })
	_ = in2
}

type lockedBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Issue 27, 5 and 6: a reset while the learner's app is open ends the app
// and the sessions first and leaves nothing to be written back; a
// restarted server adopts the engines left running (the idle stop and the
// instructor's view know them); StopEngines stops them keeping their data.
func TestClassroomResetAndRestart(t *testing.T) {
	c := newClassroom(t, "tsterin")
	c.must("tsterin", "docker pull busybox")
	c.must("tsterin", "docker run -d --name keep busybox sleep 600")
	screen, in, drop := c.screen("tsterin", 100, 30)
	defer drop()
	waitFor(t, "the language question", func() bool { return strings.Contains(screen.String(), "Language / 언어") })
	io.WriteString(in, "1") //nolint:errcheck
	waitFor(t, "the lesson list", func() bool { return strings.Contains(screen.String(), "Pick a lesson") })
	io.WriteString(in, "\r") //nolint:errcheck
	time.Sleep(time.Second)
	// Issue 27, 3: the app's : line reached 24 containers past a bound of
	// 20. The app's client carries the bound from the start.
	c.srv.mu.Lock()
	appCli := c.srv.learners["tsterin"].cli
	c.srv.mu.Unlock()
	if got := appCli.Limits(); got.Containers != c.cfg.MaxContainers || got.Images == 0 {
		t.Errorf("the app's client is bounded by %+v, want %d containers", got, c.cfg.MaxContainers)
	}
	dir := c.srv.learnerDir("tsterin")
	if _, err := os.Stat(filepath.Join(dir, "progress.json")); err != nil {
		t.Logf("no progress written yet: %v", err)
	}
	if err := c.srv.Reset(context.Background(), "tsterin"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "erin told of the reset", func() bool { return strings.Contains(screen.String(), "reset your engine") })
	time.Sleep(time.Second)
	if ents, err := os.ReadDir(dir); err == nil {
		t.Errorf("after the reset something wrote erin's folder again: %v", ents)
	}
	if out := c.must("tsterin", "docker ps -a"); strings.Contains(out, "keep") {
		t.Errorf("after a reset erin's container is there:\n%s", out)
	}
	if out := c.must("tsterin", "docker images"); strings.Contains(out, "busybox") {
		t.Errorf("after a reset erin's image is there:\n%s", out)
	}

	// A server that stops (Ctrl-C) leaves the engine running; the next one
	// takes it up: its view says running, and the idle stop stops it.
	c.must("tsterin", "docker pull busybox")
	c.srv.Close()
	if !slices.Contains(c.provider.Running(), "tsterin") {
		t.Fatal("the engine stopped with the server: the test proves nothing")
	}
	c.cfg.Idle = 2 * time.Second
	c.start()
	waitFor(t, "the view to show erin's engine running", func() bool {
		for _, l := range c.srv.Snapshot().Learners {
			if l.Name == "tsterin" && l.Engine {
				return true
			}
		}
		return false
	})
	waitFor(t, "the idle stop of an adopted engine", func() bool { return !slices.Contains(c.provider.Running(), "tsterin") })
	c.srv.Close()
	c.cfg.Idle = 0
	c.start()
	c.must("tsterin", "docker images")
	if got := c.srv.StopEngines(); !slices.Contains(got, "tsterin") {
		t.Errorf("StopEngines stopped %v", got)
	}
	if slices.Contains(c.provider.Running(), "tsterin") {
		t.Error("erin's engine runs after StopEngines")
	}
	if out := c.must("tsterin", "docker images"); !strings.Contains(out, "busybox") {
		t.Errorf("StopEngines lost erin's image:\n%s", out)
	}
}

// Issue 27, 2: a learner's build read a registry on the host's loopback
// (ADD http://127.0.0.1:PORT/…) and pulls reached other ports. Each engine
// runs in a network namespace of its own, with only the classroom registry
// served inside it: nothing on the host answers, and the host's server is
// never asked.
func TestClassroomReachesNothingOnTheHost(t *testing.T) {
	c := newClassroom(t, "tstfinn")
	var hits atomic.Int64
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.WriteString(w, "the instructor's secret") //nolint:errcheck
	}))
	defer host.Close()
	hostAddr := strings.TrimPrefix(host.URL, "http://")
	c.must("tstfinn", "docker pull busybox")
	ws := filepath.Join(c.srv.learnerDir("tstfinn"), "workspace", "cmdline")
	if err := os.MkdirAll(ws, 0o700); err != nil {
		t.Fatal(err)
	}
	// A build works (BuildKit in the confined engine, on its own disk)...
	if err := os.WriteFile(filepath.Join(ws, "Dockerfile"), []byte("FROM busybox\nRUN echo built > /built\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c.must("tstfinn", "docker build -t finn:built .")
	// ...and reaches nothing on the host.
	if err := os.WriteFile(filepath.Join(ws, "Dockerfile"), []byte("FROM busybox\nADD http://"+hostAddr+"/secret /secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, code := c.run("tstfinn", "docker build -t stolen ."); code == 0 || !strings.Contains(out, "connection refused") {
		t.Errorf("a build's ADD of the host's loopback: exit %d, want connection refused:\n%s", code, out)
	}
	if out, code := c.run("tstfinn", "docker pull "+hostAddr+"/library/x"); code == 0 {
		t.Errorf("a pull from another port of the host worked:\n%s", out)
	}
	c.must("tstfinn", "docker run -d --name probe busybox sleep 600")
	if out, code := c.run("tstfinn", "docker exec probe wget -q -O - -T 3 http://"+hostAddr+"/secret"); code == 0 || strings.Contains(out, "secret") {
		t.Errorf("a container read the host's loopback:\n%s", out)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the host's server was asked %d times from a learner's engine", n)
	}
	// The classroom registry is still there: pulls through it work.
	if out := c.must("tstfinn", "docker images"); !strings.Contains(out, "busybox") {
		t.Errorf("the classroom registry's image is missing:\n%s", out)
	}
}
