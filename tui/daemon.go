package tui

import (
	"context"
	"time"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockercli"
	"github.com/layerlab/layerlab/lessons/engine"
)

// Daemon is the daemon as the screen asks it: the lesson engine's
// (engine.Runner: a step's calls, a pull, a build), the `:` line's
// (dockercli.Daemon), and what only a screen needs: its connection and
// endpoint, the picture of images, containers and layers, the layer files
// pane, the events that redraw it, and the containers and clean-up of this
// window. It is the top of the one daemon interface hierarchy
// (engine.Daemon ⊂ engine.Runner ⊂ engine.Frontend ⊂ Daemon ⊃ dockercli.Daemon).
//
// *docker.Client is one, and docker is the only package that talks to the
// daemon; the screen's tests that need no daemon use one in memory.
type Daemon interface {
	engine.Frontend // Runner, Connect, OwnedContainers
	dockercli.Daemon

	// Endpoint is where the daemon is, as the status bar names it.
	Endpoint() docker.Endpoint

	// The picture: the layers of images, a layer stack, its files.
	DiffIDs(ctx context.Context, id string) ([]string, error)
	Exists(ctx context.Context, ref string) (bool, string, error)
	Stack(ctx context.Context, ref string) (docker.LayerStack, error)
	LayerFiles(ctx context.Context, ref string, o docker.FilesOptions) ([]docker.LayerFiles, error)

	// Events keep the picture live; Clock and EventsBetween are its heartbeat.
	Events(ctx context.Context) (<-chan docker.Event, <-chan error)
	Clock(ctx context.Context) (time.Time, error)
	EventsBetween(ctx context.Context, since, until time.Time) ([]docker.Event, error)

	// What layerlab made, and what this window made of it.
	StartedHere(id string) bool
	ThisWindows(id string) bool
	PlanCleanup(ctx context.Context, lesson string) (docker.CleanupPlan, error)
	Cleanup(ctx context.Context, p docker.CleanupPlan, onItem func(docker.CleanupResult)) []docker.CleanupResult
}

var _ Daemon = (*docker.Client)(nil)
