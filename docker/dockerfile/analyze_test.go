package dockerfile

import (
	"fmt"
	"strings"
	"testing"
)

func notesOf(a Analysis, k NoteKind) []Note {
	var out []Note
	for _, n := range a.Notes {
		if n.Kind == k {
			out = append(out, n)
		}
	}
	return out
}

func TestLayersAndMetadata(t *testing.T) {
	t.Parallel()
	a := Analyze("FROM busybox\nENV A=1\nRUN echo hi\nCOPY x /x\nADD y /y\nEXPOSE 80\nLABEL k=v\nCMD [\"sh\"]\nWORKDIR /w\n")
	want := []Effect{EffectBase, EffectMeta, EffectLayer, EffectLayer, EffectLayer, EffectMeta, EffectMeta, EffectMeta, EffectLayer}
	if len(a.Lines) != len(want) {
		t.Fatalf("%d lines", len(a.Lines))
	}
	for i, l := range a.Lines {
		if l.Effect != want[i] || l.Step != i+1 {
			t.Errorf("line %d %s: effect %v step %d", l.Line, l.Keyword, l.Effect, l.Step)
		}
	}
	if a.Errors() != 0 || a.Steps != 9 {
		t.Errorf("errors %d steps %d: %+v", a.Errors(), a.Steps, a.Notes)
	}
}

func TestEnvironmentSubstitution(t *testing.T) {
	t.Parallel()
	src := "FROM busybox\nENV NAME=world DIR=/app\nWORKDIR ${DIR}/x\nCOPY hello.txt $DIR/\nLABEL greeting=\"hello $NAME\"\nENV DIR=/other\nWORKDIR $DIR\nRUN echo $NAME $NOPE\nCMD [\"echo\", \"$NAME\"]\n"
	a := Analyze(src)
	exp := map[int]string{3: "/app/x", 4: "hello.txt /app/", 5: `greeting="hello world"`, 7: "/other"}
	for n, want := range exp {
		l, _ := a.LineAt(n)
		if l.Expanded != want {
			t.Errorf("line %d: expanded %q, want %q", n, l.Expanded, want)
		}
	}
	run, _ := a.LineAt(8)
	if !run.Shell || len(run.Vars) != 2 || run.Vars[0].Name != "NAME" || run.Vars[0].Value != "world" || run.Vars[1].Known {
		t.Errorf("RUN vars %+v", run.Vars)
	}
	unknown := notesOf(a, NoteUnknownVariable)
	if len(unknown) != 1 || unknown[0].Detail != "NOPE" || unknown[0].Line != 8 || unknown[0].Col != 16 {
		t.Errorf("unknown variables %+v", unknown)
	}
	cmd, _ := a.LineAt(9)
	if !cmd.ExecForm || len(cmd.Vars) != 0 {
		t.Errorf("exec-form CMD expands nothing: %+v", cmd)
	}
	if strings.Join(a.Env, " ") != "DIR=/other NAME=world" {
		t.Errorf("env %v", a.Env)
	}
}

func TestMustStartWithFrom(t *testing.T) {
	t.Parallel()
	for src, want := range map[string]int{
		"RUN echo hi\nFROM busybox\n":          1,
		"ARG V=1\nFROM busybox:$V\nRUN true\n": 0,
		"  \n# c\nFROM busybox\n":              0,
		"ENV A=1\n":                            1,
	} {
		if got := len(notesOf(Analyze(src), NoteNoFrom)); got != want {
			t.Errorf("%q: %d no-FROM notes, want %d", src, got, want)
		}
	}
}

func TestOnlyTheLastCmdCounts(t *testing.T) {
	t.Parallel()
	a := Analyze("FROM busybox\nCMD [\"sh\", \"-c\", \"echo cmd1\"]\nRUN true\nCMD echo \"cmd2\"\n")
	first, _ := a.LineAt(2)
	last, _ := a.LineAt(4)
	if !first.Overridden || last.Overridden {
		t.Errorf("overridden: first %v last %v", first.Overridden, last.Overridden)
	}
	n := notesOf(a, NoteOverriddenCmd)
	if len(n) != 1 || n[0].Line != 2 || n[0].Other != 4 {
		t.Errorf("%+v", n)
	}
	if a.Cmd != `echo "cmd2"` {
		t.Errorf("cmd in effect %q", a.Cmd)
	}
}

