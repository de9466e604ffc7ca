package cli

import (
	"context"
	"fmt"
	"github.com/charmbracelet/x/ansi"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"

	"github.com/layerlab/layerlab/classroom"
	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// TestCleanupCommand runs `layerlab cleanup` as a learner would: --dry-run
// lists and changes nothing, no answer on a pipe removes nothing, --yes
// removes what layerlab made.
func TestCleanupCommand(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	cli, api := dockertest.Daemon(t)
	cli.UseLedger(docker.OpenLedger(statePath(os.Getenv, "owned.json")))
	reg := dockertest.StartRegistry(t)
	ctx := context.Background()
	name := "layerlab-test-cli-" + reg.Nonce
	reg.Publish(t, api, "library/"+name+":latest")
	ref, _ := docker.ParseRef(name)
	dockertest.PreserveTag(t, api, name+":latest") // removes it if the test fails before cleanup does
	if _, err := cli.Pull(ctx, ref, docker.PullOptions{Mirror: reg.Host, Lesson: "test-cli"}, nil); err != nil {
		t.Fatal(err)
	}
	ct, err := cli.RunContainer(ctx, name, name, "test-cli")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cli.RemoveContainer(context.Background(), ct.ID) })
	exists := func() (bool, bool) {
		img, _, _ := cli.Exists(ctx, name+":latest")
		_, err := api.ContainerInspect(ctx, ct.ID)
		return img, err == nil
	}

	code, out, errs := layerlab(t, strings.NewReader(""), "cleanup", "--dry-run")
	if code != 0 {
		t.Fatal(errs)
	}
	for _, want := range []string{"container", name, "tag", name + ":latest", "test-cli", "--dry-run: nothing was removed"} {
		if !strings.Contains(out, want) {
			t.Errorf("--dry-run output lacks %q:\n%s", want, out)
		}
	}
	if img, c := exists(); !img || !c {
		t.Fatal("--dry-run removed something")
	}

	code, _, errs = layerlab(t, strings.NewReader("y\n"), "cleanup")
	if code != 1 || !strings.Contains(errs, "--yes") {
		t.Fatalf("without a terminal and without --yes it must refuse: %d %s", code, errs)
	}
	if img, c := exists(); !img || !c {
		t.Fatal("an unconfirmed cleanup removed something")
	}

	// Issue 28, 12: a lesson that does not exist is said, with status 1.
	if code, _, errs := layerlab(t, nil, "cleanup", "--lesson", "nosuch", "--dry-run"); code != 1 || !strings.Contains(errs, "no lesson is called nosuch") {
		t.Errorf("--lesson nosuch: %d %s", code, errs)
	}
	// Naming an unrecorded container removes it and only it, saying it
	// was running; the recorded things stay.
	labelled, err := api.ContainerCreate(ctx, &container.Config{Image: name, Tty: true, OpenStdin: true, Labels: docker.OwnedLabels("test-cli")}, nil, nil, nil, name+"-unrecorded")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = api.ContainerRemove(context.Background(), labelled.ID, container.RemoveOptions{Force: true})
	})
	if err := api.ContainerStart(ctx, labelled.ID, container.StartOptions{}); err != nil {
		t.Fatal(err)
	}
	code, out, errs = layerlab(t, nil, "cleanup", "--unrecorded", name+"-unrecorded", "--yes")
	if code != 0 {
		t.Fatalf("%s\n%s", errs, out)
	}
	if !strings.Contains(out, name+"-unrecorded is running") {
		t.Errorf("not told the named container was running:\n%s", out)
	}
	if _, err := api.ContainerInspect(ctx, labelled.ID); err == nil {
		t.Error("the named unrecorded container is still there")
	}
	if img, c := exists(); !img || !c {
		t.Fatalf("--unrecorded NAME also removed the recorded things: image %v container %v\n%s", img, c, out)
	}

	code, out, errs = layerlab(t, nil, "--yes", "cleanup")
	if code != 0 {
		t.Fatalf("%s\n%s", errs, out)
	}
	for _, want := range []string{"✓ container " + name, "✓ tag " + name + ":latest"} {
		if !strings.Contains(out, want) {
			t.Errorf("--yes output lacks %q:\n%s", want, out)
		}
	}
	if img, c := exists(); img || c {
		t.Fatalf("after --yes: image %v container %v", img, c)
	}
}

