package i18n

import (
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker/dockerfile"
)

const multiStage = "FROM busybox:1.36 AS build\nRUN echo built > /result.txt\nFROM busybox:1.36 AS unused\nRUN echo never > /x\nFROM busybox:1.36\nCOPY --from=build /result.txt /app/result.txt\nCMD [\"cat\", \"/app/result.txt\"]\n"

// TestStagesInBothLanguages (issue 30, 4): each FROM of a multi-stage file
// says which stage it starts, the COPY --from names its stage, not the build
// context, a line of a stage that is not the image says so, and the summary
// names the stage BuildKit skips.
func TestStagesInBothLanguages(t *testing.T) {
	t.Parallel()
	a := dockerfile.Analyze(multiStage)
	for _, c := range []struct {
		lang string
		want map[int][]string
		not  map[int]string
		sum  []string
	}{
		{"en", map[int][]string{
			1: {"starts stage build, a step of the build", "It starts on busybox:1.36"},
			2: {"(In stage build: not in the image.)"},
			3: {"starts stage unused", "BuildKit skips it"},
			4: {"In stage unused, which BuildKit skips"},
			5: {"starts the last stage, the one that becomes the image"},
			6: {"copies files from stage build"},
		}, map[int]string{1: "bottom of yours", 6: "from the build context into"},
			[]string{"3 stages: the image is the last one (line 5)", "BuildKit skips stage unused (line 3)"}},
		{"ko", map[int][]string{
			1: {"스테이지 build 를 시작합니다. 빌드의 중간 단계라서", "busybox:1.36 위에서 시작합니다"},
			2: {"(스테이지 build: 이미지에는 들어가지 않습니다.)"},
			3: {"스테이지 unused 를 시작합니다", "BuildKit 은 이 스테이지를 건너뜁니다"},
			4: {"스테이지 unused 는 BuildKit 이 건너뜁니다"},
			5: {"마지막 스테이지를 시작합니다: 이 스테이지가 이미지가 됩니다"},
			6: {"빌드 컨텍스트가 아니라 스테이지 build"},
		}, map[int]string{1: "내 이미지의 바닥", 6: "빌드 컨텍스트의 파일을"},
			[]string{"스테이지 3개: 이미지는 마지막 스테이지 (5행)", "BuildKit 은 스테이지 unused (3행)"}},
	} {
		tr := For(c.lang)
		for n, want := range c.want {
			l, _ := a.LineAt(n)
			got := InstrText(&tr, l)
			for _, w := range want {
				if !strings.Contains(got, w) {
					t.Errorf("%s line %d: %q lacks %q", c.lang, n, got, w)
				}
			}
			if not := c.not[n]; not != "" && strings.Contains(got, not) {
				t.Errorf("%s line %d: %q still says %q", c.lang, n, got, not)
			}
		}
		sum := strings.Join(StagesSummary(&tr, a), "\n")
		for _, w := range c.sum {
			if !strings.Contains(sum, w) {
				t.Errorf("%s summary %q lacks %q", c.lang, sum, w)
			}
		}
	}
	if s := StagesSummary(&English, dockerfile.Analyze("FROM busybox\nRUN true\n")); s != nil {
		t.Errorf("one stage has no stage summary: %q", s)
	}
}

// TestStateLineInBothLanguages (issue 30, 6): the state a line leaves for
// the next: what the file set, and what the base image sets, named as such.
func TestStateLineInBothLanguages(t *testing.T) {
	t.Parallel()
	a := dockerfile.Analyze("ARG V=1.36\nFROM busybox:$V\nWORKDIR /srv\nWORKDIR app\nUSER nobody\nENV A=1\nFROM scratch\nFROM node\nWORKDIR app\n")
	for lang, want := range map[string]map[int]string{
		"en": {
			1: "↳ for FROM lines only: ARG V=1.36",
			2: "↳ from here on: stage 0 · WORKDIR, USER, ENV as busybox:1.36 sets them",
			4: "↳ from here on: stage 0 · WORKDIR /srv/app · USER, ENV as busybox:1.36 sets them",
			6: "↳ from here on: stage 0 · WORKDIR /srv/app · USER nobody · ENV A=1",
			7: "↳ from here on: stage 1 · WORKDIR / · USER root",
			9: "↳ from here on: stage 2 · WORKDIR …/app (under node's WORKDIR) · USER, ENV as node sets them",
		},
		"ko": {
			1: "↳ FROM 줄에서만 쓰입니다: ARG V=1.36",
			2: "↳ 여기부터: 스테이지 0 · WORKDIR, USER, ENV 는 busybox:1.36 이미지가 정한 대로",
			6: "↳ 여기부터: 스테이지 0 · WORKDIR /srv/app · USER nobody · ENV A=1",
			9: "↳ 여기부터: 스테이지 2 · WORKDIR …/app (node 의 WORKDIR 아래) · USER, ENV 는 node 이미지가 정한 대로",
		},
	} {
		tr := For(lang)
		for n, w := range want {
			l, _ := a.LineAt(n)
			if got := StateText(&tr, l); got != w {
				t.Errorf("%s line %d: %q, want %q", lang, n, got, w)
			}
			if got := InstrText(&tr, l); !strings.HasSuffix(got, "\n"+w) {
				t.Errorf("%s line %d: the explanation does not end with the state: %q", lang, n, got)
			}
		}
	}
}

