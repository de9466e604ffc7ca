package dockercli

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker"
)

// maxLine is what the : line's prompt holds (engine.MaxCommand runes).
const maxLine = 1000

// TestCommandLineFollowsTheCLIsFlagRules: combined short flags, --flag=v and
// --flag v, flags ending at the image for run/exec, docker's own words for
// unknown flags, and what the line refuses.
func TestCommandLineFollowsTheCLIsFlagRules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		line  string
		name  string
		args  []string
		check func(Command) bool
		code  Code
		flag  string
	}{
		{"docker ps -aq", "ps", nil, func(c Command) bool { return c.Bools["all"] && c.Bools["quiet"] }, 0, ""},
		{"images --all", "images", nil, func(c Command) bool { return c.Bools["all"] }, 0, ""},
		{"run -dit --name box busybox", "run", []string{"busybox"}, func(c Command) bool {
			return c.Bools["detach"] && c.Bools["interactive"] && c.Bools["tty"] && c.Strs["name"] == "box"
		}, 0, ""},
		{"run -d --name=box busybox sleep 100", "run", []string{"busybox", "sleep", "100"}, func(c Command) bool { return c.Strs["name"] == "box" }, 0, ""},
		{"exec box ls -la /", "exec", []string{"box", "ls", "-la", "/"}, nil, 0, ""},
		{`exec box sh -c "echo hi > /x"`, "exec", []string{"box", "sh", "-c", "echo hi > /x"}, nil, 0, ""},
		{"rmi -f a:1 b:2", "rmi", []string{"a:1", "b:2"}, func(c Command) bool { return c.Bools["force"] }, 0, ""},
		{"build -t pyubuntu:init -f path/to/Dockerfile .", "build", []string{"."}, func(c Command) bool {
			return c.Strs["tag"] == "pyubuntu:init" && c.Strs["file"] == "path/to/Dockerfile"
		}, 0, ""},
		{"ps -z", "", nil, nil, CodeFlag, ""},
		{"run --privileged -d busybox", "", nil, nil, CodeHostAccess, "--privileged"},
		{"run -v /:/host -d busybox", "", nil, nil, CodeHostAccess, "--volume"},
		{"run -dv /:/host busybox", "", nil, nil, CodeHostAccess, "--volume"},
		{"run --mount type=bind,src=/,dst=/h -d busybox", "", nil, nil, CodeHostAccess, "--mount"},
		{"run --network host -d busybox", "", nil, nil, CodeHostAccess, "--network"},
		{"run --net=host -d busybox", "", nil, nil, CodeHostAccess, "--net"},
		{"run --pid host -d busybox", "", nil, nil, CodeHostAccess, "--pid"},
		{"run --cap-add SYS_ADMIN -d busybox", "", nil, nil, CodeHostAccess, "--cap-add"},
		{"run --device /dev/sda -d busybox", "", nil, nil, CodeHostAccess, "--device"},
		{"run --security-opt seccomp=unconfined -d busybox", "", nil, nil, CodeHostAccess, "--security-opt"},
		{"run -p 8080:80 -d busybox", "", nil, nil, CodeHostAccess, "--publish"},
		{"run -d --userns host busybox", "", nil, nil, CodeHostAccess, "--userns"},
		{"exec --privileged box sh", "", nil, nil, CodeHostAccess, "--privileged"},
		{"build --network host .", "", nil, nil, CodeHostAccess, "--network"},
		{"run -d busybox --privileged", "run", []string{"busybox", "--privileged"}, nil, 0, ""},
		{"run -it busybox", "", nil, nil, CodeNeedsTerminal, ""},
		{"pull", "", nil, nil, CodeArgs, ""},
		{"system prune -a", "", nil, nil, CodeNotHere, ""},
		{`exec box sh -c "unclosed`, "", nil, nil, CodeQuote, ""},
	}
	for _, c := range cases {
		got, err := Parse(c.line)
		if c.code != 0 {
			e, ok := err.(*Error)
			if !ok || e.Code != c.code || e.Flag != c.flag {
				t.Errorf("%q: want code %d %s, got %v", c.line, c.code, c.flag, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.line, err)
			continue
		}
		if got.Name != c.name || strings.Join(got.Args, "|") != strings.Join(c.args, "|") || (c.check != nil && !c.check(got)) {
			t.Errorf("%q: %+v", c.line, got)
		}
	}
	if _, err := Parse("system prune"); CodeOf(err) != CodeNotHere {
		t.Error("unsupported commands are CodeNotHere")
	}
}

