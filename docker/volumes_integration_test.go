package docker_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/volume"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
)

// volumeGone removes a volume when the test ends (a learner's, made with
// the API).
func volumeGone(t *testing.T, cli *docker.Client, name string) {
	t.Cleanup(func() { _ = cli.AsLearner().RemoveVolume(context.Background(), name) })
}

func readIn(t *testing.T, cli *docker.Client, ctr, cmd string) docker.ExecResult {
	t.Helper()
	res, err := cli.Exec(context.Background(), ctr, cmd)
	if err != nil {
		t.Fatalf("exec %q in %s: %v", cmd, ctr, err)
	}
	return res
}

// TestVolumeLessonClaims is every statement the "Where data lives" lesson
// makes about Docker, on the daemon: a file written into a container's
// writable layer goes with the container; a file written into a named
// volume does not (a new container mounting the volume reads it); docker
// volume ls lists it and inspect says where its data is (under the engine's
// data root: the disk a classroom bounds); docker diff lists only the mount
// point (A /data, an empty folder), nothing in it, and docker commit does
// not take its files (a volume is not a layer); docker volume
// rm of a volume a container mounts is refused, and succeeds once the
// container is gone; the daemon sends volume events (create, mount,
// destroy) that the exercise is judged on.
func TestVolumeLessonClaims(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	b := base(t, api)
	ctx := context.Background()
	clock, err := cli.Clock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	since := clock.Add(-time.Second)

	// The writable layer goes with its container.
	c1 := run(t, cli, b, uniq("layerlab-test-vol-a"))
	readIn(t, cli, c1.ID, "echo hi > /notes.txt")
	if err := cli.RemoveContainer(ctx, c1.ID); err != nil {
		t.Fatal(err)
	}
	c2 := run(t, cli, b, uniq("layerlab-test-vol-b"))
	if res := readIn(t, cli, c2.ID, "cat /notes.txt"); res.ExitCode == 0 {
		t.Errorf("a new container reads the removed one's file: %q", res.Stdout)
	}

	// A volume outlives it.
	name := uniq("layerlab-test-data")
	v, err := cli.CreateVolume(ctx, name, "test-volumes")
	if err != nil {
		t.Fatal(err)
	}
	if !v.Owned || v.Name != name || v.Driver != "local" || v.CreatedAt == "" {
		t.Errorf("created volume: %+v", v)
	}
	again, err := cli.CreateVolume(ctx, name, "test-volumes")
	if err != nil || !again.Owned {
		t.Errorf("creating layerlab's own volume again: %+v, %v", again, err)
	}
	w, err := cli.Run(ctx, docker.RunOptions{Image: b, Name: uniq("layerlab-test-vol-w"), Lesson: "test-volumes",
		Volumes: []docker.Mount{{Volume: name, Target: "/data"}}})
	if err != nil {
		t.Fatalf("run -v %s:/data: %v", name, err)
	}
	readIn(t, cli, w.ID, "echo kept > /data/notes.txt && echo layer > /inlayer.txt")
	wl, err := cli.Writable(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range wl.Changes {
		if strings.HasPrefix(ch.Path, "/data/") {
			t.Errorf("docker diff lists the volume's %s %s", ch.Kind.Letter(), ch.Path)
		}
	}
	if !slices.ContainsFunc(wl.Changes, func(ch docker.Change) bool { return ch.Path == "/inlayer.txt" }) {
		t.Errorf("docker diff misses the writable layer's file: %+v", wl.Changes)
	}
	ref := tagRef(t, "layerlab-test/volcommit:"+uniq("t"))
	if _, err := cli.Commit(ctx, w.ID, ref, "test-volumes"); err != nil {
		t.Fatal(err)
	}
	fromCommit := run(t, cli, ref.String(), uniq("layerlab-test-vol-c"))
	if res := readIn(t, cli, fromCommit.ID, "cat /inlayer.txt"); strings.TrimSpace(res.Stdout) != "layer" {
		t.Errorf("the commit lacks the writable layer's file: %+v", res)
	}
	if res := readIn(t, cli, fromCommit.ID, "ls -A /data"); res.ExitCode != 0 || strings.TrimSpace(res.Stdout) != "" {
		t.Errorf("docker commit took the volume's files (or no mount point): %+v", res)
	}

	// In use: docker volume rm is refused, naming the container.
	err = cli.RemoveVolume(ctx, name)
	var de *docker.Error
	if !errors.As(err, &de) || de.Kind != docker.KindConflict || de.Conflict != docker.ConflictVolumeInUse || de.Container != w.Name {
		t.Errorf("volume rm of a mounted volume: %v (%+v)", err, de)
	}
	vols, err := cli.Volumes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(vols, func(x docker.Volume) bool { return x.Name == name })
	if i < 0 || !vols[i].Owned || !slices.Contains(vols[i].UsedBy, w.Name) {
		t.Fatalf("volume ls: %+v", vols)
	}
	info, err := cli.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	insp, err := cli.InspectVolume(ctx, name)
	if err != nil || !strings.HasPrefix(insp.Mountpoint, info.RootDir+"/") {
		t.Errorf("volume inspect: mountpoint %q not under the data root %q (%v)", insp.Mountpoint, info.RootDir, err)
	}

	if err := cli.RemoveContainer(ctx, w.ID); err != nil {
		t.Fatal(err)
	}
	r, err := cli.Run(ctx, docker.RunOptions{Image: b, Name: uniq("layerlab-test-vol-r"), Lesson: "test-volumes",
		Volumes: []docker.Mount{{Volume: name, Target: "/data"}}})
	if err != nil {
		t.Fatal(err)
	}
	if res := readIn(t, cli, r.ID, "cat /data/notes.txt"); strings.TrimSpace(res.Stdout) != "kept" {
		t.Errorf("a new container does not read the volume's file: %+v", res)
	}
	if err := cli.RemoveContainer(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	if err := cli.RemoveVolume(ctx, name); err != nil {
		t.Fatalf("volume rm, no container mounts it: %v", err)
	}
	err = cli.RemoveVolume(ctx, name)
	if !errors.As(err, &de) || de.Kind != docker.KindNotFound || de.Absent != docker.AbsentVolume {
		t.Errorf("volume rm of a volume that is gone: %v", err)
	}

	// The events the exercise reads.
	until, _ := cli.Clock(ctx)
	evs, err := cli.EventsBetween(ctx, since, until.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, ev := range evs {
		if ev.Type == "volume" && ev.Name == name {
			seen[ev.Action] = true
			if ev.Action == "mount" && ev.Container == "" {
				t.Errorf("a mount event names no container: %+v", ev)
			}
		}
	}
	for _, a := range []string{"create", "mount", "destroy"} {
		if a == "mount" && cli.IsPodman() {
			// Podman sends no mount event: layerlab reads one from a start
			// while the container is there, and these are gone by now
			// (TestVolumeEventsOfALearnersRun reads it on Podman too).
			continue
		}
		if !seen[a] {
			t.Errorf("no volume %s event for %s: %+v", a, name, seen)
		}
	}
}

// TestVolumeOwnership: a volume is layerlab's by its ledger (name, op label,
// creation time), never by its labels. A learner's volume, even with
// layerlab's labels and a lesson's name, is not removed, not reused by a
// step (a free name is taken instead), not mounted by a step, and cleanup
// leaves it (listed as "not recorded: may be yours"). A volume of
// layerlab's that a learner's container mounts is kept by cleanup, with the
// container's name, and the container is never removed; once the
// container is gone, cleanup removes the volume. A volume the learner makes
// under the name of a volume layerlab removed is the learner's.
func TestVolumeOwnership(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	b := base(t, api)
	ctx := context.Background()
	notOwned := func(what string, err error) {
		t.Helper()
		var de *docker.Error
		if !errors.As(err, &de) || de.Kind != docker.KindNotOwned || de.NotOwned != docker.NotOwnedVolume {
			t.Errorf("%s: got %v, want KindNotOwned (volume)", what, err)
		}
	}
	theirs := uniq("layerlab-test-theirs")
	if _, err := api.VolumeCreate(ctx, volume.CreateOptions{Name: theirs,
		Labels: map[string]string{docker.LabelOwned: "true", docker.LabelLesson: "test-volumes", docker.LabelOp: "0123456789abcdef"}}); err != nil {
		t.Fatal(err)
	}
	volumeGone(t, cli, theirs)
	notOwned("volume rm of the learner's", cli.RemoveVolume(ctx, theirs))
	_, err := cli.CreateVolume(ctx, theirs, "test-volumes")
	notOwned("volume create of the learner's name", err)
	if free, err := cli.FreeVolumeName(ctx, theirs); err != nil || free != theirs+"-2" {
		t.Errorf("free name beside the learner's: %q, %v", free, err)
	}
	_, err = cli.Run(ctx, docker.RunOptions{Image: b, Name: uniq("layerlab-test-vol-x"), Lesson: "test-volumes",
		Volumes: []docker.Mount{{Volume: theirs, Target: "/data"}}})
	notOwned("a step's run -v of the learner's volume", err)
	_, err = cli.Run(ctx, docker.RunOptions{Image: b, Lesson: "test-volumes", Volumes: []docker.Mount{{Volume: uniq("nosuch"), Target: "/data"}}})
	if docker.KindOf(err) != docker.KindNotFound {
		t.Errorf("a step's run -v of no volume (docker would make one unrecorded): %v", err)
	}

	// layerlab's volume, mounted by a container of the learner's.
	ours := uniq("layerlab-test-ours")
	if _, err := cli.CreateVolume(ctx, ours, "test-volumes"); err != nil {
		t.Fatal(err)
	}
	resp, err := api.ContainerCreate(ctx, &container.Config{Image: b, Tty: true, OpenStdin: true},
		&container.HostConfig{Mounts: []mount.Mount{{Type: mount.TypeVolume, Source: ours, Target: "/data"}}}, nil, nil, uniq("layerlab-test-learnerbox"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = api.ContainerRemove(context.Background(), resp.ID, container.RemoveOptions{Force: true}) })
	p, err := cli.PlanCleanup(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range p.Items {
		if it.Name == theirs || it.Name == ours || it.ID == resp.ID {
			t.Errorf("cleanup plans to remove %s %s", it.Kind, it.Name)
		}
	}
	if !slices.ContainsFunc(p.Kept, func(k docker.Kept) bool { return k.Name == ours && k.Why == docker.KeptVolumeInUse && len(k.Tags) == 1 }) {
		t.Errorf("cleanup does not say it keeps %s for the learner's container: %+v", ours, p.Kept)
	}
	if !slices.ContainsFunc(p.Unrecorded, func(it docker.CleanupItem) bool { return it.Name == theirs && it.Kind == docker.ItemVolume }) {
		t.Errorf("the learner's labelled volume is not listed as not recorded: %+v", p.Unrecorded)
	}
	cli.Cleanup(ctx, p, nil)
	if _, err := api.ContainerInspect(ctx, resp.ID); err != nil {
		t.Errorf("cleanup removed the learner's container: %v", err)
	}
	for _, n := range []string{theirs, ours} {
		if _, err := api.VolumeInspect(ctx, n); err != nil {
			t.Errorf("cleanup removed %s: %v", n, err)
		}
	}

	// The learner's container goes: cleanup removes layerlab's volume.
	if err := api.ContainerRemove(ctx, resp.ID, container.RemoveOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	p, err = cli.PlanCleanup(ctx, "test-volumes")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(p.Items, func(it docker.CleanupItem) bool { return it.Name == ours && it.Kind == docker.ItemVolume }) {
		t.Fatalf("cleanup does not plan layerlab's volume: %+v", p.Items)
	}
	for _, r := range cli.Cleanup(ctx, p, nil) {
		if r.Err != nil {
			t.Errorf("cleanup %s: %v", r.Item.Name, r.Err)
		}
	}
	if _, err := api.VolumeInspect(ctx, ours); err == nil {
		t.Errorf("cleanup left layerlab's volume %s", ours)
	}
	if _, err := api.VolumeInspect(ctx, theirs); err != nil {
		t.Errorf("cleanup removed the learner's %s: %v", theirs, err)
	}

	// The learner makes a volume under the name layerlab's had: theirs.
	if _, err := api.VolumeCreate(ctx, volume.CreateOptions{Name: ours}); err != nil {
		t.Fatal(err)
	}
	volumeGone(t, cli, ours)
	notOwned("volume rm of the learner's volume under a name layerlab used", cli.RemoveVolume(ctx, ours))
}

// TestBindMount: a folder of this machine mounted into a container (docker
// run -v /host/folder:/data) is the folder itself: what the container
// writes there is on the host, and the host's files are in the container.
// Where Limits forbid bind mounts (a classroom), the run is refused
// (KindHostMount) and no container is made; so is the learner's own run.
func TestBindMount(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	b := base(t, api)
	ctx := context.Background()
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "from-host.txt"), []byte("host\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := cli.Run(ctx, docker.RunOptions{Image: b, Name: uniq("layerlab-test-bind"), Lesson: "test-volumes",
		Volumes: []docker.Mount{{Source: dir, Target: "/data"}}})
	if err != nil {
		t.Fatalf("run -v %s:/data: %v", dir, err)
	}
	t.Cleanup(func() { _ = cli.RemoveContainer(context.Background(), c.ID) })
	if res := readIn(t, cli, c.ID, "cat /data/from-host.txt && echo box > /data/from-box.txt"); strings.TrimSpace(res.Stdout) != "host" {
		t.Errorf("the container does not read the host's file: %+v", res)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "from-box.txt")); err != nil || string(got) != "box\n" {
		t.Errorf("the host does not have the container's file: %q, %v", got, err)
	}

	before := dockertest.ContainerIDs(t, api, false)
	cli.SetLimits(docker.Limits{NoBindMounts: true})
	defer cli.SetLimits(docker.Limits{})
	for _, who := range []*docker.Client{cli, cli.AsLearner()} {
		_, err = who.Run(ctx, docker.RunOptions{Image: b, Lesson: "test-volumes", Volumes: []docker.Mount{{Source: dir, Target: "/data"}}})
		var de *docker.Error
		if !errors.As(err, &de) || de.Kind != docker.KindHostMount || de.Name != dir {
			t.Errorf("a bind mount where none is allowed: %v", err)
		}
	}
	if made := dockertest.MadeSince(before, dockertest.ContainerIDs(t, api, false)); len(made) > 0 {
		t.Errorf("refused runs made containers %v", made)
	}
}

// TestVolumeLimit: a client bounded to N volumes refuses the next
// (KindLimit, LimitVolumes), whether layerlab's or the learner's.
func TestVolumeLimit(t *testing.T) {
	cli, _ := dockertest.Daemon(t)
	ctx := context.Background()
	vols, err := cli.Volumes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cli.SetLimits(docker.Limits{Volumes: len(vols) + 1})
	defer cli.SetLimits(docker.Limits{})
	if _, err := cli.CreateVolume(ctx, uniq("layerlab-test-limit-v"), "test-volumes"); err != nil {
		t.Fatal(err)
	}
	learner := uniq("layerlab-test-limit-l")
	_, err = cli.AsLearner().CreateVolume(ctx, learner, "")
	var de *docker.Error
	if !errors.As(err, &de) || de.Kind != docker.KindLimit || de.Of != docker.LimitVolumes {
		volumeGone(t, cli, learner)
		t.Errorf("one volume over the bound: %v", err)
	}
}

// TestVolumeEventsOfALearnersRun: the learner's docker run -v NAME:/data of
// a name that is no volume yet makes it (a volume "create" event, as docker
// volume create sends) and mounts it in their container (a "mount" event
// naming the container): what the exercises "volume NAME" and "mounted
// NAME" are judged on. The learner's volume carries no label of layerlab's.
func TestVolumeEventsOfALearnersRun(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	b := base(t, api)
	ctx := context.Background()
	clock, err := cli.Clock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	name := uniq("layerlab-test-learnervol")
	learner := cli.AsLearner()
	ct, err := learner.Run(ctx, docker.RunOptions{Image: b, Name: uniq("layerlab-test-learnerrun"), Volumes: []docker.Mount{{Volume: name, Target: "/data"}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = api.ContainerRemove(context.Background(), ct.ID, container.RemoveOptions{Force: true})
		_ = learner.RemoveVolume(context.Background(), name)
	})
	until, _ := cli.Clock(ctx)
	evs, err := cli.EventsBetween(ctx, clock.Add(-time.Second), until.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var created, mounted bool
	for _, ev := range evs {
		if ev.Type == "volume" && ev.Name == name {
			created = created || ev.Action == "create"
			mounted = mounted || ev.Action == "mount" && ev.Container == ct.ID
		}
	}
	if !created || !mounted {
		t.Errorf("events of a learner's run -v %s: create %v, mount in %s %v: %+v", name, created, ct.ID, mounted, evs)
	}
	v, err := cli.InspectVolume(ctx, name)
	if err != nil || v.Owned || len(v.Labels) != 0 {
		t.Errorf("the learner's volume: %+v, %v", v, err)
	}
}

// TestVolumeInspectIsTheCLIs: the : line's docker volume inspect prints,
// byte for byte, what the docker CLIs of this machine print for the same
// volume on the same engine at the same API version.
func TestVolumeInspectIsTheCLIs(t *testing.T) {
	cli, _ := dockertest.Daemon(t)
	ctx := context.Background()
	name := uniq("layerlab-test-inspectvol")
	if _, err := cli.CreateVolume(ctx, name, "test-volumes"); err != nil {
		t.Fatal(err)
	}
	eng, err := cli.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, bin := range []string{"/usr/local/bin/docker", "/usr/bin/docker"} {
		if _, err := os.Stat(bin); err != nil {
			continue
		}
		cmd := exec.Command(bin, "volume", "inspect", name)
		cmd.Env = append(os.Environ(), "DOCKER_HOST="+cli.Endpoint().Host, "DOCKER_API_VERSION="+eng.APIVersion)
		want, err := cmd.Output()
		if err != nil {
			t.Logf("%s volume inspect: %v (this CLI and engine do not talk)", bin, err)
			continue
		}
		got, err := cli.VolumeInspectJSON(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(string(got)) != strings.TrimSpace(string(want)) {
			t.Errorf("volume inspect differs from %s's:\n%s\nthe CLI:\n%s", bin, got, want)
		}
		compared++
	}
	if compared == 0 {
		t.Skip("no docker CLI here talks to this engine")
	}
}
