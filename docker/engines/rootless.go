package engines

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
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

	"golang.org/x/sys/unix"

	"github.com/layerlab/layerlab/docker"
)

// Rootless runs one rootless dockerd per learner on this machine (run as
// root: it creates the learners' Unix users and their subordinate ids).
// Learner NAME's engine runs as the Unix user ll-NAME, its data under
// Dir/NAME (the user's home), its socket in RunDir/NAME.
//
// Each engine is bounded by the kernel (confine.go): it runs in the network
// namespace ll-NAME (only a loopback, and the classroom's registry served
// there read-only), in the pids cgroup layerlab/NAME (Pids processes and
// threads at most, its containers' included), and Dir/NAME is an ext4
// filesystem of Disk bytes (the image Dir/NAME.img, loop-mounted).
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
	// Registry, when set, is served inside every learner's network namespace on RegistryAddr
	// (the "127.0.0.1:PORT" the host's classroom registry listens on), read-only (GET and HEAD;
	// anything else 405): the one address a learner's engine can reach.
	Registry     http.Handler
	RegistryAddr string
	// Pids bounds the processes (and threads) of an engine, its containers'
	// included (DefaultPids when 0).
	Pids int
	// Disk is the size of an engine's filesystem, in bytes (DefaultDisk when
	// 0). It is fixed when the filesystem is made: a new size applies after
	// a Reset.
	Disk int64
	// CPUShares is the CPU weight of all the engines together against one
	// thread of the server's (1024): EngineCPUShares when 0; below 0, no cpu
	// cgroup (only the niceness).
	CPUShares int

	mu sync.Mutex
	// locks serialise Start, Stop and Reset of one learner.
	locks map[string]*sync.Mutex
	// listeners serve Registry in the learners' namespaces.
	listeners map[string]*nsListener
}

// DefaultStartTimeout is how long an engine may take to answer.
const DefaultStartTimeout = 60 * time.Second

// DefaultPids is how many processes (threads count) an engine may run,
// its own (~60 threads idle) and its containers' together.
const DefaultPids = 512

// DefaultDisk is the size of an engine's filesystem.
const DefaultDisk int64 = 4 << 30

// defaultPath is the PATH the engines (and the host's tools) run with.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

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
	return &Rootless{Dir: dir, RunDir: runDir, Script: DefaultScript, Path: defaultPath, locks: map[string]*sync.Mutex{}}
}