func TestCleanupCommandExplainsADownDaemon(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix://"+t.TempDir()+"/no.sock")
	if code, _, errs := layerlab(t, nil, "cleanup", "--dry-run"); code != 1 || !strings.Contains(errs, "No Docker daemon socket") {
		t.Fatalf("got %d %s", code, errs)
	}
}

// TestPrepareBundleAndOfflineLesson: an instructor prepares the lesson
// images, exports a bundle, the images go, the bundle is imported, and with
// no registry reachable the lesson's pull step completes from the local copy.
func TestPrepareBundleAndOfflineLesson(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	cli, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	ctx := context.Background()
	// Every image any lesson names, in any language (busybox:1.36 of the
	// pull lesson's exercise among them).
	set, err := (&env{getenv: os.Getenv}).lessons()
	if err != nil {
		t.Fatal(err)
	}
	imgs := LessonImages(set.all()...)
	if !slices.Contains(imgs, "busybox:1.36") || !slices.Contains(imgs, "busybox:latest") {
		t.Fatalf("lesson images %v", imgs)
	}
	for _, img := range imgs {
		dockertest.PreserveTag(t, api, img)
	}
	code, out, errs := layerlab(t, nil, "prepare", "--registry-mirror", reg.Host, "--lang", "en")
	if code != 0 {
		t.Fatalf("prepare: %s\n%s", errs, out)
	}
	// What prepare brought, layerlab serve publishes: each is then in the
	// classroom registry, under the name the learners' engines ask for.
	class, err := classroom.StartRegistry()
	if err != nil {
		t.Fatal(err)
	}
	defer class.Close()
	var served strings.Builder
	publishLessonImages(ctx, &served, i18n.English, class, cli, set.byLang)
	for _, img := range imgs {
		if !strings.Contains(served.String(), "✓ "+img+" served") {
			t.Errorf("serve did not publish %s:\n%s", img, served.String())
		}
		ref, _ := docker.ParseRef(img)
		path, _ := ref.Via(class.Host)
		repo, tag, _ := strings.Cut(strings.TrimPrefix(path, class.Host+"/"), ":")
		req, _ := http.NewRequestWithContext(ctx, http.MethodHead, "http://"+class.Host+"/v2/"+repo+"/manifests/"+tag, nil)
		req.Header.Set("Accept", "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("the classroom registry does not serve %s (%s): %v %v", img, path, resp, err)
		}
		if resp != nil {
			resp.Body.Close()
		}
	}
	ids := map[string]string{}
	for _, img := range imgs {
		ok, id, _ := cli.Exists(ctx, img)
		if !ok {
			t.Fatalf("prepare left %s missing:\n%s", img, out)
		}
		ids[img] = id
	}
	bundle := filepath.Join(t.TempDir(), "lessons.tar")
	code, out, errs = layerlab(t, nil, "--lang", "en", "bundle", "export", bundle)
	if code != 0 {
		t.Fatalf("export: %s", errs)
	}
	if !strings.Contains(out, fmt.Sprintf("%d images", len(imgs))) {
		t.Errorf("%s", out)
	}
	for _, img := range imgs {
		if _, err := api.ImageRemove(ctx, img, image.RemoveOptions{Force: true}); err != nil {
			t.Fatalf("rmi %s: %v", img, err)
		}
	}
	code, out, errs = layerlab(t, nil, "bundle", "import", bundle, "--lang", "en")
	if code != 0 {
		t.Fatalf("import: %s\n%s", errs, out)
	}
	for _, img := range imgs {
		if ok, id, _ := cli.Exists(ctx, img); !ok || id != ids[img] {
			t.Errorf("%s after import: %v %s (was %s)", img, ok, id, ids[img])
		}
	}
	// The classroom without network: the mirror does not answer.
	ref, _ := docker.ParseRef("busybox")
	res, err := cli.Pull(ctx, ref, docker.PullOptions{Mirror: "127.0.0.1:1", Lesson: "pull"}, nil)
	if err != nil || !res.Offline || res.ImageID != ids["busybox:latest"] {
		t.Fatalf("offline pull: %+v %v", res, err)
	}
}

