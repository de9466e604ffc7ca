package docker

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The learner's own `docker build`, typed in their terminal, is not one of
// layerlab's builds: the docker CLI on their PATH decides which builder runs
// it. CLIFacts are what it decides from, CLIBuildOf the decision (a pure
// function, the CLI's own rules), ReadCLI reads the facts off the machine.
//
// The rules, as the docker CLI's source has them (cmd/docker/builder.go from
// 23.0 on; cli/command/cli.go BuildKitEnabled before):
//
//   - CLI 23 and newer: `docker build` is `docker buildx build` when the
//     buildx plugin is there (BuildKit). Without it, the legacy builder runs
//     after a deprecation warning; with DOCKER_BUILDKIT=1 (or the builder
//     alias `docker buildx install` sets) it stops with an error instead.
//     DOCKER_BUILDKIT=0 is the legacy builder, with a warning that BuildKit is
//     disabled. The engine's default does not count (on Linux).
//   - CLI before 23: the legacy builder, unless DOCKER_BUILDKIT=1 or the
//     engine advertises BuildKit as its default (a 23+ engine does; a 20.10
//     engine when its daemon.json sets features.buildkit): then the CLI's own
//     BuildKit. A builder alias sends it to the buildx plugin.
//   - DOCKER_BUILDKIT that is not a boolean (strconv.ParseBool): docker build
//     refuses to run.

// EngineBuilder is the builder an engine advertises as its default (the
// Builder-Version header of /_ping).
type EngineBuilder int

const (
	// EngineBuilderUnknown: the engine was not asked (no daemon).
	EngineBuilderUnknown EngineBuilder = iota
	EngineBuilderClassic
	EngineBuilderBuildKit
)

// CLIFacts are what decides which builder the learner's `docker build` runs.
type CLIFacts struct {
	// Path is the docker CLI found on PATH ("": none); Version is what
	// `docker --version` says ("28.2.2", "20.10.24+dfsg1").
	Path, Version string
	// Buildx: `docker buildx version` runs (the CLI finds the plugin and it
	// works); BuildxVersion is its version, BuildxPath where the plugin is
	// (also when it is there but does not run).
	Buildx                    bool
	BuildxVersion, BuildxPath string
	// Alias is the builder alias of the CLI's config.json ("buildx" after
	// `docker buildx install`; "" none).
	Alias string
	// BuildKitEnv is DOCKER_BUILDKIT as set; BuildKitEnvSet whether it is.
	BuildKitEnv    string
	BuildKitEnvSet bool
	// Engine is the builder the engine advertises (unknown without a daemon).
	Engine EngineBuilder
}

// CLIBuilder is what the learner's `docker build` runs.
type CLIBuilder int

const (
	// CLIBuilderUnknown: no docker CLI, or a version layerlab cannot read.
	CLIBuilderUnknown CLIBuilder = iota
	// CLIBuildKit: BuildKit (through buildx, or the CLI's own before 23):
	// `#1 [internal] load build definition from Dockerfile`.
	CLIBuildKit
	// CLILegacy: the legacy builder, `Step 1/4 : FROM …`.
	CLILegacy
	// CLIBuildFails: docker build stops with an error before it builds.
	CLIBuildFails
)

// String is the builder's stable name (doctor --json): "buildkit",
// "legacy", "fails" or "unknown".
func (b CLIBuilder) String() string {
	switch b {
	case CLIBuildKit:
		return "buildkit"
	case CLILegacy:
		return "legacy"
	case CLIBuildFails:
		return "fails"
	}
	return "unknown"
}

// CLIBuildWhy is the rule that decided; a front end words it and the fix.
type CLIBuildWhy int

const (
	// WhyNoCLI: no docker command on PATH.
	WhyNoCLI CLIBuildWhy = iota
	// WhyVersionUnknown: `docker --version` says nothing layerlab can read.
	WhyVersionUnknown
	// WhyEnvNotBool: DOCKER_BUILDKIT is not a boolean; docker build refuses.
	WhyEnvNotBool
	// WhyBuildx: CLI 23+, the buildx plugin: BuildKit.
	WhyBuildx
	// WhyNoBuildx: CLI 23+, no buildx plugin: the legacy builder, deprecated.
	WhyNoBuildx
	// WhyEnvOff: DOCKER_BUILDKIT=0: the legacy builder (CLI 23+ warns).
	WhyEnvOff
	// WhyEnvOnNoBuildx: CLI 23+, DOCKER_BUILDKIT=1 without buildx: an error.
	WhyEnvOnNoBuildx
	// WhyAlias: a builder alias (`docker buildx install`) and the plugin: BuildKit.
	WhyAlias
	// WhyAliasNoBuildx: a builder alias without the plugin: an error.
	WhyAliasNoBuildx
	// WhyOldDefault: CLI before 23, an engine that does not advertise
	// BuildKit: the legacy builder.
	WhyOldDefault
	// WhyOldEngineUnknown: CLI before 23, the engine not asked: the legacy
	// builder unless the engine advertises BuildKit.
	WhyOldEngineUnknown
	// WhyOldEngine: CLI before 23, the engine advertises BuildKit: the CLI's
	// own BuildKit.
	WhyOldEngine
	// WhyOldEnvOn: CLI before 23, DOCKER_BUILDKIT=1: the CLI's own BuildKit.
	WhyOldEnvOn
)

