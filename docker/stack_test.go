package docker

import (
	"os"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/image"
)

func TestInstruction(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		`/bin/sh -c #(nop)  CMD ["sh"]`:                    `CMD ["sh"]`,
		`/bin/sh -c #(nop) COPY file:abc in /bin/busybox `: `COPY file:abc in /bin/busybox`,
		`/bin/sh -c echo hi > /greeting`:                   `RUN echo hi > /greeting`,
		`|1 V=2 /bin/sh -c make`:                           `RUN make`,
		`EXPOSE [8080/tcp 9090/udp]`:                       `EXPOSE 8080/tcp 9090/udp`, // the current engine's BuildKit
		`EXPOSE map[8080/tcp:{}]`:                          `EXPOSE 8080/tcp`,          // 20.10's
		`RUN /bin/sh -c apk add curl # buildkit`:           `RUN apk add curl`,         // BuildKit records the shell it ran
		`CMD ["sh"]`:                                       `CMD ["sh"]`,
		`/bin/busybox --install -s /bin`:                   `RUN /bin/busybox --install -s /bin`,
		``:                                                 `(no instruction recorded)`,
	}
	for in, want := range tests {
		if got := Instruction(in); got != want {
			t.Errorf("Instruction(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBuildStackJoinsHistoryAndLayers(t *testing.T) {
	t.Parallel()
	// History as the API returns it: newest first.
	hist := []image.HistoryResponseItem{
		{CreatedBy: `/bin/sh -c #(nop)  CMD ["python3"]`},
		{CreatedBy: `/bin/sh -c echo stand-in > /usr/local/bin/python3`, Size: 57},
		{CreatedBy: `/bin/sh -c #(nop)  CMD ["sh"]`},
		{CreatedBy: `/bin/sh -c #(nop)  ENV PATH=/bin`},
		{CreatedBy: `/bin/sh -c true`, Size: 0}, // a RUN that changed nothing is still a layer
		{CreatedBy: `/bin/sh -c #(nop) COPY file:abc in /bin/busybox `, Size: 1982256},
	}
	diffs := []string{"sha256:aaa", "sha256:bbb", "sha256:ccc"}
	st := BuildStack(diffs, hist)
	if len(st.Layers) != 6 {
		t.Fatalf("%d layers", len(st.Layers))
	}
	want := []struct {
		diff string
		meta bool
		ins  string
	}{
		{"sha256:aaa", false, "COPY file:abc in /bin/busybox"},
		{"sha256:bbb", false, "RUN true"},
		{"", true, "ENV PATH=/bin"},
		{"", true, `CMD ["sh"]`},
		{"sha256:ccc", false, "RUN echo stand-in > /usr/local/bin/python3"},
		{"", true, `CMD ["python3"]`},
	}
	for i, w := range want {
		l := st.Layers[i]
		if l.Index != i || l.DiffID != w.diff || l.Meta != w.meta || l.Instruction != w.ins {
			t.Errorf("layer %d = %+v, want %+v", i, l, w)
		}
	}
	if st.Size != 1982256+57 {
		t.Errorf("size %d", st.Size)
	}
	if got := len(st.FSLayers()); got != 3 {
		t.Errorf("fs layers %d", got)
	}
}

func TestBuildStackFallsBackWhenHeuristicDisagrees(t *testing.T) {
	t.Parallel()
	// An unknown instruction with size 0 but a real layer: sizes and the
	// count of diff ids decide.
	hist := []image.HistoryResponseItem{
		{CreatedBy: `WORKDIR /app`, Size: 0},
		{CreatedBy: `COPY . /`, Size: 10},
	}
	st := BuildStack([]string{"sha256:a", "sha256:b"}, hist)
	if st.Layers[1].Meta || st.Layers[1].DiffID != "sha256:b" {
		t.Errorf("top entry should be the second layer: %+v", st.Layers[1])
	}
}

func TestDecodeRecordedPull(t *testing.T) {
	t.Parallel()
	f, err := os.Open("testdata/pull-busybox.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var states int
	var sawDownloading bool
	p, err := DecodePull(f, func(p PullProgress) {
		states++
		for _, l := range p.Layers {
			if l.Phase == PhaseDownloading && l.Total > 0 {
				sawDownloading = true
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	fin, existed, all := p.Counts()
	if all != 2 || fin != 2 || existed != 0 {
		t.Errorf("counts fin=%d existed=%d all=%d", fin, existed, all)
	}
	if !p.Done || p.UpToDate || p.Digest == "" {
		t.Errorf("done=%v uptodate=%v digest=%q", p.Done, p.UpToDate, p.Digest)
	}
	if !sawDownloading || states < 10 {
		t.Errorf("states=%d downloading=%v", states, sawDownloading)
	}
	for _, l := range p.Layers {
		if l.Fraction() != 1 || l.Size == 0 {
			t.Errorf("layer %s: fraction %v size %d", l.ID, l.Fraction(), l.Size)
		}
	}
}

func TestDecodeRecordedPullWithSharedLayers(t *testing.T) {
	t.Parallel()
	f, err := os.Open("testdata/pull-python-shared.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := DecodePull(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	fin, existed, all := p.Counts()
	if all != 3 || fin != 3 || existed != 2 {
		t.Errorf("counts fin=%d existed=%d all=%d", fin, existed, all)
	}
}

// TestDecodePullError: an engine's error, with the deprecated bare "error"
// string beside errorDetail (as engines send it today) and without it (as
// they will), is the same *Error.
func TestDecodePullError(t *testing.T) {
	t.Parallel()
	for _, last := range []string{
		`{"errorDetail":{"message":"manifest unknown: manifest unknown"},"error":"manifest unknown: manifest unknown"}`,
		`{"errorDetail":{"message":"manifest unknown: manifest unknown"}}`,
	} {
		stream := `{"status":"Pulling from library/nope","id":"latest"}` + "\n" + last + "\n"
		_, err := DecodePull(stringsReader(stream), nil)
		if KindOf(err) != KindNotFound {
			t.Errorf("%s: got %v", last, err)
		}
	}
}

func TestBuildStackWorkdirLayerOfTheClassicBuilder(t *testing.T) {
	t.Parallel()
	// FROM scratch + COPY, then WORKDIR (a committed, empty layer), ENV, RUN.
	hist := []image.HistoryResponseItem{
		{CreatedBy: "/bin/sh -c echo hi > /x", Size: 3},
		{CreatedBy: "/bin/sh -c #(nop)  ENV A=1"},
		{CreatedBy: "/bin/sh -c #(nop) WORKDIR /app"},
		{CreatedBy: "/bin/sh -c #(nop) COPY file:abc in /bin/busybox ", Size: 1000},
	}
	st := BuildStack([]string{"sha256:copy", "sha256:workdir", "sha256:run"}, hist)
	want := []struct {
		diff string
		meta bool
	}{{"sha256:copy", false}, {"sha256:workdir", false}, {"", true}, {"sha256:run", false}}
	for i, w := range want {
		if l := st.Layers[i]; l.DiffID != w.diff || l.Meta != w.meta {
			t.Errorf("layer %d (%s): %+v", i, l.Instruction, l)
		}
	}
}

// TestBuildStackOfABuildKitImage: BuildKit's history, as engine 20.10 gave
// it for the lesson's Dockerfile: its comment is no commit message, the
// entries that made a layer end "# buildkit", WORKDIR made an empty one.
func TestBuildStackOfABuildKitImage(t *testing.T) {
	t.Parallel()
	const kit = BuildKitComment
	hist := []image.HistoryResponseItem{
		{CreatedBy: `CMD ["/bin/sh" "-c" "echo \"$GREETING from cmd2\""]`, Comment: kit},
		{CreatedBy: `CMD ["sh" "-c" "echo cmd1"]`, Comment: kit},
		{CreatedBy: "EXPOSE map[8080/tcp:{}]", Comment: kit},
		{CreatedBy: `RUN /bin/sh -c echo built > /built.txt && echo "building in $PWD" # buildkit`, Comment: kit, Size: 6},
		{CreatedBy: "LABEL greeting=hello world dir=/app", Comment: kit},
		{CreatedBy: "COPY hello.txt /app/ # buildkit", Comment: kit, Size: 6},
		{CreatedBy: "WORKDIR /app/work", Comment: kit},
		{CreatedBy: "ENV GREETING=hello DIR=/app", Comment: kit},
		{CreatedBy: `/bin/sh -c #(nop)  CMD ["sh"]`},
		{CreatedBy: "/bin/sh -c #(nop) COPY file:73e2 in /bin/busybox ", Size: 1982256},
	}
	st := BuildStack([]string{"sha256:busybox", "sha256:workdir", "sha256:copy", "sha256:run"}, hist)
	want := []struct{ diff, instr string }{
		{"sha256:busybox", "COPY file:73e2 in /bin/busybox"}, {"", `CMD ["sh"]`}, {"", "ENV GREETING=hello DIR=/app"},
		{"sha256:workdir", "WORKDIR /app/work"}, {"sha256:copy", "COPY hello.txt /app/"}, {"", "LABEL greeting=hello world dir=/app"},
		{"sha256:run", `RUN echo built > /built.txt && echo "building in $PWD"`}, {"", "EXPOSE 8080/tcp"},
		{"", `CMD ["sh" "-c" "echo cmd1"]`}, {"", `CMD ["/bin/sh" "-c" "echo \"$GREETING from cmd2\""]`},
	}
	for i, w := range want {
		if l := st.Layers[i]; l.DiffID != w.diff || l.Instruction != w.instr || l.Meta != (w.diff == "") {
			t.Errorf("entry %d: %+v, want %s %q", i, l, w.diff, w.instr)
		}
	}
}

// TestDecodePodmanPull: Podman 4.3's stream (recorded from its Docker API)
// has no Status line and lists the config digest (the image id) as a layer;
// with the image on disk it is done, with its three layers, and the second
// pull is up to date. Cut before its end, or another image on disk, it is not.
func TestDecodePodmanPull(t *testing.T) {
	t.Parallel()
	const id = "sha256:edd7011a3d57beab74a9581a53f19cbc40702cb95bcfabc1af6c1e23937b6197"
	for _, c := range []struct {
		file       string
		upToDate   bool
		fin, exist int
	}{{"pull-podman-4.3.jsonl", false, 3, 0}, {"pull-podman-4.3-again.jsonl", true, 3, 3}} {
		b, err := os.ReadFile("testdata/" + c.file)
		if err != nil {
			t.Fatal(err)
		}
		p, err := DecodePull(stringsReader(string(b)), nil)
		if err != nil || p.Done {
			t.Fatalf("%s: done %v before the image is seen, %v", c.file, p.Done, err)
		}
		if cut := p.Clone(); cut.EndPodman("sha256:0123456789ab0000") {
			t.Errorf("%s: done with another image on disk", c.file)
		}
		if !p.EndPodman(id) || !p.Done || p.UpToDate != c.upToDate {
			t.Errorf("%s: done %v up to date %v", c.file, p.Done, p.UpToDate)
		}
		if fin, existed, all := p.Counts(); fin != c.fin || existed != c.exist || all != 3 {
			t.Errorf("%s: counts fin=%d existed=%d all=%d", c.file, fin, existed, all)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		cut, _ := DecodePull(stringsReader(strings.Join(lines[:len(lines)-3], "\n")), nil)
		if cut.EndPodman(id) {
			t.Errorf("%s: a stream cut before the config is done", c.file)
		}
	}
}

// Podman's builder (Buildah) comments every step after the first "FROM
// <id>": a build's steps are not commits (they read as the Dockerfile's
// lines), a commit through Podman (its comment "FROM <image>", its command
// the container's) still is. History as Podman 4.3.1 answers it.
func TestBuildStackOfBuildahHistory(t *testing.T) {
	t.Parallel()
	hist := []image.HistoryResponseItem{
		{CreatedBy: `/bin/sh`, Size: 4608, Comment: "FROM docker.io/library/busybox:latest"},
		{CreatedBy: `/bin/sh -c #(nop) CMD ["sh"]`, Comment: "FROM 3b23d628812e"},
		{CreatedBy: `/bin/sh -c #(nop) ENV PATH=/bin`, Comment: "FROM 995d4d50918b"},
		{CreatedBy: `/bin/sh -c ["/bin/busybox","sh","-c","/bin/busybox --install -s /bin"]`, Size: 143872, Comment: "FROM 534c42a01aa5"},
		{CreatedBy: `/bin/sh -c #(nop) COPY file:01b0 in /bin/busybox `, Size: 1984512},
	}
	st := BuildStack([]string{"sha256:a", "sha256:b", "sha256:c"}, hist)
	want := []struct {
		meta, commit bool
		ins          string
	}{
		{false, false, "COPY file:01b0 in /bin/busybox"},
		{false, false, `RUN ["/bin/busybox","sh","-c","/bin/busybox --install -s /bin"]`},
		{true, false, "ENV PATH=/bin"},
		{true, false, `CMD ["sh"]`},
		{false, true, "/bin/sh"},
	}
	if len(st.Layers) != len(want) {
		t.Fatalf("%d layers", len(st.Layers))
	}
	for i, w := range want {
		if l := st.Layers[i]; l.Meta != w.meta || l.Commit != w.commit || l.Instruction != w.ins {
			t.Errorf("layer %d = %+v, want %+v", i, l, w)
		}
	}
}