// FuzzCommandLine: whatever a learner types or pastes into the : line,
// parsing never panics, a command that parses is one the line
// takes with its number of arguments, and none of them asks for the host.
func FuzzCommandLine(f *testing.F) {
	for _, s := range []string{"docker ps -aq", "run -dit --name box busybox", `exec box sh -c "echo hi > /x"`,
		"build -t a -f path/to/Dockerfile .", "run -dv /:/h busybox", "rmi -f", "'", `"a b" c`, "run --net=host -d x", "-", "--", "hist"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if len(line) > maxLine*4 {
			return // the prompt holds at most maxLine runes
		}
		c, err := Parse(line)
		if err == nil {
			if !takes(c) {
				t.Fatalf("%q parsed as %q %q, not a command the line takes so", line, c.Name, c.Args)
			}
			if (c.Bools["interactive"] || c.Bools["tty"]) && !c.Bools["detach"] {
				t.Fatalf("%q: -it without -d accepted", line)
			}
		}
		if words, err := SplitWords(line); err == nil {
			again, err := SplitWords(ShellJoin(words))
			if err != nil || strings.Join(again, "\x00") != strings.Join(words, "\x00") {
				t.Fatalf("%q: words %q come back as %q (%v)", line, words, again, err)
			}
		}
	})
}

// takes reports whether c is a command of the line with a number of
// arguments the line takes for it (the fuzz test's oracle).
func takes(c Command) bool {
	sp, ok := specs[c.Name]
	return ok && len(c.Args) >= sp.min && (sp.max < 0 || len(c.Args) <= sp.max)
}

