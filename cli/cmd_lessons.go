package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/ansi"
	flag "github.com/spf13/pflag"

	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui"
	"github.com/layerlab/layerlab/tui/render"
)

// progressCmd is `layerlab progress show|reset`: the learner's progress
// through the lessons (--lessons: a pack's).
func progressCmd(e *env, fs *flag.FlagSet) (string, func([]string) error) {
	usage := e.t.Help.UsageProgress
	return usage, func(args []string) error {
		t, out := e.t, e.stdout
		if len(args) != 1 || (args[0] != "show" && args[0] != "reset") {
			return usageError{t.ProgressUsage}
		}
		set, err := e.lessons()
		if err != nil {
			return err
		}
		path := e.progressPath(set)
		if args[0] == "reset" {
			if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
			fmt.Fprintln(out, i18n.Tr(t.ProgressResetFmt, path))
			return nil
		}
		p, trouble := lessons.ReadProgress(path)
		if note := i18n.ProgressTroubleText(&t, trouble); note != "" {
			fmt.Fprintln(out, note)
		}
		ls := set.in(e.lang)
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
}

// explainCmd is `layerlab explain [--width N] FILE`: what the editor's pane
// says of each line of a Dockerfile; it fails (exit 1) when the file has an
// error that would stop a build.
func explainCmd(e *env, fs *flag.FlagSet) (string, func([]string) error) {
	fallback := 80
	if f, ok := e.stdout.(*os.File); ok {
		fallback = tui.TerminalWidth(f.Fd(), 80)
	}
	width := fs.Int("width", fallback, e.t.Help.ExplainWidth)
	usage := e.t.Help.UsageExplain
	return usage, func(args []string) error {
		t, out := e.t, e.stdout
		if len(args) != 1 {
			return usageError{t.DF.ExplainUsage}
		}
		src, err := engine.ReadTextFile(args[0])
		var fe *engine.FileError
		if errors.As(err, &fe) {
			if fe.Code == engine.FileNotPlain {
				return errors.New(i18n.Tr(t.DF.NotRegularFmt, args[0]))
			}
			return errors.New(tui.FileRefusedText(&t, args[0], err))
		}
		if err != nil {
			return err
		}
		text, errs := render.ExplainFile(t, src, max(*width, 40))
		fmt.Fprint(out, text)
		if errs > 0 {
			fmt.Fprintln(out, "\n"+i18n.Tr(t.DF.ExplainErrorsFmt, args[0], errs))
			return errReported
		}
		return nil
	}
}

// lessonsCmd is `layerlab lessons validate DIR`.
func lessonsCmd(e *env, fs *flag.FlagSet) (string, func([]string) error) {
	usage := e.t.Help.UsageLessons
	return usage, func(args []string) error {
		if len(args) != 2 || args[0] != "validate" {
			return usageError{e.t.PackUsage}
		}
		return validatePack(args[1], &e.t, e.stdout)
	}
}

// validatePack is `layerlab lessons validate DIR`: every problem of a lesson
// pack, one per line, as file:line:column: message, in t's language.
func validatePack(dir string, t *i18n.Strings, out io.Writer) error {
	byLang, err := lessons.LoadPack(os.DirFS(dir))
	if err != nil {
		fmt.Fprintln(out, i18n.LessonErrorText(t, err))
		return errors.New(i18n.Tr(t.PackInvalidFmt, dir))
	}
	for _, lang := range i18n.Codes() {
		if ls, ok := byLang[lang]; ok {
			fmt.Fprintln(out, i18n.Tr(t.PackLessonsFmt, lang, len(ls)))
		}
	}
	fmt.Fprintln(out, i18n.Tr(t.PackOKFmt, dir))
	return nil
}
