// Command layerlab teaches how Docker images and containers really work, by
// running the real operations on your own daemon and showing the layers live.
package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/x/ansi"
	flag "github.com/spf13/pflag"

	tea "charm.land/bubbletea/v2"
	"github.com/BurntSushi/toml"

	units "github.com/docker/go-units"

	"github.com/layerlab/layerlab/classroom"
	clitext "github.com/layerlab/layerlab/cli"
	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/engines"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui"
	"github.com/layerlab/layerlab/tui/pacer"
	"github.com/layerlab/layerlab/tui/render"
)

func main() {
	defer profile()()
	if err := run(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		if errors.Is(err, errReported) {
			os.Exit(1) // the output already says why
		}
		fmt.Fprintln(os.Stderr, "layerlab:", err)
		os.Exit(1)
	}
}

// run is the composition root: flags, logging, the daemon client, the lessons, the UI.
// profile writes pprof profiles for maintainers (docs/performance.md):
// LAYERLAB_CPUPROFILE=FILE profiles the whole run, LAYERLAB_MEMPROFILE=FILE
// writes the heap when layerlab ends.
func profile() func() {
	var stop []func()
	if path := os.Getenv("LAYERLAB_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			stop = append(stop, func() { pprof.StopCPUProfile(); f.Close() })
		}
	}
	if path := os.Getenv("LAYERLAB_MEMPROFILE"); path != "" {
		stop = append(stop, func() {
			if f, err := os.Create(path); err == nil {
				_ = pprof.WriteHeapProfile(f)
				f.Close()
			}
		})
	}
	return func() {
		for _, f := range stop {
			f()
		}
	}
}

