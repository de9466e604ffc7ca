package tui

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/layerlab/layerlab/docker"
)

// fakeDaemon is a daemon in memory for the tests that need none: it opens
// no socket. It is up (Connect answers testEngine) and empty (no image, no
// container, no event); a pull or a build runs until it is cancelled, as a
// slow one would; whatever would change the daemon is refused. Every call
// is noted, for a test to read (calls). down, if set, is what Connect says
// (a daemon that is not there); ep, if set, is where it says it is.
type fakeDaemon struct {
	down error
	ep   *docker.Endpoint
	mu   sync.Mutex
	log  []string
}

var _ Daemon = (*fakeDaemon)(nil)

// fakeEndpoint is where the fake says it is: the default socket, as the
// views (and their golden files) name it.
var fakeEndpoint = docker.Endpoint{Host: "unix:///var/run/docker.sock", Source: "default"}

// errFake is what the fake says to a change: it has nowhere to make it.
var errFake = &docker.Error{Kind: docker.KindUnknown, Op: "fake daemon", Detail: "a test's daemon in memory changes nothing"}

func (f *fakeDaemon) note(call string) {
	f.mu.Lock()
	f.log = append(f.log, call)
	f.mu.Unlock()
}

// calls are the calls the fake got, in order.
func (f *fakeDaemon) calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.log...)
}

// call notes a call, and ends it as the client ends one whose context is
// done (esc before the answer came).
func (f *fakeDaemon) call(ctx context.Context, call string) error {
	f.note(call)
	if ctx.Err() != nil {
		return &docker.Error{Kind: docker.KindCanceled, Op: call}
	}
	return nil
}

// untilCancelled waits for ctx as a long operation does, and ends as the
// client ends a cancelled one.
func untilCancelled(ctx context.Context, op string) error {
	<-ctx.Done()
	return &docker.Error{Kind: docker.KindCanceled, Op: op}
}

func (f *fakeDaemon) Connect(ctx context.Context) (docker.Engine, error) {
	if err := f.call(ctx, "connect"); err != nil {
		return docker.Engine{}, err
	}
	if f.down != nil {
		return docker.Engine{}, f.down
	}
	return testEngine, nil
}
func (f *fakeDaemon) Endpoint() docker.Endpoint {
	if f.ep != nil {
		return *f.ep
	}
	return fakeEndpoint
}

func (f *fakeDaemon) Images(ctx context.Context) ([]docker.Image, error) {
	if err := f.call(ctx, "images"); err != nil {
		return nil, err
	}
	return nil, nil
}
func (f *fakeDaemon) AllImages(ctx context.Context) ([]docker.Image, error) { return f.Images(ctx) }
func (f *fakeDaemon) Containers(ctx context.Context, _ bool) ([]docker.Container, error) {
	if err := f.call(ctx, "containers"); err != nil {
		return nil, err
	}
	return nil, nil
}
func (f *fakeDaemon) DiffIDs(ctx context.Context, _ string) ([]string, error) {
	if err := f.call(ctx, "diffids"); err != nil {
		return nil, err
	}
	return nil, nil
}
func (f *fakeDaemon) Exists(ctx context.Context, ref string) (bool, string, error) {
	if err := f.call(ctx, "exists "+ref); err != nil {
		return false, "", err
	}
	return false, "", nil
}
func (f *fakeDaemon) Stack(ctx context.Context, ref string) (docker.LayerStack, error) {
	if err := f.call(ctx, "stack "+ref); err != nil {
		return docker.LayerStack{}, err
	}
	return docker.LayerStack{}, &docker.Error{Kind: docker.KindNotFound, Op: "inspect " + ref}
}
func (f *fakeDaemon) LayerFiles(ctx context.Context, ref string, o docker.FilesOptions) ([]docker.LayerFiles, error) {
	if err := f.call(ctx, "files "+ref); err != nil {
		return nil, err
	}
	return nil, &docker.Error{Kind: docker.KindNotFound, Op: "files " + ref}
}
func (f *fakeDaemon) History(ctx context.Context, ref string) ([]docker.HistoryRow, error) {
	if err := f.call(ctx, "history "+ref); err != nil {
		return nil, err
	}
	return nil, &docker.Error{Kind: docker.KindNotFound, Op: "history " + ref}
}
func (f *fakeDaemon) InspectJSON(ctx context.Context, ref string) ([]byte, error) {
	if err := f.call(ctx, "inspect "+ref); err != nil {
		return nil, err
	}
	return nil, &docker.Error{Kind: docker.KindNotFound, Op: "inspect " + ref}
}

func (f *fakeDaemon) Events(ctx context.Context) (<-chan docker.Event, <-chan error) {
	f.note("events")
	errc := make(chan error, 1)
	go func() { errc <- untilCancelled(ctx, "events") }()
	return make(chan docker.Event), errc
}
func (f *fakeDaemon) Clock(context.Context) (time.Time, error) { return time.Now(), nil }
func (f *fakeDaemon) EventsBetween(context.Context, time.Time, time.Time) ([]docker.Event, error) {
	return nil, nil
}

