package tui

import (
	"github.com/layerlab/layerlab/tui/i18n"

	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
	"github.com/layerlab/layerlab/lessons/engine"
)

// TestCommandLineFollowsTheCLIsFlagRules: combined short flags, --flag=v and
// --flag v, flags ending at the image for run/exec, docker's own words for
// unknown flags, and what the line refuses.
func TestCommandLineFollowsTheCLIsFlagRules(t *testing.T) {
	cases := []struct {
		line  string
		name  string
		args  []string
		check func(cliCmd) bool
		err   string
	}{
		{"docker ps -aq", "ps", nil, func(c cliCmd) bool { return c.bools["all"] && c.bools["quiet"] }, ""},
		{"images --all", "images", nil, func(c cliCmd) bool { return c.bools["all"] }, ""},
		{"run -dit --name box busybox", "run", []string{"busybox"}, func(c cliCmd) bool {
			return c.bools["detach"] && c.bools["interactive"] && c.bools["tty"] && c.strs["name"] == "box"
		}, ""},
		{"run -d --name=box busybox sleep 100", "run", []string{"busybox", "sleep", "100"}, func(c cliCmd) bool { return c.strs["name"] == "box" }, ""},
		{"exec box ls -la /", "exec", []string{"box", "ls", "-la", "/"}, nil, ""},
		{`exec box sh -c "echo hi > /x"`, "exec", []string{"box", "sh", "-c", "echo hi > /x"}, nil, ""},
		{"rmi -f a:1 b:2", "rmi", []string{"a:1", "b:2"}, func(c cliCmd) bool { return c.bools["force"] }, ""},
		{"build -t pyubuntu:init -f path/to/Dockerfile .", "build", []string{"."}, func(c cliCmd) bool {
			return c.strs["tag"] == "pyubuntu:init" && c.strs["file"] == "path/to/Dockerfile"
		}, ""},
		{"ps -z", "", nil, nil, "unknown shorthand flag: 'z' in -z"},
		{"run --privileged -d busybox", "", nil, nil, "--privileged: layerlab's containers get nothing from the host"},
		{"run -v /:/host -d busybox", "", nil, nil, "--volume: layerlab's containers get nothing from the host"},
		{"run -dv /:/host busybox", "", nil, nil, "--volume: layerlab"},
		{"run --mount type=bind,src=/,dst=/h -d busybox", "", nil, nil, "--mount: layerlab"},
		{"run --network host -d busybox", "", nil, nil, "--network: layerlab"},
		{"run --net=host -d busybox", "", nil, nil, "--net: layerlab"},
		{"run --pid host -d busybox", "", nil, nil, "--pid: layerlab"},
		{"run --cap-add SYS_ADMIN -d busybox", "", nil, nil, "--cap-add: layerlab"},
		{"run --device /dev/sda -d busybox", "", nil, nil, "--device: layerlab"},
		{"run --security-opt seccomp=unconfined -d busybox", "", nil, nil, "--security-opt: layerlab"},
		{"run -p 8080:80 -d busybox", "", nil, nil, "--publish: layerlab"},
		{"run -d --userns host busybox", "", nil, nil, "--userns: layerlab"},
		{"exec --privileged box sh", "", nil, nil, "--privileged: layerlab"},
		{"build --network host .", "", nil, nil, "--network: layerlab"},
		{"run -d busybox --privileged", "run", []string{"busybox", "--privileged"}, nil, ""},
		{"run -it busybox", "", nil, nil, "needs a real terminal"},
		{"pull", "", nil, nil, "wrong number of arguments"},
		{"system prune -a", "", nil, nil, "not supported here"},
		{`exec box sh -c "unclosed`, "", nil, nil, "a quote is not closed"},
	}
	for _, c := range cases {
		got, err := parseCommand(c.line)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: want error %q, got %v", c.line, c.err, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.line, err)
			continue
		}
		if got.name != c.name || strings.Join(got.args, "|") != strings.Join(c.args, "|") || (c.check != nil && !c.check(got)) {
			t.Errorf("%q: %+v", c.line, got)
		}
	}
	if _, err := parseCommand("run --privileged busybox"); !errors.Is(err, errHostAccess) {
		t.Error("host access is errHostAccess")
	}
	if _, err := parseCommand("system prune"); !errors.Is(err, errNotHere) {
		t.Error("unsupported commands are errNotHere")
	}
}

