package dockercli

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker"
)

// volumeDaemon answers the volume commands as Engine 20.10 does (its words
// recorded in testdata/cli), with one volume in use.
type volumeDaemon struct {
	Daemon
	vols    []docker.Volume
	inUse   map[string]string
	created []string
	ran     []docker.RunOptions
}

func (f *volumeDaemon) Volumes(context.Context) ([]docker.Volume, error) { return f.vols, nil }
func (f *volumeDaemon) CreateVolume(_ context.Context, name, _ string) (docker.Volume, error) {
	f.created = append(f.created, name)
	return docker.Volume{Name: name, Driver: "local"}, nil
}
func (f *volumeDaemon) RemoveVolume(_ context.Context, name string) error {
	if id, ok := f.inUse[name]; ok {
		return &docker.Error{Kind: docker.KindConflict, Conflict: docker.ConflictVolumeInUse, Name: name,
			Detail: "Error response from daemon: remove " + name + ": volume is in use - [" + id + "]"}
	}
	for _, v := range f.vols {
		if v.Name == name {
			return nil
		}
	}
	return &docker.Error{Kind: docker.KindNotFound, Absent: docker.AbsentVolume, Name: name,
		Detail: "Error response from daemon: get " + name + ": no such volume"}
}
func (f *volumeDaemon) VolumeInspectJSON(_ context.Context, name string) ([]byte, error) {
	return nil, &docker.Error{Kind: docker.KindNotFound, Absent: docker.AbsentVolume, Name: name,
		Detail: "Error response from daemon: get " + name + ": no such volume"}
}
func (f *volumeDaemon) Run(_ context.Context, o docker.RunOptions) (docker.Container, error) {
	f.ran = append(f.ran, o)
	return docker.Container{ID: "abc"}, nil
}

// TestVolumeCommandsPrintAsTheCLI: docker volume create, ls, rm (removed,
// in use, gone) and inspect of a volume that is gone print what CLI 28
// printed (recorded against Engine 20.10), and create's, ls's and rm's
// output is the same in both CLIs.
func TestVolumeCommandsPrintAsTheCLI(t *testing.T) {
	t.Parallel()
	const id = "3770956c826d48252413ebb6feb00843d4f328d6e9110ca146614081973c8bb5"
	d := &volumeDaemon{vols: []docker.Volume{{Name: "llcli10-data", Driver: "local"}}}
	line := func(s string) (Output, error) {
		t.Helper()
		c, err := Parse(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		return Run(context.Background(), d, c, Env{})
	}
	same := func(name string, got string, clis ...string) {
		t.Helper()
		for _, cli := range clis {
			if want := strings.Join(transcript(t, name+"."+cli), "\n"); normal(got) != normal(want) {
				t.Errorf("%s, CLI %s:\n got %q\nwant %q", name, cli, got, want)
			}
		}
	}
	out, err := line("docker volume create llcli10-data")
	if err != nil || len(d.created) != 1 {
		t.Fatal(err)
	}
	same("volume-create", out.Text, "20.10", "28.2.2")
	out, _ = line("volume ls")
	if out.Table != "volumes" || len(out.Volumes) != 1 {
		t.Errorf("volume ls: %+v", out)
	}
	out, err = line("volume rm llcli10-data")
	same("volume-rm", out.Text, "20.10", "28.2.2")
	if err != nil {
		t.Error(err)
	}
	d.inUse = map[string]string{"llcli10-data": id}
	out, err = line("volume rm llcli10-data")
	same("volume-rm-in-use", out.Text, "20.10", "28.2.2")
	if docker.KindOf(err) != docker.KindConflict {
		t.Errorf("in use: %v", err)
	}
	d.vols, d.inUse = nil, nil
	out, err = line("volume rm llcli10-data")
	same("volume-rm-gone", out.Text, "28.2.2")
	if docker.KindOf(err) != docker.KindNotFound {
		t.Errorf("gone: %v", err)
	}
	out, _ = line("volume inspect llcli10-data")
	same("volume-inspect-gone", out.Text, "28.2.2")
}

// TestRunTakesANamedVolumeAndNoFolderOfTheHost: run -v NAME:/data mounts
// the volume; every way to give a container a folder of the host through
// -v, --volume, --mount, --volumes-from or a volume made of one (volume
// create --opt) is refused before anything is sent.
func TestRunTakesANamedVolumeAndNoFolderOfTheHost(t *testing.T) {
	t.Parallel()
	d := &volumeDaemon{}
	c, err := Parse("docker run -dit --name mybox -v mydata:/data busybox")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), d, c, Env{}); err != nil || len(d.ran) != 1 ||
		len(d.ran[0].Volumes) != 1 || d.ran[0].Volumes[0] != (docker.Mount{Volume: "mydata", Target: "/data"}) {
		t.Fatalf("run -v mydata:/data: %v %+v", err, d.ran)
	}
	for _, line := range []string{
		"run -d -v /:/host busybox", "run -d -v /etc:/etc:ro busybox", "run -d --volume=/root:/r busybox",
		"run -d -v .:/w busybox", "run -d -v ./shared:/data busybox", "run -d -v ~/.ssh:/k busybox",
		"run -d -v mydata:/data -v /var/run/docker.sock:/s busybox",
		"run -d --mount type=bind,src=/,dst=/h busybox", "run -d --volumes-from other busybox",
	} {
		_, err := Parse(line)
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeHostAccess {
			t.Errorf("%s: %v, want a refusal of the host's folders", line, err)
		}
	}
	for _, line := range []string{"volume create --opt type=none --opt device=/etc --opt o=bind evil", "volume create -o device=/ x", "volume create -d local x"} {
		_, err := Parse(line)
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeNotOnLine {
			t.Errorf("%s: %v, want refused by name", line, err)
		}
	}
	for _, line := range []string{"run -d -v bad name:/x busybox", "run -d -v data busybox", "run -d -v data:rel busybox"} {
		if _, err := Parse(line); err == nil {
			t.Errorf("%s: taken", line)
		}
	}
	if len(d.ran) != 1 {
		t.Errorf("refused lines ran: %+v", d.ran)
	}
	if _, err := Parse("volume prune"); CodeOf(err) != CodeNotHere {
		t.Errorf("volume prune: %v", err)
	}
}
