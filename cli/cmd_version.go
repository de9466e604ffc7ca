package cli

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"time"

	flag "github.com/spf13/pflag"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// versionCmd is `layerlab version` (also `layerlab --version`).
func versionCmd(e *env, fs *flag.FlagSet) (string, func([]string) error) {
	usage := e.t.Help.UsageVersion
	return usage, func(args []string) error {
		if err := e.noArgs(args); err != nil {
			return err
		}
		return printVersion(e)
	}
}

// printVersion prints the module's version (go install's) or VCS revision
// (a build from a checkout), and the engine the daemon's endpoint answers with.
func printVersion(e *env) error {
	out := e.stdout
	v := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
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
	ctx, cancel := context.WithTimeout(e.ctx, 5*time.Second)
	defer cancel()
	eng, err := cli.Connect(ctx)
	if err != nil {
		fmt.Fprintln(out, i18n.Tr(e.t.Cmd.NoEngineFmt, ep.Host, ep.Source, i18n.ErrorText(e.t, err)))
		return nil
	}
	fmt.Fprintln(out, i18n.Tr(e.t.Cmd.EngineFmt, eng.Version, eng.APIVersion, ep.Host, ep.Source))
	return nil
}
