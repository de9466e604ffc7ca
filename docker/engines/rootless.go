package engines

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/layerlab/layerlab/docker"
)

// Rootless runs one rootless dockerd per learner on this machine (run as
// root: it creates the learners' Unix users and their subordinate ids).
// Learner NAME's engine runs as the Unix user ll-NAME, its data under
// Dir/NAME (the user's home), its socket in RunDir/NAME.
type Rootless struct {
	// Dir holds the learners' engines: their data, logs and pid files.
	Dir string
	// RunDir holds their sockets (each learner's XDG_RUNTIME_DIR).
	RunDir string
	// Script is dockerd-rootless.sh (Debian's docker.io ships it).
	Script string
	// Path is the PATH the engines run with: dockerd, rootlesskit and the
	// shadow tools' new[ug]idmap.
	Path string
	// StartTimeout bounds an engine's start (DefaultStartTimeout when 0).
	StartTimeout time.Duration

	mu sync.Mutex
	// locks serialise Start, Stop and Reset of one learner.
	locks map[string]*sync.Mutex
}

// DefaultStartTimeout is how long an engine may take to answer.
const DefaultStartTimeout = 60 * time.Second

// EngineNice is the niceness of every learner's engine (and its containers).
const EngineNice = 10

// DefaultScript is where Debian's docker.io puts dockerd-rootless.sh.
const DefaultScript = "/usr/share/docker.io/contrib/dockerd-rootless.sh"

// subIDBase and subIDCount are the subordinate ids given to each learner's
// user: 65536 each, above what Debian gives its own users.
const (
	subIDBase  = 1 << 20
	subIDCount = 65536
)

