package docker

import (
	"errors"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// placeStep puts in a failed build's error where the step that failed is
// written: the Dockerfile (relative to the context when inside it) and its
// line, so that the front end can open it there.
func placeStep(err error, p BuildProgress) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	if e.Kind != KindCanceled && e.Kind != KindInterrupted {
		if ms := missingOf(e.Detail, p.Context); ms != nil {
			// A COPY source the build did not send: why, and where.
			e.Kind, e.Missing, e.Image = KindSourceMissing, ms, ""
			if ms.Line > 0 {
				e.Line = ms.Line
				e.File = dockerfileName(p.Context)
				return err
			}
		}
	}
	if e.Line != 0 || (e.Kind != KindBuildFailed && e.Kind != KindSourceMissing && !(p.Buildah && e.Kind == KindDockerfile)) {
		return err
	}
	line := 0
	if cur := p.Current(); p.Buildah && cur != nil && e.Step > 0 {
		line = buildahStepLine(p.Context.Source, cur.Stage, e.Step)
	} else if p.BuildKit {
		for _, v := range p.Vertices {
			if stage, i, _, _, ok := v.Instruction(); ok && v.Error != "" {
				line = buildKitStepLine(p.Context.Source, stage, i)
			}
		}
	} else if e.Step > 0 {
		line = classicStepLine(p.Context.Source, e.Step)
	}
	if line == 0 {
		return err
	}
	e.Line = line
	e.File = dockerfileName(p.Context)
	return err
}

// dockerfileName is the build's Dockerfile, relative to the context when
// inside it.
func dockerfileName(bc BuildContext) string {
	if rel, err := filepath.Rel(bc.Dir, bc.Dockerfile); err == nil && bc.DockerfileInContext {
		return filepath.ToSlash(rel)
	}
	return bc.Dockerfile
}

// instructions are the Dockerfile's instructions (nil when it does not parse).
func instructions(src string) []*parser.Node {
	res, err := parser.Parse(strings.NewReader(src))
	if err != nil {
		return nil
	}
	return res.AST.Children
}

// classicStepLine is the line of the classic builder's "Step i/n": the i-th
// instruction of the file, every kind counted.
func classicStepLine(src string, step int) int {
	nodes := instructions(src)
	if step < 1 || step > len(nodes) {
		return 0
	}
	return nodes[step-1].StartLine
}

// buildahStepLine is the line of Podman's "[stage/n] STEP i/m": the i-th
// instruction of the stage-th FROM's stage, every kind counted (stage 0:
// a Dockerfile of one stage).
func buildahStepLine(src string, stage, step int) int {
	if i := BuildahInstruction(src, stage, step); i > 0 {
		return instructions(src)[i-1].StartLine
	}
	return 0
}

// BuildahInstruction is the number, in the whole Dockerfile (every
// instruction counted from 1), of Podman's "[stage/n] STEP step/m" (stage 0:
// a Dockerfile of one stage); 0 when the file has no such instruction.
func BuildahInstruction(src string, stage, step int) int {
	nodes := instructions(src)
	n := 0
	for i, node := range nodes {
		if strings.EqualFold(node.Value, "from") {
			n++
		}
		if max(stage, 1) == n {
			if i+step-1 < len(nodes) {
				return i + step
			}
			return 0
		}
	}
	return 0
}

// buildKitStepLine is the line of BuildKit's "[stage i/n]": stage is ""
// for a Dockerfile of one stage, else the stage's name or "stage-N";
// BuildKit counts, in the stage, its FROM (unless FROM scratch or FROM an
// earlier stage) and the instructions that make a filesystem (RUN, COPY,
// ADD, WORKDIR).
func buildKitStepLine(src, stage string, index int) int {
	nodes := instructions(src)
	var stages [][]*parser.Node
	for _, n := range nodes {
		if strings.EqualFold(n.Value, "from") {
			stages = append(stages, nil)
		}
		if len(stages) > 0 {
			stages[len(stages)-1] = append(stages[len(stages)-1], n)
		}
	}
	names := make([]string, len(stages))
	for i, st := range stages {
		names[i] = "stage-" + strconv.Itoa(i)
		if f := st[0].Next; f != nil && f.Next != nil && strings.EqualFold(f.Next.Value, "as") && f.Next.Next != nil {
			names[i] = strings.ToLower(f.Next.Next.Value)
		}
	}
	for i, st := range stages {
		if !(stage == "" && len(stages) == 1) && stage != names[i] {
			continue
		}
		count := 0
		if base := st[0].Next; base != nil && !strings.EqualFold(base.Value, "scratch") && !earlierStage(names[:i], base.Value) {
			count = 1
			if index == 1 {
				return st[0].StartLine
			}
		}
		for _, n := range st[1:] {
			switch strings.ToLower(n.Value) {
			case "run", "copy", "add", "workdir":
				count++
				if count == index {
					return n.StartLine
				}
			}
		}
	}
	return 0
}

func earlierStage(names []string, base string) bool {
	for _, n := range names {
		if strings.EqualFold(n, base) {
			return true
		}
	}
	return false
}