func run(args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "cleanup":
			return cleanup(args[1:], os.Stdin, os.Stdout)
		case "progress":
			return progress(args[1:], os.Stdout)
		case "explain":
			return explain(args[1:], os.Stdout)
		case "doctor", "prepare", "bundle":
			return workshop(args[0], args[1:], os.Stdout)
		case "lessons":
			return lessonsCmd(args[1:], os.Stdout)
		case "serve":
			return serveCmd(args[1:], os.Stdout)
		}
	}
	cfg, cfgErr := loadConfig(configPath())
	if cfgErr != nil {
		return cfgErr
	}
	h := helpFor(args)
	fs := flag.NewFlagSet("layerlab", flag.ContinueOnError)
	mirror := fs.String("registry-mirror", pick(os.Getenv("LAYERLAB_REGISTRY_MIRROR"), cfg.RegistryMirror, ""),
		h("pull Docker Hub images of the lessons from this registry (HOST:PORT) instead; also LAYERLAB_REGISTRY_MIRROR, config registry_mirror"))
	theme := fs.String("theme", pick("", cfg.Theme, "auto"), h("colours for the terminal's background: auto (ask the terminal)|dark|light; NO_COLOR turns colours off; config theme"))
	version := fs.Bool("version", false, h("print layerlab's version and the engine it talks to"))
	plain := fs.Bool("plain", false, h("no screen: print a lesson as plain text and run its steps as a script (chosen when stdout is not a terminal)"))
	plainLesson := fs.String("lesson", "", h("open this lesson at start (its id; layerlab --plain lists them); with --plain: the lesson to print and run"))
	noRun := fs.Bool("no-run", false, h("with --plain: print the lesson only, run nothing (a handout)"))
	packDir := fs.String("lessons", "", h("load the lessons of a lesson pack from this folder instead of the built-in ones (see docs/lessons.md)"))
	lang := fs.String("lang", cfg.Lang, h("language: en|ko (default: config lang, else LC_ALL, LC_MESSAGES or LANG; L switches inside the app)"))
	logFile := fs.String("log", os.Getenv("LAYERLAB_LOG"), h("write a debug log to this file (never to the terminal)"))
	workspace := fs.String("workspace", pick(os.Getenv("LAYERLAB_WORKSPACE"), cfg.Workspace, ""),
		h("the folder for the lessons' workspaces (build contexts, Dockerfiles); default: your cache folder/layerlab/workspace; also LAYERLAB_WORKSPACE"))
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), h(`
Usage:  layerlab [OPTIONS]
        layerlab COMMAND [OPTIONS]

Learn how Docker images and containers really work, on your own daemon.

Commands:
  cleanup     Remove what layerlab made, never anything else (--dry-run, --yes, --lesson ID)
  doctor      Check this machine for the lessons (--json)
  prepare     Pull every image the lessons need, before class
  bundle      Export or import the lesson images: bundle export|import FILE
  lessons     Check a lesson pack: lessons validate DIR
  progress    Show or reset your progress: progress show|reset
  serve       Serve a classroom over SSH, an engine per learner (--class FILE; --watch; --reset NAME)

Options:
`))
		fs.PrintDefaults()
		fmt.Fprintln(fs.Output(), "\n"+fmt.Sprintf(h("Config: %s (lang, theme, registry_mirror, workspace); options and environment variables override it."), configPath()))
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *version {
		return printVersion(os.Stdout)
	}
	if *theme != "auto" && *theme != "dark" && *theme != "light" {
		return fmt.Errorf("--theme must be auto, dark or light, not %q", *theme)
	}
	log.SetOutput(io.Discard)
	if *logFile != "" {
		f, err := os.OpenFile(filepath.Clean(*logFile), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return err
		}
		defer f.Close()
		log.SetOutput(f)
	}

	if *lang == "" {
		*lang = langFromEnv()
	}
	if *lang != "en" && *lang != "ko" {
		return fmt.Errorf("--lang must be en or ko, not %q", *lang)
	}
	byLang := map[string][]*lessons.Lesson{}
	pack := "builtin"
	if *packDir != "" {
		p, err := lessons.LoadPack(os.DirFS(*packDir))
		if err != nil {
			t := i18n.For(*lang)
			return fmt.Errorf("%s:\n%s", i18n.Tr(t.PackInvalidFmt, *packDir), i18n.LessonErrorText(&t, err))
		}
		byLang = p
		abs, _ := filepath.Abs(*packDir)
		sum := sha256.Sum256([]byte(abs))
		pack = "pack-" + hex.EncodeToString(sum[:6])
		*packDir = abs
	} else {
		for _, l := range []string{"en", "ko"} {
			ls, err := lessons.Builtin(l)
			if err != nil {
				return fmt.Errorf("lessons (%s): %w", l, err)
			}
			byLang[l] = ls
		}
	}
	ls, ok := byLang[*lang]
	if !ok {
		ls = byLang["en"] // a pack without Korean: English
	}
	ep := docker.ResolveEndpoint()
	log.Printf("daemon endpoint %s (from %s)", ep.Host, ep.Source)
	cli, err := docker.New(ep)
	if err != nil {
		return err
	}
	defer cli.Close()
	cli.UseLedger(openLedger(i18n.For(*lang), os.Stderr))

	if *workspace == "" {
		if dir, err := os.UserCacheDir(); err == nil {
			*workspace = filepath.Join(dir, "layerlab", "workspace")
		}
	}
	home, _ := os.UserHomeDir()
	if pack != "builtin" {
		*workspace = filepath.Join(*workspace, pack)
	}
	progressPath := statePath("progress-" + pack + ".json")
	prog, note := lessons.LoadProgress(progressPath)
	if note != "" {
		fmt.Fprintln(os.Stderr, "layerlab:", note)
		log.Print(note)
	}
	opts := tui.Options{Progress: prog, ProgressPath: progressPath, PackDir: *packDir, Live: true, Client: cli, Lessons: ls, Mirror: *mirror, Dark: *theme != "light", Workspace: *workspace, Home: home,
		Lang: *lang, Languages: byLang, DetectTheme: *theme == "auto", NoColor: os.Getenv("NO_COLOR") != ""}
	if *plain || !isTerminal(os.Stdout) {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		return clitext.RunPlain(ctx, os.Stdout, clitext.PlainOptions{Daemon: cli, Lessons: ls, Strings: i18n.For(*lang),
			Mirror: *mirror, Workspace: *workspace, PackDir: *packDir, Home: home, Lesson: *plainLesson, Run: !*noRun})
	}
	// The renderer looks for a new frame 90 times a second while the screen
	// changes: the first frame waits for its first tick (60/s put it past
	// 60 ms in tmux). The pacer slows it to once a second when nothing has
	// changed for a quarter of a second, so an idle app costs ≈ 0 CPU
	// (bench/run.sh, docs/performance.md). The model itself never changes the
	// screen more than 30 times a second while things run (streams, events
	// and the spinner are coalesced to that).
	if os.Getenv("GOGC") == "" {
		// The live heap is small (3-6 MB: the terminal's cell buffers, the
		// lessons, a pull's state) and most of what a frame allocates is
		// garbage at once; at Go's default the heap grows to twice the live
		// one before a collection, which put the peak RSS over 40 MiB. At 30%
		// a collection costs ~1 ms more often: measured through the pulls of
		// bench/run.sh, peak RSS 43.9 -> 37.1 MiB, CPU 5.1% -> 6.7% of a core
		// (docs/performance.md). GOGC in the environment still decides.
		debug.SetGCPercent(gcPercent)
	}
	if err := tui.CheckLesson(opts, *plainLesson); err != nil {
		return err
	}
	opts.Open = *plainLesson
	pace := pacer.New(fps)
	// Bubble Tea's own handler quits at SIGTERM before the app can remove
	// this window's containers: stopOnSignal takes SIGINT, SIGTERM and SIGHUP.
	program := tea.NewProgram(pace.Wrap(tui.New(opts)), tea.WithFPS(fps), tea.WithoutSignalHandler())
	pace.Attach(program)
	stopOnSignal(program)
	_, err = program.Run()
	return err
}

