package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// CheckStatus is how a doctor check came out.
type CheckStatus string

const (
	CheckPass CheckStatus = "pass"
	CheckWarn CheckStatus = "warn"
	CheckFail CheckStatus = "fail"
)

// Check is one line of `layerlab doctor`. Key and Facts are the same in
// every language (for scripts: `doctor --json`); Name, Detail and Fix are
// the learner's words.
type Check struct {
	Key    string      `json:"key"`
	Name   string      `json:"name"`
	Status CheckStatus `json:"status"`
	Detail string      `json:"detail"`
	Fix    string      `json:"fix,omitempty"`
	// Facts are what the check found, as stable values ("image_store":
	// "containerd", "builder": "buildkit", "image": "busybox:1.36").
	Facts map[string]string `json:"facts,omitempty"`
}

// DoctorOptions are what doctor looks at.
type DoctorOptions struct {
	Client  *docker.Client
	Lessons []*lessons.Lesson
	Mirror  string
	Strings i18n.Strings
	// Term is the terminal to check (nil: not a terminal); Env its environment.
	Term *os.File
	Env  []string
	// MinWidth and MinHeight are the smallest terminal the app draws in.
	MinWidth, MinHeight int
	// Locales lists the locales installed (nil: `locale -a`).
	Locales func() ([]string, error)
	// ReadCLI reads the docker CLI the learner's own terminal runs, in Env
	// (nil: docker.ReadCLI).
	ReadCLI func(ctx context.Context, env []string) docker.CLIFacts
}

// installedLocales is `locale -a`.
func installedLocales() ([]string, error) {
	out, err := exec.Command("locale", "-a").Output()
	if err != nil {
		return nil, err
	}
	return strings.Fields(string(out)), nil
}

// sameLocale compares locale names as glibc does: ko_KR.UTF-8 is ko_KR.utf8.
func sameLocale(a, b string) bool {
	norm := func(s string) string {
		s = strings.ToLower(s)
		return strings.ReplaceAll(s, "utf-8", "utf8")
	}
	return norm(a) == norm(b)
}

