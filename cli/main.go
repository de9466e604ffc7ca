// Package cli is layerlab's command line: every subcommand (the app, plain
// mode, cleanup, doctor, prepare, bundle, lessons, progress, explain, serve,
// version) in one table with one set-up path (the config, the language,
// the global options before or after the command), and what the commands
// without a screen print, in the learner's language. main.go only calls Main.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	flag "github.com/spf13/pflag"

	"github.com/layerlab/layerlab/lessons/i18n"
)

// A command is one of layerlab's subcommands; the one without a name opens
// the app. setup adds the command's own options to fs and returns its usage
// (the lines above the options, e.t.Help's) and what runs it once the
// command line is parsed, with the arguments left (the verb, a file).
type command struct {
	name  string
	setup func(e *env, fs *flag.FlagSet) (usage string, run func(args []string) error)
}

// commands are layerlab's subcommands, the app first.
func commands() []command {
	return []command{
		{"", appCmd},
		{"cleanup", cleanupCmd},
		{"doctor", doctorCmd},
		{"prepare", prepareCmd},
		{"bundle", bundleCmd},
		{"lessons", lessonsCmd},
		{"progress", progressCmd},
		{"explain", explainCmd},
		{"serve", serveCmd},
		{"version", versionCmd},
	}
}

// env is what every command runs with: its streams, the global options,
// the config file and the words of the language chosen.
type env struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	cfg            Config
	// lang is the language (--lang, else config lang, else the locale); t its
	// words (the help's among them: t.Help).
	lang string
	t    i18n.Strings
	// packDir is --lessons: a lesson pack's folder instead of the built-in lessons.
	packDir string
	logFile string
	// name is the command's ("layerlab cleanup").
	name string
}

// Main runs layerlab with its arguments (os.Args[1:]) and returns the exit
// status: 0, 1 when the command failed (its output or the error line on
// stderr says why), 2 when the command line was wrong.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	err := run(ctx, args, stdin, stdout, stderr, os.Getenv)
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errReported):
		return 1 // the output already says why
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "layerlab:", err)
		return 2
	}
	fmt.Fprintln(stderr, "layerlab:", err)
	return 1
}

// errReported ends a command whose output already explained the failure.
var errReported = errors.New("reported")

// usageError is a mistake on the command line, worded with where the options are.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

// run is the one set-up path of every command: the config, the language,
// the command named anywhere among the options, the global options and the
// command's own parsed together, the debug log; then the command.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	// Until --lang is parsed, the help and the mistakes are worded in the
	// language it names (read ahead), else config lang's, else the locale's.
	cfg, cfgErr := loadConfig(configPath(getenv))
	e.cfg = cfg
	// A --lang layerlab does not speak is said in the config's or the locale's.
	fallback := cfg.Lang
	if !i18n.Known(fallback) {
		fallback, _ = i18n.FromLocale(getenv)
	}
	e.lang = langArg(args)
	if e.lang == "" {
		e.lang = cfg.Lang
	}
	if e.lang == "" {
		e.lang = fallback
	}
	e.t = i18n.For(e.lang)
	if cfgErr != nil {
		return wordConfigError(e.t, cfgErr)
	}
	if !i18n.Known(e.lang) {
		return usageError{i18n.Tr(i18n.For(fallback).Cmd.LangFmt, strings.Join(i18n.Codes(), ", "), e.lang)}
	}

	cmd, rest := pickCommand(e, args)
	e.name = strings.TrimSpace("layerlab " + cmd.name)
	own := flag.NewFlagSet(e.name, flag.ContinueOnError)
	usage, runCmd := cmd.setup(e, own)
	global := e.globalFlags()
	fs := flag.NewFlagSet(e.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.AddFlagSet(own)
	fs.AddFlagSet(global)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprint(w, usage)
		if own.HasFlags() {
			fmt.Fprint(w, e.t.Help.OptionsHeading)
			fmt.Fprint(w, e.flagUsages(own))
		}
		fmt.Fprint(w, e.t.Help.GlobalHeading)
		fmt.Fprint(w, e.flagUsages(global))
		fmt.Fprintln(w, "\n"+fmt.Sprintf(e.t.Help.ConfigFmt, configPath(getenv)))
	}
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return e.flagError(err)
	}
	if !i18n.Known(e.lang) { // --lang x --lang y: the last one
		return usageError{i18n.Tr(i18n.For(fallback).Cmd.LangFmt, strings.Join(i18n.Codes(), ", "), e.lang)}
	}
	e.t = i18n.For(e.lang)
	log.SetOutput(io.Discard)
	if e.logFile != "" {
		f, err := os.OpenFile(filepath.Clean(e.logFile), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return err
		}
		defer f.Close()
		log.SetOutput(f)
	}
	return runCmd(fs.Args())
}

