package engines

// What bounds a learner's engine, enforced by the kernel rather than
// checked by the server:
//
//   - network: the engine runs in a network namespace of its own
//     (/run/netns/ll-NAME, only a loopback); rootlesskit's host network
//     shares that namespace, so the engine, its builds and its containers
//     reach nothing of the host. The classroom's registry is served inside
//     it, read-only, by the server (a listener opened in the namespace).
//   - processes: the engine runs in a pids cgroup of its own
//     (layerlab/NAME, pids.max = Rootless.Pids), entered before its first
//     instruction; a rootless engine has no cgroup driver, so everything it
//     forks (containers too) stays there.
//   - CPU: the engine also runs in the cpu cgroup layerlab/NAME; all the
//     engines together (layerlab) weigh EngineCPUShares against the
//     server's threads' 1024 each, so thirty engines pulling at once take
//     the spare CPU, not the time the server needs to draw the screens.
//     Where no cpu controller is mounted, only the niceness is left.
//   - disk: the engine's folder (its home, the data root under it) is an
//     ext4 filesystem of Rootless.Disk bytes in a sparse image file,
//     loop-mounted; a full engine gets "No space left on device".

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// netnsPath is where `ip netns add` keeps learner's network namespace.
func netnsPath(learner string) string { return filepath.Join("/run/netns", UnixUser(learner)) }

// ensureNetns makes learner's network namespace (only a loopback, up).
func (r *Rootless) ensureNetns(learner string) error {
	name := UnixUser(learner)
	if _, err := os.Stat(netnsPath(learner)); err != nil {
		if err := r.run("ip", "netns", "add", name); err != nil {
			return err
		}
	}
	return r.run("ip", "-n", name, "link", "set", "lo", "up")
}

// removeNetns removes learner's network namespace, if there is one.
func (r *Rootless) removeNetns(learner string) error {
	if _, err := os.Stat(netnsPath(learner)); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return r.run("ip", "netns", "delete", UnixUser(learner))
}

// sameNetns reports whether process pid runs in learner's namespace.
func sameNetns(pid int, learner string) bool {
	var a, b unix.Stat_t
	if unix.Stat(fmt.Sprintf("/proc/%d/ns/net", pid), &a) != nil || unix.Stat(netnsPath(learner), &b) != nil {
		return false
	}
	return a.Dev == b.Dev && a.Ino == b.Ino
}

// confined runs fn on an OS thread of its own that has entered learner's
// network namespace (and, when cg is given, its pids cgroup, v1): what fn
// opens or starts is born there. The thread is never given back to the Go
// runtime: its goroutine ends locked, and the runtime discards it.
func confined(learner string, cg *cgroup, fn func() error) error {
	ns, err := os.Open(netnsPath(learner))
	if err != nil {
		return err
	}
	defer ns.Close()
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		// No UnlockOSThread: this thread is tainted for good.
		if err := unix.Setns(int(ns.Fd()), unix.CLONE_NEWNET); err != nil {
			done <- fmt.Errorf("setns %s: %w", netnsPath(learner), err)
			return
		}
		if cg != nil && cg.v1 {
			// This thread joins the cgroups; the process it starts is born
			// in them. The thread leaves them again (back where the
			// server's threads are) so that they hold only the engine.
			tid := []byte(strconv.Itoa(unix.Gettid()))
			for _, j := range []struct{ dir, controller string }{{cg.dir, "pids"}, {cg.cpu, "cpu"}} {
				if j.dir == "" {
					continue
				}
				back := threadCgroup(j.controller)
				if err := os.WriteFile(filepath.Join(j.dir, "tasks"), tid, 0o644); err != nil {
					done <- fmt.Errorf("enter %s: %w", j.dir, err)
					return
				}
				defer os.WriteFile(filepath.Join(back, "tasks"), tid, 0o644) //nolint:errcheck // the thread ends soon anyway
			}
		}
		done <- fn()
	}()
	return <-done
}

// cgroup is a learner's pids cgroup (and its cpu cgroup).
type cgroup struct {
	dir string // e.g. /sys/fs/cgroup/pids/layerlab/NAME
	v1  bool   // a v1 pids hierarchy (else cgroup2 with the pids controller)
	// cpu is the learner's v1 cpu cgroup (e.g. /sys/fs/cgroup/cpu/layerlab/NAME),
	// "" on cgroup2 (dir is both there) or where no cpu controller is mounted.
	cpu string
}