func TestConfigFileAndWhatOverridesIt(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	if c, err := loadConfig(path); err != nil || c != (Config{}) {
		t.Fatalf("a missing config is empty: %+v %v", c, err)
	}
	if err := os.WriteFile(path, []byte("lang = \"ko\"\ntheme = \"light\"\nregistry_mirror = \"10.0.0.5:5000\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := loadConfig(path)
	if err != nil || c.Lang != "ko" || c.Theme != "light" || c.RegistryMirror != "10.0.0.5:5000" {
		t.Fatalf("%+v %v", c, err)
	}
	if pick("127.0.0.1:1", c.RegistryMirror, "") != "127.0.0.1:1" || pick("", c.RegistryMirror, "") != "10.0.0.5:5000" || pick("", "", "auto") != "auto" {
		t.Error("env over config over default")
	}
	if err := os.WriteFile(path, []byte("colour = \"blue\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadConfig(path); err == nil || !strings.Contains(err.Error(), `unknown key "colour"`) {
		t.Errorf("an unknown key must be named: %v", err)
	}
	if err := os.WriteFile(path, []byte("lang = \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadConfig(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("a broken file must be named: %v", err)
	}
}

func TestValidatePackCommand(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	if code, out, errs := layerlab(t, nil, "lessons", "validate", "--lang", "en", "../assets/example-pack"); code != 0 || !strings.Contains(out, "ko: 1 lessons") {
		t.Fatalf("%d %s %s", code, out, errs)
	}
	bad := t.TempDir()
	if err := os.MkdirAll(filepath.Join(bad, "en"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bad, "en", "1.md"), []byte("---\nid: a\ntitle: b\n---\n```step\nrun: busybox\nname: c\nmount: /:/host\n```\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := layerlab(t, nil, "lessons", "validate", bad, "--lang", "en"); code != 1 || !strings.Contains(out, `en/1.md:8:1: step key "mount" is not allowed`) {
		t.Errorf("%d %s", code, out)
	}
	// In Korean, --lang before or after the folder, or before the command:
	// the problem, the verdict and the summary.
	code, out, errs := layerlab(t, nil, "lessons", "validate", "--lang", "ko", bad)
	if code != 1 || !strings.Contains(out, `en/1.md:8:1: 단계 키 "mount"는 쓸 수 없습니다: 레슨은 호스트의 폴더를`) || !strings.Contains(errs, "올바른 레슨 팩이 아닙니다") {
		t.Errorf("Korean: %d %s %s", code, out, errs)
	}
	for _, args := range [][]string{{"lessons", "validate", "../assets/example-pack", "--lang", "ko"}, {"--lang=ko", "lessons", "validate", "../assets/example-pack"}} {
		if code, out, errs := layerlab(t, nil, args...); code != 0 || !strings.Contains(out, "ko: 레슨 1개") || !strings.Contains(out, "문제 없음: ../assets/example-pack") {
			t.Errorf("Korean summary: %d %s %s", code, out, errs)
		}
	}
	if code, _, errs := layerlab(t, nil, "lessons", "check", "x", "--lang", "ko"); code != 2 || !strings.HasPrefix(errs, "layerlab: 사용법:") {
		t.Errorf("a wrong verb: %d %s", code, errs)
	}
}

// TestNoListeningSocketAndPrivateFiles runs the real binary through a whole
// lesson (a slow daemon keeps it alive long enough to look at it): it never
// opens a listening socket, and every file and folder it creates for the
// learner (progress, the record of what it made, the lesson workspace) is
// theirs alone: 0600 and 0700.
func TestNoListeningSocketAndPrivateFiles(t *testing.T) {
	_, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	for _, img := range []string{"busybox:latest", "python:3.6.0-slim"} {
		dockertest.PreserveTag(t, api, img)
	}
	p := dockertest.StartProxy(t)
	p.Delay(20 * time.Millisecond)
	bin := filepath.Join(t.TempDir(), "layerlab")
	if out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	state, cache, cfg := t.TempDir(), t.TempDir(), t.TempDir()
	env := append(os.Environ(), "DOCKER_HOST="+p.Host, "XDG_STATE_HOME="+state, "XDG_CACHE_HOME="+cache, "XDG_CONFIG_HOME="+cfg)
	t.Cleanup(func() {
		// What the lessons made (layerlab-env:demo…) goes, by the app's own records.
		cmd := exec.Command(bin, "cleanup", "--yes")
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Logf("cleanup --yes: %v\n%s", err, out)
		}
	})
	run := func(lesson string) {
		cmd := exec.Command(bin, "--plain", "--lesson", lesson, "--registry-mirror", reg.Host, "--lang", "en")
		cmd.Env = env
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		looks := 0
		for {
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("%s: %v\n%s", lesson, err, out.String())
				}
				if looks < 3 {
					t.Fatalf("%s: looked at the running process only %d times", lesson, looks)
				}
				t.Logf("%s: no listening socket in %d looks at the running process", lesson, looks)
				return
			case <-time.After(20 * time.Millisecond):
				if l := listening(cmd.Process.Pid); l != "" {
					t.Errorf("%s: layerlab listens: %s", lesson, l)
				}
				looks++
			}
		}
	}
	// The detector sees a listening socket where there is one: this test's
	// own registry.
	if l := listening(os.Getpid()); !strings.HasPrefix(l, "tcp") {
		t.Fatalf("the detector does not see the test registry listening (%q)", l)
	}
	run("pull")
	run("dockerfile")
	files := 0
	for _, root := range []string{filepath.Join(state, "layerlab"), filepath.Join(cache, "layerlab")} {
		err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			want := os.FileMode(0o600)
			if d.IsDir() {
				want = 0o700
			}
			if info.Mode().Perm() != want {
				t.Errorf("%s is %v, want %v", path, info.Mode().Perm(), want)
			}
			files++
			return nil
		})
		if err != nil {
			t.Errorf("%s: %v", root, err)
		}
	}
	if files < 5 {
		t.Errorf("only %d files and folders made: the lessons did not run?", files)
	}
}

