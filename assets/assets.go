// Package assets holds the files lessons work on: each lesson's workspace
// (build contexts and example Dockerfiles), copied into the learner's cache
// folder the first time the lesson needs them and never overwritten after,
// so the learner's edits are kept.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed all:workspace
var files embed.FS

// Workspace is the seed of lesson id's workspace; ok is false when the
// lesson has none.
func Workspace(id string) (fs.FS, bool) {
	sub, err := fs.Sub(files, "workspace/"+id)
	if err != nil {
		return nil, false
	}
	if _, err := fs.Stat(sub, "."); err != nil {
		return nil, false
	}
	return sub, true
}
