package cli

import (
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	flag "github.com/spf13/pflag"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui"
	"github.com/layerlab/layerlab/tui/pacer"
)

// appCmd is `layerlab` without a command: the app, or with --plain (or
// when stdout is not a terminal) a lesson printed and run as a script.
func appCmd(e *env, fs *flag.FlagSet) (string, func([]string) error) {
	cfg := e.cfg
	mirror := mirrorFlag(e, fs)
	theme := fs.String("theme", pick("", cfg.Theme, "auto"), e.t.Help.AppTheme)
	version := fs.Bool("version", false, e.t.Help.AppVersion)
	plain := fs.Bool("plain", false, e.t.Help.AppPlain)
	lesson := fs.String("lesson", "", e.t.Help.AppLesson)
	noRun := fs.Bool("no-run", false, e.t.Help.AppNoRun)
	workspace := fs.String("workspace", pick(e.getenv("LAYERLAB_WORKSPACE"), cfg.Workspace, ""),
		e.t.Help.AppWorkspace)
	usage := e.t.Help.UsageApp
	return usage, func(args []string) error {
		if len(args) > 0 {
			return usageError{i18n.Tr(e.t.Cmd.UnknownCommandFmt, args[0], strings.Join(commandNames(), ", ")) + " " + i18n.Tr(e.t.Cmd.HelpHintFmt, "layerlab")}
		}
		if *version {
			return printVersion(e)
		}
		if *theme != "auto" && *theme != "dark" && *theme != "light" {
			return usageError{i18n.Tr(e.t.Cmd.ThemeFmt, *theme)}
		}
		set, err := e.lessons()
		if err != nil {
			return err
		}
		ep := docker.ResolveEndpoint()
		log.Printf("daemon endpoint %s (from %s)", ep.Host, ep.Source)
		cli, err := docker.New(ep)
		if err != nil {
			return err
		}
		defer cli.Close()
		cli.UseLedger(openLedger(e.t, statePath(e.getenv, "owned.json"), e.stderr))
		ws := *workspace
		if ws == "" {
			if dir, err := os.UserCacheDir(); err == nil {
				ws = filepath.Join(dir, "layerlab", "workspace")
			}
		}
		if set.pack != "builtin" {
			ws = filepath.Join(ws, set.pack)
		}
		home, _ := os.UserHomeDir()
		progressPath := e.progressPath(set)
		prog, trouble := lessons.ReadProgress(progressPath)
		if note := i18n.ProgressTroubleText(&e.t, trouble); note != "" {
			e.warn(note)
			log.Print(note)
		}
		opts := tui.Options{Progress: prog, ProgressPath: progressPath, PackDir: set.dir, Live: true, Client: cli, Lessons: set.in(e.lang), Mirror: *mirror,
			Dark: *theme != "light", Workspace: ws, Home: home, Lang: e.lang, Languages: set.byLang, DetectTheme: *theme == "auto", NoColor: e.getenv("NO_COLOR") != ""}
		if *plain || !isTerminal(e.stdout) {
			ctx, stop := e.signalContext()
			defer stop()
			return RunPlain(ctx, e.stdout, PlainOptions{Daemon: cli, Lessons: opts.Lessons, Strings: e.t, Lang: e.lang,
				Mirror: *mirror, Workspace: ws, PackDir: set.dir, Home: home, Lesson: *lesson, Run: !*noRun})
		}
		if err := tui.CheckLesson(opts, *lesson); err != nil {
			return err
		}
		opts.Open = *lesson
		// What layers hold, kept between files reads and shared by windows:
		// beside the lessons' workspaces, in the learner's cache.
		if dir, err := os.UserCacheDir(); err == nil {
			opts.LayerIndex, opts.ReadAhead = docker.OpenLayerIndex(filepath.Join(dir, "layerlab", "layers"), 0), true
		}
		return runApp(e, opts)
	}
}

// runApp runs the app on the terminal until the learner quits.
func runApp(e *env, opts tui.Options) error {
	// The renderer looks for a new frame 90 times a second while the screen
	// changes: the first frame waits for its first tick (60/s put it past
	// 60 ms in tmux). The pacer slows it to once a second when nothing has
	// changed for a quarter of a second, so an idle app costs ≈ 0 CPU
	// (bench/run.sh, docs/performance.md). The model itself never changes the
	// screen more than 30 times a second while things run (streams, events
	// and the spinner are coalesced to that).
	if e.getenv("GOGC") == "" {
		// The live heap is small (3-6 MB: the terminal's cell buffers, the
		// lessons, a pull's state) and most of what a frame allocates is
		// garbage at once; at Go's default the heap grows to twice the live
		// one before a collection, which put the peak RSS over 40 MiB. At 30%
		// a collection costs ~1 ms more often: measured through the pulls of
		// bench/run.sh, peak RSS 43.9 -> 37.1 MiB, CPU 5.1% -> 6.7% of a core
		// (docs/performance.md). GOGC in the environment still decides.
		debug.SetGCPercent(gcPercent)
	}
	pace := pacer.New(fps)
	// Bubble Tea's own handler quits at SIGTERM before the app can remove
	// this window's containers: stopOnSignal takes SIGINT, SIGTERM and SIGHUP.
	program := tea.NewProgram(pace.Wrap(tui.New(opts)), append(e.teaIO(), tea.WithFPS(fps), tea.WithoutSignalHandler())...)
	pace.Attach(program)
	stop := stopOnSignal(program)
	defer stop()
	_, err := program.Run()
	return err
}

// stopOnSignal makes SIGHUP (the terminal window closed), SIGTERM and
// SIGINT (kill -INT; ctrl+c in the app is a key) do what q does: this
// window's containers removed, the terminal given back; if that takes over
// a second (a daemon that does not answer), the program is ended. The
// returned func stops listening.
func stopOnSignal(p *tea.Program) func() {
	sig := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(sig, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		select {
		case <-sig:
		case <-done:
			return
		}
		p.Send(tui.QuitMsg{})
		time.Sleep(time.Second)
		p.Kill()
	}()
	return func() {
		signal.Stop(sig)
		close(done)
	}
}

// teaIO are Bubble Tea's options for e's streams: none for the process's
// own, so that Bubble Tea opens the terminal itself when stdin is a pipe.
func (e *env) teaIO() []tea.ProgramOption {
	var o []tea.ProgramOption
	if e.stdin != io.Reader(os.Stdin) {
		o = append(o, tea.WithInput(e.stdin))
	}
	if e.stdout != io.Writer(os.Stdout) {
		o = append(o, tea.WithOutput(e.stdout))
	}
	return o
}

// mirrorFlag is --registry-mirror: LAYERLAB_REGISTRY_MIRROR, else config
// registry_mirror, by default none.
func mirrorFlag(e *env, fs *flag.FlagSet) *string {
	return fs.String("registry-mirror", pick(e.getenv("LAYERLAB_REGISTRY_MIRROR"), e.cfg.RegistryMirror, ""),
		e.t.Help.Mirror)
}

// warn prints a note on stderr: "layerlab: …".
func (e *env) warn(note string) {
	_, _ = io.WriteString(e.stderr, "layerlab: "+note+"\n")
}

// fps is the renderer's rate while the screen changes.
const fps = 90

// gcPercent is the heap's growth between collections (GOGC) of the app.
const gcPercent = 30