// stopOnSignal makes SIGHUP (the terminal window closed), SIGTERM and
// SIGINT (kill -INT; ctrl+c in the app is a key) do what q does: this window's containers removed, the terminal given back; if that
// takes over a second (a daemon that does not answer), the program is ended.
func stopOnSignal(p *tea.Program) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-sig
		p.Send(tui.QuitMsg{})
		time.Sleep(time.Second)
		p.Kill()
	}()
}

// fps is the renderer's rate while the screen changes.
const fps = 90

// gcPercent is the heap's growth between collections (GOGC) of the app.
const gcPercent = 30

// cleanup is `layerlab cleanup`: list what layerlab made on the daemon, ask,
// remove it. Only what layerlab's ledger records (containers and images by
// id, tags it set) is ever a candidate; nothing is forced. What carries its
// label without a record is listed apart and removed only when named one by
// one (--unrecorded).
func cleanup(args []string, in io.Reader, out io.Writer) error {
	h := helpFor(args)
	fs := flag.NewFlagSet("layerlab cleanup", flag.ContinueOnError)
	yes := fs.Bool("yes", false, h("remove without asking (for scripts)"))
	dry := fs.Bool("dry-run", false, h("only list what would be removed"))
	lesson := fs.String("lesson", "", h("only what this lesson made (its id, e.g. rmi)"))
	unrecorded := fs.StringArray("unrecorded", nil, h("also remove this `NAME` (a container name, an image id or tag) listed as not recorded; repeat for each"))
	lang := fs.String("lang", cliLang(), h("en|ko (default: config lang, else LC_ALL, LC_MESSAGES or LANG)"))
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), h("\nUsage:  layerlab cleanup [OPTIONS]\n\nRemove the containers, images and tags layerlab made; never anything else.\n\nOptions:\n"))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	t := i18n.For(*lang)
	cli, err := newClient()
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if _, err := cli.Connect(ctx); err != nil {
		return errors.New(i18n.ErrorText(t, err))
	}
	if *lesson != "" && !knownLesson(cli, *lesson) {
		return errors.New(i18n.Tr(t.CLINoLessonFmt, *lesson, strings.Join(lessonIDs(), ", ")))
	}
	plan, err := cli.PlanCleanup(ctx, *lesson)
	if err != nil {
		return errors.New(i18n.ErrorText(t, err))
	}
	recorded := len(plan.Items)
	plan, missing := plan.Adopt(*unrecorded)
	if len(*unrecorded) > 0 {
		// Naming things not recorded removes those, and only those.
		plan.Items, plan.Kept = plan.Items[recorded:], nil
	}
	fmt.Fprint(out, clitext.PlanText(t, plan))
	if len(missing) > 0 {
		return errors.New(i18n.Tr(t.CLINoSuchUnrecordedFmt, strings.Join(missing, ", ")))
	}
	if plan.Empty() {
		return nil
	}
	for _, it := range plan.Items {
		if it.Kind == docker.ItemContainer && it.How == "running" {
			fmt.Fprintln(out, "\n"+i18n.Tr(t.CLIRunningFmt, it.Name))
		}
	}
	if *dry {
		fmt.Fprintln(out, "\n"+t.CLIDryRun)
		return nil
	}
	if !*yes {
		if f, ok := in.(*os.File); !ok || !isTerminal(f) {
			return errors.New(t.CLINotTerminal)
		}
		fmt.Fprint(out, "\n"+t.CLIAsk)
		answer, _ := bufio.NewReader(in).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			fmt.Fprintln(out, t.CLIAborted)
			return nil
		}
	}
	fmt.Fprintln(out)
	failed := 0
	results := cli.Cleanup(ctx, plan, func(r docker.CleanupResult) {
		fmt.Fprintln(out, clitext.ResultLine(t, r))
	})
	for _, r := range results {
		if r.Err != nil {
			failed++
		}
	}
	// Kept: what failed, and what the plan listed as kept.
	fmt.Fprintln(out, "\n"+i18n.Tr(t.CLISummaryFmt, len(results)-failed, failed+len(plan.Kept)))
	if failed > 0 {
		return errors.New("some items were kept; see above")
	}
	return nil
}

