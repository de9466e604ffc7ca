package docker

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	controlapi "github.com/moby/buildkit/api/services/control"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// traceStream writes BuildKit's stream as the daemon sends it: each status
// as protobuf in a "moby.buildkit.trace" aux message, then the image id.
func traceStream(t *testing.T, statuses []*controlapi.StatusResponse, id string) *bytes.Buffer {
	t.Helper()
	var b bytes.Buffer
	for _, s := range statuses {
		dt, err := s.MarshalVT()
		if err != nil {
			t.Fatal(err)
		}
		aux, _ := json.Marshal(dt) // base64, as the daemon sends bytes
		raw := json.RawMessage(aux)
		line, _ := json.Marshal(map[string]any{"id": "moby.buildkit.trace", "aux": &raw})
		b.Write(append(line, '\n'))
	}
	line, _ := json.Marshal(map[string]any{"id": "moby.image.id", "aux": map[string]string{"ID": id}})
	b.Write(append(line, '\n'))
	return &b
}

func TestDecodeBuildKitTrace(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	ts := func(d time.Duration) *timestamppb.Timestamp { return timestamppb.New(t0.Add(d)) }
	stream := traceStream(t, []*controlapi.StatusResponse{
		{Vertexes: []*controlapi.Vertex{
			{Digest: "d-load", Name: "[internal] load build definition from Dockerfile", Started: ts(0), Completed: ts(time.Millisecond)},
			{Digest: "d-run", Name: "[2/3] RUN echo hi && echo there"},
			{Digest: "d-from", Name: "[1/3] FROM docker.io/library/busybox:latest", Cached: true, Started: ts(2 * time.Millisecond), Completed: ts(2 * time.Millisecond)},
			{Digest: "d-other", Name: "[build 2/2] RUN make"},
		}},
		{Vertexes: []*controlapi.Vertex{{Digest: "d-run", Name: "[2/3] RUN echo hi && echo there", Started: ts(time.Second)}},
			Logs: []*controlapi.VertexLog{{Vertex: "d-run", Timestamp: ts(1215 * time.Millisecond), Msg: []byte("hi\nthe")}}},
		{Logs: []*controlapi.VertexLog{{Vertex: "d-run", Timestamp: ts(1300 * time.Millisecond), Msg: []byte("re\n")}}},
		{Vertexes: []*controlapi.Vertex{
			{Digest: "d-run", Name: "[2/3] RUN echo hi && echo there", Started: ts(time.Second), Completed: ts(1400 * time.Millisecond)},
			{Digest: "d-cmdlayer", Name: "[3/3] WORKDIR /app", Started: ts(1500 * time.Millisecond), Completed: ts(1500 * time.Millisecond)},
			{Digest: "d-export", Name: "exporting to image", Started: ts(2 * time.Second)},
		}, Statuses: []*controlapi.VertexStatus{{ID: "exporting layers", Vertex: "d-export", Completed: ts(2 * time.Second)}, {ID: "naming to docker.io/library/x:1", Vertex: "d-export"}}},
		{Vertexes: []*controlapi.Vertex{{Digest: "d-export", Name: "exporting to image", Started: ts(2 * time.Second), Completed: ts(3 * time.Second)}},
			Statuses: []*controlapi.VertexStatus{{ID: "naming to docker.io/library/x:1", Vertex: "d-export", Started: ts(2 * time.Second), Completed: ts(3 * time.Second)}}},
	}, "sha256:feed")
	var p BuildProgress
	updates := 0
	if err := decodeBuildKit(stream, "", &p, func(BuildProgress) { updates++ }); err != nil {
		t.Fatal(err)
	}
	if p.ImageID != "sha256:feed" || updates < 5 {
		t.Errorf("image %q after %d updates", p.ImageID, updates)
	}
	// Numbered as docker build --progress=plain numbers them: when its
	// printer first prints them, so the cached FROM comes before the RUN
	// named before it, and a stage the build never started is not printed.
	vs, _ := PrintedVertices(p.Printed)
	var names []string
	for _, v := range vs {
		names = append(names, "#"+itoa(v.Number)+" "+v.Name+" "+v.End)
	}
	if want := []string{"#1 [internal] load build definition from Dockerfile DONE 0.0s", "#2 [1/3] FROM docker.io/library/busybox:latest CACHED",
		"#3 [2/3] RUN echo hi && echo there DONE 0.4s", "#4 [3/3] WORKDIR /app DONE 0.0s", "#5 exporting to image DONE 1.0s"}; !slices.Equal(names, want) {
		t.Errorf("printed:\n%s\nread as\n%q\nwant\n%q", strings.Join(p.Printed, "\n"), names, want)
	}
	for _, v := range p.Vertices {
		if m, ok := map[string]int{"d-load": 1, "d-from": 2, "d-run": 3, "d-other": 0}[v.Digest]; ok && v.Number != m {
			t.Errorf("%s numbered %d, printed as #%d", v.Name, v.Number, m)
		}
	}
	// A line that came in two pieces has the time of its first, as the CLI prints it.
	if run := vs[2]; !slices.Equal(run.Lines, []string{"0.215 hi", "0.215 there"}) {
		t.Errorf("RUN's lines: %q", run.Lines)
	}
	if ex := vs[4].Lines; !slices.Contains(ex, "naming to docker.io/library/x:1 1.0s done") {
		t.Errorf("exporting: %q", ex)
	}
	run := p.Vertices[1]
	if !slices.Equal(run.Logs, []string{"0.215 hi", "0.300 there"}) || run.Duration() != 400*time.Millisecond || !run.Done() {
		t.Errorf("RUN: logs %q, %v", run.Logs, run.Duration())
	}
	var steps []string
	for _, s := range p.Steps {
		steps = append(steps, itoa(s.Index)+" "+s.Instruction)
	}
	if want := []string{"1 FROM docker.io/library/busybox:latest", "2 RUN echo hi && echo there", "3 WORKDIR /app"}; !slices.Equal(steps, want) {
		t.Errorf("steps of the only stage, in order: %q", steps)
	}
	if !p.Steps[0].Cached || !slices.Equal(p.Steps[1].Output, []string{"hi", "there"}) {
		t.Errorf("steps: %+v", p.Steps)
	}
}