// listening names a listening socket the process holds ("" if none): its
// socket inodes, looked up in the kernel's tables of TCP, UDP and unix sockets.
func listening(pid int) string {
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return ""
	}
	inodes := map[string]bool{}
	for _, fd := range fds {
		l, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name()))
		if err == nil && strings.HasPrefix(l, "socket:[") {
			inodes[strings.TrimSuffix(strings.TrimPrefix(l, "socket:["), "]")] = true
		}
	}
	for _, table := range []string{"tcp", "tcp6"} {
		b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/net/%s", pid, table))
		for _, line := range strings.Split(string(b), "\n")[1:] {
			f := strings.Fields(line)
			if len(f) > 9 && f[3] == "0A" && inodes[f[9]] {
				return table + " " + f[1]
			}
		}
	}
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/net/unix", pid))
	for _, line := range strings.Split(string(b), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) > 6 && f[3] == "00010000" && inodes[f[6]] {
			return "unix " + strings.Join(f[7:], " ")
		}
	}
	return ""
}

// layerlab runs a command line as a person would, with in on stdin: its
// exit status, stdout and stderr.
func layerlab(t *testing.T, in io.Reader, args ...string) (int, string, string) {
	t.Helper()
	if in == nil {
		in = strings.NewReader("")
	}
	var out, errs strings.Builder
	code := Main(context.Background(), args, in, &out, &errs)
	return code, out.String(), errs.String()
}