// NewRootless is a provider keeping its engines under dir and their
// sockets under runDir.
func NewRootless(dir, runDir string) *Rootless {
	return &Rootless{Dir: dir, RunDir: runDir, Script: DefaultScript,
		Path: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", locks: map[string]*sync.Mutex{}}
}

// Check says what this machine lacks for rootless engines ("" if nothing).
func (r *Rootless) Check() string {
	var missing []string
	if os.Geteuid() != 0 {
		missing = append(missing, "root (it creates a Unix user per learner)")
	}
	if _, err := os.Stat(r.Script); err != nil {
		missing = append(missing, r.Script+" (Debian package docker.io)")
	}
	for _, bin := range []string{"rootlesskit", "newuidmap", "newgidmap", "dockerd", "useradd", "usermod"} {
		if _, err := lookPath(bin, r.Path); err != nil {
			pkg := map[string]string{"rootlesskit": "rootlesskit", "newuidmap": "uidmap", "newgidmap": "uidmap", "dockerd": "docker.io"}[bin]
			if pkg == "" {
				pkg = "passwd"
			}
			missing = append(missing, bin+" (Debian package "+pkg+")")
		}
	}
	return strings.Join(missing, ", ")
}

func lookPath(bin, path string) (string, error) {
	for _, dir := range filepath.SplitList(path) {
		p := filepath.Join(dir, bin)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", exec.ErrNotFound
}

// hold locks learner's engine for one Start, Stop or Reset (the caller
// unlocks it); a name that cannot be a learner's is refused.
func (r *Rootless) hold(learner string) (*sync.Mutex, error) {
	if !ValidName(learner) {
		return nil, &Error{Code: CodeName, Learner: learner, Detail: "not a learner's name"}
	}
	l := r.lock(learner)
	l.Lock()
	return l, nil
}

func (r *Rootless) lock(learner string) *sync.Mutex {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.locks == nil {
		r.locks = map[string]*sync.Mutex{}
	}
	l, ok := r.locks[learner]
	if !ok {
		l = &sync.Mutex{}
		r.locks[learner] = l
	}
	return l
}

// UnixUser is the Unix user that runs learner's engine.
func UnixUser(learner string) string { return "ll-" + learner }

// Endpoint is where learner's engine listens.
func (r *Rootless) Endpoint(learner string) docker.Endpoint {
	return docker.Endpoint{Host: "unix://" + filepath.Join(r.RunDir, learner, "docker.sock"), Source: "classroom"}
}

// Start starts learner's engine, or finds it running.
func (r *Rootless) Start(ctx context.Context, learner string) (docker.Endpoint, error) {
	l, err := r.hold(learner)
	if err != nil {
		return docker.Endpoint{}, err
	}
	defer l.Unlock()
	ep := r.Endpoint(learner)
	if answers(ctx, ep) {
		return ep, nil
	}
	if missing := r.Check(); missing != "" {
		return ep, &Error{Code: CodeSetup, Learner: learner, Detail: "missing " + missing}
	}
	uid, gid, err := r.ensureUser(learner)
	if err != nil {
		return ep, &Error{Code: CodeSetup, Learner: learner, Detail: "its Unix user", Err: err}
	}
	for _, d := range []string{r.Dir, r.RunDir} {
		if err := searchable(d); err != nil {
			return ep, &Error{Code: CodeSetup, Learner: learner, Detail: "the learners' users must reach " + d, Err: err}
		}
	}
	// A dead engine's leftovers go; a live one's process group is stopped.
	r.stopLocked(learner)
	home, run := filepath.Join(r.Dir, learner), filepath.Join(r.RunDir, learner)
	for _, d := range []string{home, run} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return ep, &Error{Code: CodeSetup, Learner: learner, Detail: d, Err: err}
		}
		if err := os.Chown(d, uid, gid); err != nil {
			return ep, &Error{Code: CodeSetup, Learner: learner, Detail: d, Err: err}
		}
		_ = os.Chmod(d, 0o700)
	}
	logPath := filepath.Join(r.Dir, learner+".log")
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return ep, &Error{Code: CodeSetup, Learner: learner, Detail: logPath, Err: err}
	}
	defer logf.Close()
	cmd := exec.Command(r.Script, "--bridge=none", "--iptables=false", "--ip6tables=false")
	cmd.Dir = home
	cmd.Env = []string{"HOME=" + home, "USER=" + UnixUser(learner), "XDG_RUNTIME_DIR=" + run, "PATH=" + r.Path,
		// The host's network namespace: pulls reach the classroom's registry
		// on 127.0.0.1; containers run without a network.
		"DOCKERD_ROOTLESS_ROOTLESSKIT_NET=host", "DOCKERD_ROOTLESS_ROOTLESSKIT_PORT_DRIVER=none"}
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}},
		// Its own process group: stopped as one, and it outlives a server
		// that is killed (the next server takes it up again).
		Setpgid: true,
	}
	if err := cmd.Start(); err != nil {
		return ep, &Error{Code: CodeStart, Learner: learner, Detail: "start", Err: err}
	}
	pid := cmd.Process.Pid
	// Engines yield to the server: a learner's container that loops slows
	// the other engines a little, never the screens the server draws.
	_ = syscall.Setpriority(syscall.PRIO_PGRP, pid, EngineNice)
	_ = os.WriteFile(filepath.Join(r.Dir, learner+".pid"), []byte(strconv.Itoa(pid)), 0o600)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	timeout := r.StartTimeout
	if timeout == 0 {
		timeout = DefaultStartTimeout
	}
	deadline := time.Now().Add(timeout)
	for {
		if answers(ctx, ep) {
			return ep, nil
		}
		select {
		case err := <-exited:
			return ep, &Error{Code: CodeStart, Learner: learner, Detail: "it exited: " + tail(logPath, 6), Err: err}
		case <-ctx.Done():
			r.stopLocked(learner)
			return ep, &Error{Code: CodeStart, Learner: learner, Detail: "cancelled", Err: ctx.Err()}
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			r.stopLocked(learner)
			return ep, &Error{Code: CodeStart, Learner: learner, Detail: "no answer after " + timeout.String() + ": " + tail(logPath, 6)}
		}
	}
}

// searchable makes dir (0711: others may pass through, not list it) and
// checks that every folder above it lets others pass too: a learner's user
// reaches its own folder inside it.
func searchable(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(abs, 0o711); err != nil {
		return err
	}
	if err := os.Chmod(abs, 0o711); err != nil {
		return err
	}
	for d := filepath.Dir(abs); ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return err
		}
		if fi.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("%s is not searchable by others (chmod o+x %s, or choose another folder)", d, d)
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

// answers reports whether an engine answers at ep.
func answers(ctx context.Context, ep docker.Endpoint) bool {
	if _, err := os.Stat(strings.TrimPrefix(ep.Host, "unix://")); err != nil {
		return false
	}
	cli, err := docker.New(ep)
	if err != nil {
		return false
	}
	defer cli.Close()
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	_, err = cli.Connect(ctx)
	return err == nil
}

// tail is the last n lines of a file.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], "\n")
}

// Stop stops learner's engine (its process group: rootlesskit, dockerd,
// containerd and the containers), keeping its data.
func (r *Rootless) Stop(learner string) error {
	l, err := r.hold(learner)
	if err != nil {
		return err
	}
	defer l.Unlock()
	r.stopLocked(learner)
	return nil
}

