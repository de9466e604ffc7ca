package docker

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// buildahStream decodes a recorded answer of Podman's build endpoint
// (testdata/podman, README.md says how) as layerlab does on Podman.
func buildahStream(t *testing.T, name, dockerfile string) (BuildProgress, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "podman", name+".jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p := BuildProgress{Buildah: true, Context: BuildContext{Dir: "/ctx", Dockerfile: "/ctx/Dockerfile", DockerfileInContext: true, Source: dockerfile}}
	updates := 0
	err = DecodeBuild(f, &p, func(BuildProgress) { updates++ })
	if updates == 0 {
		t.Errorf("%s: no update", name)
	}
	return p, err
}

const buildahHello = "FROM busybox\nCOPY hello.txt /hello.txt\nRUN echo built > /built.txt\nCMD [\"cat\", \"/hello.txt\"]\n"

func TestBuildahStreamSteps(t *testing.T) {
	t.Parallel()
	type step struct {
		stage, i, n int
		instr       string
		cached      bool
		id          string
	}
	cases := []struct {
		name, final string
		steps       []step
	}{
		{"build-nocache", "sha256:463400c111e92fd5258bfcaf1cb13ad7ce94c563335c8e8f7f25349202b8d7aa", []step{
			{0, 1, 4, "FROM busybox", false, ""},
			{0, 2, 4, "COPY hello.txt /hello.txt", false, "dcf4483e9c4"},
			{0, 3, 4, "RUN echo built > /built.txt", false, "b53491ae696"},
			{0, 4, 4, `CMD ["cat", "/hello.txt"]`, false, "463400c111e"},
		}},
		{"build-cached", "sha256:69f73e66cfb0534904e882c3b44933c5484e339a903fc5fa8a3779ab0f768a03", []step{
			{0, 1, 4, "FROM busybox", false, ""},
			{0, 2, 4, "COPY hello.txt /hello.txt", true, "6cc29199602ca2a3459ebcae8f3937ab344cf07b0249050ddc6cefe527d46295"},
			{0, 3, 4, "RUN echo built > /built.txt", true, "9d091f4a7fcfd93d1381dbcb36be9968e28545ea17e3dfa584190379461a95ad"},
			{0, 4, 4, `CMD ["cat", "/hello.txt"]`, true, "69f73e66cfb0534904e882c3b44933c5484e339a903fc5fa8a3779ab0f768a03"},
		}},
		{"build-multi", "sha256:0ffc1c0a83e20fc0d77e7f4b3ffc265b919f0197c441ad080403cdf444aa69c5", []step{
			{1, 1, 2, "FROM busybox AS build", false, ""},
			{1, 2, 2, "RUN echo made > /out.txt", true, "a5b4ea797a28b6ac3dfb2ca1ce665433bf0dbada13aeada708a9f8bf052aa987"},
			{2, 1, 3, "FROM busybox", false, ""},
			{2, 2, 3, "COPY --from=build /out.txt /out.txt", true, "3caa73e47860d4fb6232aee16a977cb16c13b537bb93a6b5681118390b1de1da"},
			{2, 3, 3, `CMD ["cat","/out.txt"]`, true, "0ffc1c0a83e20fc0d77e7f4b3ffc265b919f0197c441ad080403cdf444aa69c5"},
		}},
	}
	for _, c := range cases {
		p, err := buildahStream(t, c.name, buildahHello)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if p.ImageID != c.final {
			t.Errorf("%s: image %q, want %q", c.name, p.ImageID, c.final)
		}
		if len(p.Steps) != len(c.steps) {
			t.Fatalf("%s: %d steps, want %d: %+v", c.name, len(p.Steps), len(c.steps), p.Steps)
		}
		for i, w := range c.steps {
			s := p.Steps[i]
			if s.Stage != w.stage || s.Index != w.i || s.Total != w.n || s.Instruction != w.instr || s.Cached != w.cached || s.ImageID != w.id || !s.Done || len(s.Output) != 0 {
				t.Errorf("%s step %d: %+v, want %+v", c.name, i, s, w)
			}
		}
	}
}

// A failed step: its output is the step's, the exit status and the line
// of the Dockerfile are found in Podman's words.
func TestBuildahFailures(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, src string
		kind      Kind
		step      int
		line      int
		exit      int
		output    []string
	}{
		{"build-fail", "FROM busybox\nRUN echo one\n\nRUN echo about to fail && exit 3\nCMD [\"sh\"]\n", KindBuildFailed, 3, 4, 3, []string{"about to fail"}},
		{"build-missing", "FROM busybox\nCOPY nothere.txt /x\n", KindSourceMissing, 2, 2, 0, nil},
		{"build-parse", "FROM busybox\nRUNN echo hi\n", KindDockerfile, 2, 2, 0, nil},
	}
	for _, c := range cases {
		p, derr := buildahStream(t, c.name, c.src)
		if derr == nil {
			t.Fatalf("%s: no error", c.name)
		}
		err := placeStep((&Client{}).buildErr(derr, "build /ctx", &p), p)
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%s: %T %v", c.name, err, err)
		}
		if e.Kind != c.kind || e.Step != c.step || e.Line != c.line || e.ExitCode != c.exit {
			t.Errorf("%s: kind %v step %d line %d exit %d, want %v %d %d %d (%s)", c.name, e.Kind, e.Step, e.Line, e.ExitCode, c.kind, c.step, c.line, c.exit, e.Detail)
		}
		if strings.Contains(e.Detail, "imagebuilder") {
			t.Errorf("%s: Podman's insides in the words: %s", c.name, e.Detail)
		}
		if cur := p.Current(); cur == nil || cur.Index != c.step || cur.Done || strings.Join(cur.Output, "|") != strings.Join(c.output, "|") && c.output != nil {
			t.Errorf("%s: current step %+v", c.name, cur)
		}
		if c.kind == KindSourceMissing && (e.Missing == nil || e.Missing.Path != "/nothere.txt") {
			t.Errorf("%s: missing %+v", c.name, e.Missing)
		}
	}
}

func TestBuildahStepLine(t *testing.T) {
	t.Parallel()
	src := "# a comment\nFROM busybox AS build\nRUN echo made \\\n  > /out.txt\nFROM busybox\nCOPY --from=build /out.txt /out.txt\nCMD [\"cat\"]\n"
	for _, c := range []struct{ stage, step, line int }{{1, 1, 2}, {1, 2, 3}, {2, 1, 5}, {2, 3, 7}, {2, 4, 0}, {3, 1, 0}, {0, 2, 3}} {
		if got := buildahStepLine(src, c.stage, c.step); got != c.line {
			t.Errorf("stage %d step %d: line %d, want %d", c.stage, c.step, got, c.line)
		}
	}
	for _, c := range []struct{ stage, step, n int }{{1, 1, 1}, {1, 2, 2}, {2, 1, 3}, {2, 3, 5}, {2, 4, 0}, {0, 2, 2}} {
		if got := BuildahInstruction(src, c.stage, c.step); got != c.n {
			t.Errorf("stage %d step %d: instruction %d, want %d", c.stage, c.step, got, c.n)
		}
	}
}