// lessonIDs are the built-in lessons' ids.
func lessonIDs() []string {
	ls, _ := lessons.Builtin("en")
	var ids []string
	for _, l := range ls {
		ids = append(ids, l.ID)
	}
	return ids
}

// knownLesson reports whether id is a lesson's (a built-in one, or one the
// ledger has records of: a pack's, the : line's).
func knownLesson(cli *docker.Client, id string) bool {
	if slices.Contains(lessonIDs(), id) {
		return true
	}
	l := cli.Ledger()
	host := cli.Endpoint().Host
	return len(l.Records(host, id))+len(l.Images(host, id))+len(l.Containers(host, id)) > 0
}

// isTerminal reports whether f is a character device (a terminal, not a pipe or file).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// helpFor words layerlab's help (its flags and usage) in the language args
// ask for (--lang), else in cliLang's.
func helpFor(args []string) func(string) string {
	lang := cliLang()
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, "--lang="); ok {
			lang = v
		} else if a == "--lang" && i+1 < len(args) {
			lang = args[i+1]
		}
	}
	return func(s string) string { return i18n.Help(lang, s) }
}

// cliLang is the language of a command outside the screen when --lang is not
// given: config.toml's lang, else the locale.
func cliLang() string {
	if cfg, err := loadConfig(configPath()); err == nil && cfg.Lang != "" {
		return cfg.Lang
	}
	return langFromEnv()
}

// langFromEnv picks the language the way programs do: LC_ALL, then
// LC_MESSAGES, then LANG; Korean for ko*, English otherwise.
func langFromEnv() string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := os.Getenv(v); s != "" {
			if strings.HasPrefix(strings.ToLower(s), "ko") {
				return "ko"
			}
			return "en"
		}
	}
	return "en"
}

// progress is `layerlab progress show|reset`.
func progress(args []string, out io.Writer) error {
	h := helpFor(args)
	path := statePath("progress-builtin.json")
	fs := flag.NewFlagSet("layerlab progress", flag.ContinueOnError)
	lang := fs.String("lang", cliLang(), h("en|ko (default: config lang, else LC_ALL, LC_MESSAGES or LANG)"))
	// The verb may come before or after the flags (progress show --lang ko).
	verb := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		verb, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if verb == "" && fs.NArg() > 0 {
		verb = fs.Arg(0)
	} else if fs.NArg() > 0 {
		verb = "?"
	}
	t := i18n.For(*lang)
	if verb != "show" && verb != "reset" {
		return errors.New(t.ProgressUsage)
	}
	if verb == "reset" {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		fmt.Fprintln(out, i18n.Tr(t.ProgressResetFmt, path))
		return nil
	}
	p, note := lessons.LoadProgress(path)
	if note != "" {
		fmt.Fprintln(out, note)
	}
	ls, err := lessons.Builtin(*lang)
	if err != nil {
		ls, err = lessons.Builtin("en")
	}
	if err != nil {
		return err
	}
	width := 0
	for _, l := range ls {
		width = max(width, ansi.StringWidth(l.Title+" ("+l.ID+")"))
	}
	for i, l := range ls {
		name := l.Title + " (" + l.ID + ")"
		fmt.Fprintf(out, "%d. %s%s  %s\n", i+1, name, strings.Repeat(" ", width-ansi.StringWidth(name)), i18n.Tr(t.StepsCount, len(p.Done[l.ID]), len(l.Steps)))
	}
	if p.Lesson != "" {
		fmt.Fprintln(out, "\n"+i18n.Tr(t.ProgressLastFmt, p.Lesson, p.Step+1))
	}
	fmt.Fprintln(out, i18n.Tr(t.ProgressFileFmt, path))
	return nil
}