func (r *Rootless) stopLocked(learner string) {
	pidFile := filepath.Join(r.Dir, learner+".pid")
	b, err := os.ReadFile(pidFile)
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 1 {
		_ = os.Remove(pidFile)
		return
	}
	// Only a process group of the learner's own user is ever signalled.
	u, err := user.Lookup(UnixUser(learner))
	if err == nil && ownerOf(pid) == u.Uid {
		_ = syscall.Kill(-pid, syscall.SIGTERM)
		for i := 0; i < 100 && alive(pid); i++ {
			time.Sleep(100 * time.Millisecond)
		}
		if alive(pid) {
			_ = syscall.Kill(-pid, syscall.SIGKILL)
		}
	}
	if err == nil {
		// The containers' shims leave the group (they start sessions of
		// their own): whatever the learner's user still runs is its
		// engine's, and goes with it.
		killUser(u.Uid)
	}
	_ = os.Remove(pidFile)
	_ = os.Remove(filepath.Join(r.RunDir, learner, "docker.sock"))
}

// killUser kills every process of the Unix user uid (a learner's: it runs
// nothing but its engine).
func killUser(uid string) {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err == nil && pid > 1 && ownerOf(pid) == uid {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// A zombie (state Z) has exited.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

// ownerOf is the uid of process pid ("" if it is gone).
func ownerOf(pid int) string {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "Uid:"); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				return f[0]
			}
		}
	}
	return ""
}

// Reset stops learner's engine and removes all it kept.
func (r *Rootless) Reset(ctx context.Context, learner string) error {
	l, err := r.hold(learner)
	if err != nil {
		return err
	}
	defer l.Unlock()
	r.stopLocked(learner)
	for _, p := range []string{filepath.Join(r.Dir, learner), filepath.Join(r.RunDir, learner), filepath.Join(r.Dir, learner+".log")} {
		if err := os.RemoveAll(p); err != nil {
			return &Error{Code: CodeSetup, Learner: learner, Detail: "remove " + p, Err: err}
		}
	}
	return nil
}

// Running are the learners whose engines answer now.
func (r *Rootless) Running() []string {
	ents, err := os.ReadDir(r.Dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), ".pid")
		if ok && ValidName(name) && answers(context.Background(), r.Endpoint(name)) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// DiskUse is the size of the files under learner's engine folder.
func (r *Rootless) DiskUse(learner string) int64 {
	if !ValidName(learner) {
		return -1
	}
	var n int64
	err := filepath.WalkDir(filepath.Join(r.Dir, learner), func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	if err != nil {
		return -1
	}
	return n
}

// ensureUser makes learner's Unix user (no login shell, its home the
// engine's folder) with subordinate ids of its own, and returns its ids.
func (r *Rootless) ensureUser(learner string) (uid, gid int, err error) {
	name := UnixUser(learner)
	u, err := user.Lookup(name)
	if err != nil {
		out, cerr := exec.Command("useradd", "--system", "--home-dir", filepath.Join(r.Dir, learner),
			"--no-create-home", "--shell", "/usr/sbin/nologin", "--user-group", name).CombinedOutput()
		if cerr != nil {
			return 0, 0, fmt.Errorf("useradd %s: %v: %s", name, cerr, strings.TrimSpace(string(out)))
		}
		if u, err = user.Lookup(name); err != nil {
			return 0, 0, err
		}
	}
	for _, f := range []string{"/etc/subuid", "/etc/subgid"} {
		has, next, err := subIDs(f, name)
		if err != nil {
			return 0, 0, err
		}
		if has {
			continue
		}
		flag := "--add-subuids"
		if f == "/etc/subgid" {
			flag = "--add-subgids"
		}
		span := fmt.Sprintf("%d-%d", next, next+subIDCount-1)
		if out, err := exec.Command("usermod", flag, span, name).CombinedOutput(); err != nil {
			return 0, 0, fmt.Errorf("usermod %s %s %s: %v: %s", flag, span, name, err, strings.TrimSpace(string(out)))
		}
	}
	uid, _ = strconv.Atoi(u.Uid)
	gid, _ = strconv.Atoi(u.Gid)
	return uid, gid, nil
}

// subIDs reads a subordinate id file: whether name has a range, and the
// first id after every range in it (at least subIDBase).
func subIDs(path, name string) (has bool, next int, err error) {
	next = subIDBase
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, next, nil
	}
	if err != nil {
		return false, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Split(strings.TrimSpace(line), ":")
		if len(f) != 3 {
			continue
		}
		if f[0] == name {
			has = true
		}
		start, e1 := strconv.Atoi(f[1])
		count, e2 := strconv.Atoi(f[2])
		if e1 == nil && e2 == nil && start+count > next {
			next = start + count
		}
	}
	return has, next, nil
}
