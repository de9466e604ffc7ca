// Command libs is the second start-up floor for bench/run.sh: the program
// of ../empty, linking the libraries layerlab links (glamour and its chroma,
// the docker client, buildkit's Dockerfile parser, its status messages and its session's file sync, distribution's reference,
// lipgloss and bubbles) without using them, so that their loading and
// package initialisation is all it adds. What layerlab takes beyond this
// floor is its own.
package main

import (
	_ "charm.land/bubbles/v2/viewport"
	_ "charm.land/glamour/v2"
	_ "charm.land/lipgloss/v2"
	_ "github.com/distribution/reference"
	_ "github.com/docker/docker/client"
	_ "github.com/moby/buildkit/api/services/control"
	_ "github.com/moby/buildkit/frontend/dockerfile/parser"
	_ "github.com/moby/buildkit/session/filesync"

	"github.com/layerlab/layerlab/bench/floor/screen"
)

func main() { screen.Run() }