// Doctor runs the preflight checks a classroom needs before a lesson.
func Doctor(ctx context.Context, o DoctorOptions) []Check {
	t := o.Strings.Doc
	var out []Check
	add := func(key, name string, st CheckStatus, detail, fix string, facts map[string]string) {
		out = append(out, Check{Key: key, Name: name, Status: st, Detail: detail, Fix: fix, Facts: facts})
	}
	engineBuilder := docker.EngineBuilderUnknown
	ep := o.Client.Endpoint()
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	eng, err := o.Client.Connect(cctx)
	cancel()
	if err != nil {
		x := i18n.Explain(&o.Strings, err, "", o.Mirror)
		add("daemon", t.Daemon, CheckFail, fmt.Sprintf("%s (%s): %s", ep.Host, ep.Source, x.Title), strings.Join(x.Todo, "; "),
			map[string]string{"host": ep.Host, "error": errorCode(err)})
	} else {
		add("daemon", t.Daemon, CheckPass, fmt.Sprintf("%s (%s)", ep.Host, ep.Source), "", map[string]string{"host": ep.Host})
		api := eng.APIVersion
		if eng.EngineAPI != "" && eng.EngineAPI != api {
			api = i18n.Tr(t.APINegotiatedFmt, api, eng.EngineAPI)
		}
		ef := map[string]string{"version": eng.Version, "api": eng.APIVersion, "engine": "docker"}
		if eng.Podman {
			ef["engine"] = "podman"
			add("engine", t.Engine, CheckWarn, i18n.Tr(t.PodmanFmt, eng.Version, api), t.PodmanFix, ef)
		} else {
			add("engine", t.Engine, CheckPass, i18n.Tr(t.EngineFmt, eng.Version, api, docker.MinAPIVersion), "", ef)
		}
		if info, err := o.Client.Info(ctx); err == nil {
			store := i18n.Tr(t.GraphDriverFmt, info.StorageDriver)
			if info.ContainerdStore {
				store = i18n.Tr(t.ContainerdStoreFmt, info.StorageDriver)
			}
			engineBuilder = docker.EngineBuilderClassic
			if info.BuildKitDefault {
				engineBuilder = docker.EngineBuilderBuildKit
			}
			kind := "graph-driver"
			if info.ContainerdStore {
				kind = "containerd"
			}
			add("storage", t.Storage, CheckPass, store, "", map[string]string{"image_store": kind, "driver": info.StorageDriver})
			out = append(out, diskCheck(t, ep, info))
		}
	}
	readCLI := o.ReadCLI
	if readCLI == nil {
		readCLI = docker.ReadCLI
	}
	facts := readCLI(ctx, o.Env)
	facts.Engine = engineBuilder
	out = append(out, builderCheck(t, facts))
	// The registry the lesson pulls go to: the classroom mirror, else Docker Hub.
	rctx, rcancel := context.WithTimeout(ctx, 4*time.Second)
	rerr := docker.RegistryReachable(rctx, o.Mirror)
	rcancel()
	where := "Docker Hub"
	if o.Mirror != "" {
		where = o.Mirror
	}
	reachable := rerr == nil
	rf := map[string]string{"registry": where, "reachable": strconv.FormatBool(reachable)}
	if reachable {
		add("registry", t.Registry, CheckPass, where, "", rf)
	} else {
		add("registry", t.Registry, CheckWarn, i18n.Tr(t.UnreachableFmt, where), t.RegistryFix, rf)
	}
	if err == nil {
		for _, img := range LessonImages(o.Lessons) {
			ok, _, ierr := o.Client.Exists(ctx, img)
			f := func(state string) map[string]string { return map[string]string{"image": img, "state": state} }
			switch {
			case ierr != nil:
				add("image", img, CheckFail, ierr.Error(), "", f("error"))
			case ok:
				add("image", img, CheckPass, t.ImageLocal, "", f("on-disk"))
			case reachable:
				add("image", img, CheckPass, i18n.Tr(t.ImagePullableFmt, where), t.PrepareFix, f("pullable"))
			default:
				add("image", img, CheckFail, i18n.Tr(t.ImageMissingFmt, where), t.ImageMissingFix, f("missing"))
			}
		}
	}
	out = append(out, terminalChecks(t, o.Term, o.Env, o.MinWidth, o.MinHeight, o.Locales)...)
	return out
}