// TestStateFindingsInBothLanguages (issue 30, 6 and 7): each surprise in the
// state, and a source outside the context, is said with what Docker does.
func TestStateFindingsInBothLanguages(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		src    string
		kind   dockerfile.NoteKind
		en, ko string
	}{
		{"FROM busybox\nWORKDIR /srv\nWORKDIR app\n", dockerfile.NoteWorkdirJoined, "the next lines run in /srv/app", "다음 줄들은 /srv/app 에서 실행됩니다"},
		{"FROM busybox\nWORKDIR app\n", dockerfile.NoteWorkdirJoined, "joins the base image's WORKDIR (/ if the image sets none)", "베이스 이미지의 WORKDIR (정하지 않았으면 /)"},
		{"FROM busybox AS a\nENV G=hi\nFROM busybox\nRUN echo $G\n", dockerfile.NoteVarOtherStage, "$G is set on line 2, in another stage", "$G 는 2행, 다른 스테이지에서 정했습니다"},
		{"ARG V=1\nFROM busybox\nRUN echo $V\n", dockerfile.NoteGlobalArg, "ARG V on line 1 comes before the first FROM", "ARG V 는 (1행) 첫 FROM 앞에 있어서"},
		{"FROM busybox\nRUN export X=1\n", dockerfile.NoteRunExport, "export X lasts only while this RUN runs", "export X 는 이 RUN 이 도는 동안만 유효합니다"},
		{"FROM busybox\nRUN export X=1 && true\nRUN echo $X\n", dockerfile.NoteRunExport, "so line 3 reads it empty", "3행에서는 비어 있습니다"},
		{"FROM busybox\nCOPY ../secret.txt /\n", dockerfile.NoteOutsideContext, "BuildKit looks for secret.txt in the context instead", "컨텍스트 안에서 secret.txt 를 찾고"},
		{"FROM busybox\nCOPY /etc/passwd /p\n", dockerfile.NoteOutsideContext, "/etc/passwd is read inside the build context, not from your computer: Docker looks for etc/passwd", "/etc/passwd 는 내 컴퓨터가 아니라 빌드 컨텍스트 안에서 읽습니다"},
		{"FROM busybox\nUSER nobody\nRUN echo hi > /etc/motd\n", dockerfile.NoteUserNotRoot, "runs as nobody (the USER on line 2), not as root: writing /etc/motd needs root", "nobody 로 실행됩니다 (2행의 USER): /etc/motd 에 쓰려면"},
		{"FROM debian\nUSER 1000\nRUN apt-get install -y curl\n", dockerfile.NoteUserNotRoot, "apt-get install needs root", "1000 으로 실행됩니다 (2행의 USER): apt-get install 에는 root 권한이"},
	} {
		a := dockerfile.Analyze(c.src)
		var found *dockerfile.Note
		for i, n := range a.Notes {
			if n.Kind == c.kind {
				found = &a.Notes[i]
			}
		}
		if found == nil {
			t.Errorf("%q: no finding %d: %+v", c.src, c.kind, a.Notes)
			continue
		}
		for lang, want := range map[string]string{"en": c.en, "ko": c.ko} {
			tr := For(lang)
			if got := DockerfileNote(&tr, *found); !strings.Contains(got, want) {
				t.Errorf("%s %q: %q lacks %q", lang, c.src, got, want)
			}
		}
	}
}