// globalFlags are the options every command takes, before or after its name.
func (e *env) globalFlags() *flag.FlagSet {
	fs := flag.NewFlagSet("global", flag.ContinueOnError)
	fs.StringVar(&e.lang, "lang", e.lang, e.t.Help.GlobalLang)
	fs.StringVar(&e.packDir, "lessons", "", e.t.Help.GlobalLessons)
	fs.StringVar(&e.logFile, "log", e.getenv("LAYERLAB_LOG"), e.t.Help.GlobalLog)
	return fs
}

// langArg is the value of --lang in args, read ahead of parsing ("" if none).
func langArg(args []string) string {
	lang := ""
	for i, a := range args {
		if a == "--" {
			break
		}
		if v, ok := strings.CutPrefix(a, "--lang="); ok {
			lang = v
		} else if a == "--lang" && i+1 < len(args) {
			lang = args[i+1]
		}
	}
	return lang
}

// namesNothing reports whether args hold a word that is neither an option
// nor an option's value (probe knows which options take one).
func namesNothing(probe *flag.FlagSet, args []string) bool {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return i+1 < len(args)
		}
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			if f := probe.Lookup(strings.TrimLeft(a, "-")); f != nil && f.NoOptDefVal == "" && !strings.Contains(a, "=") {
				i++ // its value
			}
			continue
		}
		return true
	}
	return false
}

// pickCommand finds the command named among args: the first argument that
// is neither an option nor an option's value. A word that names no command
// is left to the app, which says so. `help [COMMAND]` is COMMAND --help.
func pickCommand(e *env, args []string) (command, []string) {
	cmds := commands()
	probe := flag.NewFlagSet("probe", flag.ContinueOnError)
	pe := *e // the app's options, to know which take a value
	_, _ = cmds[0].setup(&pe, probe)
	probe.AddFlagSet(pe.globalFlags())
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			name := strings.TrimLeft(a, "-")
			if f := probe.Lookup(name); f != nil && f.NoOptDefVal == "" {
				i++ // its value
			}
			continue
		}
		rest := slices.Delete(slices.Clone(args), i, i+1)
		if a == "help" {
			cmd, rest := pickCommand(e, rest)
			if cmd.name == cmds[0].name && namesNothing(probe, rest) {
				// A word after help names no command: the app says so,
				// as it does for `layerlab WORD`.
				return cmd, rest
			}
			return cmd, append(rest, "--help")
		}
		for _, c := range cmds[1:] {
			if c.name == a {
				return c, rest
			}
		}
		break
	}
	return cmds[0], args
}

// flagError words a mistake pflag found in the language chosen.
func (e *env) flagError(err error) error {
	c := e.t.Cmd
	var (
		ne *flag.NotExistError
		ve *flag.ValueRequiredError
		ie *flag.InvalidValueError
		se *flag.InvalidSyntaxError
	)
	msg := err.Error()
	switch {
	case errors.As(err, &ne):
		name := "--" + ne.GetSpecifiedName()
		if sh := ne.GetSpecifiedShortnames(); sh != "" {
			name = "-" + ne.GetSpecifiedName()
		}
		msg = i18n.Tr(c.UnknownFlagFmt, name)
	case errors.As(err, &ve):
		msg = i18n.Tr(c.NeedsValueFmt, "--"+ve.GetFlag().Name)
	case errors.As(err, &ie):
		msg = i18n.Tr(c.BadValueFmt, "--"+ie.GetFlag().Name, ie.GetValue())
	case errors.As(err, &se):
		msg = i18n.Tr(c.UnknownFlagFmt, se.GetSpecifiedFlag())
	}
	return usageError{msg + " " + i18n.Tr(c.HelpHintFmt, e.name)}
}

// noArgs is a command's refusal of arguments it does not take.
func (e *env) noArgs(args []string) error {
	if len(args) == 0 {
		return nil
	}
	return usageError{i18n.Tr(e.t.Cmd.ExtraArgFmt, strings.TrimPrefix(e.name, "layerlab "), args[0]) + " " + i18n.Tr(e.t.Cmd.HelpHintFmt, e.name)}
}

// commandNames are the subcommands' names.
func commandNames() []string {
	var names []string
	for _, c := range commands()[1:] {
		names = append(names, c.name)
	}
	return names
}

// signalContext is e's context, done at ctrl+c.
func (e *env) signalContext() (context.Context, context.CancelFunc) {
	return signalNotify(e.ctx)
}

// flagTypeRe finds the flag library's "string" after an option's name.
var flagTypeRe = regexp.MustCompile(`(?m)^(\s+(?:-\w, )?--[\w-]+(?:\[[^\]]*\])?) string( )`)

// flagUsages are the options' lines as the flag library lays them out, its
// own words ("string", "(default …)") in the learner's language.
func (e *env) flagUsages(fs *flag.FlagSet) string {
	out := fs.FlagUsages()
	if e.t.Help.FlagString == "string" {
		return out
	}
	out = flagTypeRe.ReplaceAllString(out, "${1} "+e.t.Help.FlagString+"${2}")
	return strings.ReplaceAll(out, "(default ", "("+e.t.Help.FlagDefault+" ")
}