// builderCheck says which builder the learner's own `docker build` runs,
// what it prints, and how to get BuildKit when it is not that.
func builderCheck(t i18n.DoctorStrings, f docker.CLIFacts) Check {
	b := docker.CLIBuildOf(f)
	c := Check{Key: "builder", Name: t.Builder, Status: CheckWarn, Facts: map[string]string{"builder": b.Builder.String()}}
	why := map[docker.CLIBuildWhy]string{
		docker.WhyNoCLI: t.BuilderNoCLI, docker.WhyVersionUnknown: i18n.Tr(t.BuilderVersionUnknownFmt, f.Path),
		docker.WhyEnvNotBool: i18n.Tr(t.BuilderEnvNotBoolFmt, f.BuildKitEnv),
		docker.WhyBuildx:     t.BuilderBuildx, docker.WhyNoBuildx: t.BuilderNoBuildxWhy, docker.WhyEnvOff: t.BuilderEnvOff,
		docker.WhyEnvOnNoBuildx: t.BuilderEnvOnNoBuildx, docker.WhyAlias: t.BuilderAlias, docker.WhyAliasNoBuildx: t.BuilderAliasNoBuildx,
		docker.WhyOldDefault: t.BuilderOldDefault, docker.WhyOldEngineUnknown: t.BuilderOldEngineUnknown,
		docker.WhyOldEngine: t.BuilderOldEngine, docker.WhyOldEnvOn: t.BuilderOldEnvOn,
	}[b.Why]
	install := t.BuildxInstall
	switch b.Why {
	case docker.WhyNoCLI:
		c.Fix = t.FixNoCLI
	case docker.WhyEnvNotBool:
		c.Fix = t.FixEnvNotBool
	case docker.WhyNoBuildx:
		c.Fix = i18n.Tr(t.FixInstallBuildxFmt, install)
	case docker.WhyEnvOff:
		switch {
		case !b.Modern:
			c.Fix = t.FixOldEnvOn
		case f.Buildx:
			c.Fix = t.FixUnsetEnv
		default:
			c.Fix = i18n.Tr(t.FixEnvOffNoBuildxFmt, install)
		}
	case docker.WhyEnvOnNoBuildx:
		c.Fix = i18n.Tr(t.FixEnvOnNoBuildxFmt, install)
	case docker.WhyAliasNoBuildx:
		c.Fix = i18n.Tr(t.FixAliasNoBuildxFmt, install)
	case docker.WhyOldDefault, docker.WhyOldEngineUnknown:
		c.Fix = t.FixOldEnvOn
	}
	if b.Builder == docker.CLIBuildKit {
		c.Status = CheckPass
	}
	if f.Path == "" || b.Why == docker.WhyVersionUnknown {
		c.Detail = why
		return c
	}
	cli := i18n.Tr(t.BuilderCLIFmt, f.Version, f.Path)
	switch {
	case f.Buildx:
		cli += ", " + i18n.Tr(t.BuilderBuildxFmt, f.BuildxVersion)
	case f.BuildxPath != "":
		cli += ", " + i18n.Tr(t.BuilderBrokenBuildxFmt, f.BuildxPath)
	case b.Modern || f.Alias != "":
		cli += ", " + t.BuilderNoBuildx
	}
	c.Detail = cli + ": " + why
	if len(b.Lines) > 0 {
		quoted := make([]string, len(b.Lines))
		for i, l := range b.Lines {
			quoted[i] = fmt.Sprintf("%q", l)
		}
		prints := t.BuilderPrintsFmt
		if b.Builder == docker.CLIBuildKit {
			prints = t.BuilderPrintsPlainFmt
		}
		c.Detail += "; " + i18n.Tr(prints, strings.Join(quoted, t.BuilderThen))
	}
	return c
}

func diskCheck(t i18n.DoctorStrings, ep docker.Endpoint, info docker.Info) Check {
	c := Check{Key: "disk", Name: t.Disk}
	var fs syscall.Statfs_t
	if ep.Transport() != "unix" || syscall.Statfs(info.RootDir, &fs) != nil {
		c.Status, c.Detail = CheckPass, i18n.Tr(t.DiskRemoteFmt, info.StorageDriver)
		return c
	}
	free := int64(fs.Bavail) * int64(fs.Bsize)
	c.Detail = i18n.Tr(t.DiskFmt, i18n.Size(free), info.RootDir, info.StorageDriver)
	switch {
	case free < 200<<20:
		c.Status, c.Fix = CheckFail, t.DiskFix
	case free < 1<<30:
		c.Status, c.Fix = CheckWarn, t.DiskFix
	default:
		c.Status = CheckPass
	}
	return c
}