// CLIBuild is the decision: the builder, the rule, whether the CLI is 23 or
// newer, and the lines that tell the builder apart in what `docker build`
// prints first (the CLI's own words, in English whatever the learner's
// language; … stands for what depends on the build).
type CLIBuild struct {
	Builder CLIBuilder
	Why     CLIBuildWhy
	Modern  bool
	Lines   []string
}

// The CLI's own lines.
const (
	lineBuildKit      = "#1 [internal] load build definition from Dockerfile"
	lineDeprecated    = "DEPRECATED: The legacy builder is deprecated and will be removed in a future release."
	lineSending       = "Sending build context to Docker daemon  …"
	lineStep          = "Step 1/4 : FROM …"
	lineBuildxMissing = "ERROR: BuildKit is enabled but the buildx component is missing or broken."
	lineNotACommand   = "docker: 'buildx' is not a docker command."
	lineEnvNotBool    = "DOCKER_BUILDKIT environment variable expects boolean value: …"
)

// CLIMajor is the major version of a `docker --version` version ("28.2.2":
// 28, "20.10.24+dfsg1": 20); ok is false when it is not a version.
func CLIMajor(v string) (int, bool) {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	major, _, _ := strings.Cut(v, ".")
	n, err := strconv.Atoi(major)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// CLIBuildOf decides, from the facts alone, what the learner's `docker
// build` runs, by the docker CLI's rules (see above).
func CLIBuildOf(f CLIFacts) CLIBuild {
	if f.Path == "" {
		return CLIBuild{Builder: CLIBuilderUnknown, Why: WhyNoCLI}
	}
	major, ok := CLIMajor(f.Version)
	if !ok {
		return CLIBuild{Builder: CLIBuilderUnknown, Why: WhyVersionUnknown}
	}
	modern := major >= 23
	out := func(b CLIBuilder, why CLIBuildWhy, lines ...string) CLIBuild {
		return CLIBuild{Builder: b, Why: why, Modern: modern, Lines: lines}
	}
	// Before 23 the alias is applied first: build is buildx build, whatever
	// DOCKER_BUILDKIT says.
	if !modern && f.Alias != "" {
		if f.Buildx {
			return out(CLIBuildKit, WhyAlias, lineBuildKit)
		}
		return out(CLIBuildFails, WhyAliasNoBuildx, lineNotACommand)
	}
	envOn, envOff := false, false
	if f.BuildKitEnvSet && f.BuildKitEnv != "" {
		on, err := strconv.ParseBool(f.BuildKitEnv)
		if err != nil {
			return out(CLIBuildFails, WhyEnvNotBool, lineEnvNotBool)
		}
		envOn, envOff = on, !on
	}
	if !modern {
		switch {
		case envOn:
			return out(CLIBuildKit, WhyOldEnvOn, lineBuildKit)
		case envOff:
			return out(CLILegacy, WhyEnvOff, lineSending, lineStep)
		case f.Engine == EngineBuilderBuildKit:
			return out(CLIBuildKit, WhyOldEngine, lineBuildKit)
		case f.Engine == EngineBuilderUnknown:
			return out(CLILegacy, WhyOldEngineUnknown, lineSending, lineStep)
		}
		return out(CLILegacy, WhyOldDefault, lineSending, lineStep)
	}
	// 23 and newer: DOCKER_BUILDKIT=0 wins over everything, even an alias.
	switch {
	case envOff:
		return out(CLILegacy, WhyEnvOff, lineDeprecated, lineStep)
	case f.Buildx && f.Alias != "":
		return out(CLIBuildKit, WhyAlias, lineBuildKit)
	case f.Buildx:
		return out(CLIBuildKit, WhyBuildx, lineBuildKit)
	case f.Alias != "":
		return out(CLIBuildFails, WhyAliasNoBuildx, lineBuildxMissing)
	case envOn:
		return out(CLIBuildFails, WhyEnvOnNoBuildx, lineBuildxMissing)
	}
	return out(CLILegacy, WhyNoBuildx, lineDeprecated, lineStep)
}

// ReadCLI reads the facts off this machine, for the environment env (its
// PATH, HOME, DOCKER_CONFIG and DOCKER_BUILDKIT): the docker CLI on PATH and
// its version (`docker --version`), whether it runs its buildx plugin
// (`docker buildx version`, the CLI's own lookup), where that plugin is (the
// CLI's plugin folders), and its config's builder alias. It asks no daemon:
// Engine is left unknown.
func ReadCLI(ctx context.Context, env []string) CLIFacts {
	var f CLIFacts
	f.BuildKitEnv, f.BuildKitEnvSet = lookupEnv(env, "DOCKER_BUILDKIT")
	f.Path = lookPath(env, "docker")
	if f.Path == "" {
		return f
	}
	// DOCKER_BUILDKIT that is not a boolean stops every command of a 23+
	// CLI, --version too: the probes run without it.
	var probeEnv []string
	for _, e := range env {
		if !strings.HasPrefix(e, "DOCKER_BUILDKIT=") {
			probeEnv = append(probeEnv, e)
		}
	}
	run := func(args ...string) (string, bool) {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		cmd := exec.CommandContext(cctx, f.Path, args...)
		cmd.Env = probeEnv
		var out bytes.Buffer
		cmd.Stdout = &out
		err := cmd.Run()
		return strings.TrimSpace(out.String()), err == nil
	}
	if out, ok := run("--version"); ok {
		f.Version = parseDockerVersion(out)
	}
	if out, ok := run("buildx", "version"); ok {
		f.Buildx = true
		if fields := strings.Fields(out); len(fields) >= 2 {
			f.BuildxVersion = fields[1]
		}
	}
	cfg := readCLIConfig(env)
	f.Alias = cfg.Aliases["builder"]
	for _, d := range pluginDirs(env, cfg) {
		p := filepath.Join(d, "docker-buildx")
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			f.BuildxPath = p
			break
		}
	}
	return f
}

