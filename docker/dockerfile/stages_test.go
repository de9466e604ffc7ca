package dockerfile

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// multi is the build lesson's multi/Dockerfile in the shape of issue 30.
const multi = "FROM busybox:1.36 AS build\nRUN echo built > /result.txt\nFROM busybox:1.36 AS unused\nRUN echo never > /x\nFROM busybox:1.36\nCOPY --from=build /result.txt /app/result.txt\nCMD [\"cat\", \"/app/result.txt\"]\n"

// TestStagesOfAMultiStageFile: the last stage is the image; COPY --from
// names the build stage (its flag kept in the line as written); BuildKit
// builds the stage the image copies from and skips the unused one; only the
// image's own layers are counted.
func TestStagesOfAMultiStageFile(t *testing.T) {
	t.Parallel()
	a := Analyze(multi)
	if len(a.StageList) != 3 || a.Stages() != 3 {
		t.Fatalf("stages %+v", a.StageList)
	}
	build, unused, last := a.StageList[0], a.StageList[1], a.StageList[2]
	if build.Name != "build" || unused.Name != "unused" || last.Name != "" || last.Label() != "2" {
		t.Errorf("names %q %q %q", build.Name, unused.Name, last.Label())
	}
	if !last.Final || build.Final || unused.Final || !last.InImage || build.InImage || unused.InImage {
		t.Errorf("final/in image: %+v", a.StageList)
	}
	if !build.Built || unused.Built || !last.Built {
		t.Errorf("BuildKit builds build and the last, skips unused: %+v", a.StageList)
	}
	if !slices.Equal(last.Reads, []int{0}) || build.BaseStage != -1 || build.Base != "busybox:1.36" {
		t.Errorf("reads %v base %d %q", last.Reads, build.BaseStage, build.Base)
	}
	cp, _ := a.LineAt(6)
	if cp.Args != "--from=build /result.txt /app/result.txt" || !slices.Equal(cp.Flags, []string{"--from=build"}) || cp.From != "build" || cp.FromStage != 0 {
		t.Errorf("COPY --from: %+v", cp)
	}
	if cp.Stage != 2 || !cp.InStage.Final {
		t.Errorf("COPY's stage: %d %+v", cp.Stage, cp.InStage)
	}
	if run, _ := a.LineAt(4); run.Stage != 1 || run.InStage.Built || run.InStage.Name != "unused" {
		t.Errorf("the unused stage's RUN: %+v", run)
	}
	if layers, meta := a.Counts(); layers != 1 || meta != 1 {
		t.Errorf("the image gets 1 layer and 1 metadata entry, counted %d and %d", layers, meta)
	}
	if a.Steps != 7 || a.Cmd != `["cat", "/app/result.txt"]` {
		t.Errorf("steps %d cmd %q", a.Steps, a.Cmd)
	}
}

// TestStageFromStage: a stage that starts FROM another carries its layers
// into the image, and its settings into the new stage; --from by index and
// RUN --mount from= are read as BuildKit reads them; a --from that names no
// stage is an image.
func TestStageFromStage(t *testing.T) {
	t.Parallel()
	src := "FROM busybox AS base\nENV A=1\nWORKDIR /srv\nUSER nobody\nRUN true\n" +
		"FROM busybox AS tools\nRUN echo t > /t\n" +
		"FROM busybox AS assets\nRUN echo a > /a\n" +
		"FROM base\nRUN --mount=type=bind,from=tools,target=/m cat /m/t\nCOPY --from=2 /a /a\nCOPY --from=alpine:3.20 /etc/os-release /os\nRUN echo $A\n"
	a := Analyze(src)
	if len(a.StageList) != 4 {
		t.Fatalf("%+v", a.StageList)
	}
	last := a.StageList[3]
	if last.BaseStage != 0 || !a.StageList[0].InImage || a.StageList[1].InImage || a.StageList[2].InImage {
		t.Errorf("FROM base: %+v", a.StageList)
	}
	for i, s := range a.StageList {
		if !s.Built {
			t.Errorf("stage %d is needed (FROM, --mount from=, --from=2) but not built", i)
		}
	}
	if l, _ := a.LineAt(11); l.From != "tools" || l.FromStage != 1 {
		t.Errorf("RUN --mount from=tools: %+v", l)
	}
	if l, _ := a.LineAt(12); l.FromStage != 2 {
		t.Errorf("--from=2 is the third stage: %+v", l)
	}
	if l, _ := a.LineAt(13); l.From != "alpine:3.20" || l.FromStage != -1 {
		t.Errorf("--from=alpine:3.20 is an image: %+v", l)
	}
	// base's RUN and the last stage's three instructions that make layers
	// (RUN, COPY, COPY, RUN) plus base's WORKDIR.
	if layers, meta := a.Counts(); layers != 6 || meta != 2 {
		t.Errorf("counted %d layers %d metadata", layers, meta)
	}
	from, _ := a.LineAt(10)
	if from.After.Workdir != "/srv" || from.After.User != "nobody" || !slices.Equal(from.After.Env, []string{"A=1"}) || from.After.Image != "busybox" {
		t.Errorf("FROM base starts from base's state: %+v", from.After)
	}
	if n := notesOf(a, NoteUnknownVariable); len(n) != 0 {
		t.Errorf("$A comes from the base stage: %+v", n)
	}
}