// TestProgressSpeaksTheLearnersLanguage: progress show and reset take
// --lang (before or after the verb, or the command) and LANG, and line
// Hangul titles up.
func TestProgressSpeaksTheLearnersLanguage(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "ko_KR.UTF-8")
	if code, out, errs := layerlab(t, nil, "progress", "show"); code != 0 || !strings.Contains(out, "0/18 단계") || !strings.Contains(out, "파일: ") {
		t.Errorf("LANG=ko: %d %s\n%s", code, errs, out)
	}
	if code, out, errs := layerlab(t, nil, "progress", "show", "--lang", "en"); code != 0 || !strings.Contains(out, "0/18 steps") {
		t.Errorf("show --lang en: %d %s\n%s", code, errs, out)
	}
	if code, out, errs := layerlab(t, nil, "--lang", "en", "progress", "show"); code != 0 || !strings.Contains(out, "0/18 steps") {
		t.Errorf("--lang en show: %d %s\n%s", code, errs, out)
	}
	if code, out, errs := layerlab(t, nil, "progress", "--lang", "ko", "reset"); code != 0 || !strings.Contains(out, "진행 상황을 지웠습니다") {
		t.Errorf("--lang ko reset: %d %s\n%s", code, errs, out)
	}
	if code, _, errs := layerlab(t, nil, "progress", "--lang", "ko", "nope"); code != 2 || !strings.Contains(errs, "사용법") {
		t.Errorf("a wrong verb: %d %s", code, errs)
	}
}

