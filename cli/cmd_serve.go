package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	units "github.com/docker/go-units"
	flag "github.com/spf13/pflag"

	"github.com/layerlab/layerlab/classroom"
	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/engines"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// serveCmd is `layerlab serve`: the classroom over SSH (classroom/), its
// instructor's view (--watch) and a learner's reset (--reset NAME).
func serveCmd(e *env, fs *flag.FlagSet) (string, func([]string) error) {
	addr := fs.String("addr", ":2222", e.t.Help.ServeAddr)
	classFile := fs.String("class", "", e.t.Help.ServeClass)
	state := fs.String("state", "/var/lib/layerlab/serve", e.t.Help.ServeState)
	runDir := fs.String("run", "/run/layerlab-serve", e.t.Help.ServeRun)
	idle := fs.Duration("idle", 30*time.Minute, e.t.Help.ServeIdle)
	maxSessions := fs.Int("max-sessions", classroom.DefaultMaxSessions, e.t.Help.ServeMaxSessions)
	disk := fs.String("disk", "4GiB", e.t.Help.ServeDisk)
	pids := fs.Int("pids", engines.DefaultPids, e.t.Help.ServePids)
	engineCPU := fs.Int("engine-cpu", engines.EngineCPUShares, e.t.Help.ServeEngineCPU)
	watch := fs.Bool("watch", false, e.t.Help.ServeWatch)
	reset := fs.String("reset", "", e.t.Help.ServeReset)
	release := fs.String("release", "", e.t.Help.ServeRelease)
	stopEngines := fs.Bool("stop-engines", false, e.t.Help.ServeStopEngines)
	usage := e.t.Help.UsageServe
	return usage, func(args []string) error {
		if err := e.noArgs(args); err != nil {
			return err
		}
		t, out := e.t, e.stdout
		engineDir := filepath.Join(*state, "engines")
		provider := engines.NewRootless(engineDir, *runDir)
		diskBytes, err := units.RAMInBytes(*disk)
		if err != nil || diskBytes < 256<<20 {
			return usageError{i18n.Tr(t.Cmd.DiskFmt, *disk)}
		}
		provider.Disk, provider.Pids = diskBytes, *pids
		if provider.CPUShares = *engineCPU; *engineCPU <= 0 {
			provider.CPUShares = -1
		}
		if *watch {
			_, err := tea.NewProgram(classroom.NewWatch(*state, t), e.teaIO()...).Run()
			return err
		}
		if *reset != "" || *release != "" || *stopEngines {
			return serveControl(e, *state, provider, *reset, *release, *stopEngines)
		}
		if *classFile == "" {
			return usageError{t.Cmd.NeedsClass}
		}
		class, err := classroom.ReadClass(*classFile)
		if err != nil {
			return classErrorText(t, err)
		}
		if missing := provider.Check(); missing != "" {
			return errors.New(i18n.Tr(t.Cmd.CannotServeFmt, missing))
		}
		set, err := e.lessons()
		if err != nil {
			return err
		}
		ctx, stop := signal.NotifyContext(e.ctx, os.Interrupt, syscall.SIGTERM)
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
		host, err := e.newClient()
		if err != nil {
			return err
		}
		defer host.Close()
		if _, err := host.Connect(ctx); err != nil {
			return errors.New(i18n.ErrorText(t, err))
		}
		publishLessonImages(ctx, out, t, reg, host, set.byLang)
		logger := log.New(out, "", log.LstdFlags)
		reg.Seal() // published: nobody pushes into it from now on
		srv, err := classroom.New(classroom.Config{Addr: *addr, StateDir: *state, Class: class, Engines: provider, Mirror: reg.Host,
			Lessons: set.byLang, Lang: e.lang, Idle: *idle, MaxSessions: *maxSessions, MaxDisk: diskBytes, Logf: logger.Printf})
		if err != nil {
			return err
		}
		go func() {
			<-ctx.Done()
			srv.Close()
		}()
		_, port, _ := net.SplitHostPort(*addr)
		fmt.Fprintln(out, i18n.Tr(t.Cmd.ServingFmt, *addr, len(class.Learners), port, reg.Host))
		return srv.ListenAndServe()
	}
}

// classErrorText words a class file's line that cannot be read in t's language.
func classErrorText(t i18n.Strings, err error) error {
	var ce *classroom.ClassError
	if !errors.As(err, &ce) {
		return err
	}
	why := ce.Code
	switch ce.Code {
	case "name":
		why = i18n.Tr(t.Cmd.ClassNameFmt, ce.Text)
	case "key":
		why = i18n.Tr(t.Cmd.ClassKeyFmt, ce.Text)
	case "twice":
		why = i18n.Tr(t.Cmd.ClassTwiceFmt, ce.Text)
	case "empty":
		why = t.Cmd.ClassEmpty
	case "nopass":
		why = t.Cmd.ClassNoPass
	}
	return errors.New(i18n.Tr(t.Cmd.ClassLineFmt, ce.File, ce.Line, why))
}

// serveControl is serve --reset, --release and --stop-engines: asked of the
// server running with state, else done to the state folder directly.
func serveControl(e *env, state string, provider *engines.Rootless, reset, release string, stopEngines bool) error {
	t, out := e.t, e.stdout
	ctx, stop := e.signalContext()
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
				return nil, errors.New(i18n.Tr(t.Cmd.NotANameFmt, reset))
			}
			if err := provider.Reset(ctx, reset); err != nil {
				return nil, err
			}
			return nil, os.RemoveAll(filepath.Join(state, "learners", reset))
		}); err != nil {
			return err
		}
		fmt.Fprintln(out, i18n.Tr(t.Cmd.ResetDoneFmt, reset))
	}
	if release != "" {
		if _, err := ask(classroom.ControlRequest{Op: "release", Name: release}, func() ([]string, error) {
			return nil, classroom.ReleaseOffline(state, release)
		}); err != nil {
			return err
		}
		fmt.Fprintln(out, i18n.Tr(t.Cmd.ReleasedFmt, release))
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
		fmt.Fprintln(out, i18n.Tr(t.Cmd.EnginesStoppedFmt, strings.Join(names, " ")))
	}
	return nil
}

// publishLessonImages puts every image the lessons (in every language) tell
// a learner to get into the classroom registry, from the instructor's
// daemon, and says how each went.
func publishLessonImages(ctx context.Context, out io.Writer, t i18n.Strings, reg *classroom.Registry, host *docker.Client, byLang map[string][]*lessons.Lesson) {
	var sets [][]*lessons.Lesson
	for _, l := range i18n.Codes() {
		if ls, ok := byLang[l]; ok {
			sets = append(sets, ls)
		}
	}
	for _, p := range reg.Publish(ctx, host, LessonImages(sets...)) {
		switch {
		case p.Missing:
			fmt.Fprintln(out, i18n.Tr(t.Cmd.PublishMissingFmt, p.Image))
		case p.Err != nil:
			fmt.Fprintf(out, "! %s: %s\n", p.Image, i18n.ErrorText(t, p.Err))
		default:
			fmt.Fprintln(out, i18n.Tr(t.Cmd.PublishedFmt, p.Image))
		}
	}
}