// explain is `layerlab explain [--lang ko] [--width N] FILE`: what the
// editor's pane says of each line of a Dockerfile; it fails (exit 1) when
// the file has an error that would stop a build.
func explain(args []string, out io.Writer) error {
	h := helpFor(args)
	fs := flag.NewFlagSet("layerlab explain", flag.ContinueOnError)
	lang := fs.String("lang", cliLang(), h("en|ko (default: config lang, else LC_ALL, LC_MESSAGES or LANG)"))
	width := fs.Int("width", tui.TerminalWidth(os.Stdout.Fd(), 80), h("wrap at this many columns"))
	if err := fs.Parse(args); err != nil {
		return err
	}
	t := i18n.For(*lang)
	if fs.NArg() != 1 {
		return errors.New(t.DF.ExplainUsage)
	}
	src, err := engine.ReadTextFile(fs.Arg(0))
	var fe *engine.FileError
	if errors.As(err, &fe) {
		if fe.Code == engine.FileNotPlain {
			return errors.New(i18n.Tr(t.DF.NotRegularFmt, fs.Arg(0)))
		}
		return errors.New(tui.FileRefusedText(&t, fs.Arg(0), err))
	}
	if err != nil {
		return err
	}
	text, errs := render.ExplainFile(t, src, max(*width, 40))
	fmt.Fprint(out, text)
	if errs > 0 {
		fmt.Fprintln(out, "\n"+i18n.Tr(t.DF.ExplainErrorsFmt, fs.Arg(0), errs))
		return errReported
	}
	return nil
}

// lessonImages are the images the built-in lessons, in every language,
// tell a learner to get: what prepare brings and bundle carries (the same
// list layerlab serve publishes).
func lessonImages() ([]string, error) {
	var sets [][]*lessons.Lesson
	for lang := range i18n.Languages {
		ls, err := lessons.Builtin(lang)
		if err != nil {
			return nil, err
		}
		sets = append(sets, ls)
	}
	return clitext.LessonImages(sets...), nil
}

// publishLessonImages puts every image the lessons (in every language) tell
// a learner to get into the classroom registry, from the instructor's
// daemon, and says how each went.
func publishLessonImages(ctx context.Context, out io.Writer, t i18n.Strings, reg *classroom.Registry, host *docker.Client, byLang map[string][]*lessons.Lesson) {
	for _, p := range reg.Publish(ctx, host, clitext.LessonImages(slices.Collect(maps.Values(byLang))...)) {
		switch {
		case p.Missing:
			fmt.Fprintf(out, "! %s is not on this machine's daemon: run layerlab prepare (or bundle import) first, or its lessons cannot pull it\n", p.Image)
		case p.Err != nil:
			fmt.Fprintf(out, "! %s: %s\n", p.Image, i18n.ErrorText(t, p.Err))
		default:
			fmt.Fprintf(out, "✓ %s served to the learners' engines\n", p.Image)
		}
	}
}