func (r *Rootless) path() string {
	if r.Path == "" {
		return defaultPath
	}
	return r.Path
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
	for _, bin := range []string{"rootlesskit", "newuidmap", "newgidmap", "dockerd", "useradd", "usermod", "userdel",
		"ip", "mkfs.ext4", "mount", "umount"} {
		if _, err := lookPath(bin, r.path()); err != nil {
			pkg := map[string]string{"rootlesskit": "rootlesskit", "newuidmap": "uidmap", "newgidmap": "uidmap", "dockerd": "docker.io",
				"ip": "iproute2", "mkfs.ext4": "e2fsprogs", "mount": "mount", "umount": "mount"}[bin]
			if pkg == "" {
				pkg = "passwd"
			}
			missing = append(missing, bin+" (Debian package "+pkg+")")
		}
	}
	if _, _, err := pidsHierarchy(); err != nil {
		missing = append(missing, "a pids cgroup (a cgroup v1 pids hierarchy, or cgroup2 offering the pids controller)")
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

// Start starts learner's engine, or finds it running (confined: an engine
// started before it was, by an older server, is stopped and started again).
// Either way the classroom's registry is served in its namespace.
func (r *Rootless) Start(ctx context.Context, learner string) (docker.Endpoint, error) {
	l, err := r.hold(learner)
	if err != nil {
		return docker.Endpoint{}, err
	}
	defer l.Unlock()
	ep := r.Endpoint(learner)
	if answers(ctx, ep) && r.confinedNow(learner) {
		if err := r.ensureRegistry(learner); err != nil {
			return ep, &Error{Code: CodeSetup, Learner: learner, Detail: "the classroom's registry", Err: err}
		}
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
	if err := r.ensureDisk(learner, uid, gid); err != nil {
		return ep, &Error{Code: CodeSetup, Learner: learner, Detail: "its filesystem " + r.imagePath(learner), Err: err}
	}
	if err := os.MkdirAll(run, 0o700); err != nil {
		return ep, &Error{Code: CodeSetup, Learner: learner, Detail: run, Err: err}
	}
	if err := os.Chown(run, uid, gid); err != nil {
		return ep, &Error{Code: CodeSetup, Learner: learner, Detail: run, Err: err}
	}
	_ = os.Chmod(run, 0o700)
	if err := r.ensureNetns(learner); err != nil {
		return ep, &Error{Code: CodeSetup, Learner: learner, Detail: "its network namespace", Err: err}
	}
	pids := r.Pids
	if pids <= 0 {
		pids = DefaultPids
	}
	cg, err := ensureCgroup(learner, pids, r.CPUShares)
	if err != nil {
		return ep, &Error{Code: CodeSetup, Learner: learner, Detail: "its pids cgroup", Err: err}
	}
	// Served before the engine starts: its first pull finds it.
	if err := r.ensureRegistry(learner); err != nil {
		return ep, &Error{Code: CodeSetup, Learner: learner, Detail: "the classroom's registry", Err: err}
	}
	logPath := filepath.Join(r.Dir, learner+".log")
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return ep, &Error{Code: CodeSetup, Learner: learner, Detail: logPath, Err: err}
	}
	defer logf.Close()
	cmd := exec.Command(r.Script, "--bridge=none", "--iptables=false", "--ip6tables=false")
	cmd.Dir = home
	cmd.Env = []string{"HOME=" + home, "USER=" + UnixUser(learner), "XDG_RUNTIME_DIR=" + run, "PATH=" + r.path(),
		// rootlesskit's host network is the namespace the engine starts
		// in: its own, where only the classroom's registry answers.
		// Containers run without a network.
		"DOCKERD_ROOTLESS_ROOTLESSKIT_NET=host", "DOCKERD_ROOTLESS_ROOTLESSKIT_PORT_DRIVER=none"}
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}},
		// Its own process group: stopped as one, and it outlives a server
		// that is killed (the next server takes it up again).
		Setpgid: true,
	}
	if !cg.v1 {
		// cgroup2: born in its cgroup (clone3 CLONE_INTO_CGROUP).
		cgf, err := os.Open(cg.dir)
		if err != nil {
			return ep, &Error{Code: CodeSetup, Learner: learner, Detail: "its pids cgroup", Err: err}
		}
		defer cgf.Close()
		cmd.SysProcAttr.UseCgroupFD, cmd.SysProcAttr.CgroupFD = true, int(cgf.Fd())
	}
	// Started from a thread in the namespace (and the v1 cgroup): the
	// script's first instruction already runs confined.
	if err := confined(learner, cg, cmd.Start); err != nil {
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

// confinedNow reports whether learner's running engine (by its pid file)
// runs in its namespace and cgroup, on its own filesystem.
func (r *Rootless) confinedNow(learner string) bool {
	pid := r.pid(learner)
	if pid <= 1 || !sameNetns(pid, learner) || !mounted(filepath.Join(r.Dir, learner)) {
		return false
	}
	cg, err := cgroupOf(learner)
	return err == nil && inCgroup(pid, learner, "pids", cg.v1) && (cg.cpu == "" || r.CPUShares < 0 || inCgroup(pid, learner, "cpu", true))
}

// pid is learner's engine's process by its pid file (0 if none).
func (r *Rootless) pid(learner string) int {
	b, err := os.ReadFile(filepath.Join(r.Dir, learner+".pid"))
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
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
// containerd and the containers), keeping its data (its filesystem stays
// mounted, its namespace and cgroup stay for the next Start).
func (r *Rootless) Stop(learner string) error {
	l, err := r.hold(learner)
	if err != nil {
		return err
	}
	defer l.Unlock()
	r.stopLocked(learner)
	r.closeRegistry(learner)
	return nil
}

// StopAll stops every engine that runs (by the pid files), keeping their
// data as Stop does, and returns the learners whose engines ran.
func (r *Rootless) StopAll() []string {
	var out []string
	for _, name := range r.withPidFiles() {
		l, err := r.hold(name)
		if err != nil {
			continue
		}
		if r.runs(name) {
			out = append(out, name)
		}
		r.stopLocked(name)
		r.closeRegistry(name)
		l.Unlock()
	}
	slices.Sort(out)
	return out
}

// withPidFiles are the learners whose engines have a pid file (started,
// and not stopped since).
func (r *Rootless) withPidFiles() []string {
	ents, err := os.ReadDir(r.Dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if name, ok := strings.CutSuffix(e.Name(), ".pid"); ok && ValidName(name) {
			out = append(out, name)
		}
	}
	return out
}

// runs reports whether learner's engine process (by its pid file) is alive.
func (r *Rootless) runs(learner string) bool {
	pid := r.pid(learner)
	if pid <= 1 || !alive(pid) {
		return false
	}
	u, err := user.Lookup(UnixUser(learner))
	return err == nil && ownerOf(pid) == u.Uid
}

func (r *Rootless) stopLocked(learner string) {
	pidFile := filepath.Join(r.Dir, learner+".pid")
	// Whatever runs in the engine's cgroup goes too, pid file or not (a
	// container's non-root user runs as a subordinate id: killUser misses it).
	defer func() {
		if cg, err := cgroupOf(learner); err == nil {
			cg.kill()
		}
	}()
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

// Reset stops learner's engine and removes all it kept: its registry
// listener, filesystem (unmounted, the image removed), folders, network
// namespace, cgroup, and its Unix user with its subordinate ids. A later
// Start begins from nothing.
func (r *Rootless) Reset(ctx context.Context, learner string) error {
	l, err := r.hold(learner)
	if err != nil {
		return err
	}
	defer l.Unlock()
	r.stopLocked(learner)
	r.closeRegistry(learner)
	if err := r.removeDisk(learner); err != nil {
		return &Error{Code: CodeSetup, Learner: learner, Detail: "remove its filesystem", Err: err}
	}
	for _, p := range []string{filepath.Join(r.RunDir, learner), filepath.Join(r.Dir, learner+".log"), filepath.Join(r.Dir, learner+".pid")} {
		if err := os.RemoveAll(p); err != nil {
			return &Error{Code: CodeSetup, Learner: learner, Detail: "remove " + p, Err: err}
		}
	}
	if err := r.removeNetns(learner); err != nil {
		return &Error{Code: CodeSetup, Learner: learner, Detail: "remove its network namespace", Err: err}
	}
	if cg, err := cgroupOf(learner); err == nil {
		if err := cg.remove(); err != nil {
			return &Error{Code: CodeSetup, Learner: learner, Detail: "remove its cgroup", Err: err}
		}
	}
	if err := r.removeUser(learner); err != nil {
		return &Error{Code: CodeSetup, Learner: learner, Detail: "remove its Unix user", Err: err}
	}
	return nil
}

// Running are the learners whose engines answer now.
func (r *Rootless) Running() []string {
	var out []string
	for _, name := range r.withPidFiles() {
		if answers(context.Background(), r.Endpoint(name)) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// DiskUse is the bytes used on learner's engine filesystem (statfs; of the
// files under its folder when that is no mount: an engine from before).
func (r *Rootless) DiskUse(learner string) int64 {
	if !ValidName(learner) {
		return -1
	}
	home := filepath.Join(r.Dir, learner)
	if mounted(home) {
		var st unix.Statfs_t
		if err := unix.Statfs(home, &st); err != nil {
			return -1
		}
		return int64(st.Blocks-st.Bfree) * st.Bsize
	}
	var n int64
	err := filepath.WalkDir(home, func(_ string, d fs.DirEntry, err error) error {
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

// removeUser removes learner's Unix user (its processes killed first:
// userdel refuses a user that runs anything) and its subordinate ids.
func (r *Rootless) removeUser(learner string) error {
	name := UnixUser(learner)
	u, err := user.Lookup(name)
	if err != nil {
		return nil // none
	}
	for i := 0; i < 50; i++ {
		killUser(u.Uid)
		if !hasProcesses(u.Uid) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, f := range []string{"/etc/subuid", "/etc/subgid"} {
		flag := "--del-subuids"
		if f == "/etc/subgid" {
			flag = "--del-subgids"
		}
		spans, err := subIDSpans(f, name)
		if err != nil {
			return err
		}
		for _, sp := range spans {
			if err := r.run("usermod", flag, fmt.Sprintf("%d-%d", sp[0], sp[0]+sp[1]-1), name); err != nil {
				return err
			}
		}
	}
	if err := r.run("userdel", name); err != nil {
		return err
	}
	for _, f := range []string{"/etc/subuid", "/etc/subgid"} {
		if spans, err := subIDSpans(f, name); err != nil || len(spans) > 0 {
			return fmt.Errorf("%s still gives %s ids %v (%v)", f, name, spans, err)
		}
	}
	return nil
}

// hasProcesses reports whether the Unix user uid runs anything.
func hasProcesses(uid string) bool {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return false
	}
	for _, e := range ents {
		if pid, err := strconv.Atoi(e.Name()); err == nil && ownerOf(pid) == uid {
			return true
		}
	}
	return false
}

// subIDSpans are name's ranges (first, count) in a subordinate id file.
func subIDSpans(path, name string) ([][2]int, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out [][2]int
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Split(strings.TrimSpace(line), ":")
		if len(f) != 3 || f[0] != name {
			continue
		}
		start, e1 := strconv.Atoi(f[1])
		count, e2 := strconv.Atoi(f[2])
		if e1 == nil && e2 == nil && count > 0 {
			out = append(out, [2]int{start, count})
		}
	}
	return out, nil
}