// TestStateAcrossLines: the state each line leaves for the next, as
// BuildKit computes it.
func TestStateAcrossLines(t *testing.T) {
	t.Parallel()
	src := "ARG V=1.36\nFROM busybox:$V\nWORKDIR /srv\nWORKDIR app\nENV A=1 B=two\nUSER nobody\nSHELL [\"/bin/sh\", \"-ec\"]\nARG V\nARG W=2\nWORKDIR ../other\nFROM scratch\n"
	a := Analyze(src)
	at := func(n int) State { l, _ := a.LineAt(n); return l.After }
	if s := at(1); !slices.Equal(s.Args, []string{"V=1.36"}) {
		t.Errorf("ARG before FROM: %+v", s)
	}
	if s := at(2); s.Workdir != "" || s.WorkdirSet || s.User != "" || len(s.Env) != 0 || len(s.Args) != 0 || s.Image != "busybox:1.36" {
		t.Errorf("after FROM: the base image's, not known: %+v", s)
	}
	if s := at(4); s.Workdir != "/srv/app" || !s.WorkdirSet {
		t.Errorf("WORKDIR app after /srv: %+v", s)
	}
	if s := at(7); !slices.Equal(s.Env, []string{"A=1", "B=two"}) || s.User != "nobody" || !slices.Equal(s.Shell, []string{"/bin/sh", "-ec"}) {
		t.Errorf("ENV, USER, SHELL: %+v", s)
	}
	if s := at(9); !slices.Equal(s.Args, []string{"V=1.36", "W=2"}) {
		t.Errorf("ARG V in the stage takes the global value: %+v", s.Args)
	}
	if s := at(10); s.Workdir != "/srv/other" {
		t.Errorf("WORKDIR ../other: %q", s.Workdir)
	}
	if s := at(11); s.Workdir != "/" || !s.WorkdirSet || s.User != "root" || len(s.Env)+len(s.Args) != 0 || s.Shell != nil {
		t.Errorf("FROM scratch resets everything: %+v", s)
	}
	if s := at(2); s.Workdir != "" {
		t.Errorf("a later line changed an earlier line's state: %+v", s)
	}
	b := Analyze("FROM node\nWORKDIR app\nWORKDIR src\n")
	if l, _ := b.LineAt(3); l.After.Workdir != "app/src" || l.After.WorkdirSet {
		t.Errorf("relative to the base image's WORKDIR: %+v", l.After)
	}
}