// workshop runs the classroom commands: doctor, prepare, bundle export|import.
func workshop(cmd string, args []string, out io.Writer) error {
	h := helpFor(args)
	fs := flag.NewFlagSet("layerlab "+cmd, flag.ContinueOnError)
	mirror := fs.String("registry-mirror", os.Getenv("LAYERLAB_REGISTRY_MIRROR"), h("the classroom registry mirror (HOST:PORT)"))
	asJSON := fs.Bool("json", false, h("doctor: print the checks as JSON"))
	lang := fs.String("lang", cliLang(), h("en|ko (default: config lang, else LC_ALL, LC_MESSAGES or LANG)"))
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), h("\nUsage:  layerlab doctor [OPTIONS]\n        layerlab prepare [OPTIONS]\n        layerlab bundle export|import FILE\n\nCheck this machine, pull the lesson images, or carry them on a file.\n\nOptions:\n"))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	t := i18n.For(*lang)
	ls, err := lessons.Builtin("en")
	if err != nil {
		return err
	}
	cli, err := newClient()
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if cmd == "doctor" {
		checks := clitext.Doctor(ctx, clitext.DoctorOptions{Client: cli, Lessons: ls, Mirror: *mirror, Strings: t, Term: os.Stdout, Env: os.Environ(), MinWidth: tui.MinWidth, MinHeight: tui.MinHeight})
		if err := clitext.WriteDoctor(out, t, checks, *asJSON); err != nil {
			return err
		}
		if clitext.DoctorFailed(checks) {
			return errReported
		}
		return nil
	}
	if _, err := cli.Connect(ctx); err != nil {
		return errors.New(i18n.ErrorText(t, err))
	}
	images, err := lessonImages()
	if err != nil {
		return err
	}
	switch cmd {
	case "prepare":
		failed := 0
		for _, img := range images {
			if ok, _, _ := cli.Exists(ctx, img); ok {
				fmt.Fprintln(out, i18n.Tr(t.Doc.PreparePresentFmt, img))
				continue
			}
			ref, _ := docker.ParseRef(img)
			res, err := cli.Pull(ctx, ref, docker.PullOptions{Mirror: *mirror, Lesson: "prepare"}, nil)
			if err != nil {
				failed++
				fmt.Fprintln(out, i18n.Tr(t.Doc.PrepareFailedFmt, img, i18n.ErrorText(t, err)))
				continue
			}
			_, existed, all := res.Progress.Counts()
			fmt.Fprintln(out, i18n.Tr(t.Doc.PreparePulledFmt, img, all, all-existed))
		}
		if failed > 0 {
			return fmt.Errorf("%d image(s) could not be pulled", failed)
		}
		return nil
	case "bundle":
		if fs.NArg() != 2 || (fs.Arg(0) != "export" && fs.Arg(0) != "import") {
			fs.Usage()
			return errors.New("usage: layerlab bundle export|import FILE")
		}
		file := fs.Arg(1)
		if fs.Arg(0) == "export" {
			f, err := os.OpenFile(file, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
			if err != nil {
				return err
			}
			if err := cli.Save(ctx, images, f); err != nil {
				f.Close()
				os.Remove(file)
				return errors.New(i18n.ErrorText(t, err))
			}
			if err := f.Close(); err != nil {
				return err
			}
			fi, _ := os.Stat(file)
			fmt.Fprintln(out, i18n.Tr(t.Doc.ExportedFmt, file, len(images), units.HumanSize(float64(fi.Size()))))
			return nil
		}
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		defer f.Close()
		loaded, err := cli.Load(ctx, f)
		if err != nil {
			return errors.New(i18n.ErrorText(t, err))
		}
		fmt.Fprintln(out, i18n.Tr(t.Doc.ImportedFmt, file, strings.Join(loaded, ", ")))
		var missing []string
		for _, img := range images {
			if ok, _, _ := cli.Exists(ctx, img); !ok {
				missing = append(missing, img)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("the bundle lacks %s", strings.Join(missing, ", "))
		}
		return nil
	}
	return nil
}

// serveCmd is `layerlab serve`: the classroom over SSH (classroom/), its
// instructor's view (--watch) and a learner's reset (--reset NAME).
func serveCmd(args []string, out io.Writer) error {
	h := helpFor(args)
	fs := flag.NewFlagSet("layerlab serve", flag.ContinueOnError)
	addr := fs.String("addr", ":2222", h("listen for SSH on this address"))
	classFile := fs.String("class", "", h("the class list: a learner a line, NAME [SSH PUBLIC KEY], and 'passphrase: …' for those without a key (docs/classroom.md)"))
	state := fs.String("state", "/var/lib/layerlab/serve", h("the server's state: host key, learners' progress, workspaces and engines"))
	runDir := fs.String("run", "/run/layerlab-serve", h("the learners' engines' sockets"))
	idle := fs.Duration("idle", 30*time.Minute, h("stop a learner's engine after this long without a session (0: never)"))
	maxSessions := fs.Int("max-sessions", classroom.DefaultMaxSessions, h("sessions a learner may have at once"))
	disk := fs.String("disk", "4GiB", h("each learner's engine's disk: a filesystem of this size (a new size holds after --reset)"))
	pids := fs.Int("pids", engines.DefaultPids, h("the most processes and threads each learner's engine may run, containers included"))
	watch := fs.Bool("watch", false, h("the instructor's view: who is connected, where each learner is, who is stuck"))
	reset := fs.String("reset", "", h("remove learner `NAME`'s engine, progress and workspace (a fresh start): their sessions end first"))
	release := fs.String("release", "", h("release learner `NAME`'s name: their next login with the class passphrase binds it anew (a lost key or secret)"))
	stopEngines := fs.Bool("stop-engines", false, h("stop every learner's engine, keeping their images and containers (the end of a class)"))
	lang := fs.String("lang", cliLang(), h("en|ko: what the server says before a learner's language is known, and the view's"))
	if err := fs.Parse(args); err != nil {
		return err
	}
	t := i18n.For(*lang)
	engineDir := filepath.Join(*state, "engines")
	provider := engines.NewRootless(engineDir, *runDir)
	diskBytes, err := units.RAMInBytes(*disk)
	if err != nil || diskBytes < 256<<20 {
		return fmt.Errorf("--disk %q: a size of at least 256MiB, such as 4GiB", *disk)
	}
	provider.Disk, provider.Pids = diskBytes, *pids
	if *watch {
		_, err := tea.NewProgram(classroom.NewWatch(*state, t)).Run()
		return err
	}
	if *reset != "" || *release != "" || *stopEngines {
		return serveControl(*state, provider, *reset, *release, *stopEngines, out)
	}
	if *classFile == "" {
		return errors.New("layerlab serve needs --class FILE (the class list; docs/classroom.md)")
	}
	class, err := classroom.ReadClass(*classFile)
	if err != nil {
		return err
	}
	if missing := provider.Check(); missing != "" {
		return fmt.Errorf("this machine cannot run an engine per learner; it needs %s", missing)
	}
	byLang := map[string][]*lessons.Lesson{}
	for _, l := range []string{"en", "ko"} {
		ls, err := lessons.Builtin(l)
		if err != nil {
			return err
		}
		byLang[l] = ls
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := os.MkdirAll(*state, 0o711); err != nil {
		return err
	}
	reg, err := classroom.StartRegistry()
	if err != nil {
		return err
	}
	defer reg.Close()
	// Each engine runs in a network namespace of its own; this registry,
	// served inside it on the same address, is all it can reach.
	provider.Registry, provider.RegistryAddr = reg.Handler, reg.Host
	defer provider.Close()
	host, err := newClient()
	if err != nil {
		return err
	}
	defer host.Close()
	if _, err := host.Connect(ctx); err != nil {
		return errors.New(i18n.ErrorText(t, err))
	}
	publishLessonImages(ctx, out, t, reg, host, byLang)
	logger := log.New(out, "", log.LstdFlags)
	reg.Seal() // published: nobody pushes into it from now on
	srv, err := classroom.New(classroom.Config{Addr: *addr, StateDir: *state, Class: class, Engines: provider, Mirror: reg.Host,
		Lessons: byLang, Lang: *lang, Idle: *idle, MaxSessions: *maxSessions, MaxDisk: diskBytes, Logf: logger.Printf})
	if err != nil {
		return err
	}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	_, port, _ := net.SplitHostPort(*addr)
	fmt.Fprintf(out, "layerlab classroom on %s: %d learners log in with ssh -p %s NAME@THIS-HOST (lesson images from %s); layerlab serve --watch shows them\n", *addr, len(class.Learners), port, reg.Host)
	return srv.ListenAndServe()
}

// serveControl is serve --reset, --release and --stop-engines: asked of the
// server running with state, else done to the state folder directly.
func serveControl(state string, provider *engines.Rootless, reset, release string, stopEngines bool, out io.Writer) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ask := func(req classroom.ControlRequest, offline func() ([]string, error)) ([]string, error) {
		rep, err := classroom.Control(state, req)
		if errors.Is(err, classroom.ErrNoServer) {
			return offline()
		}
		return rep.Names, err
	}
	if reset != "" {
		if _, err := ask(classroom.ControlRequest{Op: "reset", Name: reset}, func() ([]string, error) {
			if !engines.ValidName(reset) {
				return nil, fmt.Errorf("%q cannot be a learner's name", reset)
			}
			if err := provider.Reset(ctx, reset); err != nil {
				return nil, err
			}
			return nil, os.RemoveAll(filepath.Join(state, "learners", reset))
		}); err != nil {
			return err
		}
		fmt.Fprintf(out, "%s: sessions ended; engine, progress, workspace and the name's binding removed\n", reset)
	}
	if release != "" {
		if _, err := ask(classroom.ControlRequest{Op: "release", Name: release}, func() ([]string, error) {
			return nil, classroom.ReleaseOffline(state, release)
		}); err != nil {
			return err
		}
		fmt.Fprintf(out, "%s: name released: the next login with the class passphrase binds it\n", release)
	}
	if stopEngines {
		names, err := ask(classroom.ControlRequest{Op: "stop-engines"}, func() ([]string, error) {
			names := provider.Running()
			for _, n := range names {
				if err := provider.Stop(n); err != nil {
					return names, err
				}
			}
			return names, nil
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "engines stopped, their data kept: %s\n", strings.Join(names, " "))
	}
	return nil
}

// lessonsCmd is `layerlab lessons validate [--lang en|ko] DIR`.
func lessonsCmd(args []string, out io.Writer) error {
	h := helpFor(args)
	fs := flag.NewFlagSet("layerlab lessons", flag.ContinueOnError)
	lang := fs.String("lang", cliLang(), h("en|ko (default: config lang, else LC_ALL, LC_MESSAGES or LANG)"))
	// The verb comes first; the flags before or after the folder.
	verb := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		verb, args = args[0], args[1:]
	}
	var rest []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		rest, args = append(rest, fs.Arg(0)), fs.Args()[1:]
	}
	t := i18n.For(*lang)
	if verb != "validate" || len(rest) != 1 {
		return errors.New(t.PackUsage)
	}
	return validatePack(rest[0], &t, out)
}

