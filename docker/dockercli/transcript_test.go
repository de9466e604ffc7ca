package dockercli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker"
)

// transcript is what the docker CLI printed for a command (testdata/cli,
// recorded by record.sh): its output lines, without the command and exit.
func transcript(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "cli", name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "$ docker ") || !strings.HasPrefix(lines[len(lines)-1], "[exit ") {
		t.Fatalf("%s: not a transcript", name)
	}
	return lines[1 : len(lines)-1]
}

var (
	longID  = regexp.MustCompile(`\b[0-9a-f]{64}\b`)
	shortID = regexp.MustCompile(`\b[0-9a-f]{12}\b`)
	digest  = regexp.MustCompile(`sha256:[0-9a-f]{64}`)
)

// normal replaces ids and digests, the only things that differ between two
// runs of a command that prints no time or size.
func normal(s string) string {
	s = digest.ReplaceAllString(s, "DIGEST")
	s = longID.ReplaceAllString(s, "ID")
	return shortID.ReplaceAllString(s, "SHORTID")
}

func running(id, name string) docker.Container {
	return docker.Container{ID: id, Name: name, State: "running"}
}

// TestRmOfARunningContainerIsRefusedAsTheCLI: docker rm without -f of a
// running container is the daemon's refusal, printed as both CLIs print it
// (recorded), and CodeRmRunning; nothing removed. With -f it goes.
func TestRmOfARunningContainerIsRefusedAsTheCLI(t *testing.T) {
	t.Parallel()
	const id = "e80b093d5d2efebc8587c1d66b39f44963da19e66ffe8aa082438ffb4dbfb3d4"
	for _, cli := range []string{"20.10", "28.2.2"} {
		d := &fakeDaemon{cts: []docker.Container{running(id, "llcli31-box")}}
		c, _ := Parse("rm llcli31-box")
		out, err := Run(context.Background(), d, c, Env{})
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeRmRunning || e.Detail != "llcli31-box" || len(d.removed) != 0 {
			t.Errorf("rm of a running container: %v, removed %v", err, d.removed)
		}
		want := transcript(t, "rm-running."+cli)
		if normal(out.Text) != normal(strings.Join(want, "\n")) {
			t.Errorf("CLI %s:\n got %q\nwant %q", cli, out.Text, want)
		}
		c, _ = Parse("rm -f llcli31-box")
		if out, err := Run(context.Background(), d, c, Env{}); err != nil || out.Text != "llcli31-box" || len(d.removed) != 1 {
			t.Errorf("rm -f: %q %v", out.Text, err)
		}
	}
}

// nameDaemon answers a run whose name is taken as Engine 20.10 does.
type nameDaemon struct {
	Daemon
	opts []docker.RunOptions
}

func (f *nameDaemon) Run(_ context.Context, o docker.RunOptions) (docker.Container, error) {
	f.opts = append(f.opts, o)
	return docker.Container{}, &docker.Error{Kind: docker.KindConflict, Op: "run " + o.Image,
		Detail: `Error response from daemon: Conflict. The container name "/` + o.Name + `" is already in use by container "e80b093d5d2efebc8587c1d66b39f44963da19e66ffe8aa082438ffb4dbfb3d4". You have to remove (or rename) that container to be able to reuse that name.`}
}

// TestRunWithANameInUseFailsAsTheCLI: the line asks the daemon to keep the
// name (never to replace the container), and prints the CLI's first line.
func TestRunWithANameInUseFailsAsTheCLI(t *testing.T) {
	t.Parallel()
	for _, cli := range []string{"20.10", "28.2.2"} {
		d := &nameDaemon{}
		c, _ := Parse("run -d --name llcli31-box busybox sleep 600")
		out, err := Run(context.Background(), d, c, Env{})
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeNameInUse || e.Detail != "llcli31-box" {
			t.Errorf("run: %v", err)
		}
		if len(d.opts) != 1 || !d.opts[0].KeepName {
			t.Errorf("the line must ask to keep the name: %+v", d.opts)
		}
		if want := transcript(t, "run-name-in-use."+cli)[0]; normal(out.Text) != normal(want) {
			t.Errorf("CLI %s:\n got %q\nwant %q", cli, out.Text, want)
		}
	}
}

// pullDaemon answers a pull that found everything on disk (through a mirror).
type pullDaemon struct{ Daemon }

func (pullDaemon) Pull(_ context.Context, ref docker.Ref, _ docker.PullOptions, _ func(docker.PullProgress)) (docker.PullResult, error) {
	return docker.PullResult{Ref: ref, Progress: docker.PullProgress{Digest: "sha256:5835a44b4c0d37e6e4b7ff48f401f7cdc3176208588a0986fa04bdb0278c70ac",
		Status: "Status: Downloaded newer image for 127.0.0.1:5555/library/busybox:latest", UpToDate: true, Done: true}}, nil
}

