// Command layerlab teaches how Docker images and containers really work, by
// running the real operations on your own daemon and showing the layers live.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/tui"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "layerlab:", err)
		os.Exit(1)
	}
}

// run is the composition root: flags, logging, the daemon client, the lessons, the UI.
func run(args []string) error {
	fs := flag.NewFlagSet("layerlab", flag.ContinueOnError)
	mirror := fs.String("registry-mirror", os.Getenv("LAYERLAB_REGISTRY_MIRROR"),
		"pull Docker Hub images of the lessons from this registry (HOST:PORT) instead; also LAYERLAB_REGISTRY_MIRROR")
	theme := fs.String("theme", "dark", "colours for a dark or light terminal background: dark|light")
	logFile := fs.String("log", os.Getenv("LAYERLAB_LOG"), "write a debug log to this file (never to the terminal)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *theme != "dark" && *theme != "light" {
		return fmt.Errorf("--theme must be dark or light, not %q", *theme)
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

	ls, err := lessons.Builtin("en")
	if err != nil {
		return fmt.Errorf("lessons: %w", err)
	}
	ep := docker.ResolveEndpoint()
	log.Printf("daemon endpoint %s (from %s)", ep.Host, ep.Source)
	cli, err := docker.New(ep)
	if err != nil {
		return err
	}
	defer cli.Close()

	m := tui.New(tui.Options{Client: cli, Lessons: ls, Mirror: *mirror, Dark: *theme == "dark"})
	_, err = tea.NewProgram(m).Run()
	return err
}
