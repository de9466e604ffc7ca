package engine

import (
	"context"

	"github.com/layerlab/layerlab/docker"
)

// Daemon is what the lesson engine asks of a Docker daemon to run a step's
// calls (Call.Do, Session.Run): nothing it does not call. It is the root of
// the one daemon interface hierarchy: Runner adds the long operations, and
// the screen's daemon (tui.Daemon) adds what only a screen asks (its
// connection, its picture, events, clean-up, the `:` line's
// dockercli.Daemon). *docker.Client is each of them, and only package
// docker talks to the daemon; the engine's own tests use a fake.
type Daemon interface {
	Images(ctx context.Context) ([]docker.Image, error)
	Containers(ctx context.Context, all bool) ([]docker.Container, error)

	FreeContainerName(ctx context.Context, name string) (string, error)
	RunContainer(ctx context.Context, image, name, lesson string) (docker.Container, error)
	Exec(ctx context.Context, ctr, cmd string) (docker.ExecResult, error)
	Writable(ctx context.Context, ctr string) (docker.WritableLayer, error)
	FreeName(ctx context.Context, ref docker.Ref) (docker.Ref, error)
	Commit(ctx context.Context, ctr string, ref docker.Ref, lesson string) (docker.CommitResult, error)
	Tag(ctx context.Context, src string, dst docker.Ref, lesson string) (docker.TagResult, error)
	RemoveContainer(ctx context.Context, ctr string) error
	RunOnce(ctx context.Context, image, lesson string) (docker.ExecResult, error)
	RemoveImage(ctx context.Context, target string, force bool) (docker.RemoveResult, error)
	SaveFile(ctx context.Context, refs []string, root, file string) (docker.SaveResult, error)
	LoadFile(ctx context.Context, root, file string, want []string, lesson string) (docker.LoadResult, error)
	History(ctx context.Context, ref string) ([]docker.HistoryRow, error)

	// Volumes: a run step with a volume (Run), and the volume steps.
	Run(ctx context.Context, o docker.RunOptions) (docker.Container, error)
	FreeVolumeName(ctx context.Context, name string) (string, error)
	CreateVolume(ctx context.Context, name, lesson string) (docker.Volume, error)
	RemoveVolume(ctx context.Context, name string) error
	Volumes(ctx context.Context) ([]docker.Volume, error)
}

var _ Daemon = (*docker.Client)(nil)

// Frontend is what every front end asks of the daemon beyond its steps
// (Runner): which engine answers, and the containers layerlab's record has
// for a lesson (the ones a front end started do not outlive it). Plain mode
// takes one; the screen's daemon (tui.Daemon) is one with more.
type Frontend interface {
	Runner
	Connect(ctx context.Context) (docker.Engine, error)
	OwnedContainers(ctx context.Context, lesson string) ([]docker.Container, error)
}

var _ Frontend = (*docker.Client)(nil)