// TestPullOfAnImageOnDiskSaysUpToDateAsTheCLI: what docker pull prints when
// the image is there, naming it as the learner typed it, not the mirror.
// The recording pulled through a loopback registry (no internet here): its
// name, MIRROR/library/busybox, is Docker Hub's busybox.
func TestPullOfAnImageOnDiskSaysUpToDateAsTheCLI(t *testing.T) {
	t.Parallel()
	for _, cli := range []string{"20.10", "28.2.2"} {
		c, _ := Parse("pull busybox")
		out, err := Run(context.Background(), pullDaemon{}, c, Env{Mirror: "127.0.0.1:5555"})
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Join(transcript(t, "pull-up-to-date."+cli), "\n")
		want = strings.ReplaceAll(want, "for MIRROR/library/busybox", "for busybox")
		want = strings.ReplaceAll(want, "MIRROR/", "docker.io/")
		if out.Text != want {
			t.Errorf("CLI %s:\n got %q\nwant %q", cli, out.Text, want)
		}
	}
}

// imagesDaemon has the images of the recording.
type imagesDaemon struct {
	Daemon
	removed []string
}

func (imagesDaemon) Images(context.Context) ([]docker.Image, error) {
	return []docker.Image{{ID: "sha256:2d55c095d096", Repo: "llcli31-build", Tag: "1"},
		{ID: "sha256:8212cb3cfc88", Repo: "busybox", Tag: "latest"}, {ID: "sha256:8212cb3cfc88", Repo: "busybox", Tag: "1.36"},
		{ID: "sha256:8212cb3cfc88", Repo: "llcli31-tag", Tag: "1"}, {ID: "sha256:34964ca14b5e", Repo: "<none>", Tag: "<none>"}}, nil
}

func (f *imagesDaemon) RemoveImage(_ context.Context, target string, _ bool) (docker.RemoveResult, error) {
	if target != "llcli31-tag:1" {
		return docker.RemoveResult{}, &docker.Error{Kind: docker.KindNotFound, Op: "remove image " + target}
	}
	f.removed = append(f.removed, target)
	return docker.RemoveResult{Untagged: []string{target}}, nil
}

// TestImagesFilterAndRmiAsTheCLI: docker images PATTERN is the daemon's
// reference filter (a glob on name:tag or name; untagged images never
// match), and rmi A B goes on after A fails, its error after B's lines.
func TestImagesFilterAndRmiAsTheCLI(t *testing.T) {
	t.Parallel()
	rows := func(name string) []string {
		var out []string
		for _, l := range transcript(t, name)[1:] {
			f := strings.Fields(l)
			out = append(out, f[0]+":"+f[1])
		}
		return out
	}
	for _, c := range []struct{ line, rec string }{
		{"images llcli31-t*", "images-filter.28.2.2"},
		{"images llcli31-tag:1*", "images-filter-tag.28.2.2"},
		{"images library/llcli31*", "images-filter-none.28.2.2"},
	} {
		cmd, _ := Parse(c.line)
		out, err := Run(context.Background(), &imagesDaemon{}, cmd, Env{})
		var got []string
		for _, im := range out.Images {
			got = append(got, im.Repo+":"+im.Tag)
		}
		if err != nil || strings.Join(got, " ") != strings.Join(rows(c.rec), " ") {
			t.Errorf("%s: %v %v, want %v", c.line, got, err, rows(c.rec))
		}
	}
	d := &imagesDaemon{}
	cmd, _ := Parse("rmi nosuch:1 llcli31-tag:1")
	out, err := Run(context.Background(), d, cmd, Env{})
	if want := strings.Join(transcript(t, "rmi-two-one-gone.28.2.2"), "\n"); out.Text != want || docker.KindOf(err) != docker.KindNotFound {
		t.Errorf("rmi:\n got %q %v\nwant %q", out.Text, err, want)
	}
	if len(d.removed) != 1 {
		t.Errorf("rmi stopped at the first failure: %v", d.removed)
	}
	// The error is about the argument that failed, wherever it stands; a
	// name without a tag is the daemon's name:latest.
	cmd, _ = Parse("rmi llcli31-tag:1 nosuch")
	out, err = Run(context.Background(), &imagesDaemon{}, cmd, Env{})
	if out.Failed != "nosuch" || docker.KindOf(err) != docker.KindNotFound || !strings.HasSuffix(out.Text, "No such image: nosuch:latest") {
		t.Errorf("rmi A nosuch: the error is about %q (%v):\n%s", out.Failed, err, out.Text)
	}
}

