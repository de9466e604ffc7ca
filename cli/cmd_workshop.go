package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	units "github.com/docker/go-units"
	flag "github.com/spf13/pflag"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui"
)

// The classroom's commands before a class: doctor checks the machine,
// prepare pulls the lesson images, bundle carries them on a file.

// doctorCmd is `layerlab doctor [--json]`.
func doctorCmd(e *env, fs *flag.FlagSet) (string, func([]string) error) {
	mirror := mirrorFlag(e, fs)
	asJSON := fs.Bool("json", false, e.t.Help.DoctorJson)
	usage := e.t.Help.UsageDoctor
	return usage, func(args []string) error {
		if err := e.noArgs(args); err != nil {
			return err
		}
		set, err := e.lessons()
		if err != nil {
			return err
		}
		cli, err := e.newClient()
		if err != nil {
			return err
		}
		defer cli.Close()
		ctx, stop := e.signalContext()
		defer stop()
		term, _ := e.stdout.(*os.File)
		checks := Doctor(ctx, DoctorOptions{Client: cli, Lessons: set.in(i18n.LangEnglish), Mirror: *mirror, Strings: e.t, Term: term, Env: os.Environ(), MinWidth: tui.MinWidth, MinHeight: tui.MinHeight})
		if err := WriteDoctor(e.stdout, e.t, checks, *asJSON); err != nil {
			return err
		}
		if DoctorFailed(checks) {
			return errReported
		}
		return nil
	}
}

// prepareCmd is `layerlab prepare`: every image the lessons name, pulled.
func prepareCmd(e *env, fs *flag.FlagSet) (string, func([]string) error) {
	mirror := mirrorFlag(e, fs)
	usage := e.t.Help.UsagePrepare
	return usage, func(args []string) error {
		if err := e.noArgs(args); err != nil {
			return err
		}
		t, out := e.t, e.stdout
		cli, images, done, err := e.lessonImagesAndClient()
		if err != nil {
			return err
		}
		defer done()
		ctx, stop := e.signalContext()
		defer stop()
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
			return errors.New(i18n.Tr(t.Cmd.PrepareFailedFmt, failed))
		}
		return nil
	}
}

// bundleCmd is `layerlab bundle export|import FILE`: the lesson images on a
// file, for a classroom without network.
func bundleCmd(e *env, fs *flag.FlagSet) (string, func([]string) error) {
	usage := e.t.Help.UsageBundle
	return usage, func(args []string) error {
		t, out := e.t, e.stdout
		if len(args) != 2 || (args[0] != "export" && args[0] != "import") {
			return usageError{t.Cmd.BundleUsage}
		}
		cli, images, done, err := e.lessonImagesAndClient()
		if err != nil {
			return err
		}
		defer done()
		ctx, stop := e.signalContext()
		defer stop()
		file := args[1]
		if args[0] == "export" {
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
			return errors.New(i18n.Tr(t.Cmd.BundleLacksFmt, strings.Join(missing, ", ")))
		}
		return nil
	}
}

// lessonImagesAndClient are a connected client and the images the lessons
// name (prepare's and bundle's); done closes the client.
func (e *env) lessonImagesAndClient() (*docker.Client, []string, func(), error) {
	set, err := e.lessons()
	if err != nil {
		return nil, nil, nil, err
	}
	cli, err := e.newClient()
	if err != nil {
		return nil, nil, nil, err
	}
	ctx, stop := e.signalContext()
	defer stop()
	if _, err := cli.Connect(ctx); err != nil {
		cli.Close()
		return nil, nil, nil, errors.New(i18n.ErrorText(e.t, err))
	}
	return cli, LessonImages(set.all()...), func() { cli.Close() }, nil
}