// TestExplainCommandFailsOnErrors: layerlab explain prints the explanation
// and fails on an error that would stop a build, in the chosen language.
func TestExplainCommandFailsOnErrors(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	bad, good := filepath.Join(dir, "bad"), filepath.Join(dir, "good")
	if err := os.WriteFile(bad, []byte("RUN true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, []byte("FROM busybox\nRUN true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := layerlab(t, nil, "explain", "--lang", "ko", "--width", "80", bad); code != 1 || errs != "" || !strings.Contains(out, "빌드를 멈출 오류 1개") {
		t.Errorf("bad: %d %q\n%s", code, errs, out)
	}
	if code, out, errs := layerlab(t, nil, "--lang", "en", "explain", good); code != 0 || !strings.Contains(out, "✓ no errors") {
		t.Errorf("good: %d %s\n%s", code, errs, out)
	}
	if code, _, errs := layerlab(t, nil, "explain", "--lang", "en"); code != 2 || !strings.Contains(errs, "usage: layerlab explain") {
		t.Errorf("no file: %d %s", code, errs)
	}
}

// The help of every command speaks the chosen language, with --lang
// before or after the command.
func TestHelpInKorean(t *testing.T) {
	t.Setenv("LANG", "C")
	t.Setenv("LC_ALL", "")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for _, args := range [][]string{{"--help", "--lang", "ko"}, {"cleanup", "--help", "--lang=ko"}, {"--lang", "ko", "doctor", "--help"},
		{"serve", "--help", "--lang", "ko"}, {"explain", "--help", "--lang", "ko"}, {"--lang=ko", "progress", "--help"}, {"version", "--lang", "ko", "--help"}} {
		code, out, errs := layerlab(t, nil, args...)
		if code != 0 || out != "" || !strings.Contains(errs, "--lang") || !containsHangul(errs) {
			t.Errorf("layerlab %s: %d, not Korean:\n%s%s", strings.Join(args, " "), code, out, errs)
		}
	}
	code, _, errs := layerlab(t, nil, "cleanup", "--help")
	if code != 0 || containsHangul(errs) || !strings.Contains(errs, "--dry-run") || !strings.Contains(errs, "Global options") {
		t.Errorf("LANG=C: English: %d\n%s", code, errs)
	}
}

// TestGlobalOptionsBeforeOrAfterTheCommand (issue 29): a global option
// before the command keeps the command (`layerlab --lang ko doctor` opened
// the app), the command's own options follow it (`layerlab --lang ko
// cleanup --dry-run` said "unknown flag: --dry-run"), and the mistakes are
// worded in the language chosen, however it was chosen.
func TestGlobalOptionsBeforeOrAfterTheCommand(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "C.UTF-8")
	t.Setenv("DOCKER_HOST", "unix://"+t.TempDir()+"/no.sock")
	// The command runs, whichever side --lang is on: no daemon, said in Korean.
	for _, args := range [][]string{{"--lang", "ko", "cleanup", "--dry-run"}, {"cleanup", "--lang", "ko", "--dry-run"}, {"--dry-run", "--lang=ko", "cleanup"}} {
		code, out, errs := layerlab(t, nil, args...)
		if code != 1 || out != "" || strings.Contains(errs, "unknown") || !containsHangul(errs) {
			t.Errorf("layerlab %s: %d %q %q", strings.Join(args, " "), code, out, errs)
		}
	}
	code, out, errs := layerlab(t, nil, "--lang", "ko", "doctor")
	if code != 1 || !strings.Contains(out, "데몬") {
		t.Errorf("--lang ko doctor: %d\n%s%s", code, out, errs)
	}
	// Mistakes, in the language --lang, the config or the locale chose.
	for _, c := range []struct {
		args []string
		lang string // LANG
		want string
	}{
		{[]string{"cleanup", "--lang", "ko", "--bogus"}, "C", "모르는 옵션입니다: --bogus (옵션은 layerlab cleanup --help 로 볼 수 있습니다)"},
		{[]string{"--lang", "ko", "--bogus", "cleanup"}, "C", "모르는 옵션입니다: --bogus"},
		{[]string{"cleanup", "--bogus"}, "C", "unknown option: --bogus (layerlab cleanup --help lists the options)"},
		{[]string{"cleanup", "--bogus"}, "ko_KR.UTF-8", "모르는 옵션입니다: --bogus"},
		{[]string{"serve", "--idle", "soon"}, "ko_KR.UTF-8", `--idle 에 쓸 수 없는 값입니다: "soon"`},
		{[]string{"serve", "--idle"}, "C", "--idle needs a value"},
		{[]string{"nosuch"}, "ko_KR.UTF-8", "nosuch 는 layerlab 의 명령이 아닙니다"},
		{[]string{"--lang", "en", "nosuch"}, "ko_KR.UTF-8", "nosuch is not a layerlab command (the commands: cleanup, doctor"},
		{[]string{"help", "nosuch"}, "C", "nosuch is not a layerlab command"},
		{[]string{"help", "--lang", "ko", "nosuch"}, "C", "nosuch 는 layerlab 의 명령이 아닙니다"},
		{[]string{"doctor", "extra"}, "C", `layerlab doctor takes no argument such as "extra"`},
		{[]string{"--lang", "fr", "doctor"}, "ko_KR.UTF-8", `--lang 에 쓸 수 있는 언어는 en, ko 입니다 (받은 값: "fr")`},
		{[]string{"--theme", "pink"}, "C", `--theme must be auto, dark or light, not "pink"`},
	} {
		t.Setenv("LANG", c.lang)
		code, out, errs := layerlab(t, nil, c.args...)
		if code != 2 || out != "" || !strings.Contains(errs, c.want) {
			t.Errorf("LANG=%s layerlab %s: %d %q, want %q", c.lang, strings.Join(c.args, " "), code, errs, c.want)
		}
	}
	// The config's lang words them too; --lang still decides.
	cfg := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "layerlab", "config.toml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("lang = \"ko\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LANG", "C")
	if _, _, errs := layerlab(t, nil, "cleanup", "--bogus"); !strings.Contains(errs, "모르는 옵션") {
		t.Errorf("config lang ko: %q", errs)
	}
	if _, _, errs := layerlab(t, nil, "cleanup", "--bogus", "--lang", "en"); !strings.Contains(errs, "unknown option") {
		t.Errorf("config lang ko, --lang en: %q", errs)
	}
	if err := os.WriteFile(cfg, []byte("colour = \"blue\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LANG", "ko_KR.UTF-8")
	if code, _, errs := layerlab(t, nil, "version"); code != 1 || !strings.Contains(errs, `모르는 키 "colour"`) {
		t.Errorf("a broken config in Korean: %d %q", code, errs)
	}
}

// TestPickCommand: the command is the first word that is neither an
// option nor an option's value.
func TestPickCommand(t *testing.T) {
	e := &env{getenv: func(string) string { return "" }}
	for _, c := range []struct {
		args []string
		cmd  string
		rest []string
	}{
		{nil, "", nil},
		{[]string{"--lang", "ko", "doctor"}, "doctor", []string{"--lang", "ko"}},
		{[]string{"--lang=ko", "cleanup", "--dry-run"}, "cleanup", []string{"--lang=ko", "--dry-run"}},
		{[]string{"--lesson", "cleanup"}, "", []string{"--lesson", "cleanup"}}, // a value, not the command
		{[]string{"--plain", "progress", "show"}, "progress", []string{"--plain", "show"}},
		{[]string{"--", "doctor"}, "", []string{"--", "doctor"}},
		{[]string{"nosuch", "doctor"}, "", []string{"nosuch", "doctor"}},
		{[]string{"help"}, "", []string{"--help"}},
		{[]string{"help", "cleanup"}, "cleanup", []string{"--help"}},
		{[]string{"--lang", "ko", "help", "serve"}, "serve", []string{"--lang", "ko", "--help"}},
	} {
		cmd, rest := pickCommand(e, c.args)
		if cmd.name != c.cmd || !slices.Equal(rest, c.rest) {
			t.Errorf("%q: %q %q, want %q %q", c.args, cmd.name, rest, c.cmd, c.rest)
		}
	}
}

// TestVersionSpeaksTheLocale: layerlab version and --version, without a
// daemon, in the locale's language.
func TestVersionSpeaksTheLocale(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("DOCKER_HOST", "unix://"+t.TempDir()+"/no.sock")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "ko_KR.UTF-8")
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, errs := layerlab(t, nil, args...)
		if code != 0 || !strings.HasPrefix(out, "layerlab ") || !strings.Contains(out, "엔진: ") || !strings.Contains(out, "연결할 수 없습니다") {
			t.Errorf("%v: %d %q %q", args, code, out, errs)
		}
	}
}