func TestShellJoinQuotesWhatShWouldRead(t *testing.T) {
	t.Parallel()
	got := ShellJoin([]string{"echo", "a\nb", "", "~", "#x", "*", "ok/path:1", "it's"})
	want := `echo 'a` + "\n" + `b' '' '~' '#x' '*' ok/path:1 'it'"'"'s'`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// fakeDaemon answers the calls a test makes; any other panics.
type fakeDaemon struct {
	Daemon
	cts     []docker.Container
	removed []string
}

func (f *fakeDaemon) Containers(context.Context, bool) ([]docker.Container, error) { return f.cts, nil }
func (f *fakeDaemon) RemoveContainerOpts(_ context.Context, name string, o docker.RemoveContainerOptions) error {
	for _, ct := range f.cts {
		if (ct.Name == name || strings.HasPrefix(ct.ID, name)) && ct.State == "running" && !o.Force {
			// As Engine 20.10 answers (recorded in testdata/cli).
			return &docker.Error{Kind: docker.KindConflict, Op: "remove container " + name,
				Detail: "Error response from daemon: You cannot remove a running container " + ct.ID + ". Stop the container before attempting removal or force remove"}
		}
	}
	f.removed = append(f.removed, name)
	return nil
}

// TestRmOfAContainerThatIsGoneSaysSo: docker rm NAME of a container that is
// not there is the CLI's "No such container", not the name as if removed;
// with -f, as the CLI, it is not an error.
func TestRmOfAContainerThatIsGoneSaysSo(t *testing.T) {
	t.Parallel()
	d := &fakeDaemon{cts: []docker.Container{{ID: "abcdef0123456789", Name: "box"}}}
	c, err := Parse("rm box gone")
	if err != nil {
		t.Fatal(err)
	}
	out, err := Run(context.Background(), d, c, Env{})
	var de *docker.Error
	if !errors.As(err, &de) || de.Kind != docker.KindNotFound || de.Container != "gone" || out.Text != "box" {
		t.Errorf("rm box gone: %q %v", out.Text, err)
	}
	if len(d.removed) != 1 || d.removed[0] != "box" {
		t.Errorf("removed %q", d.removed)
	}
	c, _ = Parse("rm abcdef")
	if out, err := Run(context.Background(), d, c, Env{}); err != nil || out.Text != "abcdef" {
		t.Errorf("by id prefix: %q %v", out.Text, err)
	}
	// As the real CLI (docker rm -f nosuch: its words, exit 0): the
	// daemon's sentence, not the name as if it had been removed; the CLI
	// prints its errors after the names it removed.
	d.removed = nil
	c, _ = Parse("rm -f gone box")
	out, err = Run(context.Background(), d, c, Env{})
	if err != nil || out.Text != "box\nError response from daemon: No such container: gone" {
		t.Errorf("rm -f of a gone container: %q %v", out.Text, err)
	}
	if len(d.removed) != 1 || d.removed[0] != "box" {
		t.Errorf("rm -f removed %q", d.removed)
	}
}

// registryDaemon records the pulls and runs that reach it.
type registryDaemon struct {
	Daemon
	pulled, ran []string
}

func (f *registryDaemon) Pull(_ context.Context, ref docker.Ref, _ docker.PullOptions, _ func(docker.PullProgress)) (docker.PullResult, error) {
	f.pulled = append(f.pulled, ref.String())
	return docker.PullResult{Ref: ref}, nil
}

func (f *registryDaemon) Run(_ context.Context, o docker.RunOptions) (docker.Container, error) {
	f.ran = append(f.ran, o.Image)
	return docker.Container{ID: "abc"}, nil
}

// TestAClassroomPullsOnlyFromItsRegistry: with a mirror standing in for
// Docker Hub, a pull or run naming another registry is refused with its
// code and the registry, before anything reaches the daemon; Docker Hub's
// names (which go through the mirror) and the mirror's own are not; without
// a mirror nothing is refused.
func TestAClassroomPullsOnlyFromItsRegistry(t *testing.T) {
	t.Parallel()
	const mirror = "127.0.0.1:5555"
	for _, c := range []struct {
		line, registry string
	}{
		{"pull 127.0.0.1:5556/library/ubuntu:16.04", "127.0.0.1:5556"},
		{"pull otherhost.example/x", "otherhost.example"},
		{"pull localhost:5000/x", "localhost:5000"},
		{"pull ghcr.io/acme/tool:1", "ghcr.io"},
		{"run -d otherhost.example/x", "otherhost.example"},
		{"run -dit --name w quay.io/x/y sh", "quay.io"},
	} {
		d := &registryDaemon{}
		cmd, err := Parse(c.line)
		if err != nil {
			t.Fatalf("%q: %v", c.line, err)
		}
		_, err = Run(context.Background(), d, cmd, Env{Mirror: mirror})
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeOtherRegistry || e.Detail != c.registry || e.Cmd != cmd.Name {
			t.Errorf("%q: %v", c.line, err)
		}
		if len(d.pulled)+len(d.ran) != 0 {
			t.Errorf("%q reached the daemon: %v %v", c.line, d.pulled, d.ran)
		}
		// Without a mirror (the learner's own machine), it is theirs to pull.
		if _, err := Run(context.Background(), d, cmd, Env{}); err != nil || len(d.pulled)+len(d.ran) != 1 {
			t.Errorf("%q without a mirror: %v %v %v", c.line, err, d.pulled, d.ran)
		}
	}
	for _, line := range []string{"pull busybox:1.36", "pull library/busybox", "pull docker.io/library/busybox:latest",
		"pull someone/tool", "pull 127.0.0.1:5555/library/busybox:1.36", "run -d busybox", "run -d 127.0.0.1:5555/library/busybox"} {
		d := &registryDaemon{}
		cmd, _ := Parse(line)
		if _, err := Run(context.Background(), d, cmd, Env{Mirror: mirror}); err != nil || len(d.pulled)+len(d.ran) != 1 {
			t.Errorf("%q: %v %v %v", line, err, d.pulled, d.ran)
		}
	}
}

// docker save -o FILE and docker load -i FILE take a file in the lesson's
// folder only: none, one outside it, or no folder at all is refused by the
// line, before the daemon is asked anything.
func TestSaveAndLoadStayInTheWorkspace(t *testing.T) {
	t.Parallel()
	for _, line := range []string{"docker save -o x.tar files-demo:v1", "docker save --output=x.tar a b", "docker load -i x.tar", "docker load --input x.tar -q"} {
		if _, err := Parse(line); err != nil {
			t.Errorf("%s: %v", line, err)
		}
	}
	ws := t.TempDir()
	for _, c := range []struct{ line, ws string }{
		{"docker save files-demo:v1", ws}, {"docker save -o ../x.tar files-demo:v1", ws},
		{"docker save -o /etc/x.tar files-demo:v1", ws}, {"docker load -i x.tar", ""}, {"docker load", ws},
	} {
		cmd, err := Parse(c.line)
		if err != nil {
			t.Fatalf("%s: %v", c.line, err)
		}
		if _, err := Run(context.Background(), nil, cmd, Env{Workspace: c.ws}); CodeOf(err) != CodeArchiveFile {
			t.Errorf("%s in %q: %v", c.line, c.ws, err)
		}
	}
}