// EngineCPUShares is the CPU weight of all the learners' engines together
// (cgroup v1 cpu.shares of layerlab; a thread of the server weighs 1024),
// unless Rootless.CPUShares says another. On cgroup2 it is cpu.weight
// shares*100/1024+1 (the default is 100).
const EngineCPUShares = 512

// pidsHierarchy finds where the pids controller is mounted: a cgroup v1
// pids hierarchy, else a cgroup2 mount that offers pids.
func pidsHierarchy() (root string, v1 bool, err error) { return hierarchy("pids") }

// hierarchy finds where controller is mounted: a cgroup v1 hierarchy of
// it, else a cgroup2 mount that offers it.
func hierarchy(controller string) (root string, v1 bool, err error) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return "", false, err
	}
	defer f.Close()
	var v2 []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		pre, post, ok := strings.Cut(sc.Text(), " - ")
		a, b := strings.Fields(pre), strings.Fields(post)
		if !ok || len(a) < 5 || len(b) < 3 {
			continue
		}
		switch mp := unescapeMount(a[4]); b[0] {
		case "cgroup":
			if slices.Contains(strings.Split(b[2], ","), controller) {
				return mp, true, nil
			}
		case "cgroup2":
			v2 = append(v2, mp)
		}
	}
	for _, mp := range v2 {
		if c, err := os.ReadFile(filepath.Join(mp, "cgroup.controllers")); err == nil && slices.Contains(strings.Fields(string(c)), controller) {
			return mp, false, nil
		}
	}
	return "", false, fmt.Errorf("no %[1]s cgroup: neither a cgroup v1 %[1]s hierarchy nor a cgroup2 mount offering the %[1]s controller is mounted", controller)
}

// threadCgroup is the folder of the calling thread's v1 cgroup of
// controller (the hierarchy's root if it cannot be told).
func threadCgroup(controller string) string {
	root, _, err := hierarchy(controller)
	if err != nil {
		return ""
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/self/task/%d/cgroup", unix.Gettid()))
	if err != nil {
		return root
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.SplitN(line, ":", 3)
		if len(f) == 3 && slices.Contains(strings.Split(f[1], ","), controller) {
			if d := filepath.Join(root, filepath.Clean("/"+f[2])); d != root {
				if _, err := os.Stat(filepath.Join(d, "tasks")); err == nil {
					return d
				}
			}
		}
	}
	return root
}

// cgroupOf is learner's pids cgroup (it may not exist yet).
func cgroupOf(learner string) (*cgroup, error) {
	root, v1, err := pidsHierarchy()
	if err != nil {
		return nil, err
	}
	cg := &cgroup{dir: filepath.Join(root, "layerlab", learner), v1: v1}
	if v1 {
		if croot, cv1, err := hierarchy("cpu"); err == nil && cv1 {
			cg.cpu = filepath.Join(croot, "layerlab", learner)
		}
	}
	return cg, nil
}

// ensureCgroup makes learner's pids cgroup, bounded to max processes
// (threads count too), and its cpu cgroup, all the engines' weighing
// shares (EngineCPUShares when 0; none below 0).
func ensureCgroup(learner string, max, shares int) (*cgroup, error) {
	cg, err := cgroupOf(learner)
	if err != nil {
		return nil, err
	}
	if shares == 0 {
		shares = EngineCPUShares
	}
	if shares < 0 {
		cg.cpu = ""
	}
	parent := filepath.Dir(cg.dir)
	cpu2 := false
	if !cg.v1 {
		// cgroup2: the pids controller (and cpu, where offered) must be
		// offered down to the learner's.
		for _, d := range []string{filepath.Dir(parent), parent} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return nil, err
			}
			if err := os.WriteFile(filepath.Join(d, "cgroup.subtree_control"), []byte("+pids"), 0o644); err != nil {
				return nil, fmt.Errorf("enable pids in %s: %w", d, err)
			}
		}
		cpu2 = shares > 0 && os.WriteFile(filepath.Join(filepath.Dir(parent), "cgroup.subtree_control"), []byte("+cpu"), 0o644) == nil &&
			os.WriteFile(filepath.Join(parent, "cgroup.subtree_control"), []byte("+cpu"), 0o644) == nil
	}
	if err := os.MkdirAll(cg.dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(cg.dir, "pids.max"), []byte(strconv.Itoa(max)), 0o644); err != nil {
		return nil, fmt.Errorf("%s/pids.max: %w", cg.dir, err)
	}
	switch {
	case cpu2:
		w := strconv.Itoa(shares*100/1024 + 1)
		if err := os.WriteFile(filepath.Join(parent, "cpu.weight"), []byte(w), 0o644); err != nil {
			return nil, fmt.Errorf("%s/cpu.weight: %w", parent, err)
		}
	case cg.cpu != "":
		if err := os.MkdirAll(cg.cpu, 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(filepath.Dir(cg.cpu), "cpu.shares"), []byte(strconv.Itoa(shares)), 0o644); err != nil {
			return nil, fmt.Errorf("%s/cpu.shares: %w", filepath.Dir(cg.cpu), err)
		}
	}
	return cg, nil
}