func TestLowercaseWorksButIsPointedOut(t *testing.T) {
	t.Parallel()
	a := Analyze("from busybox\nrun echo hi\n")
	if a.Errors() != 0 {
		t.Fatalf("lower case must work: %+v", a.Notes)
	}
	n := notesOf(a, NoteLowercase)
	if len(n) != 2 || n[1].Detail != "run" || n[1].Suggest != "RUN" || n[1].Kind.Severity() != SeverityTip {
		t.Errorf("%+v", n)
	}
	if l, _ := a.LineAt(2); l.Keyword != "RUN" || l.Effect != EffectLayer {
		t.Errorf("%+v", l)
	}
}

func TestRunAndCmdConfusion(t *testing.T) {
	t.Parallel()
	a := Analyze("FROM busybox\nCMD apt-get install -y python3\nRUN cd /app && python3 app.py\nRUN apt-get install -y curl\nCMD python3 app.py\n")
	if n := notesOf(a, NoteCmdInstalls); len(n) != 1 || n[0].Line != 2 {
		t.Errorf("CMD installing: %+v", n)
	}
	if n := notesOf(a, NoteRunStartsApp); len(n) != 1 || n[0].Line != 3 {
		t.Errorf("RUN starting the app: %+v", n)
	}
}

func TestErrorsHaveTheirPlace(t *testing.T) {
	t.Parallel()
	cases := []struct {
		src       string
		kind      NoteKind
		line, col int
		detail    string
	}{
		{"FROM busybox\n  RUM echo hi\n", NoteUnknownInstruction, 2, 3, "RUN"},
		{"FROM busybox\nENV\n", NoteBadArguments, 2, 5, "ENV requires at least one argument"},
		{"FROM busybox\nCOPY onlyone\n", NoteBadArguments, 2, 6, "COPY requires at least two arguments"},
		{"", NoteEmpty, 1, 1, ""},
		{"# just a comment\n", NoteEmpty, 1, 1, ""},
	}
	for _, c := range cases {
		a := Analyze(c.src)
		n := notesOf(a, c.kind)
		if len(n) != 1 || n[0].Line != c.line || n[0].Col != c.col {
			t.Errorf("%q: %+v", c.src, a.Notes)
			continue
		}
		if c.kind == NoteUnknownInstruction && n[0].Suggest != c.detail {
			t.Errorf("%q: suggest %q", c.src, n[0].Suggest)
		} else if c.kind != NoteUnknownInstruction && !strings.Contains(n[0].Detail, c.detail) {
			t.Errorf("%q: detail %q", c.src, n[0].Detail)
		}
	}
}

func TestInlineHashIsNotAComment(t *testing.T) {
	t.Parallel()
	a := Analyze("FROM busybox\nCOPY a.txt /app/ # copy it\nRUN echo hi # a shell comment is fine\nLABEL x=\"a # b\"\n")
	n := notesOf(a, NoteInlineComment)
	if len(n) != 1 || n[0].Line != 2 || n[0].Col != 18 {
		t.Errorf("%+v", a.Notes)
	}
}

func TestContinuationLines(t *testing.T) {
	t.Parallel()
	a := Analyze("FROM busybox\nRUN echo a \\\n    b \\\n    c\nCMD [\"sh\"]\n")
	l, ok := a.LineAt(3)
	if !ok || l.Line != 2 || l.EndLine != 4 || l.Keyword != "RUN" {
		t.Errorf("%+v", l)
	}
	if c, _ := a.LineAt(5); c.Keyword != "CMD" {
		t.Errorf("%+v", c)
	}
}

