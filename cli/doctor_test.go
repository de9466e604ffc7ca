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
	machine := func(ctx context.Context, _ []string) docker.CLIFacts { return docker.ReadCLI(ctx, os.Environ()) }
	cs := Doctor(context.Background(), DoctorOptions{Client: cli, Lessons: builtin(t), Mirror: reg.Host, Strings: i18n.English, Env: []string{"LANG=C.UTF-8"}, ReadCLI: machine})
	for _, name := range []string{"daemon", "engine", "registry", "busybox:latest", "python:3.6.0-slim", "locale"} {
		c, ok := checkNamed(cs, name)
		if name == "engine" && cli.IsPodman() {
			// Podman is named, and warned of: not all of Docker's API is the same there.
			if !ok || c.Status != CheckWarn || !strings.Contains(c.Detail, "Podman") {
				t.Errorf("%s on Podman: %+v", name, c)
			}
			continue
		}
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
	// The builder is the one this machine's docker CLI runs, with this
	// engine's default (which a CLI before 23 follows).
	ping, _ := api.Ping(context.Background())
	facts := machine(context.Background(), nil)
	facts.Engine = docker.EngineBuilderClassic
	if ping.BuilderVersion == "2" {
		facts.Engine = docker.EngineBuilderBuildKit
	}
	want := docker.CLIBuildOf(facts)
	if b, _ := checkNamed(cs, "builder"); (b.Status == CheckPass) != (want.Builder == docker.CLIBuildKit) || !strings.Contains(b.Detail, facts.Path) {
		t.Errorf("builder %+v, but the CLI (%+v) runs %+v", b, facts, want)
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
	old := func(context.Context, []string) docker.CLIFacts {
		return docker.CLIFacts{Path: "/usr/bin/docker", Version: "20.10.24+dfsg1"}
	}
	cs := Doctor(context.Background(), DoctorOptions{Client: cli, Lessons: builtin(t), Mirror: "127.0.0.1:1", Strings: i18n.English, ReadCLI: old})
	// Without a daemon the builder is still told, the engine's default unknown.
	if b, ok := checkNamed(cs, "builder"); !ok || b.Status != CheckWarn || b.Detail != builderCheck(i18n.English.Doc, old(context.Background(), nil)).Detail {
		t.Errorf("no daemon: builder %+v", b)
	}
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

// TestTheBuilderLineSaysWhatDockerBuildPrints: doctor's builder line names
// the learner's docker CLI, says which builder its docker build runs (as
// docker.CLIBuildOf decides), quotes the lines it prints, and gives a fix
// when it is not BuildKit, in English and in Korean.
func TestTheBuilderLineSaysWhatDockerBuildPrints(t *testing.T) {
	t.Parallel()
	newCLI := docker.CLIFacts{Path: "/usr/local/bin/docker", Version: "28.2.2"}
	withBuildx := newCLI
	withBuildx.Buildx, withBuildx.BuildxVersion = true, "v0.24.0"
	envOn := newCLI
	envOn.BuildKitEnv, envOn.BuildKitEnvSet = "1", true
	envOff := withBuildx
	envOff.BuildKitEnv, envOff.BuildKitEnvSet = "0", true
	oldCLI := docker.CLIFacts{Path: "/usr/bin/docker", Version: "20.10.24+dfsg1", Engine: docker.EngineBuilderClassic}
	oldOn := oldCLI
	oldOn.BuildKitEnv, oldOn.BuildKitEnvSet = "1", true
	cases := map[string]struct {
		f docker.CLIFacts
		// fix: a word the fix must hold (the same in both languages).
		fix string
	}{
		"28 without buildx":                    {newCLI, "docker-buildx"},
		"28 with buildx":                       {withBuildx, ""},
		"28 without buildx, DOCKER_BUILDKIT=1": {envOn, "docker-buildx"},
		"28 with buildx, DOCKER_BUILDKIT=0":    {envOff, "unset DOCKER_BUILDKIT"},
		"20.10":                                {oldCLI, "DOCKER_BUILDKIT=1"},
		"20.10, DOCKER_BUILDKIT=1":             {oldOn, ""},
		"no docker":                            {docker.CLIFacts{}, "docker.io"},
	}
	for _, lang := range []string{"en", "ko"} {
		tr := i18n.For(lang)
		for name, c := range cases {
			got := builderCheck(tr.Doc, c.f)
			b := docker.CLIBuildOf(c.f)
			if got.Name != tr.Doc.Builder || (got.Status == CheckPass) != (b.Builder == docker.CLIBuildKit) {
				t.Errorf("%s %s: %+v for %+v", lang, name, got, b)
			}
			if !strings.Contains(got.Detail, c.f.Path) || !strings.Contains(got.Detail, c.f.Version) {
				t.Errorf("%s %s: the CLI is not named: %q", lang, name, got.Detail)
			}
			for _, l := range b.Lines {
				if !strings.Contains(got.Detail, l) {
					t.Errorf("%s %s: %q does not quote %q", lang, name, got.Detail, l)
				}
			}
			if (got.Fix == "") != (c.fix == "") || !strings.Contains(got.Fix, c.fix) {
				t.Errorf("%s %s: fix %q, want one with %q", lang, name, got.Fix, c.fix)
			}
			if lang == "ko" {
				en := builderCheck(i18n.English.Doc, c.f)
				if got.Detail == en.Detail || !strings.ContainsFunc(got.Detail, func(r rune) bool { return r >= '가' && r <= '힣' }) {
					t.Errorf("ko %s: not in Korean: %q", name, got.Detail)
				}
			}
		}
	}
}

// TestDoctorJSONHasStableKeysInEveryLanguage: doctor --json names each
// check and what it found by keys that are the same in every language (a
// script reads them); the learner's words are only in name, detail, fix.
func TestDoctorJSONHasStableKeysInEveryLanguage(t *testing.T) {
	cli, err := docker.New(docker.Endpoint{Host: "unix://" + t.TempDir() + "/docker.sock", Source: "DOCKER_HOST"})
	if err != nil {
		t.Fatal(err)
	}
	modern := func(context.Context, []string) docker.CLIFacts {
		return docker.CLIFacts{Path: "/usr/local/bin/docker", Version: "28.2.2"}
	}
	var keys [2][]string
	for i, lang := range []string{"en", "ko"} {
		cs := Doctor(context.Background(), DoctorOptions{Client: cli, Lessons: builtin(t), Mirror: "127.0.0.1:1", Strings: i18n.For(lang), ReadCLI: modern})
		var b bytes.Buffer
		if err := WriteDoctor(&b, i18n.For(lang), cs, true); err != nil {
			t.Fatal(err)
		}
		var got []map[string]any
		if err := json.Unmarshal(b.Bytes(), &got); err != nil {
			t.Fatalf("%s: %v\n%s", lang, err, b.String())
		}
		for _, c := range got {
			k, _ := c["key"].(string)
			if k == "" || strings.Trim(k, "abcdefghijklmnopqrstuvwxyz_-") != "" {
				t.Errorf("%s: key %q of %v", lang, k, c)
			}
			keys[i] = append(keys[i], k)
			facts, _ := c["facts"].(map[string]any)
			for fk, fv := range facts {
				if s, _ := fv.(string); strings.ContainsFunc(fk+s, func(r rune) bool { return r > 0x7f }) {
					t.Errorf("%s: a fact in words: %q: %q", lang, fk, s)
				}
			}
			if k == "builder" && facts["builder"] != "legacy" {
				t.Errorf("%s: the builder's fact: %v", lang, facts)
			}
			if k == "daemon" && facts["error"] != "socket missing" {
				t.Errorf("%s: the daemon's fact: %v", lang, facts)
			}
		}
	}
	if strings.Join(keys[0], ",") != strings.Join(keys[1], ",") {
		t.Errorf("the keys differ by language: %v / %v", keys[0], keys[1])
	}
}

// TestDoctorOnPodmanSaysSo: nothing failed on Podman's Docker API: the last
// line says the lessons run on Podman, and that a step says where it
// differs, not plain "Ready", in both languages.
func TestDoctorOnPodmanSaysSo(t *testing.T) {
	t.Parallel()
	for _, tr := range []i18n.Strings{i18n.English, i18n.Korean} {
		cs := []Check{{Key: "engine", Name: "engine", Status: CheckWarn, Facts: map[string]string{"engine": "podman"}}}
		var b strings.Builder
		if err := WriteDoctor(&b, tr, cs, false); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(b.String(), tr.Doc.ReadyPodman+"\n") || !strings.Contains(tr.Doc.ReadyPodman, "Podman") {
			t.Errorf("doctor on Podman ends: %q", b.String())
		}
	}
}