func terminalChecks(t i18n.DoctorStrings, f *os.File, env []string, minW, minH int, locales func() ([]string, error)) []Check {
	var out []Check
	if f == nil || !term.IsTerminal(f.Fd()) {
		out = append(out, Check{Key: "terminal", Name: t.Terminal, Status: CheckWarn, Detail: t.NotTerminal, Fix: t.NotTerminalFix})
	} else if w, h, err := term.GetSize(f.Fd()); err == nil {
		c := Check{Key: "terminal", Name: t.Terminal, Status: CheckPass, Detail: fmt.Sprintf("%dx%d", w, h),
			Facts: map[string]string{"width": strconv.Itoa(w), "height": strconv.Itoa(h)}}
		if w < minW || h < minH {
			c.Status, c.Fix = CheckWarn, i18n.Tr(t.TooSmallFix, minW, minH)
		}
		out = append(out, c)
	}
	prof := colorprofile.Detect(f, env)
	colours := Check{Key: "colours", Name: t.Colours, Status: CheckPass, Detail: map[colorprofile.Profile]string{
		colorprofile.NoTTY: t.ColoursNoTTY, colorprofile.Ascii: t.ColoursNone, colorprofile.ANSI: t.Colours16,
		colorprofile.ANSI256: t.Colours256, colorprofile.TrueColor: t.ColoursTrue}[prof]}
	if prof <= colorprofile.Ascii {
		colours.Status, colours.Fix = CheckWarn, t.ColoursFix
	}
	out = append(out, colours)
	want := localeOf(env)
	utf := Check{Key: "locale", Name: t.Locale, Status: CheckWarn, Detail: want, Fix: t.LocaleFix}
	if l := strings.ToUpper(want); strings.Contains(l, "UTF-8") || strings.Contains(l, "UTF8") {
		utf.Status, utf.Fix = CheckPass, ""
		if locales == nil {
			locales = installedLocales
		}
		// Asked for is not there: glibc then falls back to C, and Hangul breaks.
		if list, err := locales(); err == nil && !slices.ContainsFunc(list, func(l string) bool { return sameLocale(l, want) }) {
			utf.Status, utf.Detail, utf.Fix = CheckWarn, i18n.Tr(t.LocaleMissingFmt, want), t.LocaleMissingFix
		}
	}
	out = append(out, utf)
	return out
}

// localeOf is the locale the environment asks for (LC_ALL, LC_CTYPE, LANG).
func localeOf(env []string) string {
	get := func(k string) string {
		for _, e := range env {
			if v, ok := strings.CutPrefix(e, k+"="); ok {
				return v
			}
		}
		return ""
	}
	for _, k := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if v := get(k); v != "" {
			return v
		}
	}
	return "C"
}

// DoctorFailed reports whether a check says a lesson cannot run.
func DoctorFailed(cs []Check) bool {
	for _, c := range cs {
		if c.Status == CheckFail {
			return true
		}
	}
	return false
}

// WriteDoctor prints the checks as a checklist, or as JSON.
func WriteDoctor(w io.Writer, t i18n.Strings, cs []Check, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(cs)
	}
	mark := map[CheckStatus]string{CheckPass: "✓", CheckWarn: "!", CheckFail: "✗"}
	// Columns by the width on screen: a Hangul syllable takes two cells.
	width := 0
	for _, c := range cs {
		width = max(width, ansi.StringWidth(c.Name))
	}
	pad := func(s string) string { return s + strings.Repeat(" ", width-ansi.StringWidth(s)) }
	for _, c := range cs {
		fmt.Fprintf(w, "%s %s  %s\n", mark[c.Status], pad(c.Name), c.Detail)
		if c.Fix != "" {
			fmt.Fprintf(w, "  %s  › %s\n", pad(""), c.Fix)
		}
	}
	if DoctorFailed(cs) {
		fmt.Fprintln(w, "\n"+t.Doc.Failed)
	} else if slices.ContainsFunc(cs, func(c Check) bool { return c.Key == "engine" && c.Facts["engine"] == "podman" }) {
		fmt.Fprintln(w, "\n"+t.Doc.ReadyPodman)
	} else {
		fmt.Fprintln(w, "\n"+t.Doc.Ready)
	}
	return nil
}

// errorCode is a failure's stable name for doctor --json ("socket missing").
func errorCode(err error) string {
	var de *docker.Error
	if errors.As(err, &de) {
		return de.Kind.String()
	}
	return "unknown"
}