func containsHangul(s string) bool {
	for _, r := range s {
		if r >= 0xAC00 && r <= 0xD7A3 {
			return true
		}
	}
	return false
}

// Issue 28, 7: a damaged ledger is set aside with a word in the learner's
// language, never read as "layerlab made nothing" and written over.
func TestDamagedLedgerIsSaid(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	path := statePath(os.Getenv, "owned.json")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(`[{"host":"h","tag":"mine:1"`), 0o600); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	l := openLedger(i18n.For("ko"), path, &out)
	if !strings.Contains(out.String(), path) || !strings.Contains(out.String(), l.SetAside()) || !strings.Contains(out.String(), "옮겨 두었습니다") {
		t.Errorf("the note: %q", out.String())
	}
	if b, err := os.ReadFile(l.SetAside()); err != nil || !strings.Contains(string(b), "mine:1") {
		t.Errorf("the damaged records were not kept: %v %q", err, b)
	}
}

// Issue 28, 13: explain read /dev/zero until killed, and printed a binary's
// control bytes. It reads a bounded amount of a plain text file only.
func TestExplainRefusesWhatIsNoDockerfile(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	big := filepath.Join(t.TempDir(), "big")
	if err := os.WriteFile(big, []byte(strings.Repeat("# x\n", 20000)), 0o600); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "bin")
	if err := os.WriteFile(bin, []byte("FROM busybox\n\x1b[2J\x00\x01"), 0o600); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{"/dev/zero": "not a regular file", big: "larger than 64 KiB", bin: "not UTF-8 text"} {
		code, out, errs := layerlab(t, nil, "explain", "--lang", "en", file)
		if code != 1 || !strings.Contains(errs, want) {
			t.Errorf("explain %s: %d %q, want %q", file, code, errs, want)
		}
		if strings.ContainsAny(out+errs, "\x1b\x00") {
			t.Errorf("explain %s printed control bytes", file)
		}
	}
}

