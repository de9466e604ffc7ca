package docker

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTheLearnersDockerBuild: which builder `docker build` runs, by the
// docker CLI's own rules (cmd/docker/builder.go from 23.0, BuildKitEnabled
// before), from the CLI's version, its buildx plugin, its builder alias,
// DOCKER_BUILDKIT and the engine's default.
func TestTheLearnersDockerBuild(t *testing.T) {
	t.Parallel()
	env := func(v string) func(*CLIFacts) {
		return func(f *CLIFacts) { f.BuildKitEnv, f.BuildKitEnvSet = v, true }
	}
	buildx := func(f *CLIFacts) { f.Buildx, f.BuildxVersion = true, "v0.24.0" }
	alias := func(f *CLIFacts) { f.Alias = "buildx" }
	engine := func(e EngineBuilder) func(*CLIFacts) { return func(f *CLIFacts) { f.Engine = e } }
	cases := []struct {
		name    string
		version string
		with    []func(*CLIFacts)
		want    CLIBuilder
		why     CLIBuildWhy
		line    string // one of the lines it prints
	}{
		{"28 with buildx", "28.2.2", []func(*CLIFacts){buildx}, CLIBuildKit, WhyBuildx, "#1 [internal] load build definition from Dockerfile"},
		{"28 without buildx", "28.2.2", nil, CLILegacy, WhyNoBuildx, "Step 1/4 : FROM"},
		{"28 without buildx says it is deprecated", "28.2.2", nil, CLILegacy, WhyNoBuildx, "DEPRECATED: The legacy builder is deprecated"},
		{"28 without buildx, DOCKER_BUILDKIT=1", "28.2.2", []func(*CLIFacts){env("1")}, CLIBuildFails, WhyEnvOnNoBuildx, "BuildKit is enabled but the buildx component is missing or broken"},
		{"28 with buildx, DOCKER_BUILDKIT=1", "28.2.2", []func(*CLIFacts){env("true"), buildx}, CLIBuildKit, WhyBuildx, "#1 [internal]"},
		{"28 with buildx, DOCKER_BUILDKIT=0", "28.2.2", []func(*CLIFacts){env("0"), buildx}, CLILegacy, WhyEnvOff, "Step 1/4 : FROM"},
		{"28, DOCKER_BUILDKIT=0 wins over the alias", "28.2.2", []func(*CLIFacts){env("false"), buildx, alias}, CLILegacy, WhyEnvOff, "Step 1/4"},
		{"28, the alias without buildx", "28.2.2", []func(*CLIFacts){alias}, CLIBuildFails, WhyAliasNoBuildx, "buildx component is missing"},
		{"28 with the alias and buildx", "28.2.2", []func(*CLIFacts){alias, buildx}, CLIBuildKit, WhyAlias, "#1 [internal]"},
		{"23.0.0 is new", "23.0.0", nil, CLILegacy, WhyNoBuildx, "DEPRECATED"},
		{"28: the engine's default does not count", "28.2.2", []func(*CLIFacts){engine(EngineBuilderBuildKit)}, CLILegacy, WhyNoBuildx, "Step 1/4"},
		{"28: DOCKER_BUILDKIT=yes", "28.2.2", []func(*CLIFacts){env("yes"), buildx}, CLIBuildFails, WhyEnvNotBool, "expects boolean value"},
		{"DOCKER_BUILDKIT set empty is unset", "28.2.2", []func(*CLIFacts){env(""), buildx}, CLIBuildKit, WhyBuildx, "#1"},
		{"20.10, a 20.10 engine", "20.10.24+dfsg1", []func(*CLIFacts){engine(EngineBuilderClassic)}, CLILegacy, WhyOldDefault, "Sending build context to Docker daemon"},
		{"20.10, no engine asked", "20.10.24+dfsg1", nil, CLILegacy, WhyOldEngineUnknown, "Step 1/4 : FROM"},
		{"20.10, DOCKER_BUILDKIT=1", "20.10.24+dfsg1", []func(*CLIFacts){env("1"), engine(EngineBuilderClassic)}, CLIBuildKit, WhyOldEnvOn, "#1 [internal]"},
		{"20.10, an engine that defaults to BuildKit", "20.10.24+dfsg1", []func(*CLIFacts){engine(EngineBuilderBuildKit)}, CLIBuildKit, WhyOldEngine, "#1 [internal]"},
		{"20.10, DOCKER_BUILDKIT=0 on a BuildKit engine", "20.10.24+dfsg1", []func(*CLIFacts){env("0"), engine(EngineBuilderBuildKit)}, CLILegacy, WhyEnvOff, "Step 1/4"},
		{"20.10 with buildx but no alias", "20.10.24+dfsg1", []func(*CLIFacts){buildx, engine(EngineBuilderClassic)}, CLILegacy, WhyOldDefault, "Step 1/4"},
		{"20.10, the alias and buildx", "20.10.24", []func(*CLIFacts){alias, buildx, env("0")}, CLIBuildKit, WhyAlias, "#1 [internal]"},
		{"20.10, the alias without buildx", "20.10.24", []func(*CLIFacts){alias}, CLIBuildFails, WhyAliasNoBuildx, "'buildx' is not a docker command"},
		{"20.10, DOCKER_BUILDKIT=on", "20.10.24", []func(*CLIFacts){env("on")}, CLIBuildFails, WhyEnvNotBool, "expects boolean value"},
		{"a version not read", "", nil, CLIBuilderUnknown, WhyVersionUnknown, ""},
	}
	for _, c := range cases {
		f := CLIFacts{Path: "/usr/local/bin/docker", Version: c.version}
		for _, w := range c.with {
			w(&f)
		}
		got := CLIBuildOf(f)
		major, _ := CLIMajor(c.version)
		if got.Builder != c.want || got.Why != c.why || got.Modern != (major >= 23) {
			t.Errorf("%s: %+v, want builder %d because %d", c.name, got, c.want, c.why)
		}
		if c.line != "" && !strings.Contains(strings.Join(got.Lines, "\n"), c.line) {
			t.Errorf("%s: it prints %q, not %q", c.name, got.Lines, c.line)
		}
	}
	if got := CLIBuildOf(CLIFacts{BuildKitEnv: "1", BuildKitEnvSet: true}); got.Builder != CLIBuilderUnknown || got.Why != WhyNoCLI {
		t.Errorf("no docker on PATH: %+v", got)
	}
}