// TestSurprisesInState: each line whose effect on the state a learner would
// not expect is flagged, with what the builder does instead; the right way
// to write it is not.
func TestSurprisesInState(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, src    string
		kind         NoteKind
		line, other  int
		detail, sugg string
	}{
		{"relative WORKDIR", "FROM busybox\nWORKDIR /srv\nWORKDIR app\n", NoteWorkdirJoined, 3, 2, "/srv/app", "/srv"},
		{"relative WORKDIR on an unknown one", "FROM busybox\nWORKDIR app\n", NoteWorkdirJoined, 2, 0, "app", ""},
		{"cd does not last", "FROM busybox\nRUN cd /tmp\nRUN pwd\n", NoteRunCd, 2, 3, "", ""},
		{"ENV of another stage", "FROM busybox AS a\nENV GREETING=hi\nFROM busybox\nRUN echo $GREETING\n", NoteVarOtherStage, 4, 2, "GREETING", ""},
		{"export does not last", "FROM busybox\nRUN export X=1\nRUN echo $X\n", NoteRunExport, 2, 0, "X", ""},
		{"export read later", "FROM busybox\nRUN export X=1 && echo $X\nRUN echo $X\n", NoteRunExport, 2, 3, "X", ""},
		{"ARG before FROM", "ARG V=1\nFROM busybox\nRUN echo $V\n", NoteGlobalArg, 3, 1, "V", ""},
		{"USER then a root write", "FROM busybox\nUSER nobody\nRUN echo hi > /etc/motd\n", NoteUserNotRoot, 3, 2, "nobody", "/etc/motd"},
		{"USER then cp into a system folder", "FROM busybox\nUSER nobody\nRUN cp /tmp/a /usr/local/bin/\n", NoteUserNotRoot, 3, 2, "nobody", "/usr/local/bin"},
		{"USER then mkdir", "FROM busybox\nUSER nobody\nRUN mkdir -p /app\n", NoteUserNotRoot, 3, 2, "nobody", "/app"},
		{"USER then apt-get", "FROM debian\nUSER 1000\nRUN apt-get install -y curl\n", NoteUserNotRoot, 3, 2, "1000", "apt-get install"},
	}
	for _, c := range cases {
		a := Analyze(c.src)
		ns := notesOf(a, c.kind)
		if len(ns) != 1 || ns[0].Line != c.line || ns[0].Other != c.other || ns[0].Detail != c.detail || ns[0].Suggest != c.sugg {
			t.Errorf("%s: %+v, want one %d at %d (other %d, %q, %q)", c.name, a.Notes, c.kind, c.line, c.other, c.detail, c.sugg)
		}
		if c.kind == NoteVarOtherStage || c.kind == NoteGlobalArg {
			if n := notesOf(a, NoteUnknownVariable); len(n) != 0 {
				t.Errorf("%s: also said as unknown: %+v", c.name, n)
			}
		}
	}
	for _, right := range []string{
		"FROM busybox\nWORKDIR /srv\nWORKDIR /srv/app\n",
		"FROM busybox AS a\nENV GREETING=hi\nFROM a\nRUN echo $GREETING\n",
		"ARG V=1\nFROM busybox\nARG V\nRUN echo $V\n",
		"FROM busybox\nRUN export X=1 && echo $X\n",
		"FROM busybox\nENV X=1\nRUN echo $X\n",
		"FROM busybox\nUSER nobody\nRUN echo hi > /tmp/x && touch /tmp/y\n",
		"FROM busybox\nUSER nobody\nWORKDIR /app\nRUN echo hi > /app/x\n",
		"FROM busybox\nUSER root\nRUN apt-get install -y curl\n",
		"FROM busybox\nRUN echo hi > /etc/motd\n",
		"FROM busybox\nUSER nobody\nRUN cp /etc/os-release /tmp/ && ls /etc 2>/dev/null >&2\n",
	} {
		for _, n := range Analyze(right).Notes {
			switch n.Kind {
			case NoteWorkdirJoined, NoteVarOtherStage, NoteRunExport, NoteGlobalArg, NoteUserNotRoot, NoteUnknownVariable:
				t.Errorf("%q: %+v", right, n)
			}
		}
	}
}

// TestSourcesOutsideTheContext: a COPY/ADD source that leaves the context or
// is absolute is said with the path Docker will look for in the context; a
// stage's absolute path and an ADD of a URL are not the context's.
func TestSourcesOutsideTheContext(t *testing.T) {
	t.Parallel()
	a := Analyze("FROM busybox\nCOPY ../secret.txt /\nCOPY /etc/passwd /p\nADD ../../a/b.tar /x/\nCOPY ok.txt ./sub/../in.txt /in/\nCOPY .. /all\n")
	ns := notesOf(a, NoteOutsideContext)
	want := [][3]string{{"2", "../secret.txt", "secret.txt"}, {"3", "/etc/passwd", "etc/passwd"}, {"4", "../../a/b.tar", "a/b.tar"}, {"6", "..", "."}}
	if len(ns) != len(want) {
		t.Fatalf("%+v", ns)
	}
	for i, n := range ns {
		if w := want[i]; strings.Join([]string{strconv.Itoa(n.Line), n.Detail, n.Suggest}, "|") != strings.Join(w[:], "|") {
			t.Errorf("%+v, want %v", n, w)
		}
	}
	if ns[0].Col != 6 || ns[1].Col != 6 {
		t.Errorf("columns %d %d", ns[0].Col, ns[1].Col)
	}
	for _, right := range []string{
		"FROM busybox AS b\nRUN true\nFROM busybox\nCOPY --from=b /etc/passwd /p\n",
		"FROM busybox\nADD https://example.com/../x.tar /x\n",
		"FROM busybox\nCOPY ./a/../b.txt /b\n",
	} {
		if n := notesOf(Analyze(right), NoteOutsideContext); len(n) != 0 {
			t.Errorf("%q: %+v", right, n)
		}
	}
}
