// Package engines gives each learner of a classroom a Docker engine of
// their own. Provider is what the classroom server asks of it; Rootless is
// the one on this machine: a rootless dockerd per learner, run by a Unix
// user of its own (ll-NAME), so that a learner's engine has no root on the
// host and no learner's engine can see another's images or containers. A
// cluster provider (a rootless engine per pod) would implement the same
// interface (docs/classroom.md).
package engines

import (
	"context"
	"regexp"

	"github.com/layerlab/layerlab/docker"
)

// Provider starts, stops and resets learners' engines.
type Provider interface {
	// Start returns the learner's engine, started if it is not running
	// (an engine left running by an earlier server is taken up again).
	Start(ctx context.Context, learner string) (docker.Endpoint, error)
	// Stop stops the learner's engine; its images and containers are kept
	// for the next Start.
	Stop(learner string) error
	// Reset stops the learner's engine and removes everything in it.
	Reset(ctx context.Context, learner string) error
	// Running are the learners whose engines run now.
	Running() []string
	// DiskUse is the bytes the learner's engine keeps on disk (-1 if unknown).
	DiskUse(learner string) int64
}

// Code says why an engine could not be had; the front end words it.
type Code int

const (
	// CodeName: the learner's name cannot name an engine (Name).
	CodeName Code = iota + 1
	// CodeSetup: the host lacks what a rootless engine needs (Detail: what).
	CodeSetup
	// CodeStart: the engine did not come up (Detail: the end of its log).
	CodeStart
)

// Error is an engine that could not be had.
type Error struct {
	Code    Code
	Learner string
	Detail  string
	Err     error
}

func (e *Error) Error() string {
	s := "engine of " + e.Learner + ": " + e.Detail
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// validName is a learner's name: it becomes part of a Unix user's name and
// of paths, so it is short and plain.
var validName = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,19}$`)

// ValidName reports whether name can name a learner.
func ValidName(name string) bool { return validName.MatchString(name) }
