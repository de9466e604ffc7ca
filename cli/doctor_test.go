package cli

import (
	"github.com/charmbracelet/x/ansi"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/i18n"

	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
)

func checkNamed(cs []Check, name string) (Check, bool) {
	for _, c := range cs {
		if c.Name == name {
			return c, true
		}
	}
	return Check{}, false
}

func TestDoctorOnTheRealDaemon(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	cs := Doctor(context.Background(), DoctorOptions{Client: cli, Lessons: builtin(t), Mirror: reg.Host, Strings: i18n.English, Env: []string{"LANG=C.UTF-8"}})
	for _, name := range []string{"daemon", "engine", "registry", "busybox:latest", "python:3.6.0-slim", "locale"} {
		c, ok := checkNamed(cs, name)
		if !ok || c.Status != CheckPass {
			t.Errorf("%s: %+v", name, c)
		}
	}
	if c, _ := checkNamed(cs, "terminal"); c.Status != CheckWarn {
		t.Errorf("no terminal in a test: %+v", c)
	}
	// Storage and builder say what this engine really is, as docker info does.
	info, err := api.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	containerd := false
	for _, kv := range info.DriverStatus {
		containerd = containerd || len(kv) == 2 && kv[0] == "driver-type" && strings.Contains(kv[1], "snapshotter")
	}
	store, _ := checkNamed(cs, "storage")
	if !strings.HasPrefix(store.Detail, info.Driver+", ") || strings.Contains(store.Detail, "containerd image store") != containerd {
		t.Errorf("storage %q, but docker info says %s (containerd store: %v)", store.Detail, info.Driver, containerd)
	}
	ping, _ := api.Ping(context.Background())
	if b, _ := checkNamed(cs, "builder"); strings.HasPrefix(b.Detail, "BuildKit by default") != (ping.BuilderVersion == "2") {
		t.Errorf("builder %q, but the engine's default builder is %q", b.Detail, ping.BuilderVersion)
	}
	t.Logf("engine: %s · %s · %s", checkDetail(cs, "engine"), store.Detail, checkDetail(cs, "builder"))
	var b bytes.Buffer
	if err := WriteDoctor(&b, i18n.English, cs, true); err != nil {
		t.Fatal(err)
	}
	var back []map[string]any
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || len(back) != len(cs) {
		t.Fatalf("--json: %v %s", err, b.String())
	}
	for _, c := range back {
		if _, ok := c["name"].(string); !ok || (c["status"] != "pass" && c["status"] != "warn" && c["status"] != "fail") {
			t.Errorf("json shape %v", c)
		}
	}
}

func TestDoctorWithNoDaemonFailsWithTheFix(t *testing.T) {
	cli, err := docker.New(docker.Endpoint{Host: "unix://" + t.TempDir() + "/docker.sock", Source: "DOCKER_HOST"})
	if err != nil {
		t.Fatal(err)
	}
	cs := Doctor(context.Background(), DoctorOptions{Client: cli, Lessons: builtin(t), Mirror: "127.0.0.1:1", Strings: i18n.English})
	c, _ := checkNamed(cs, "daemon")
	if c.Status != CheckFail || !strings.Contains(c.Detail, "No Docker daemon socket") || !strings.Contains(c.Fix, "systemctl start docker") {
		t.Errorf("%+v", c)
	}
	if !DoctorFailed(cs) {
		t.Error("a missing daemon must fail doctor")
	}
	var b bytes.Buffer
	_ = WriteDoctor(&b, i18n.English, cs, false)
	if !strings.Contains(b.String(), "✗ daemon") || !strings.Contains(b.String(), "Some lessons cannot run here") {
		t.Errorf("%s", b.String())
	}
}

func TestDoctorWarnsWhenTheMirrorIsDown(t *testing.T) {
	cli, _ := dockertest.Daemon(t)
	cs := Doctor(context.Background(), DoctorOptions{Client: cli, Lessons: builtin(t), Mirror: "127.0.0.1:1", Strings: i18n.English, Term: os.Stdout})
	c, _ := checkNamed(cs, "registry")
	if c.Status != CheckWarn || !strings.Contains(c.Detail, "127.0.0.1:1 cannot be reached") {
		t.Errorf("%+v", c)
	}
}

func checkDetail(cs []Check, name string) string {
	c, _ := checkNamed(cs, name)
	return c.Detail
}

func builtin(t testing.TB) []*lessons.Lesson {
	t.Helper()
	ls, err := lessons.Builtin("en")
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

// TestDoctorIsHonestAboutTheLocaleAndAlignsHangul: a UTF-8 locale that is
// not installed is not a pass; Korean labels line up by screen width.
func TestDoctorIsHonestAboutTheLocaleAndAlignsHangul(t *testing.T) {
	installed := func() ([]string, error) { return []string{"C", "C.utf8", "POSIX", "en_US.utf8"}, nil }
	ko := i18n.For("ko")
	checks := terminalChecks(ko.Doc, nil, []string{"LANG=ko_KR.UTF-8"}, 60, 20, installed)
	last := checks[len(checks)-1]
	if last.Status != CheckWarn || !strings.Contains(last.Detail, "설치되어 있지 않습니다") {
		t.Errorf("ko_KR.UTF-8, not installed: %+v", last)
	}
	if c := terminalChecks(ko.Doc, nil, []string{"LANG=en_US.UTF-8"}, 60, 20, installed); c[len(c)-1].Status != CheckPass {
		t.Errorf("en_US.UTF-8 is installed (as en_US.utf8): %+v", c[len(c)-1])
	}
	if strings.Contains(checks[1].Detail, "NoTTY") {
		t.Errorf("the colours' detail is not worded: %q", checks[1].Detail)
	}
	var b strings.Builder
	if err := WriteDoctor(&b, ko, []Check{{Name: "데몬", Status: CheckPass, Detail: "x"}, {Name: "locale", Status: CheckPass, Detail: "y"}}, false); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	if ansi.StringWidth(lines[0][:strings.Index(lines[0], "x")]) != ansi.StringWidth(lines[1][:strings.Index(lines[1], "y")]) {
		t.Errorf("the columns do not line up:\n%s", b.String())
	}
}
