package tui

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons/engine"
)

// TestPodmanMultiStageMarksOnlyTheLastStage: Podman numbers each stage's
// steps from its FROM ([3/3] STEP 2/3): the layers panel marks the image's
// top entries with the last stage's steps after its FROM, not the first
// stage's, nor busybox's entries (seen on screen: busybox's CMD marked
// "instruction 1 · new").
func TestPodmanMultiStageMarksOnlyTheLastStage(t *testing.T) {
	t.Parallel()
	f, err := os.Open(filepath.Join("..", "docker", "testdata", "podman", "build-multi.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bp := &docker.BuildProgress{Buildah: true}
	if err := docker.DecodeBuild(f, bp, nil); err != nil {
		t.Fatal(err)
	}
	m := testModel(t, 100, 30)
	k := engine.StepKey{Lesson: "build", Index: 12}
	m.work.eng.Steps[k] = &engine.StepState{Status: engine.Done, Build: bp, BuildRes: &docker.BuildResult{ImageID: bp.ImageID}}
	m.pic.buildPanel["build"] = k
	// busybox's three entries, then COPY and CMD.
	stack := docker.LayerStack{ID: bp.ImageID, Layers: []docker.Layer{{Index: 0}, {Index: 1}, {Index: 2, Meta: true}, {Index: 3}, {Index: 4, Meta: true}}}
	marks := m.buildMarks("build", stack)
	if len(marks) != 2 || marks[4] == "" || marks[3] == "" {
		t.Errorf("marks %v, want the two top entries only", marks)
	}
}