// FuzzAnalyze: whatever a learner types, the analyzer answers and stays sane.
func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{
		"FROM busybox\nRUN echo hi\n", "from x\nrun a \\\n\n b\n", "RUN <<EOF\nhi\nEOF\n", "# escape=`\nFROM x\nRUN a `\n b\n",
		"FROM x\nENV A=${B:-c} D=${A:?err}\nCOPY --chown=$A a b\n", "FROM x\nCMD [\"a\",\n", "\x00\xff", "ARG\nFROM\n",
		"FROM x\nONBUILD RUN x\nHEALTHCHECK CMD x\nSHELL [\"sh\"]\n", "FROM x AS y\nCOPY --from=y a b\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		a := Analyze(src)
		lines := strings.Count(src, "\n") + 1
		for _, n := range a.Notes {
			if n.Line < 1 || n.Line > lines+1 || n.Col < 1 {
				t.Fatalf("note outside the file: %+v (%d lines)", n, lines)
			}
		}
		for _, l := range a.Lines {
			if l.EndLine < l.Line {
				t.Fatalf("line range %+v", l)
			}
		}
	})
}

// BenchmarkAnalyze100Lines is the analyzer's cost per keystroke in the editor
// (it runs on every change) on a 100-line Dockerfile.
func BenchmarkAnalyze100Lines(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("FROM busybox:latest\nENV APP=/app NAME=layerlab\n")
	for i := 0; sb.Len() < 1<<20 && strings.Count(sb.String(), "\n") < 99; i++ {
		switch i % 5 {
		case 0:
			fmt.Fprintf(&sb, "RUN echo step %d > $APP/f%d && cat $APP/f%d\n", i, i, i)
		case 1:
			fmt.Fprintf(&sb, "ENV V%d=${NAME}-%d\n", i, i)
		case 2:
			fmt.Fprintf(&sb, "COPY file%d.txt ${APP}/\n", i)
		case 3:
			fmt.Fprintf(&sb, "LABEL step%d=\"$NAME $V%d\"\n", i, i-2)
		default:
			fmt.Fprintf(&sb, "# comment %d\n", i)
		}
	}
	sb.WriteString("CMD [\"sh\"]\n")
	src := sb.String()
	if n := strings.Count(src, "\n"); n != 100 {
		b.Fatalf("%d lines", n)
	}
	b.ReportAllocs()
	for b.Loop() {
		if a := Analyze(src); a.Errors() != 0 {
			b.Fatal(a.Notes)
		}
	}
}

// TestFromSeesOnlyTheArgsBeforeIt: FROM substitutes the ARGs declared before
// the first FROM and never an ENV; an ARG without a default leaves the name
// incomplete (busybox:), which is said; STOPSIGNAL substitutes ENV.
func TestFromSeesOnlyTheArgsBeforeIt(t *testing.T) {
	t.Parallel()
	a := Analyze("ARG V=1.36\nFROM busybox:$V\nENV IMG=busybox SIG=SIGUSR1\nSTOPSIGNAL $SIG\nFROM $IMG\n")
	if l, _ := a.LineAt(2); l.Expanded != "busybox:1.36" {
		t.Errorf("FROM busybox:$V after ARG V=1.36: %q", l.Expanded)
	}
	if l, _ := a.LineAt(4); l.Expanded != "SIGUSR1" {
		t.Errorf("STOPSIGNAL $SIG: %q", l.Expanded)
	}
	unknown := notesOf(a, NoteUnknownVariable)
	if len(unknown) != 1 || unknown[0].Line != 5 || unknown[0].Detail != "IMG" {
		t.Errorf("FROM $IMG with IMG from ENV must be flagged, and only it: %+v", unknown)
	}
	b := Analyze("ARG V\nFROM busybox:$V\n")
	if n := notesOf(b, NoteUnknownVariable); len(n) != 0 {
		t.Errorf("ARG V on line 1 declares V: %+v", n)
	}
	bad := notesOf(b, NoteFromNotAnImage)
	if len(bad) != 1 || bad[0].Line != 2 || bad[0].Detail != "busybox:" || b.Errors() == 0 {
		t.Errorf("an ARG without a default makes busybox: %+v", b.Notes)
	}
}

