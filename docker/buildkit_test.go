package docker

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
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
			{Digest: "d-from", Name: "[1/3] FROM docker.io/library/busybox:latest", Cached: true},
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
		{Statuses: []*controlapi.VertexStatus{{ID: "naming to docker.io/library/x:1", Vertex: "d-export", Completed: ts(3 * time.Second)}}},
	}, "sha256:feed")
	var p BuildProgress
	updates := 0
	if err := decodeBuildKit(stream, "", &p, func(BuildProgress) { updates++ }); err != nil {
		t.Fatal(err)
	}
	if p.ImageID != "sha256:feed" || updates != 5 {
		t.Errorf("image %q after %d updates", p.ImageID, updates)
	}
	var names []string
	for _, v := range p.Vertices {
		names = append(names, "#"+itoa(v.Number)+" "+v.Name)
	}
	if want := []string{"#1 [internal] load build definition from Dockerfile", "#2 [2/3] RUN echo hi && echo there", "#3 [1/3] FROM docker.io/library/busybox:latest",
		"#4 [build 2/2] RUN make", "#5 [3/3] WORKDIR /app", "#6 exporting to image"}; !slices.Equal(names, want) {
		t.Errorf("vertices:\n%q\nwant\n%q", names, want)
	}
	run := p.Vertices[1]
	if !slices.Equal(run.Logs, []string{"0.215 hi", "0.300 there"}) || run.Duration() != 400*time.Millisecond || !run.Done() {
		t.Errorf("RUN: logs %q, %v", run.Logs, run.Duration())
	}
	if ex := p.Vertices[5].Statuses; len(ex) != 2 || !ex[0].Done || !ex[1].Done {
		t.Errorf("exporting: %+v", ex)
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
