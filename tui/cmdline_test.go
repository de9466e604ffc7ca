package tui

import (
	"context"
	"errors"
	"fmt"
	"github.com/charmbracelet/x/ansi"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/docker/docker/api/types/container"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockercli"
	"github.com/layerlab/layerlab/docker/dockertest"
	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui/render"
)

// TestRefusalsAreWordedInEachLanguage: every refusal of the : line reads in
// the learner's language, with the command and flag it is about.
func TestRefusalsAreWordedInEachLanguage(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ line, en, ko string }{
		{"run --privileged -d busybox", "docker run --privileged: layerlab's containers get nothing from the host", "docker run --privileged: layerlab 의 컨테이너는 호스트의 것을"},
		{"run -it busybox", "docker run -it needs a real terminal", "진짜 터미널이 필요합니다"},
		{"pull", "docker pull: wrong number of arguments (0)", "인자 개수가 맞지 않습니다 (0개)"},
		{`exec box sh -c "unclosed`, "a quote is not closed", "따옴표가 닫히지 않았습니다"},
		{"docker", "type a docker command", "docker 명령을 입력하세요"},
		{"ps -z", "docker ps: unknown shorthand flag: 'z' in -z", "docker ps: unknown shorthand flag"},
		// Issue 31: a real flag is the line's limit, not "unknown"; a typo
		// is no docker command, with the nearest, never "use your terminal";
		// exec -it is not told to use -dit, which exec does not take.
		{"run -d -e A=1 busybox", "docker run: layerlab's line does not take --env; your docker CLI does", "layerlab의 명령줄은 --env를 받지 않습니다. docker CLI는 받으니"},
		{"inspect -f {{.Id}} busybox", "layerlab's line does not take --format", "--format을 받지 않습니다"},
		{"imgaes", "docker: 'imgaes' is not a docker command.\ndid you mean images?", "docker: 'imgaes' is not a docker command.\nimages를 입력하려던 건가요?"},
		{"zzz", "docker: 'zzz' is not a docker command.\nthis line takes: images", "이 명령줄이 받는 명령: images"},
		{"exec -it box sh", "docker exec -it needs a real terminal: type it in your own terminal, or run one command here", "명령 하나를 실행하세요"},
		// -v of a path alone is a volume without a name (Docker makes one),
		// not a bad specification.
		{"run -d -v /etc busybox", "docker run -v /etc: a volume without a name is not made here; give it one: -v my-data:/etc", "docker run -v /etc: 이름 없는 볼륨은 여기서 만들지 않습니다. 이름을 붙이세요: -v my-data:/etc"},
	} {
		_, err := dockercli.Parse(c.line)
		var e *dockercli.Error
		if !errors.As(err, &e) {
			t.Fatalf("%q: %v", c.line, err)
		}
		if got := i18n.CmdErrText(&i18n.English, e); !strings.Contains(got, c.en) || (e.Code == dockercli.CodeNoCommand || e.Cmd == "exec") && (strings.Contains(got, "-dit") || strings.Contains(got, "own terminal (here")) {
			t.Errorf("%q in English: %q", c.line, got)
		}
		ko := i18n.For("ko")
		if got := i18n.CmdErrText(&ko, e); !strings.Contains(got, c.ko) {
			t.Errorf("%q in Korean: %q", c.line, got)
		}
	}
}