// A progress file that cannot be read is said in the learner's language,
// and set aside.
func TestUnreadableProgressIsSaidInKorean(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	path := statePath(os.Getenv, "progress-builtin.json")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := layerlab(t, nil, "--lang", "ko", "progress", "show")
	if code != 0 || !strings.Contains(out, "진도 파일 "+path) || !strings.Contains(out, "옮겨 두었습니다") {
		t.Errorf("%d %s %s", code, out, errs)
	}
}

// A class file's mistake is said with its line, in the instructor's
// language, not as classroom's code ("name", "nopass").
func TestClassFileMistakesAreWorded(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	for text, want := range map[string][2]string{
		"alice\nBad Name\n":   {`:2: "Bad" cannot be a learner's name`, `:2: "Bad" 는 학습자 이름이 될 수 없습니다`},
		"alice\nalice\n":      {":2: alice is listed twice", ":2: alice 가 두 번 나옵니다"},
		"# nobody\n":          {":1: no learner", ":1: 학습자가 없습니다"},
		"alice\nbob\n":        {"need the class passphrase", "수업 암호가 필요합니다"},
		"alice ssh-ed25519 x": {`:1: "ssh-ed25519 x" is not an SSH public key`, `"ssh-ed25519 x" 는 SSH 공개 키가 아닙니다`},
	} {
		file := filepath.Join(dir, "class")
		if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		for i, lang := range []string{"en", "ko"} {
			code, _, errs := layerlab(t, nil, "serve", "--class", file, "--lang", lang, "--state", dir)
			if code != 1 || !strings.Contains(errs, file+":") || !strings.Contains(errs, want[i]) {
				t.Errorf("%q in %s: %d %q, want %q", text, lang, code, errs, want[i])
			}
		}
	}
}

// TestKoreanHelpHasNoFlagLibraryEnglish: in Korean, --help's option lines
// say the flag library's words ("string", "(default …)") in Korean, their
// descriptions still starting in one column.
func TestKoreanHelpHasNoFlagLibraryEnglish(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	_, out, errs := layerlab(t, nil, "--lang", "ko", "--help")
	text := out + errs
	if strings.Contains(text, " string ") || strings.Contains(text, "(default ") || !strings.Contains(text, "--theme 문자열") {
		t.Errorf("Korean help:\n%s", text)
	}
	col := -1
	for _, l := range strings.Split(text, "\n") {
		if !strings.HasPrefix(l, "      --") || strings.HasPrefix(l, "      --l") {
			continue // the global options have columns of their own
		}
		gap := strings.Index(l[8:], "  ")
		if gap < 0 {
			continue
		}
		rest := strings.TrimLeft(l[8+gap:], " ")
		c := ansi.StringWidth(l[:len(l)-len(rest)])
		if col >= 0 && c != col {
			t.Errorf("descriptions start at cells %d and %d:\n%s", col, c, text)
		}
		col = c
	}
}