func TestCompletionAndHistory(t *testing.T) {
	m := testModel(t, 120, 40)
	m = update1(m, connectedMsg{engine: testEngine})
	m.images = []docker.Image{{ID: "sha256:1", Repo: "busybox", Tag: "latest"}, {ID: "sha256:2", Repo: "pyubuntu", Tag: "init"}}
	m.containers = []docker.Container{{Name: "layerlab-commit-1"}}
	if got := m.completeWord("rmi pyu"); got != "rmi pyubuntu:init " {
		t.Errorf("completion %q", got)
	}
	if got := m.completeWord("exec layer"); got != "exec layerlab-commit-1 " {
		t.Errorf("completion %q", got)
	}
	if got := m.completeWord("ima"); got != "images " {
		t.Errorf("command completion %q", got)
	}
	m = update1(m, press(":"))
	if !m.cmd.open {
		t.Fatal(": does not open the command line")
	}
	m = typeText(m, "system prune")
	m = update1(m, press("enter"))
	if !strings.Contains(viewText(m), "not supported here: use your own terminal") {
		t.Errorf("%s", viewText(m))
	}
	m = update1(m, tea_up())
	if m.cmdInput.Value() != "system prune" {
		t.Errorf("history: %q", m.cmdInput.Value())
	}
	m = update1(m, press("esc"))
	if m.cmd.open {
		t.Error("esc does not close")
	}
}