// TestRealFlagsAndTyposAreNotCalledUnknown: a flag the docker CLI has that
// the line does not take is named as the line's limit (its value taken as
// the CLI takes it); a flag no docker has stays the CLI's "unknown flag";
// a typo of a command is no docker command, with the closest one.
func TestRealFlagsAndTyposAreNotCalledUnknown(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		line string
		code Code
		flag string
	}{
		{"build --pull .", CodeNotOnLine, "--pull"},
		{"build --build-arg A=1 .", CodeNotOnLine, "--build-arg"},
		{"build --target base .", CodeNotOnLine, "--target"},
		{"run -d -e A=1 busybox", CodeNotOnLine, "--env"},
		{"run -d -m 64m busybox", CodeNotOnLine, "--memory"},
		{"inspect -f {{.Id}} busybox", CodeNotOnLine, "--format"},
		{"pull -a busybox", CodeNotOnLine, "--all-tags"},
		{"images --help", CodeNotOnLine, "--help"},
		{"exec -e A=1 box sh", CodeNotOnLine, "--env"},
		{"run -d -v /:/h busybox", CodeHostAccess, "--volume"},
		{"images --bogus", CodeFlag, ""},
		// docker's own options before the command: another daemon, never a typo.
		{"-H unix:///var/run/docker.sock images", CodeNotHere, ""},
		{"docker --context other ps", CodeNotHere, ""},
	} {
		_, err := Parse(c.line)
		var e *Error
		if !errors.As(err, &e) || e.Code != c.code || e.Flag != c.flag {
			t.Errorf("%q: %v", c.line, err)
		}
	}
	if _, err := Parse("images --bogus"); err == nil || !strings.Contains(err.(*Error).Detail, strings.Split(transcript(t, "flag-unknown.20.10")[0], "\n")[0]) {
		t.Errorf("images --bogus: %v, want the CLI's %q", err, transcript(t, "flag-unknown.20.10")[0])
	}
	for line, want := range map[string]string{"imgaes": "images", "pss": "ps", "biuld": "build", "zzzzzz": ""} {
		_, err := Parse(line)
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeNoCommand || e.Detail != want {
			t.Errorf("%q: %v", line, err)
		}
	}
	if _, err := Parse("stop box"); CodeOf(err) != CodeNotHere {
		t.Errorf("a real command the line does not take: %v", err)
	}
	if c, err := Parse("build --progress=plain -t x ."); err != nil || c.Strs["tag"] != "x" || c.Classic {
		t.Errorf("--progress: %v", err)
	}
	// What the build lesson shows: the classic builder, and --no-cache.
	for line, classic := range map[string]bool{"DOCKER_BUILDKIT=0 docker build --no-cache .": true, "DOCKER_BUILDKIT=1 build .": false,
		"DOCKER_BUILDKIT=false docker build .": true, "DOCKER_BUILDKIT=0 docker images": false} {
		c, err := Parse(line)
		if err != nil || c.Classic != classic || (strings.Contains(line, "no-cache") && !c.Bools["no-cache"]) {
			t.Errorf("%q: %+v %v", line, c, err)
		}
	}
}

// offlineDaemon found no registry but the image on disk.
type offlineDaemon struct{ Daemon }

func (offlineDaemon) Pull(_ context.Context, ref docker.Ref, _ docker.PullOptions, _ func(docker.PullProgress)) (docker.PullResult, error) {
	return docker.PullResult{Ref: ref, Offline: true, Progress: docker.PullProgress{UpToDate: true, Done: true}}, nil
}

// TestAPullWithoutARegistryIsNotUpToDate: the CLI would fail; the line says
// the copy on disk is used, never "Image is up to date".
func TestAPullWithoutARegistryIsNotUpToDate(t *testing.T) {
	t.Parallel()
	c, _ := Parse("pull busybox")
	out, err := Run(context.Background(), offlineDaemon{}, c, Env{})
	var e *Error
	if !errors.As(err, &e) || e.Code != CodePullOffline || e.Detail != "busybox:latest" || strings.Contains(out.Text, "up to date") {
		t.Errorf("%q %v", out.Text, err)
	}
}

// goneDaemon has nothing to inspect.
type goneDaemon struct{ Daemon }

func (goneDaemon) InspectJSON(_ context.Context, ref string) ([]byte, error) {
	return nil, &docker.Error{Kind: docker.KindNotFound, Op: "inspect " + ref, Detail: "No such object: " + ref}
}

// TestInspectOfNothingPrintsTheCLIsWords: "No such object" is the CLI's
// word, not the daemon's: printed as both CLIs print it, and the error
// carries no words to be quoted as Docker's.
func TestInspectOfNothingPrintsTheCLIsWords(t *testing.T) {
	t.Parallel()
	c, _ := Parse("inspect nosuch")
	out, err := Run(context.Background(), goneDaemon{}, c, Env{})
	var de *docker.Error
	if !errors.As(err, &de) || de.Kind != docker.KindNotFound || de.Detail != "" || de.Err != nil {
		t.Errorf("error: %#v", err)
	}
	for _, cli := range []string{"20.10", "28.2.2"} {
		if want := strings.Join(transcript(t, "inspect-gone."+cli), "\n"); out.Text != want {
			t.Errorf("CLI %s:\n got %q\nwant %q", cli, out.Text, want)
		}
	}
}