func TestFinalStage(t *testing.T) {
	t.Parallel()
	for src, want := range map[string]string{
		"FROM busybox\nRUN x\n": "",
		"FROM busybox AS build\nRUN x\nFROM busybox\nCOPY --from=build / /\n": "stage-1",
		"from busybox as build\nFROM alpine AS Final\n":                       "final",
		"# FROM in a comment\nFROM a\nFROM b\nFROM c\n":                       "stage-2",
	} {
		if got := finalStage(src); got != want {
			t.Errorf("%q: %q, want %q", src, got, want)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestVertexInstruction(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{
		"[2/3] RUN echo hi":                                "|2|3|RUN echo hi",
		"[ 1/11] FROM docker.io/library/busybox:latest":    "|1|11|FROM docker.io/library/busybox:latest",
		"[11/11] RUN head -c 1 /dev/urandom > /f9":         "|11|11|RUN head -c 1 /dev/urandom > /f9",
		"[build 2/3] RUN make":                             "build|2|3|RUN make",
		"[stage-1  1/12] COPY --from=build / /":            "stage-1|1|12|COPY --from=build / /",
		"[internal] load build definition from Dockerfile": "",
		"exporting to image":                               "",
	} {
		stage, i, n, text, ok := BuildVertex{Name: name}.Instruction()
		got := ""
		if ok {
			got = stage + "|" + strconv.Itoa(i) + "|" + strconv.Itoa(n) + "|" + text
		}
		if got != want {
			t.Errorf("%q: %q, want %q", name, got, want)
		}
	}
}

// TestPrintedVerticesGathersTheCLIsLines: the printer leaves a vertex for
// another ("#4 ...") and comes back with its title again; the card reads
// one vertex, its lines in order, its end last; a failed build's last
// output between rules is left for the CLI's own output.
func TestPrintedVerticesGathersTheCLIsLines(t *testing.T) {
	t.Parallel()
	printed := strings.Split(`#1 [internal] load build definition from Dockerfile
#1 transferring dockerfile: 142B done
#1 DONE 0.0s

#2 [1/3] FROM docker.io/library/busybox:latest
#2 CACHED

#3 [3/3] RUN sleep 1; echo one; exit 3
#3 0.101 one

#3 ...

#4 [2/3] RUN echo two
#4 0.052 two
#4 DONE 0.1s

#3 [3/3] RUN sleep 1; echo one; exit 3
#3 1.003 [3/3] RUN sleep 1; echo one; exit 3
#3 ERROR: process "/bin/sh -c sleep 1; echo one; exit 3" did not complete successfully: exit code: 3
------
 > [3/3] RUN sleep 1; echo one; exit 3:
0.101 one
------`, "\n")
	vs, rest := PrintedVertices(printed)
	var got []string
	for _, v := range vs {
		got = append(got, fmt.Sprintf("#%d %s %q %s %v", v.Number, v.Name, v.Lines, v.End, v.Failed()))
	}
	want := []string{
		`#1 [internal] load build definition from Dockerfile ["transferring dockerfile: 142B done"] DONE 0.0s false`,
		`#2 [1/3] FROM docker.io/library/busybox:latest [] CACHED false`,
		`#3 [3/3] RUN sleep 1; echo one; exit 3 ["0.101 one" "1.003 [3/3] RUN sleep 1; echo one; exit 3"] ERROR: process "/bin/sh -c sleep 1; echo one; exit 3" did not complete successfully: exit code: 3 true`,
		`#4 [2/3] RUN echo two ["0.052 two"] DONE 0.1s false`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(rest) != 4 || rest[0] != "------" || rest[3] != "------" {
		t.Errorf("rest: %q", rest)
	}
}

// TestPrinterMendsTheTrace: Docker 20.10's trace starts a FROM twice and
// completes only the second start, and ends a run of cached steps at one
// instant; the CLI's printer would print the FROM last and unfinished and
// the cached steps in a random order. Printed as the CLI prints a build:
// FROM done in its place, the cached steps in the Dockerfile's order.
func TestPrinterMendsTheTrace(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	ts := func(d time.Duration) *timestamppb.Timestamp { return timestamppb.New(t0.Add(d)) }
	from := "[1/4] FROM docker.io/library/busybox:latest"
	steps := []string{"[2/4] WORKDIR /app", "[3/4] COPY hello.txt /app/", "[4/4] RUN echo hi"}
	for range 20 {
		stream := traceStream(t, []*controlapi.StatusResponse{
			{Vertexes: []*controlapi.Vertex{{Digest: "d-from", Name: from, Started: ts(0)}}},
			{Vertexes: []*controlapi.Vertex{{Digest: "d-from", Name: from, Started: ts(time.Microsecond)}}},
			{Vertexes: []*controlapi.Vertex{{Digest: "d-from", Name: from, Started: ts(time.Microsecond), Completed: ts(5 * time.Millisecond)}}},
			{Vertexes: []*controlapi.Vertex{
				{Digest: "d-2", Name: steps[0], Cached: true, Started: ts(10 * time.Millisecond), Completed: ts(10 * time.Millisecond)},
				{Digest: "d-3", Name: steps[1], Cached: true, Started: ts(10 * time.Millisecond), Completed: ts(10 * time.Millisecond)},
				{Digest: "d-4", Name: steps[2], Cached: true, Started: ts(10 * time.Millisecond), Completed: ts(10 * time.Millisecond)},
			}},
		}, "sha256:feed")
		var p BuildProgress
		if err := decodeBuildKit(stream, "", &p, nil); err != nil {
			t.Fatal(err)
		}
		vs, _ := PrintedVertices(p.Printed)
		var got []string
		for _, v := range vs {
			got = append(got, fmt.Sprintf("#%d %s %s", v.Number, v.Name, v.End))
		}
		want := []string{"#1 " + from + " DONE 0.0s", "#2 " + steps[0] + " CACHED", "#3 " + steps[1] + " CACHED", "#4 " + steps[2] + " CACHED"}
		if !slices.Equal(got, want) {
			t.Fatalf("printed\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// TestStepLines: where a failed step is written, from how BuildKit and the
// classic builder number steps.
func TestStepLines(t *testing.T) {
	t.Parallel()
	broken := "FROM busybox:latest\nRUN echo \"this step works\" > /ok.txt\nRUN echo \"this step fails\" && exit 3\nCMD [\"sh\"]\n"
	multi := "# Three stages\nFROM busybox:latest AS build\nRUN echo made > /result.txt\nFROM busybox:latest AS unused\nRUN echo never\n" +
		"FROM build AS again\nENV A=1\nRUN false\nFROM scratch\nCOPY --from=build /result.txt /r\nRUN \\\n  true\n"
	for _, c := range []struct {
		src, stage  string
		index, want int
	}{
		{broken, "", 1, 1}, {broken, "", 3, 3}, {broken, "", 4, 0},
		{multi, "build", 2, 3}, {multi, "unused", 2, 5},
		{multi, "again", 1, 8},                               // FROM an earlier stage is not counted
		{multi, "stage-3", 1, 10}, {multi, "stage-3", 2, 11}, // nor FROM scratch
		{multi, "", 1, 0},
	} {
		if got := buildKitStepLine(c.src, c.stage, c.index); got != c.want {
			t.Errorf("[%s %d/…]: line %d, want %d", c.stage, c.index, got, c.want)
		}
	}
	if got := classicStepLine(multi, 7); got != 8 {
		t.Errorf("Step 7: line %d, want 8", got)
	}
	p := BuildProgress{BuildKit: true, Context: BuildContext{Dir: "/w", Dockerfile: "/w/broken/Dockerfile", DockerfileInContext: true, Source: broken},
		Vertices: []BuildVertex{{Name: "[3/3] RUN echo \"this step fails\" && exit 3", Error: "exit code: 3"}}}
	var e *Error
	if !errors.As(placeStep(&Error{Kind: KindBuildFailed, Step: 3}, p), &e) || e.Line != 3 || e.File != "broken/Dockerfile" {
		t.Errorf("placed at %s:%d", e.File, e.Line)
	}
}