func TestCompletionAndHistory(t *testing.T) {
	t.Parallel()
	m := testModel(t, 120, 40)
	m = update1(m, connectedMsg{engine: testEngine})
	m.pic.images = []docker.Image{{ID: "sha256:1", Repo: "busybox", Tag: "latest"}, {ID: "sha256:2", Repo: "pyubuntu", Tag: "init"}}
	m.pic.containers = []docker.Container{{Name: "layerlab-commit-1"}}
	if got := complete("rmi pyu", m.cmdNames()); got != "rmi pyubuntu:init " {
		t.Errorf("completion %q", got)
	}
	if got := complete("exec layer", m.cmdNames()); got != "exec layerlab-commit-1 " {
		t.Errorf("completion %q", got)
	}
	if got := complete("ima", m.cmdNames()); got != "images " {
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
	if m.cmd.input.Value() != "system prune" {
		t.Errorf("history: %q", m.cmd.input.Value())
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
		c, err := dockercli.Parse(line)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		out, err := execCLI(ctx, cli, c, "test-cmd", "", reg.Host, ptr(render.NewPlainStyles()), time.Now())
		if err != nil {
			t.Fatalf("%s: %v\n%s", line, err, out)
		}
		return out
	}
	if out := run("pull busybox"); !strings.Contains(out, "Using default tag: latest") || !strings.Contains(out, "docker.io/library/busybox:latest") {
		t.Errorf("pull:\n%s", out)
	}
	if out := run("images busybox"); !strings.HasPrefix(out, "REPOSITORY   TAG       IMAGE ID       CREATED") || !strings.Contains(out, "SIZE") {
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
	if out := run("rm -f " + name); out != name {
		t.Errorf("rm -f: %q", out)
	}
	// What layerlab did not make stays, with the reason.
	mine := "layerlab-test-learners-own:" + reg.Nonce
	mineID := dockertest.Build(t, api, mine, "FROM scratch\nCMD [\"/x\"]\n", nil)
	c, _ := dockercli.Parse("rmi " + mine)
	if _, err := execCLI(ctx, cli, c, "test-cmd", "", reg.Host, ptr(render.NewPlainStyles()), time.Now()); !errors.Is(err, docker.ErrNotOwned) {
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
		c, err := dockercli.Parse(line)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		if out, err := execCLI(ctx, cli, c, "test-cmd", ws, reg.Host, ptr(render.NewPlainStyles()), time.Now()); !errors.Is(err, docker.ErrNotOwned) {
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
	t.Parallel()
	m := testModel(t, 100, 30)
	err := &docker.Error{Kind: docker.KindNotFound, Op: "commit layerlab-commit-1", Container: "layerlab-commit-1",
		Detail: "Error response from daemon: No such container: layerlab-commit-1"}
	x := i18n.Explain(m.t, err, "pyubuntu:init", "")
	if !strings.Contains(x.Plain, "no container layerlab-commit-1") {
		t.Errorf("%+v", x)
	}
}

func TestChangingWhatIsNotOwnedIsExplained(t *testing.T) {
	t.Parallel()
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
		x := i18n.Explain(m.t, c.err, "", "")
		if x.Title != "Not created by layerlab" || !strings.Contains(x.Plain, c.want) || x.Docker != "" {
			t.Errorf("%s: %+v", c.err.Op, x)
		}
		k := i18n.Explain(&kot, c.err, "", "")
		if !strings.Contains(k.Plain, c.ko) || strings.Contains(k.Plain, "i18n.English") || strings.Contains(k.Plain, "layerlab did not") {
			t.Errorf("%s in Korean: %+v", c.err.Op, k)
		}
	}
}

// TestRefusalIsReadInFull: a refused command's reason is wrapped on the
// screen, not cut at the terminal's edge.
func TestRefusalIsReadInFull(t *testing.T) {
	t.Parallel()
	m := pulledModel(t, "en", 80, 30)
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
	t.Parallel()
	for _, size := range [][2]int{{80, 24}, {100, 30}, {160, 50}} {
		m := testModel(t, size[0], size[1])
		m = update1(m, connectedMsg{engine: testEngine})
		if m.nav.screen != screenList {
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

// TestTheCommandLineIsAComponent: on its own (no model, no daemon) the :
// line takes keys, keeps its history, completes names, and asks the root
// to run what parses.
func TestTheCommandLineIsAComponent(t *testing.T) {
	t.Parallel()
	c := newCmdLine("")
	c.common = plainCommon(&i18n.English)
	c.SetSize(80, 24)
	c, _ = c.Open()
	for _, r := range "ima" {
		c, _ = c.Update(press(string(r)))
	}
	c.SetNames([]string{"busybox:latest"})
	c, _ = c.Update(press("tab"))
	if c.input.Value() != "images " {
		t.Fatalf("completion: %q", c.input.Value())
	}
	c, cmd := c.Update(press("enter"))
	if cmd == nil || !c.running {
		t.Fatal("enter did not ask to run the line")
	}
	if run, ok := cmd().(cmdRunMsg); !ok || run.cmd.Name != "images" {
		t.Fatalf("asked %#v", cmd())
	}
	c = c.Done(cmdResultMsg{line: "images", out: "REPOSITORY   TAG"})
	if v := c.View(); !strings.Contains(v, "$ docker images") || !strings.Contains(v, "REPOSITORY   TAG") {
		t.Errorf("view:\n%s", v)
	}
	c, _ = c.Update(tea_up())
	if c.input.Value() != "images" {
		t.Errorf("history: %q", c.input.Value())
	}
	if c, _ = c.Update(press("esc")); c.open {
		t.Error("esc did not close it")
	}
}

// TestTheCommandLinesErrorsKeepTheName: what a refused or failed command
// was about is named in its error, with Docker's own words and what to do
// (as a step's error box), in both languages.
func TestTheCommandLinesErrorsKeepTheName(t *testing.T) {
	t.Parallel()
	ko := i18n.For("ko")
	cases := []struct {
		r      cmdResultMsg
		en, ko []string
	}{
		{cmdResultMsg{line: "pull nothere:1", ref: "nothere:1", err: &docker.Error{Kind: docker.KindRegistryUnreachable, Op: "pull nothere:1", Detail: "dial tcp: lookup registry-1.docker.io: no such host"}},
			[]string{"to download nothere:1", "Connect to the internet", "no such host"}, []string{"nothere:1", "no such host"}},
		{cmdResultMsg{line: "build -f env/Dockerfile .", ref: ".", err: &docker.Error{Kind: docker.KindNoDockerfile, Op: "build .", Name: "env/Dockerfile"}},
			[]string{"There is no Dockerfile to build from", "docker build reads env/Dockerfile", "-f path/to/Dockerfile"}, []string{"빌드할 Dockerfile 이 없습니다", "env/Dockerfile"}},
		{cmdResultMsg{line: "rm gone", ref: "gone", err: &docker.Error{Kind: docker.KindNotFound, Op: "remove container gone", Container: "gone", Detail: "No such container: gone"}},
			[]string{"gone"}, []string{"gone"}},
		{cmdResultMsg{line: "ps", err: &docker.Error{Kind: docker.KindRefused, Host: "tcp://127.0.0.1:1", NothingListens: true}},
			[]string{"Nothing listens at tcp://127.0.0.1:1"}, []string{"tcp://127.0.0.1:1 에서 기다리는 것이 없습니다"}},
	}
	for _, c := range cases {
		for _, lang := range []struct {
			t    *i18n.Strings
			want []string
		}{{&i18n.English, c.en}, {&ko, c.ko}} {
			l := newCmdLine("")
			l.common = plainCommon(lang.t)
			l.SetSize(100, 60)
			l, _ = l.Open()
			l = l.Done(c.r)
			v := flatten(l.View())
			for _, w := range lang.want {
				if !strings.Contains(v, w) {
					t.Errorf("%s: %q missing in\n%s", c.r.line, w, v)
				}
			}
			if strings.Contains(v, " : ") {
				t.Errorf("%s: a name is missing: %s", c.r.line, v)
			}
		}
	}
}

// plainCommon is what a component draws with, in t's language, without colour.
func plainCommon(t *i18n.Strings) common {
	return common{t: t, st: ptr(render.NewPlainStyles()), keys: ptr(DefaultKeyMap(*t))}
}

// TestTheLineIsTheCLIAgainstTheDaemon (issue 31, items 12-14): rm without
// -f of a running container is refused with the daemon's words and the
// container stays; run --name of a name in use is the daemon's conflict and
// the container is not replaced; a second pull says "Image is up to date"
// for the name typed, with the CLI's first line; images -a shows a classic
// build's intermediate images; rmi A B goes on after A fails.
func TestTheLineIsTheCLIAgainstTheDaemon(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	dockertest.PreserveTag(t, api, "busybox:latest")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	name := "layerlab-test-cli31-" + reg.Nonce
	t.Cleanup(func() { _ = cli.RemoveContainer(context.Background(), name) })
	run := func(line string) (string, error) {
		t.Helper()
		c, err := dockercli.Parse(line)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		return execCLI(ctx, cli, c, "test-cmd", "", reg.Host, ptr(render.NewPlainStyles()), time.Now())
	}
	out, err := run("pull busybox")
	if err != nil {
		t.Fatalf("pull: %v\n%s", err, out)
	}
	out, err = run("pull busybox")
	if err != nil || !strings.Contains(out, "latest: Pulling from library/busybox\n") ||
		!strings.Contains(out, "\nStatus: Image is up to date for busybox:latest\ndocker.io/library/busybox:latest") || strings.Contains(out, reg.Host) {
		t.Errorf("pull of an image on disk: %v\n%s", err, out)
	}
	id, err := run("run -dit --name " + name + " busybox")
	if err != nil {
		t.Fatal(err)
	}
	// The daemon's words, as the CLI prints them: Docker's, or Podman's.
	forceWords, inUseWords := "force remove", `Conflict. The container name "/`+name+`" is already in use`
	if cli.IsPodman() {
		forceWords, inUseWords = "cannot be removed without force", `the container name "`+name+`" is already in use`
	}
	out, err = run("rm " + name)
	if dockercli.CodeOf(err) != dockercli.CodeRmRunning || !strings.HasPrefix(out, "Error response from daemon: ") || !strings.Contains(out, forceWords) {
		t.Errorf("rm of a running container: %v\n%s", err, out)
	}
	if insp, ierr := api.ContainerInspect(ctx, name); ierr != nil || !insp.State.Running {
		t.Errorf("rm without -f removed or stopped it: %v", ierr)
	}
	out, err = run("run -d --name " + name + " busybox")
	if dockercli.CodeOf(err) != dockercli.CodeNameInUse || !strings.Contains(out, inUseWords) {
		t.Errorf("run --name of a name in use: %v\n%s", err, out)
	}
	if insp, ierr := api.ContainerInspect(ctx, name); ierr != nil || insp.ID != strings.TrimSpace(id) {
		t.Errorf("run --name replaced the container: %v", ierr)
	}
	// A classic build's steps leave intermediate images: docker images -a.
	tag := "layerlab-test-cli31-build:" + reg.Nonce
	dockertest.Build(t, api, tag, "FROM busybox:latest\nRUN echo "+reg.Nonce+" > /one\nRUN echo two > /two\n", nil)
	plain, _ := run("images")
	all, err := run("images -a")
	if err != nil || strings.Count(all, "<none>") <= strings.Count(plain, "<none>") {
		t.Errorf("images -a shows no intermediate image:\n%s\nimages:\n%s", all, plain)
	}
	if out, _ := run("images layerlab-test-cli31-b*"); !strings.Contains(out, reg.Nonce) {
		t.Errorf("images PATTERN:\n%s", out)
	}
	// DOCKER_BUILDKIT=0 docker build, from its cache and with --no-cache,
	// prints what the classic builder printed (testdata/cli of dockercli;
	// the CLI's own "Sending build context" and deprecation lines aside).
	// On Podman its own builder runs, whatever is asked: its transcripts are
	// docker's TestABuildRunsOnTheEnginesBuilder's.
	podman := cli.IsPodman()
	ws := t.TempDir()
	if err := os.WriteFile(filepath.Join(ws, "Dockerfile"), []byte("FROM busybox:latest\nRUN echo llcli31 > /hi\nCMD [\"sh\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	classic := "layerlab-test-cli31-classic:" + reg.Nonce
	t.Cleanup(func() { _, _ = cli.RemoveImage(context.Background(), classic, true) })
	build := func(line string) string {
		t.Helper()
		c, err := dockercli.Parse(line)
		if err != nil {
			t.Fatal(err)
		}
		out, err := execCLI(ctx, cli, c, "test-cmd", ws, reg.Host, ptr(render.NewPlainStyles()), time.Now())
		if err != nil {
			t.Fatalf("%s: %v\n%s", line, err, out)
		}
		return out
	}
	build("DOCKER_BUILDKIT=0 docker build -t " + classic + " .")
	for _, c := range []struct{ flags, rec string }{{"", "build-classic-cached"}, {"--no-cache ", "build-classic-no-cache"}} {
		got := build("DOCKER_BUILDKIT=0 docker build " + c.flags + "-t " + classic + " .")
		if podman {
			continue
		}
		for _, cliv := range []string{"20.10", "28.2.2"} {
			b, err := os.ReadFile(filepath.Join("..", "docker", "dockercli", "testdata", "cli", c.rec+"."+cliv+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
			for _, l := range lines[1 : len(lines)-1] {
				if l == "" || strings.HasPrefix(l, "Sending build context") || strings.HasPrefix(l, "DEPRECATED") || strings.HasPrefix(l, "    ") {
					continue
				}
				want = append(want, strings.ReplaceAll(l, "llcli31-classic:1", classic))
			}
			// The daemon words the removal of a step's container: Engine
			// 20.10 (where these were recorded) "Removing intermediate
			// container X", current engines " ---> Removed intermediate
			// container X"; the line prints the daemon's, so it is left out.
			noRemoval := func(s []string) string {
				return strings.Join(slices.DeleteFunc(s, func(l string) bool { return strings.Contains(l, "intermediate container") }), "\n")
			}
			if c.flags != "" && !strings.Contains(got, "intermediate container") {
				t.Errorf("%s: no step ran in a container:\n%s", c.rec, got)
			}
			ids := regexp.MustCompile(`\b[0-9a-f]{12}\b`)
			if g, w := ids.ReplaceAllString(noRemoval(strings.Split(got, "\n")), "ID"), ids.ReplaceAllString(noRemoval(want), "ID"); g != w {
				t.Errorf("%s, CLI %s:\n got %s\nwant %s", c.rec, cliv, g, w)
			}
		}
	}
	tagged := "layerlab-test-cli31-tag:" + reg.Nonce
	if _, err := run("tag busybox " + tagged); err != nil {
		t.Fatal(err)
	}
	out, err = run("rmi layerlab-test-cli31-nosuch:1 " + tagged)
	if err == nil || !strings.Contains(out, "Untagged: "+tagged) || !strings.Contains(out, "No such image: layerlab-test-cli31-nosuch:1") {
		t.Errorf("rmi A B: %v\n%s", err, out)
	}
}

// TestTheOutputScrolls (issue 31, item 16): a long output shows its end,
// says how much is above and which key shows it; PgUp shows what is above
// (saying what is now below), PgDn goes back; the help lists the keys.
func TestTheOutputScrolls(t *testing.T) {
	t.Parallel()
	c := newCmdLine("")
	c.common = plainCommon(&i18n.English)
	c.SetSize(100, 30)
	c, _ = c.Open()
	var lines []string
	for i := range 40 {
		lines = append(lines, fmt.Sprintf("row %02d", i))
	}
	c = c.Done(cmdResultMsg{line: "inspect busybox", out: strings.Join(lines, "\n")})
	v := c.View()
	if !strings.Contains(v, "row 39") || strings.Contains(v, "row 00") || !strings.Contains(v, "more lines above (pgup)") {
		t.Fatalf("end first:\n%s", v)
	}
	for range 20 {
		c, _ = c.Update(tea.KeyPressMsg{Code: tea.KeyPgUp})
	}
	v = c.View()
	if !strings.Contains(v, "row 00") || strings.Contains(v, "row 39") || !strings.Contains(v, "more lines below (pgdn)") {
		t.Errorf("after pgup, the top:\n%s", v)
	}
	// PgUp past the top stays at the top: one PgDn moves at once.
	c, _ = c.Update(tea.KeyPressMsg{Code: tea.KeyPgDown})
	if v := c.View(); strings.Contains(v, "row 00") {
		t.Errorf("pgup past the top was counted: one pgdn does not move:\n%s", v)
	}
	for range 20 {
		c, _ = c.Update(tea.KeyPressMsg{Code: tea.KeyPgDown})
	}
	if v := c.View(); !strings.Contains(v, "row 39") || strings.Contains(v, "below") {
		t.Errorf("after pgdn, the end again:\n%s", v)
	}
	found := false
	for _, b := range c.Bindings() {
		found = found || b.Help().Key == "pgup/pgdn"
	}
	if !found {
		t.Error("the help does not list PgUp/PgDn")
	}
}

// TestALongRowWrapsAsInATerminal: at 80 columns a row of docker ps -a
// longer than the screen wraps where the screen ends, as a terminal wraps
// it: nothing of it is cut, NAMES last (issue 31, 16).
func TestALongRowWrapsAsInATerminal(t *testing.T) {
	t.Parallel()
	c := newCmdLine("")
	c.common = plainCommon(&i18n.English)
	c.SetSize(80, 24)
	c, _ = c.Open()
	row := "f68539629404   busybox:latest   \"sh\"      2 minutes ago   Up 2 minutes (healthy)             layerlab-box-1-with-a-long-name"
	c = c.Done(cmdResultMsg{line: "ps -a", out: "CONTAINER ID   IMAGE            COMMAND   CREATED         STATUS                   PORTS     NAMES\n" + row})
	v := c.View()
	flat := strings.Join(strings.Fields(strings.ReplaceAll(v, "\n", "")), " ")
	if !strings.Contains(flat, "layerlab-box-1-with-a-long-name") || !strings.Contains(flat, "Up 2 minutes (healthy)") || strings.Contains(v, "…") {
		t.Errorf("the row is cut:\n%s", v)
	}
	for _, l := range strings.Split(v, "\n") {
		if ansi.StringWidth(l) > 80 {
			t.Errorf("a line is %d wide: %q", ansi.StringWidth(l), l)
		}
	}
}

// In a classroom (a second session to send the learner to) the : line's
// refusals never say "type it in your own terminal": there is none. They
// say what the classroom's docker takes, in both languages and after a
// switch of language (found by a helper trying run -e in the classroom).
func TestTheLineInAClassroomSendsToNoOtherTerminal(t *testing.T) {
	t.Parallel()
	byLang, err := builtinByLang()
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Client: &fakeDaemon{}, Lessons: byLang["en"], Languages: byLang, Lang: "en", Dark: true, Now: func() time.Time { return fixedNow },
		SecondSession: "ssh -p 2222 ana@class"})
	m = update1(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	for i, lang := range []string{"en", "ko"} {
		if i > 0 {
			m = update1(m, press("L"))
		}
		for _, line := range []string{"run -d -e A=1 busybox", "run --privileged -d busybox", "run -it busybox"} {
			_, err := dockercli.Parse(line)
			var e *dockercli.Error
			if !errors.As(err, &e) {
				t.Fatalf("%q: %v", line, err)
			}
			got := render.CommandError(m.t, m.st, err, "", "", nil)
			if strings.Contains(got, "own terminal") || strings.Contains(got, "내 터미널") || !strings.Contains(got, "docker") {
				t.Errorf("%s, %q: %q", lang, line, got)
			}
		}
		if m.opts.Lang != lang || m.t.CmdNotOnLineFmt != i18n.For(lang).Serve.NotOnLineFmt {
			t.Errorf("%s: the line's words are not the classroom's: %q", lang, m.t.CmdNotOnLineFmt)
		}
	}
}