// TestTheMistakesLearnersMake: each is found, at its place, and nothing is
// said of the right way to write it.
func TestTheMistakesLearnersMake(t *testing.T) {
	t.Parallel()
	cases := []struct {
		src    string
		kind   NoteKind
		line   int
		detail string
	}{
		{"FROM busybox\nCMD ['sh','-c','echo hi']\n", NoteNotJSON, 2, "['sh','-c','echo hi']"},
		{"FROM busybox\nRUN cd /app\nRUN touch here\n", NoteRunCd, 2, ""},
		{"FROM busybox\nENV A=1\nRUN echo '$A'\n", NoteQuotedVar, 3, "A"},
		{"FROM busybox\nENV A=1\nCMD echo 'x ${A} y'\n", NoteQuotedVar, 3, "A"},
		{"ARG V\nFROM busybox:$V\n", NoteFromNotAnImage, 2, "busybox:"},
		{"", NoteEmpty, 1, ""},
		{"# only a comment\n", NoteEmpty, 1, ""},
		{"ARG V=1\n", NoteNoFrom, 1, ""},
		{"FROM busybox\nCMD [\"sh\", \"-c\" \"echo two\"]\n", NoteBrokenJSON, 2, `["sh", "-c" "echo two"]`},
		{"FROM busybox\nRUN [\"echo\" \"hi\"]\n", NoteBrokenJSON, 2, `["echo" "hi"]`},
		{"FROM busybox\nENTRYPOINT sh\nCMD [\"-c\", \"echo hi\"]\n", NoteEntrypointShell, 2, ""},
	}
	for _, c := range cases {
		a := Analyze(c.src)
		ns := notesOf(a, c.kind)
		if len(ns) != 1 || ns[0].Line != c.line || (c.detail != "" && ns[0].Detail != c.detail) {
			t.Errorf("%q: %+v, want one %d at line %d (%q)", c.src, a.Notes, c.kind, c.line, c.detail)
		}
		if c.kind.Severity() == SeverityError && a.Errors() == 0 {
			t.Errorf("%q: no error", c.src)
		}
	}
	for _, right := range []string{
		"FROM busybox\nCMD [\"sh\", \"-c\", \"echo hi\"]\n",
		"FROM busybox\nWORKDIR /app\nRUN touch here\n",
		"FROM busybox\nRUN cd /app && touch here\n",
		"FROM busybox\nRUN cd /app\n", // nothing after it: nothing lost
		"FROM busybox\nENV A=1\nRUN echo \"$A\" 'plain'\n",
		"FROM busybox\nRUN echo '$UNSET_BY_DOCKERFILE'\n",
		"ARG V=1.36\nFROM busybox:$V\n",
		"FROM busybox\nENTRYPOINT [\"sh\"]\nCMD [\"-c\", \"echo hi\"]\n",
		"FROM busybox\nRUN echo [a] [b]\n",
		"FROM busybox\nRUN [ -f /etc/passwd ]\n",
		"FROM busybox\nENV A=x\nRUN [ \"$A\" = \"x\" ]\n",
	} {
		a := Analyze(right)
		for _, n := range a.Notes {
			if n.Kind == NoteBrokenJSON || n.Kind == NoteEntrypointShell || n.Kind == NoteNotJSON || n.Kind == NoteRunCd || n.Kind == NoteQuotedVar || n.Kind == NoteFromNotAnImage || n.Kind == NoteEmpty || n.Kind == NoteNoFrom {
				t.Errorf("%q: %+v", right, n)
			}
		}
	}
	// A shell-form ENTRYPOINT: the CMD it ignores is named, and is not said
	// to apply.
	if a := Analyze("FROM busybox\nENTRYPOINT sh\nCMD [\"-c\", \"echo hi\"]\n"); a.Cmd != "" || len(notesOf(a, NoteEntrypointShell)) != 1 || notesOf(a, NoteEntrypointShell)[0].Other != 3 {
		t.Errorf("ENTRYPOINT sh: CMD %q, %+v", a.Cmd, a.Notes)
	}
	// A stray short word is one finding, with no guess of what was meant.
	a := Analyze("FROM busybox\nn\nRUN true\nn\n")
	for _, n := range notesOf(a, NoteUnknownInstruction) {
		if n.Suggest != "" {
			t.Errorf("a guess for a stray word: %+v", n)
		}
	}
	if a := Analyze("FROM busybox\nRUM true\n"); len(notesOf(a, NoteUnknownInstruction)) != 1 || notesOf(a, NoteUnknownInstruction)[0].Suggest != "RUN" {
		t.Errorf("RUM: %+v", a.Notes)
	}
}