// validatePack is `layerlab lessons validate DIR`: every problem of a lesson
// pack, one per line, as file:line:column: message, in t's language.
func validatePack(dir string, t *i18n.Strings, out io.Writer) error {
	byLang, err := lessons.LoadPack(os.DirFS(dir))
	if err != nil {
		fmt.Fprintln(out, i18n.LessonErrorText(t, err))
		return errors.New(i18n.Tr(t.PackInvalidFmt, dir))
	}
	for _, lang := range []string{"en", "ko"} {
		if ls, ok := byLang[lang]; ok {
			fmt.Fprintln(out, i18n.Tr(t.PackLessonsFmt, lang, len(ls)))
		}
	}
	fmt.Fprintln(out, i18n.Tr(t.PackOKFmt, dir))
	return nil
}

// Config is $XDG_CONFIG_HOME/layerlab/config.toml; flags and environment
// variables override each key.
type Config struct {
	Lang           string `toml:"lang"`
	Theme          string `toml:"theme"`
	RegistryMirror string `toml:"registry_mirror"`
	Workspace      string `toml:"workspace"`
}

func configPath() string {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "layerlab", "config.toml")
}

// loadConfig reads the config file; a missing one is empty. A key it does not
// know is an error with its name, not silently ignored.
func loadConfig(path string) (Config, error) {
	var c Config
	if path == "" {
		return c, nil
	}
	md, err := toml.DecodeFile(path, &c)
	if errors.Is(err, os.ErrNotExist) {
		return Config{}, nil
	}
	if err != nil {
		return c, fmt.Errorf("config %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return c, fmt.Errorf("config %s: unknown key %q (known: lang, theme, registry_mirror, workspace)", path, und[0].String())
	}
	return c, nil
}

// pick is the first non-empty of env, config and default.
func pick(env, cfg, def string) string {
	if env != "" {
		return env
	}
	if cfg != "" {
		return cfg
	}
	return def
}

// appVersion is set at build time (-ldflags "-X main.appVersion=v1.0.0");
// otherwise the module's version or VCS revision is used.
var appVersion = ""

func printVersion(out io.Writer) error {
	v := appVersion
	if bi, ok := debug.ReadBuildInfo(); ok && v == "" {
		v = bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
	}
	fmt.Fprintf(out, "layerlab %s, %s\n", v, runtime.Version())
	ep := docker.ResolveEndpoint()
	cli, err := docker.New(ep)
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	eng, err := cli.Connect(ctx)
	if err != nil {
		fmt.Fprintf(out, "engine: not reachable at %s (%s): %s\n", ep.Host, ep.Source, i18n.ErrorText(i18n.English, err))
		return nil
	}
	fmt.Fprintf(out, "engine: Docker %s, API %s, at %s (%s)\n", eng.Version, eng.APIVersion, ep.Host, ep.Source)
	return nil
}

// errReported ends a command whose output already explained the failure.
var errReported = errors.New("reported")

// newClient is a client for the daemon the docker CLI would use, keeping
// layerlab's ledger in the state folder.
func newClient() (*docker.Client, error) {
	cli, err := docker.New(docker.ResolveEndpoint())
	if err != nil {
		return nil, err
	}
	cli.UseLedger(openLedger(i18n.For(cliLang()), os.Stderr))
	return cli, nil
}

// openLedger opens layerlab's record of what it made, saying so on w
// when a damaged one had to be set aside.
func openLedger(t i18n.Strings, w io.Writer) *docker.Ledger {
	path := statePath("owned.json")
	l := docker.OpenLedger(path)
	if aside := l.SetAside(); aside != "" {
		fmt.Fprintln(w, "layerlab:", i18n.Tr(t.LedgerSetAsideFmt, path, aside))
	}
	return l
}

// statePath is a file in layerlab's XDG state folder ($XDG_STATE_HOME/layerlab,
// by default ~/.local/state/layerlab): the ledger, the progress files.
func statePath(name string) string {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "layerlab", name)
}