// procs are the processes in the cgroup.
func (cg *cgroup) procs() []int {
	b, err := os.ReadFile(filepath.Join(cg.dir, "cgroup.procs"))
	if err != nil {
		return nil
	}
	var out []int
	for _, f := range strings.Fields(string(b)) {
		if pid, err := strconv.Atoi(f); err == nil {
			out = append(out, pid)
		}
	}
	return out
}

// kill kills every process in the cgroup (a container's processes may run
// as any of the learner's subordinate ids: killUser misses those).
func (cg *cgroup) kill() {
	for i := 0; i < 50; i++ {
		ps := cg.procs()
		if len(ps) == 0 {
			return
		}
		for _, pid := range ps {
			if pid != os.Getpid() {
				_ = unix.Kill(pid, unix.SIGKILL)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// remove removes the cgroup (killing what is left in it) and its cpu
// cgroup.
func (cg *cgroup) remove() error {
	if _, err := os.Stat(cg.dir); err == nil {
		cg.kill()
	}
	for _, d := range []string{cg.dir, cg.cpu} {
		if err := rmdirWait(d); err != nil {
			return err
		}
	}
	return nil
}

// rmdirWait removes the cgroup folder d ("" or gone: nothing to do),
// waiting up to 5 s for its last processes to be gone.
func rmdirWait(d string) error {
	if d == "" {
		return nil
	}
	var err error
	for i := 0; i < 50; i++ {
		if err = unix.Rmdir(d); err == nil || errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("rmdir %s: %w", d, err)
}

// inCgroup reports whether process pid runs in learner's cgroup of
// controller (on cgroup2: its one cgroup).
func inCgroup(pid int, learner, controller string, v1 bool) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cgroup", pid))
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.SplitN(line, ":", 3)
		if len(f) != 3 {
			continue
		}
		if (v1 && slices.Contains(strings.Split(f[1], ","), controller)) || (!v1 && f[0] == "0" && f[1] == "") {
			return strings.HasSuffix(f[2], "/layerlab/"+learner)
		}
	}
	return false
}

// imagePath is the filesystem image holding learner's engine folder.
func (r *Rootless) imagePath(learner string) string { return filepath.Join(r.Dir, learner+".img") }

// ensureDisk mounts learner's filesystem image (made first if there is
// none) on its engine folder, owned by its user, 0700.
func (r *Rootless) ensureDisk(learner string, uid, gid int) error {
	home, img := filepath.Join(r.Dir, learner), r.imagePath(learner)
	if !mounted(home) {
		if _, err := os.Stat(img); errors.Is(err, fs.ErrNotExist) {
			size := r.Disk
			if size <= 0 {
				size = DefaultDisk
			}
			tmp := img + ".new"
			_ = os.Remove(tmp)
			f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
			if err != nil {
				return err
			}
			err = f.Truncate(size) // sparse: the host's disk is used as the engine writes
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err == nil {
				err = r.run("mkfs.ext4", "-q", "-F", "-m", "0", tmp)
			}
			if err == nil {
				err = os.Rename(tmp, img)
			}
			if err != nil {
				_ = os.Remove(tmp)
				return err
			}
		} else if err != nil {
			return err
		}
		// An engine folder that is not a mount is an engine's from before
		// its disk was bounded (or what a failed start left): it starts
		// fresh rather than copying an unbounded engine into a bounded one.
		if err := os.RemoveAll(home); err != nil {
			return err
		}
		if err := os.Mkdir(home, 0o700); err != nil {
			return err
		}
		// No nodev (nor nosuid, noexec): flags of a mount made outside the
		// engine's user namespace are locked inside it, and BuildKit's
		// read-only bind mounts of the engine's layers, which do not
		// repeat them, are then refused ("operation not permitted"). The
		// learner's user cannot make device files, and the image file is
		// root's: nothing on it is a device of theirs.
		if err := r.run("mount", "-t", "ext4", "-o", "loop", img, home); err != nil {
			return err
		}
	}
	if err := os.Chown(home, uid, gid); err != nil {
		return err
	}
	return os.Chmod(home, 0o700)
}

// removeDisk unmounts learner's engine folder and removes it and its image.
func (r *Rootless) removeDisk(learner string) error {
	home := filepath.Join(r.Dir, learner)
	for i := 0; mounted(home); i++ {
		if i == 20 {
			// Still busy: detached now, freed when the last user lets go.
			if err := r.run("umount", "-l", home); err != nil {
				return err
			}
			break
		}
		if r.run("umount", home) != nil {
			time.Sleep(200 * time.Millisecond)
		}
	}
	for _, p := range []string{home, r.imagePath(learner), r.imagePath(learner) + ".new"} {
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	return nil
}

// mounted reports whether dir is a mount point (/proc/self/mountinfo; or
// on another device than its parent folder).
func mounted(dir string) bool {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	var a, b unix.Stat_t
	if unix.Lstat(abs, &a) == nil && unix.Stat(filepath.Dir(abs), &b) == nil && a.Dev != b.Dev {
		return true
	}
	if parent, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		abs = filepath.Join(parent, filepath.Base(abs))
	}
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if a := strings.Fields(sc.Text()); len(a) >= 5 && unescapeMount(a[4]) == abs {
			return true
		}
	}
	return false
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// run runs one of the host's tools (found on r.Path), its output in the error.
func (r *Rootless) run(bin string, args ...string) error {
	p, err := lookPath(bin, r.path())
	if err != nil {
		return fmt.Errorf("%s: %w", bin, err)
	}
	out, err := exec.Command(p, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %v: %s", bin, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// readOnly serves h's GET and HEAD; anything else is 405.
func readOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodGet && req.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "the classroom's registry is read-only", http.StatusMethodNotAllowed)
			return
		}
		h.ServeHTTP(w, req)
	})
}