// TestCommandLineAgainstTheDaemon runs the supported commands for real and
// checks their output has the CLI's columns.
func TestCommandLineAgainstTheDaemon(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	dockertest.PreserveTag(t, api, "busybox:latest")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	name := "layerlab-test-cmd-" + reg.Nonce
	t.Cleanup(func() { _ = cli.RemoveContainer(context.Background(), name) })
	run := func(line string) string {
		t.Helper()
		c, err := parseCommand(line)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		out, err := execCLI(ctx, cli, c, "test-cmd", "", reg.Host, ptr(NewPlainStyles()), time.Now())
		if err != nil {
			t.Fatalf("%s: %v\n%s", line, err, out)
		}
		return out
	}
	if out := run("pull busybox"); !strings.Contains(out, "Using default tag: latest") || !strings.Contains(out, "docker.io/library/busybox:latest") {
		t.Errorf("pull:\n%s", out)
	}
	if out := run("images busybox"); !strings.HasPrefix(out, "REPOSITORY   TAG      IMAGE ID       CREATED") || !strings.Contains(out, "SIZE") {
		t.Errorf("images:\n%s", out)
	}
	if out := run("run -dit --name " + name + " busybox"); len(strings.TrimSpace(out)) != 64 {
		t.Errorf("run prints the container id: %q", out)
	}
	if out := run("ps"); !strings.HasPrefix(out, "CONTAINER ID   IMAGE") || !strings.Contains(out, "PORTS") || !strings.Contains(out, name) {
		t.Errorf("ps:\n%s", out)
	}
	if out := run(`exec ` + name + ` sh -c "echo hi from exec"`); out != "hi from exec" {
		t.Errorf("exec: %q", out)
	}
	if out := run("history busybox"); !strings.HasPrefix(out, "IMAGE          CREATED") || !strings.Contains(out, "<missing>") {
		t.Errorf("history:\n%s", out)
	}
	commitRef := "layerlab-test-cmd-commit:" + reg.Nonce
	if out := run("commit " + name + " " + commitRef); !strings.HasPrefix(out, "sha256:") {
		t.Errorf("commit prints the image id: %q", out)
	}
	tagRef := "layerlab-test-cmd-tag:" + reg.Nonce
	if out := run("tag " + commitRef + " " + tagRef); out != "" {
		t.Errorf("tag prints nothing: %q", out)
	}
	if out := run("inspect " + tagRef); !strings.Contains(out, `"RepoTags"`) || !strings.Contains(out, tagRef) {
		t.Errorf("inspect:\n%.300s", out)
	}
	if out := run("rmi " + tagRef + " " + commitRef); !strings.Contains(out, "Untagged: "+tagRef) || !strings.Contains(out, "Deleted: sha256:") {
		t.Errorf("rmi:\n%s", out)
	}
	if out := run("rm " + name); out != name {
		t.Errorf("rm: %q", out)
	}
	// What layerlab did not make stays, with the reason.
	mine := "layerlab-test-learners-own:" + reg.Nonce
	mineID := dockertest.Build(t, api, mine, "FROM scratch\nCMD [\"/x\"]\n", nil)
	c, _ := parseCommand("rmi " + mine)
	if _, err := execCLI(ctx, cli, c, "test-cmd", "", reg.Host, ptr(NewPlainStyles()), time.Now()); !errors.Is(err, docker.ErrNotOwned) {
		t.Errorf("rmi of an image layerlab did not make: %v", err)
	}
	// Nor does it change the learner's container, or take their image's name.
	box := "layerlab-test-learners-box-" + reg.Nonce
	boxID := dockertest.UserContainer(t, api, "busybox:latest", box)
	if err := api.ContainerStart(ctx, boxID, container.StartOptions{}); err != nil {
		t.Fatal(err)
	}
	ws := t.TempDir()
	if err := os.WriteFile(filepath.Join(ws, "Dockerfile"), []byte("FROM busybox:latest\nRUN echo built > /built\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"exec " + box + " touch /changed", "commit " + box + " " + commitRef, "tag busybox " + mine, "build -t " + mine + " ."} {
		c, err := parseCommand(line)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		if out, err := execCLI(ctx, cli, c, "test-cmd", ws, reg.Host, ptr(NewPlainStyles()), time.Now()); !errors.Is(err, docker.ErrNotOwned) {
			t.Errorf("%s: %v %q, want it refused", line, err, out)
		}
	}
	insp, err := api.ContainerInspect(ctx, boxID)
	if err != nil || len(insp.ExecIDs) != 0 || !insp.State.Running {
		t.Errorf("the learner's container was touched: %v %v %+v", err, insp.ExecIDs, insp.State)
	}
	if was, err := api.ImageInspect(ctx, mine); err != nil || was.ID != mineID {
		t.Errorf("the learner's %s moved: %v", mine, err)
	}
}

// TestMissingContainerIsNamed: the commit step run before the step that
// starts its container names the container, not the image it would make.
func TestMissingContainerIsNamed(t *testing.T) {
	m := testModel(t, 100, 30)
	err := &docker.Error{Kind: docker.KindNotFound, Op: "commit layerlab-commit-1", Container: "layerlab-commit-1",
		Detail: "Error response from daemon: No such container: layerlab-commit-1"}
	x := explain(m.t, err, "pyubuntu:init", "")
	if !strings.Contains(x.Plain, "no container layerlab-commit-1") {
		t.Errorf("%+v", x)
	}
}

func TestChangingWhatIsNotOwnedIsExplained(t *testing.T) {
	m := testModel(t, 100, 30)
	kot := i18n.For("ko")
	for _, c := range []struct {
		err      *docker.Error
		want, ko string
	}{
		{&docker.Error{Op: "exec in my-web", NotOwned: docker.NotOwnedContainer, Name: "my-web"},
			"my-web was not created by layerlab (it may have been made from a lesson image, but then it is yours). layerlab changes only what it made itself", "my-web 은 layerlab 이 만든 컨테이너가 아닙니다"},
		{&docker.Error{Op: "commit my-web", NotOwned: docker.NotOwnedContainer, Name: "my-web"},
			"my-web was not created by layerlab", "여러분의 것입니다"},
		{&docker.Error{Op: "name myapp:1.0", NotOwned: docker.NotOwnedName, Name: "myapp:1.0", Others: []string{"0123456789ab"}},
			"myapp:1.0 names an image layerlab did not make (0123456789ab): it is yours.", "myapp:1.0 은 layerlab 이 만들지 않은 이미지(0123456789ab)"},
		{&docker.Error{Op: "remove image 0123", NotOwned: docker.NotOwnedOtherTags, Name: "0123", Others: []string{"learner-img:1"}},
			"0123 is also tagged learner-img:1, which layerlab did not set. layerlab only removes what it made itself", "learner-img:1"},
		{&docker.Error{Op: "remove image myapp:1", NotOwned: docker.NotOwnedImage, Name: "myapp:1"},
			"layerlab only removes what it made itself", "layerlab 은 자기가 만든 것만 지우므로"},
	} {
		c.err.Kind, c.err.Detail = docker.KindNotOwned, "i18n.English words of the docker package"
		x := explain(m.t, c.err, "", "")
		if x.Title != "Not created by layerlab" || !strings.Contains(x.Plain, c.want) || x.Docker != "" {
			t.Errorf("%s: %+v", c.err.Op, x)
		}
		k := explain(&kot, c.err, "", "")
		if !strings.Contains(k.Plain, c.ko) || strings.Contains(k.Plain, "i18n.English") || strings.Contains(k.Plain, "layerlab did not") {
			t.Errorf("%s in Korean: %+v", c.err.Op, k)
		}
	}
}

// FuzzCommandLine: whatever a learner types or pastes into the : line,
// parsing and completion never panic, a command that parses is one the line
// takes with its number of arguments, and none of them asks for the host.
func FuzzCommandLine(f *testing.F) {
	for _, s := range []string{"docker ps -aq", "run -dit --name box busybox", `exec box sh -c "echo hi > /x"`,
		"build -t a -f path/to/Dockerfile .", "run -dv /:/h busybox", "rmi -f", "'", `"a b" c`, "run --net=host -d x", "-", "--", "hist"} {
		f.Add(s)
	}
	m := Model{images: []docker.Image{{Repo: "busybox", Tag: "latest"}, {Repo: "pyubuntu", Tag: "init"}},
		containers: []docker.Container{{Name: "box"}, {Name: "böx"}}}
	f.Fuzz(func(t *testing.T, line string) {
		if len(line) > engine.MaxCommand*4 {
			return // the prompt holds at most engine.MaxCommand runes
		}
		c, err := parseCommand(line)
		if err == nil {
			spec, ok := cmdSpecs[c.name]
			if !ok {
				t.Fatalf("%q parsed as %q, not a command the line takes", line, c.name)
			}
			if len(c.args) < spec.min || (spec.max >= 0 && len(c.args) > spec.max) {
				t.Fatalf("%q: %d arguments for %s", line, len(c.args), c.name)
			}
			if (c.bools["interactive"] || c.bools["tty"]) && !c.bools["detach"] {
				t.Fatalf("%q: -it without -d accepted", line)
			}
		}
		if words, err := splitWords(line); err == nil {
			again, err := splitWords(shellJoin(words))
			if err != nil || strings.Join(again, "\x00") != strings.Join(words, "\x00") {
				t.Fatalf("%q: words %q come back as %q (%v)", line, words, again, err)
			}
		}
		_ = m.completeWord(line)
	})
}

func TestShellJoinQuotesWhatShWouldRead(t *testing.T) {
	got := shellJoin([]string{"echo", "a\nb", "", "~", "#x", "*", "ok/path:1", "it's"})
	want := `echo 'a` + "\n" + `b' '' '~' '#x' '*' ok/path:1 'it'"'"'s'`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestRefusalIsReadInFull: a refused command's reason is wrapped on the
// screen, not cut at the terminal's edge.
func TestRefusalIsReadInFull(t *testing.T) {
	m := pulledModel(t, 80, 30)
	m = update1(m, press(":"))
	m = typeText(m, "run --privileged -d busybox")
	nm, _ := m.Update(press("enter"))
	out := strings.Join(strings.Fields(viewText(nm.(Model))), " ")
	if !strings.Contains(out, "type it in your own terminal if you mean it") {
		t.Errorf("the reason is cut:\n%s", viewText(nm.(Model)))
	}
}

// TestTheCommandLineAnswersOnTheLessonList: the : line shows what a command
// printed on the lesson list too, not only inside a lesson, at every size.
func TestTheCommandLineAnswersOnTheLessonList(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {100, 30}, {160, 50}} {
		m := testModel(t, size[0], size[1])
		m = update1(m, connectedMsg{engine: testEngine})
		if m.screen != screenList {
			t.Fatalf("not on the lesson list")
		}
		m = update1(m, press(":"))
		m = update1(m, cmdResultMsg{line: "images", out: "REPOSITORY   TAG      IMAGE ID\nbusybox      latest   b10cefd55dc1"})
		// What the terminal shows: the frame's first rows, as many as it has.
		lines := strings.Split(viewText(m), "\n")
		out := strings.Join(lines[:min(len(lines), size[1])], "\n")
		if len(lines) > size[1] || !strings.Contains(out, "busybox      latest   b10cefd55dc1") || !strings.Contains(out, "$ docker images") {
			t.Errorf("%dx%d: the list screen drops the command's output:\n%s", size[0], size[1], out)
		}
	}
}
