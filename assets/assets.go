// Package assets holds the files lessons work on: each lesson's workspace
// (build contexts and example Dockerfiles), copied into the learner's cache
// folder the first time the lesson needs them and never overwritten after,
// so the learner's edits are kept.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed all:workspace all:workspace.ko
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

// Translated is file path of lesson id's workspace seed in language lang,
// where its words (its comments) differ from the English seed's: the same
// lines, each at the same line number, so that a lesson's "line 3" is line
// 3 in every language. ok is false where the English file is the one.
func Translated(id, lang, path string) ([]byte, bool) {
	if lang == "" || lang == "en" {
		return nil, false
	}
	b, err := fs.ReadFile(files, "workspace."+lang+"/"+id+"/"+path)
	return b, err == nil
}