// parseDockerVersion reads "Docker version 28.2.2, build e6534b4".
func parseDockerVersion(s string) string {
	fields := strings.Fields(s)
	for i, w := range fields {
		if w == "version" && i+1 < len(fields) {
			return strings.TrimSuffix(fields[i+1], ",")
		}
	}
	return ""
}

func lookupEnv(env []string, key string) (string, bool) {
	v, ok := "", false
	for _, e := range env {
		if s, found := strings.CutPrefix(e, key+"="); found {
			v, ok = s, true // the last one counts, as for exec
		}
	}
	return v, ok
}

// lookPath finds name in env's PATH, as the learner's shell would.
func lookPath(env []string, name string) string {
	p, _ := lookupEnv(env, "PATH")
	for _, d := range filepath.SplitList(p) {
		if d == "" {
			continue
		}
		c := filepath.Join(d, name)
		if st, err := os.Stat(c); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return c
		}
	}
	return ""
}

// cliConfig is what layerlab reads of the CLI's config.json.
type cliConfig struct {
	Aliases             map[string]string `json:"aliases"`
	CLIPluginsExtraDirs []string          `json:"cliPluginsExtraDirs"`
}

// cliConfigDir is the CLI's config folder: DOCKER_CONFIG, else ~/.docker.
func cliConfigDir(env []string) string {
	if d, ok := lookupEnv(env, "DOCKER_CONFIG"); ok && d != "" {
		return d
	}
	if h, ok := lookupEnv(env, "HOME"); ok && h != "" {
		return filepath.Join(h, ".docker")
	}
	return ""
}

func readCLIConfig(env []string) cliConfig {
	var c cliConfig
	if d := cliConfigDir(env); d != "" {
		if b, err := os.ReadFile(filepath.Join(d, "config.json")); err == nil {
			_ = json.Unmarshal(b, &c)
		}
	}
	return c
}

// pluginDirs are where the CLI looks for plugins, in its order: the
// config's extra folders, the config folder's cli-plugins, the system's.
func pluginDirs(env []string, c cliConfig) []string {
	dirs := append([]string(nil), c.CLIPluginsExtraDirs...)
	if d := cliConfigDir(env); d != "" {
		dirs = append(dirs, filepath.Join(d, "cli-plugins"))
	}
	return append(dirs, "/usr/local/lib/docker/cli-plugins", "/usr/local/libexec/docker/cli-plugins",
		"/usr/lib/docker/cli-plugins", "/usr/libexec/docker/cli-plugins")
}