// TestReadCLIAsTheCLIFindsIt: the facts are read from the docker on the
// environment's PATH (the first one), its buildx plugin as the CLI runs it
// and where it lies, its config's builder alias (DOCKER_CONFIG), and
// DOCKER_BUILDKIT; fake CLIs stand in for the real ones.
func TestReadCLIAsTheCLIFindsIt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(p, body string, mode os.FileMode) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
	}
	// A new CLI whose buildx runs, and an old one without it.
	write(filepath.Join(dir, "new/docker"), `#!/bin/sh
case "$1" in
--version) echo "Docker version 28.2.2, build e6534b4";;
buildx) [ -x "$DOCKER_CONFIG/cli-plugins/docker-buildx" ] && echo "github.com/docker/buildx v0.24.0 d0b6c3a" && exit 0
  echo "docker: 'buildx' is not a docker command." >&2; exit 1;;
esac
`, 0o755)
	write(filepath.Join(dir, "old/docker"), "#!/bin/sh\n[ \"$1\" = --version ] && echo 'Docker version 20.10.24+dfsg1, build 297e128' && exit 0\nexit 1\n", 0o755)
	cfg := filepath.Join(dir, "config")
	write(filepath.Join(cfg, "cli-plugins/docker-buildx"), "#!/bin/sh\n", 0o755)
	write(filepath.Join(cfg, "config.json"), `{"aliases":{"builder":"buildx"}}`, 0o644)
	ctx := context.Background()

	f := ReadCLI(ctx, []string{"PATH=" + filepath.Join(dir, "new") + ":" + filepath.Join(dir, "old"), "DOCKER_CONFIG=" + cfg, "DOCKER_BUILDKIT=0"})
	if f.Path != filepath.Join(dir, "new/docker") || f.Version != "28.2.2" || !f.Buildx || f.BuildxVersion != "v0.24.0" ||
		f.BuildxPath != filepath.Join(cfg, "cli-plugins/docker-buildx") || f.Alias != "buildx" || f.BuildKitEnv != "0" || !f.BuildKitEnvSet || f.Engine != EngineBuilderUnknown {
		t.Errorf("the new CLI first: %+v", f)
	}
	f = ReadCLI(ctx, []string{"PATH=" + filepath.Join(dir, "old") + ":" + filepath.Join(dir, "new"), "DOCKER_CONFIG=" + filepath.Join(dir, "none")})
	if f.Path != filepath.Join(dir, "old/docker") || f.Version != "20.10.24+dfsg1" || f.Buildx || f.Alias != "" || f.BuildKitEnvSet {
		t.Errorf("the old CLI first: %+v", f)
	}
	if got := CLIBuildOf(f); got.Builder != CLILegacy || got.Why != WhyOldEngineUnknown {
		t.Errorf("the old CLI builds with %+v", got)
	}
	if f := ReadCLI(ctx, []string{"PATH=" + filepath.Join(dir, "config")}); f.Path != "" {
		t.Errorf("no docker on PATH: %+v", f)
	}
}