// nsListener is the classroom registry served in a learner's namespace.
type nsListener struct {
	srv *http.Server
	ns  unix.Stat_t // the namespace it was opened in
}

// ensureRegistry serves r.Registry on r.RegistryAddr inside learner's
// network namespace, unless it is served there already.
func (r *Rootless) ensureRegistry(learner string) error {
	if r.Registry == nil {
		return nil
	}
	if r.RegistryAddr == "" {
		return errors.New("the Registry field is set without RegistryAddr")
	}
	var ns unix.Stat_t
	if err := unix.Stat(netnsPath(learner), &ns); err != nil {
		return err
	}
	r.mu.Lock()
	l := r.listeners[learner]
	r.mu.Unlock()
	if l != nil && l.ns.Dev == ns.Dev && l.ns.Ino == ns.Ino {
		return nil
	}
	r.closeRegistry(learner) // one of a namespace that is gone
	var ln net.Listener
	err := confined(learner, nil, func() (err error) {
		ln, err = net.Listen("tcp", r.RegistryAddr)
		return err
	})
	if err != nil {
		return fmt.Errorf("serve the registry on %s in %s: %w", r.RegistryAddr, netnsPath(learner), err)
	}
	srv := &http.Server{Handler: readOnly(r.Registry), ReadHeaderTimeout: 30 * time.Second}
	go srv.Serve(ln) //nolint:errcheck // ends when closed
	r.mu.Lock()
	if r.listeners == nil {
		r.listeners = map[string]*nsListener{}
	}
	r.listeners[learner] = &nsListener{srv: srv, ns: ns}
	r.mu.Unlock()
	return nil
}

// closeRegistry stops serving the registry in learner's namespace.
func (r *Rootless) closeRegistry(learner string) {
	r.mu.Lock()
	l := r.listeners[learner]
	delete(r.listeners, learner)
	r.mu.Unlock()
	if l != nil {
		_ = l.srv.Close()
	}
}

// Close stops serving the registry in every learner's namespace. The
// engines keep running (StopAll stops them).
func (r *Rootless) Close() error {
	r.mu.Lock()
	names := make([]string, 0, len(r.listeners))
	for n := range r.listeners {
		names = append(names, n)
	}
	r.mu.Unlock()
	for _, n := range names {
		r.closeRegistry(n)
	}
	return nil
}