func (f *fakeDaemon) OwnedContainers(ctx context.Context, lesson string) ([]docker.Container, error) {
	if err := f.call(ctx, "owned "+lesson); err != nil {
		return nil, err
	}
	return nil, nil
}
func (f *fakeDaemon) StartedHere(string) bool { return false }
func (f *fakeDaemon) ThisWindows(string) bool { return false }
func (f *fakeDaemon) PlanCleanup(ctx context.Context, lesson string) (docker.CleanupPlan, error) {
	if err := f.call(ctx, "plan cleanup "+lesson); err != nil {
		return docker.CleanupPlan{Lesson: lesson}, err
	}
	return docker.CleanupPlan{Lesson: lesson}, nil
}
func (f *fakeDaemon) Cleanup(context.Context, docker.CleanupPlan, func(docker.CleanupResult)) []docker.CleanupResult {
	f.note("cleanup")
	return nil
}

func (f *fakeDaemon) Pull(ctx context.Context, ref docker.Ref, _ docker.PullOptions, _ func(docker.PullProgress)) (docker.PullResult, error) {
	f.note("pull " + ref.String())
	return docker.PullResult{}, untilCancelled(ctx, "pull "+ref.String())
}
func (f *fakeDaemon) Build(ctx context.Context, o docker.BuildOptions, _ func(docker.BuildProgress)) (docker.BuildResult, error) {
	f.note("build")
	return docker.BuildResult{}, untilCancelled(ctx, "build")
}

func (f *fakeDaemon) FreeContainerName(_ context.Context, name string) (string, error) {
	return name, nil
}
func (f *fakeDaemon) FreeName(_ context.Context, ref docker.Ref) (docker.Ref, error) { return ref, nil }
func (f *fakeDaemon) ClaimName(context.Context, docker.Ref) error                    { return nil }

func (f *fakeDaemon) RunContainer(_ context.Context, image, name, _ string) (docker.Container, error) {
	f.note("run " + name + " " + image)
	return docker.Container{}, errFake
}
func (f *fakeDaemon) Run(_ context.Context, o docker.RunOptions) (docker.Container, error) {
	f.note("run " + o.Image)
	return docker.Container{}, errFake
}
func (f *fakeDaemon) RunOnce(_ context.Context, image, _ string) (docker.ExecResult, error) {
	f.note("start " + image)
	return docker.ExecResult{}, errFake
}
func (f *fakeDaemon) SaveFile(_ context.Context, refs []string, _, file string) (docker.SaveResult, error) {
	f.note("save " + strings.Join(refs, " ") + " " + file)
	return docker.SaveResult{}, errFake
}
func (f *fakeDaemon) LoadFile(_ context.Context, _, file string, _ []string, _ string) (docker.LoadResult, error) {
	f.note("load " + file)
	return docker.LoadResult{}, errFake
}
func (f *fakeDaemon) LoadArchive(_ context.Context, _, file string) ([]string, error) {
	f.note("load " + file)
	return nil, errFake
}
func (f *fakeDaemon) Exec(_ context.Context, ctr, cmd string) (docker.ExecResult, error) {
	f.note("exec " + ctr + " " + cmd)
	return docker.ExecResult{}, errFake
}
func (f *fakeDaemon) Writable(_ context.Context, ctr string) (docker.WritableLayer, error) {
	f.note("diff " + ctr)
	return docker.WritableLayer{}, errFake
}
func (f *fakeDaemon) Commit(_ context.Context, ctr string, ref docker.Ref, _ string) (docker.CommitResult, error) {
	f.note("commit " + ctr + " " + ref.String())
	return docker.CommitResult{}, errFake
}
func (f *fakeDaemon) Tag(_ context.Context, src string, dst docker.Ref, _ string) (docker.TagResult, error) {
	f.note("tag " + src + " " + dst.String())
	return docker.TagResult{}, errFake
}
func (f *fakeDaemon) RemoveContainer(_ context.Context, ctr string) error {
	f.note("rm " + ctr)
	return errFake
}
func (f *fakeDaemon) RemoveContainerOpts(ctx context.Context, ctr string, _ docker.RemoveContainerOptions) error {
	return f.RemoveContainer(ctx, ctr)
}
func (f *fakeDaemon) RemoveImage(_ context.Context, target string, _ bool) (docker.RemoveResult, error) {
	f.note("rmi " + target)
	return docker.RemoveResult{}, errFake
}

func (f *fakeDaemon) FreeVolumeName(_ context.Context, name string) (string, error) { return name, nil }
func (f *fakeDaemon) CreateVolume(_ context.Context, name, _ string) (docker.Volume, error) {
	f.note("volume create " + name)
	return docker.Volume{}, errFake
}
func (f *fakeDaemon) RemoveVolume(_ context.Context, name string) error {
	f.note("volume rm " + name)
	return errFake
}

// Volumes answers with none, unnoted: every read of the picture asks it.
func (f *fakeDaemon) Volumes(ctx context.Context) ([]docker.Volume, error) {
	if ctx.Err() != nil {
		return nil, &docker.Error{Kind: docker.KindCanceled, Op: "volume ls"}
	}
	return nil, nil
}
func (f *fakeDaemon) VolumeInspectJSON(ctx context.Context, name string) ([]byte, error) {
	if err := f.call(ctx, "volume inspect "+name); err != nil {
		return nil, err
	}
	return nil, &docker.Error{Kind: docker.KindNotFound, Op: "volume inspect " + name, Absent: docker.AbsentVolume, Name: name}
}
