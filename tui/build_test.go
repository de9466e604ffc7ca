package tui

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/assets"
	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons/engine"
)

// seeded feeds a lesson's workspace as if it had been made on disk.
func seeded(t *testing.T, m Model, lesson string, files ...string) Model {
	t.Helper()
	src, ok := assets.Workspace(lesson)
	if !ok {
		t.Fatalf("no workspace for %s", lesson)
	}
	msg := workspaceMsg{lesson: lesson, dir: "/home/learner/.cache/layerlab/workspace/" + lesson, files: map[string]string{}}
	for _, f := range files {
		b, err := fs.ReadFile(src, f)
		if err != nil {
			t.Fatal(err)
		}
		msg.files[f] = string(b)
	}
	return update1(m, msg)
}

func lessonAt(t *testing.T, m Model, id string) Model {
	t.Helper()
	for i, l := range m.opts.Lessons {
		if l.ID == id {
			nm, _ := m.openLesson(i)
			return nm.(Model)
		}
	}
	t.Fatalf("no lesson %s", id)
	return m
}

// editorModel has env/Dockerfile open, the cursor on its COPY line.
func editorModel(t *testing.T, lang string, w, h int) Model {
	m := testModelIn(t, lang, w, h)
	m = update1(m, connectedMsg{engine: testEngine})
	m = lessonAt(t, m, "dockerfile")
	m = seeded(t, m, "dockerfile", "format/Dockerfile", "cmd/Dockerfile", "env/Dockerfile")
	m.selectStep(3)
	m.settle()
	m = update1(m, press("enter"))
	if m.editor == nil || m.editor.rel != "env/Dockerfile" {
		t.Fatalf("enter did not open env/Dockerfile")
	}
	for range 3 {
		m = update1(m, tea.KeyPressMsg{Code: tea.KeyDown})
	}
	return m
}

func TestEditorGolden(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(sizeName(size), func(t *testing.T) {
			m := editorModel(t, "en", size[0], size[1])
			out := viewText(m)
			if size[0] < wideWidth {
				out += "\n" + viewText(update1(m, press("tab")))
			}
			golden(t, out)
		})
	}
}

func TestExplanationFollowsTheCursorAndTheTyping(t *testing.T) {
	t.Parallel()
	m := editorModel(t, "en", 120, 40)
	out := viewText(m)
	for _, want := range []string{"Explain · env/Dockerfile", "→ after substitution: hello.txt /app/", "■ new layer", "copies files from the build context"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	// A new line typed in lower case, then a typo: the pane says so at once.
	m = update1(m, tea.KeyPressMsg{Code: tea.KeyEnd})
	m = update1(m, tea.KeyPressMsg{Code: tea.KeyEnter})
	m = typeText(m, "run echo $GREETING $NOBODY")
	e := m.editor
	out = ansi.Strip(m.explainPane(e.an, e.rel, e.ta.Line()+1, 300, 60))
	for _, want := range []string{"run works too", "$NOBODY is not set by an ENV or ARG above", "$GREETING = hello"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, viewText(m))
		}
	}
	for range len("run echo $GREETING $NOBODY") {
		m = update1(m, tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	m = typeText(m, "RUM echo hi")
	out = strings.Join(strings.Fields(viewText(m)), " ")
	if !strings.Contains(out, "line 5:1 RUM is not an instruction: did you mean RUN?") {
		t.Errorf("no error with its place:\n%s", viewText(m))
	}
	// esc keeps the text and saves it; nothing is lost.
	nm, cmd := m.Update(press("esc"))
	m = nm.(Model)
	if m.editor != nil || cmd == nil {
		t.Fatal("esc should close and save")
	}
	if got := m.work.drafts[fileKey("dockerfile", "env/Dockerfile")]; !strings.Contains(got, "RUM echo hi") {
		t.Errorf("the edit was lost: %q", got)
	}
	if saved, ok := cmd().(fileSavedMsg); !ok || saved.err == nil {
		t.Errorf("the save went to the fake workspace: %+v", saved) // /home/learner does not exist here
	}
}

func TestEditorSurvivesAnyInput(t *testing.T) {
	t.Parallel()
	m := editorModel(t, "en", 80, 24)
	for _, s := range []string{"\\\n\n", "FROM", "# escape=`", "\x00", "ENV A=${", "COPY --from=", "<<EOF", "\t\t"} {
		m = typeText(m, s)
		m = update1(m, tea.KeyPressMsg{Code: tea.KeyEnter})
		_ = viewText(m)
	}
}

// buildingModel is the build lesson with `docker build -t pyubuntu:init .`
// (step 4) just started, nothing reported yet.
func buildingModel(t *testing.T, lang string, w, h int) (Model, engine.StepKey) {
	m := testModelIn(t, lang, w, h)
	m.opts.Home = "/home/learner"
	m = update1(m, connectedMsg{engine: testEngine})
	m = lessonAt(t, m, "build")
	m = seeded(t, m, "build", "Dockerfile", "path/to/Dockerfile", "broken/Dockerfile")
	m.selectStep(3)
	m.settle()
	m = update1(m, press("enter"))
	k := engine.StepKey{Lesson: "build", Index: 3}
	if m.work.eng.Steps[k].Status != engine.Running || m.idle() {
		t.Fatalf("build did not start: %+v", m.work.eng.Steps[k])
	}
	return m, k
}

// builtModel is the build lesson after `docker build -t pyubuntu:init .`
// finished; the steps before changedStep came from the cache (1: none did).
func builtModel(t *testing.T, lang string, w, h int, changedStep int) Model {
	m, k := buildingModel(t, lang, w, h)
	ins := []string{"FROM busybox:latest", "ENV GREETING=hello APP_DIR=/app", "WORKDIR ${APP_DIR}", "COPY hello.txt ${APP_DIR}/",
		`RUN echo "built by RUN, once, at build time" > /built.txt`, "EXPOSE 8080", `CMD ["sh", "-c", "echo cmd1"]`,
		`CMD echo "$GREETING from cmd2"`}
	ids := []string{"bd443c9a0bf9", "a618c9a46181", "9141e8bc550d", "0dd055193929", "77a8f587c9ef", "be1f6195c681", "b437efb8317f", "468124519583"}
	p := docker.BuildProgress{Context: docker.BuildContext{Dir: "/home/learner/.cache/layerlab/workspace/build", Files: 5, Size: 739, Ignored: 1, DockerfileInContext: true}}
	m = update1(m, buildUpdateMsg{key: k, progress: p})
	for i, in := range ins {
		p.Steps = append(p.Steps, docker.BuildStep{Index: i + 1, Total: len(ins), Instruction: in, ImageID: ids[i], Done: true, Cached: i > 0 && i+1 < changedStep})
		if i == 4 && changedStep <= 5 {
			p.Steps[i].Output = []string{"(RUN's output)"}
		}
		m = update1(m, buildUpdateMsg{key: k, progress: p.Clone()})
	}
	p.ImageID, p.Done = "sha256:"+ids[len(ids)-1]+"0000", true
	m = update1(m, buildDoneMsg{key: k, result: docker.BuildResult{ImageID: p.ImageID, Progress: p}, at: fixedNow.Add(800 * time.Millisecond)})
	st := docker.LayerStack{ID: p.ImageID, Layers: append(append([]docker.Layer(nil), bbStack.Layers...),
		docker.Layer{Meta: true, Instruction: "ENV GREETING=hello APP_DIR=/app"},
		docker.Layer{DiffID: "sha256:71a506f998c0aaaa", Instruction: "WORKDIR /app"},
		docker.Layer{DiffID: "sha256:cd1beb9f66caaaaa", Size: 29, Instruction: "COPY file:aad3286ebade in /app/"},
		docker.Layer{DiffID: "sha256:ef1b8d06dc96aaaa", Size: 34, Instruction: `RUN echo "built by RUN, once, at build time" > /built.txt`},
		docker.Layer{Meta: true, Instruction: "EXPOSE 8080"},
		docker.Layer{Meta: true, Instruction: `CMD ["sh" "-c" "echo cmd1"]`},
		docker.Layer{Meta: true, Instruction: `CMD ["/bin/sh" "-c" "echo \"$GREETING from cmd2\""]`},
	)}
	for i := range st.Layers {
		st.Layers[i].Index = i
	}
	return update1(m, stackMsg{ref: "pyubuntu:init", found: true, stack: st})
}

func TestBuildGolden(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(sizeName(size), func(t *testing.T) {
			m := builtModel(t, "en", size[0], size[1], 1)
			out := viewText(m)
			if size[0] < wideWidth {
				out += "\n" + viewText(update1(m, press("tab")))
			}
			golden(t, out)
		})
	}
}

func TestBuildCardAndPanelTellCacheFromNew(t *testing.T) {
	t.Parallel()
	m := builtModel(t, "en", 120, 60, 5) // a rebuild after a change to line 6 (step 5)
	l := m.lesson()
	card := ansiStrip(m.painter().Output(m.cardOf(l, l.Steps[3]), 200))
	for _, want := range []string{"context: ~/.cache/layerlab/workspace/build · 5 files, 739B · 1 left out by .dockerignore",
		"4/8 COPY hello.txt ${APP_DIR}/ → 0dd055193929 from cache", "5/8 RUN echo", "→ 77a8f587c9ef new",
		"built 468124519583: 8 steps, 3 from the cache, tagged pyubuntu:init"} {
		if !strings.Contains(card, want) {
			t.Errorf("card lacks %q:\n%s", want, card)
		}
	}
	out := viewText(m)
	for _, want := range []string{"Layers · pyubuntu:init", "instruction 4 · from cache", "instruction 5 · new", "instruction 8 · new"} {
		if !strings.Contains(out, want) {
			t.Errorf("panel lacks %q:\n%s", want, out)
		}
	}
	if m.work.running != nil || !m.idle() {
		t.Error("still running after the build ended")
	}
}

func TestBuildFailureIsExplainedAndExpectedOneCompletes(t *testing.T) {
	t.Parallel()
	m := testModel(t, 120, 60)
	m = update1(m, connectedMsg{engine: testEngine})
	m = lessonAt(t, m, "build")
	m = seeded(t, m, "build", "Dockerfile")
	l := m.lesson()
	last := -1
	for i, st := range l.Steps {
		if st.Expect == "build-failed" {
			last = i // the lesson's build that is meant to fail
		}
	}
	if last < 0 {
		t.Fatal("the build lesson has no build meant to fail")
	}
	failure := &docker.Error{Kind: docker.KindBuildFailed, Step: 3, ExitCode: 3, Detail: "The command '/bin/sh -c echo \"this step fails\" && exit 3' returned a non-zero code: 3"}
	p := docker.BuildProgress{Steps: []docker.BuildStep{{Index: 1, Total: 4, Instruction: "FROM busybox:latest", Done: true, ImageID: "bd443c9a0bf9"},
		{Index: 2, Total: 4, Instruction: `RUN echo "this step works" > /ok.txt`, Done: true, ImageID: "1111aaaa2222"},
		{Index: 3, Total: 4, Instruction: `RUN echo "this step fails" && exit 3`, Output: []string{"this step fails"}}}}
	for _, idx := range []int{last, 3} {
		m.selectStep(idx)
		m.settle()
		m = update1(m, press("enter"))
		m = update1(m, buildDoneMsg{key: engine.StepKey{Lesson: "build", Index: idx}, err: failure, result: docker.BuildResult{Progress: p}, at: fixedNow})
	}
	if s := m.work.eng.Steps[engine.StepKey{Lesson: "build", Index: last}]; s.Status != engine.Done || !s.Expected {
		t.Errorf("the expected failure should complete its step: %+v", s)
	}
	s := m.work.eng.Steps[engine.StepKey{Lesson: "build", Index: 3}]
	if s.Status != engine.Failed {
		t.Fatalf("an unexpected failure is a failure: %+v", s)
	}
	card := strings.Join(strings.Fields(ansiStrip(m.painter().Output(m.cardOf(l, l.Steps[3]), 200))), " ")
	for _, want := range []string{"A build step failed", "The build's instruction 3 exited with code 3", "stay in the build cache", "│ this step fails", "3/4 RUN echo \"this step fails\" && exit 3 ✗"} {
		if !strings.Contains(card, want) {
			t.Errorf("card lacks %q:\n%s", want, card)
		}
	}
}

func ansiStrip(s string) string { return ansi.Strip(s) }

func TestDockerfileErrorFromTheDaemonGetsTheAnalyzersHelp(t *testing.T) {
	t.Parallel()
	m := testModel(t, 120, 60)
	m = update1(m, connectedMsg{engine: testEngine})
	m = lessonAt(t, m, "build")
	m = update1(m, workspaceMsg{lesson: "build", dir: "/ws/build", files: map[string]string{"Dockerfile": "FROM busybox:latest\nRUM echo hi\n"}})
	m.selectStep(2)
	m.settle()
	m = update1(m, press("enter"))
	err := &docker.Error{Kind: docker.KindDockerfile, Line: 2, Detail: "dockerfile parse error line 2: unknown instruction: RUM"}
	m = update1(m, buildDoneMsg{key: engine.StepKey{Lesson: "build", Index: 2}, err: err, at: fixedNow})
	l := m.lesson()
	card := strings.Join(strings.Fields(ansi.Strip(m.painter().Output(m.cardOf(l, l.Steps[2]), 200))), " ")
	for _, want := range []string{"The Dockerfile is not valid", "Line 2: dockerfile parse error line 2: unknown instruction: RUM", "did you mean RUN?"} {
		if !strings.Contains(card, want) {
			t.Errorf("card lacks %q:\n%s", want, card)
		}
	}
}

// TestResizesDuringABuild: while a build runs (a step printing), the
// terminal goes from huge to nothing and back: every frame fits, and the
// build's end still lands on its card.
func TestResizesDuringABuild(t *testing.T) {
	t.Parallel()
	m, k := buildingModel(t, "en", 120, 40)
	p := docker.BuildProgress{Context: docker.BuildContext{Dir: "/w/build", Files: 5, Size: 739}}
	p.Steps = []docker.BuildStep{
		{Index: 1, Total: 10, Instruction: "FROM busybox:latest", ImageID: "bd443c9a0bf9", Done: true},
		{Index: 2, Total: 10, Instruction: strings.Repeat("RUN echo a long line ", 20), Output: []string{strings.Repeat("output ", 60), "more"}},
	}
	for i, sz := range [][2]int{{300, 100}, {1, 1}, {2, 40}, {40, 10}, {59, 19}, {60, 20}, {80, 24}, {200, 3}, {120, 40}} {
		m = update1(m, tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		p.Steps[1].Output = append(p.Steps[1].Output, "line "+itoa(i))
		m = update1(m, buildUpdateMsg{key: k, progress: p.Clone()})
		lines := strings.Split(viewText(m), "\n")
		if len(lines) > sz[1] {
			t.Errorf("%dx%d during a build: %d lines", sz[0], sz[1], len(lines))
		}
		for j, line := range lines {
			if w := ansiWidth(line); w > sz[0] {
				t.Errorf("%dx%d during a build: line %d is %d cells wide", sz[0], sz[1], j, w)
				break
			}
		}
	}
	p.Steps[1].Done, p.Steps[1].ImageID = true, "a618c9a46181"
	p.ImageID, p.Done = "sha256:a618c9a461810000", true
	m = update1(m, buildDoneMsg{key: k, result: docker.BuildResult{ImageID: p.ImageID, Progress: p}, at: fixedNow.Add(time.Second)})
	if s := m.work.eng.Steps[k]; s.Status != engine.Done {
		t.Fatalf("after the resizes the build did not end: %+v", s)
	}
	if card := ansiStrip(m.painter().Output(m.cardOf(m.lesson(), m.lesson().Steps[3]), 200)); !strings.Contains(card, "built a618c9a46181") {
		t.Errorf("the card after the build:\n%s", card)
	}
}

// TestEditorShowsWhatTheBuildMade: after `docker build` of the lesson's
// Dockerfile, the editor's explanation puts under each line what that step
// really made, and says where it is not what was predicted (here a layer
// where it says metadata). Once the text changes, it
// says the build was of an earlier version instead.
func TestEditorShowsWhatTheBuildMade(t *testing.T) {
	t.Parallel()
	m := builtModel(t, "en", 160, 60, 1)
	// As if this builder had made a layer for EXPOSE (which is predicted
	// as metadata): the pane must say they differ.
	for i, l := range m.pic.stacks["pyubuntu:init"].stack.Layers {
		if l.Instruction == "EXPOSE 8080" {
			m.pic.stacks["pyubuntu:init"].stack.Layers[i].Meta = false
			m.pic.stacks["pyubuntu:init"].stack.Layers[i].DiffID = "sha256:e0e0e0e0e0e0aaaa"
		}
	}
	s := m.work.eng.Steps[engine.StepKey{Lesson: "build", Index: 3}]
	s.Build.Context.Dockerfile = "/home/learner/.cache/layerlab/workspace/build/Dockerfile"
	s.Build.Context.Source = m.work.files[fileKey("build", "Dockerfile")]
	if s.Build.Context.Source == "" {
		t.Fatal("the Dockerfile was not seeded")
	}
	m.selectStep(1)
	m.settle()
	m = update1(m, press("enter"))
	if m.editor == nil || m.editor.rel != "Dockerfile" {
		t.Fatal("enter did not open the Dockerfile")
	}
	flat := strings.Join(strings.Fields(strings.NewReplacer("│", " ", "┃", " ").Replace(viewText(m))), " ")
	for _, want := range []string{"built 468124519583: under each line, what it really made",
		"built: step 2 → a618c9a46181 · metadata only", "WORKDIR ${APP_DIR} ■ layer (its folder)",
		"built: step 3 → 9141e8bc550d · a layer of 0B", "built: step 5 → 77a8f587c9ef · a layer of 34B",
		"EXPOSE 8080 · metadata, 0 B built: step 6 → be1f6195c681 · a layer of 0B ≠ predicted (metadata, 0 B): the builder made a layer of 0B"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the explanation lacks %q:\n%s", want, viewText(m))
		}
	}
	if strings.Count(flat, "≠ predicted") != 1 {
		t.Errorf("only EXPOSE differs from the prediction:\n%s", viewText(m))
	}
	m = typeText(m, "#")
	flat = strings.Join(strings.Fields(viewText(m)), " ")
	if strings.Contains(flat, "built: step") || !strings.Contains(flat, "the last build was of an earlier version of this file") {
		t.Errorf("after a change the build's results are shown as current:\n%s", viewText(m))
	}
}

// TestABuildCardSaysItHidesLines: a RUN that printed more than the card
// keeps says how many earlier lines it hides.
func TestABuildCardSaysItHidesLines(t *testing.T) {
	t.Parallel()
	m, k := buildingModel(t, "en", 120, 40)
	p := docker.BuildProgress{Steps: []docker.BuildStep{{Index: 1, Total: 1, Instruction: "RUN seq 7", Output: []string{"1", "2", "3", "4", "5", "6", "7"}}}}
	m = update1(m, buildUpdateMsg{key: k, progress: p})
	out := viewText(m)
	if !strings.Contains(out, "… 3 earlier lines") || !strings.Contains(out, "│ 7") || strings.Contains(out, "│ 3\n") {
		t.Errorf("the hidden lines are not counted:\n%s", out)
	}
}

// TestABuildKitBuildReadsAsDockerBuild: a BuildKit build's card reads like
// what docker build prints on a current Docker (#N, CACHED, DONE, the RUN's
// output, the export's sub-tasks, ERROR for what failed), and the editor
// puts under each line what it really made, found in the image's history.
func TestABuildKitBuildReadsAsDockerBuild(t *testing.T) {
	t.Parallel()
	m, k := buildingModel(t, "en", 120, 50)
	p := docker.BuildProgress{BuildKit: true, Context: docker.BuildContext{Dir: "/home/learner/.cache/layerlab/workspace/build", Files: 5, Size: 739,
		Dockerfile: filepath.Join(m.work.workspaces["build"], "Dockerfile"), Source: m.work.files[fileKey("build", "Dockerfile")]},
		// As docker build --progress=plain printed it on Debian's engine
		// (docker/testdata/plain), the RUN's output made longer.
		Printed: strings.Split(`#1 [internal] load build definition from Dockerfile
#1 transferring dockerfile: 371B done
#1 DONE 0.0s

#2 [internal] load .dockerignore
#2 transferring context: 106B done
#2 DONE 0.0s

#3 [internal] load metadata for docker.io/library/busybox:latest
#3 DONE 0.0s

#4 [1/4] FROM docker.io/library/busybox:latest
#4 CACHED

#5 [internal] load build context
#5 transferring context: 65B done
#5 DONE 0.1s

#6 [2/4] WORKDIR /app
#6 CACHED

#7 [3/4] COPY hello.txt /app/
#7 DONE 0.1s

#8 [4/4] RUN echo "built by RUN, once, at build time" > /built.txt
#8 0.120 l1
#8 0.121 l2
#8 0.122 l3
#8 0.123 l4
#8 0.124 l5
#8 DONE 0.3s

#9 exporting to image
#9 exporting layers 0.0s done
#9 writing image sha256:4681245195830000 done
#9 naming to docker.io/library/pyubuntu:init done
#9 DONE 0.1s`, "\n")}
	for i, ins := range []string{"FROM docker.io/library/busybox:latest", "WORKDIR /app", "COPY hello.txt /app/", `RUN echo "built by RUN, once, at build time" > /built.txt`} {
		p.Steps = append(p.Steps, docker.BuildStep{Index: i + 1, Total: 4, Instruction: ins, Cached: i < 2, Done: true})
	}
	p.ImageID, p.Done = "sha256:4681245195830000", true
	m = update1(m, buildUpdateMsg{key: k, progress: p.Clone()})
	m = update1(m, buildDoneMsg{key: k, result: docker.BuildResult{ImageID: p.ImageID, Progress: p}, at: fixedNow.Add(time.Second)})
	l := m.lesson()
	card := ansiStrip(m.painter().Output(m.cardOf(l, l.Steps[3]), 200))
	for _, want := range []string{"#1 [internal] load build definition from Dockerfile\n#1 transferring dockerfile: 371B done\n#1 DONE 0.0s",
		"#4 [1/4] FROM docker.io/library/busybox:latest\n#4 CACHED\n#5 [internal] load build context", "#7 [3/4] COPY hello.txt /app/\n#7 DONE 0.1s",
		"#8 [4/4] RUN echo \"built by RUN, once, at build time\" > /built.txt\n#8 … 1 earlier line\n#8 0.121 l2", "#8 0.124 l5\n#8 DONE 0.3s\n#9 exporting to image",
		"#9 writing image sha256:4681245195830000 done\n#9 naming to docker.io/library/pyubuntu:init done\n#9 DONE 0.1s",
		"built 468124519583: 4 steps, 2 from the cache, tagged pyubuntu:init"} {
		if !strings.Contains(card, want) {
			t.Errorf("card lacks %q:\n%s", want, card)
		}
	}
	if strings.Contains(card, "→") {
		t.Errorf("a BuildKit card names step images it never made:\n%s", card)
	}
	// The image's history, one entry per instruction above FROM.
	st := docker.LayerStack{ID: p.ImageID, Layers: append(append([]docker.Layer(nil), bbStack.Layers...),
		docker.Layer{Meta: true, Instruction: "ENV GREETING=hello APP_DIR=/app"},
		docker.Layer{DiffID: "sha256:71a506f998c0aaaa", Instruction: "WORKDIR /app"},
		docker.Layer{DiffID: "sha256:cd1beb9f66caaaaa", Size: 29, Instruction: "COPY hello.txt /app/ # buildkit"},
		docker.Layer{DiffID: "sha256:ef1b8d06dc96aaaa", Size: 34, Instruction: `RUN /bin/sh -c echo "built by RUN, once, at build time" > /built.txt # buildkit`},
		docker.Layer{Meta: true, Instruction: "EXPOSE map[8080/tcp:{}]"},
		docker.Layer{Meta: true, Instruction: `CMD ["sh" "-c" "echo cmd1"]`},
		docker.Layer{Meta: true, Instruction: `CMD ["/bin/sh" "-c" "echo \"$GREETING from cmd2\""]`},
	)}
	for i := range st.Layers {
		st.Layers[i].Index = i
	}
	m = update1(m, stackMsg{ref: "pyubuntu:init", found: true, stack: st})
	// The panel marks the layers the build's numbered instructions made.
	panel := m.panel().view(m.t, m.st, 60, 40)
	for _, want := range []string{"instruction 4 · new", "instruction 3 · new", "instruction 2 · from cache"} {
		if !strings.Contains(ansiStrip(panel), want) {
			t.Errorf("the panel lacks %q:\n%s", want, ansiStrip(panel))
		}
	}
	m.selectStep(1)
	m.settle()
	m = update1(m, press("enter"))
	if m.editor == nil {
		t.Fatal("the editor did not open")
	}
	e := m.editor
	pane := ansiStrip(m.explainPane(e.an, e.rel, 1, 120, 80))
	for _, want := range []string{"built 468124519583: under each line, what it really made", "built by BuildKit · metadata only", "built by BuildKit · a layer of 34B", "built by BuildKit · a layer of 29B", "built by BuildKit · a layer of 0B (from the cache)"} {
		if !strings.Contains(flatten(pane), want) {
			t.Errorf("the editor lacks %q:\n%s", want, pane)
		}
	}
}

// TestTheLayersPanelFollowsABuildKitBuild: BuildKit commits no image per
// step, so while it builds the panel stacks its numbered instructions over
// the image it starts FROM, each as it finishes, and says the settings come
// with the image.
func TestTheLayersPanelFollowsABuildKitBuild(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "ko"} {
		t.Run(lang, func(t *testing.T) {
			m, k := buildingModel(t, lang, 120, 40)
			m = update1(m, stackMsg{ref: "busybox:latest", found: true, stack: bbStack})
			src := "FROM busybox:latest\nENV GREETING=hello\nWORKDIR /app\nCOPY hello.txt /app/\nLABEL a=b\nRUN echo built > /built.txt\nCMD [\"sh\"]\n"
			p := docker.BuildProgress{BuildKit: true, Context: docker.BuildContext{Source: src}, Steps: []docker.BuildStep{
				{Index: 1, Total: 4, Instruction: "FROM docker.io/library/busybox:latest", Done: true},
				{Index: 2, Total: 4, Instruction: "WORKDIR /app", Done: true, Cached: true},
				{Index: 3, Total: 4, Instruction: "COPY hello.txt /app/", Done: true},
				{Index: 4, Total: 4, Instruction: "RUN echo built > /built.txt"},
			}}
			m = update1(m, buildUpdateMsg{key: k, progress: p})
			panel := ansiStrip(m.panel().view(m.t, m.st, 60, 30))
			want := map[string][]string{
				"en": {"pyubuntu:init · building", "meta CMD [\"sh\"] ■ [4/4] RUN echo built > /built.txt running… · meta LABEL a=b ■ [3/4] COPY hello.txt /app/ DONE ■ [2/4] WORKDIR /app CACHED · meta ENV GREETING=hello [1/4] FROM docker.io/library/busybox:latest", "d5cf7e0c7dad", "as soon as it has read the Dockerfile"},
				"ko": {"pyubuntu:init · 빌드 중", "[2/4] WORKDIR /app CACHED", "Dockerfile 을 읽자마자"},
			}[lang]
			for _, w := range want {
				if !strings.Contains(flatten(panel), w) {
					t.Errorf("the panel lacks %q:\n%s", w, panel)
				}
			}
		})
	}
}

// TestAFailedBuildOpensItsDockerfileAtTheLine: a build that failed at a
// step of its Dockerfile says which line to fix, and o opens that file
// there (not the tag, which e edits), the build's card kept as it was; in
// both languages.
func TestAFailedBuildOpensItsDockerfileAtTheLine(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ lang, todo, key string }{
		{"en", "fix line 3 of broken/Dockerfile, and build again", "o open broken/Dockerfile at line 3, the step that failed"},
		{"ko", "broken/Dockerfile의 3행을 고친 다음 다시 빌드하세요", "o 실패한 명령어가 있는 broken/Dockerfile의 3행을 엽니다"},
	} {
		m := testModelIn(t, c.lang, 120, 60)
		m = update1(m, connectedMsg{engine: testEngine})
		m = lessonAt(t, m, "build")
		m = seeded(t, m, "build", "Dockerfile", "broken/Dockerfile")
		l := m.lesson()
		idx := -1
		for i, st := range l.Steps {
			if st.File == "broken/Dockerfile" {
				idx = i
			}
		}
		if idx < 0 {
			t.Fatal("the build lesson does not build broken/Dockerfile")
		}
		ws := m.work.workspaces["build"]
		failure := &docker.Error{Kind: docker.KindBuildFailed, Step: 3, ExitCode: 3, Line: 3, File: "broken/Dockerfile"}
		p := docker.BuildProgress{BuildKit: true, Context: docker.BuildContext{Dir: ws, Dockerfile: filepath.Join(ws, "broken", "Dockerfile"), DockerfileInContext: true}}
		m.selectStep(idx)
		m.settle()
		m = update1(m, press("enter"))
		k := engine.StepKey{Lesson: "build", Index: idx}
		m = update1(m, buildDoneMsg{key: k, err: failure, result: docker.BuildResult{Progress: p}, at: fixedNow})
		before := *m.work.eng.Steps[k]
		card := strings.Join(strings.Fields(ansiStrip(m.painter().Output(m.cardOf(l, l.Steps[idx]), 200))), " ")
		for _, want := range []string{c.todo, c.key} {
			if !strings.Contains(card, want) {
				t.Errorf("%s: card lacks %q:\n%s", c.lang, want, card)
			}
		}
		if strings.Contains(card, "press e") || strings.Contains(card, "e 를 눌러") {
			t.Errorf("%s: the card still sends the learner to e:\n%s", c.lang, card)
		}
		m = update1(m, press("o"))
		if m.editor == nil || m.editor.rel != "broken/Dockerfile" || m.editor.ta.Line() != 2 {
			t.Fatalf("%s: o did not open broken/Dockerfile at line 3: %+v", c.lang, m.editor)
		}
		if s := m.work.eng.Steps[k]; s.Status != before.Status || s.Err != before.Err {
			t.Errorf("%s: opening the file changed the build's card: %+v, was %+v", c.lang, s, before)
		}
		if !strings.Contains(viewText(m), `RUN echo "this step fails" && exit 3`) {
			t.Errorf("%s: the editor does not show the failing line:\n%s", c.lang, viewText(m))
		}
	}
}

// TestABuildCardWarnsOfWhatItWillNotFind: the COPY sources the build will
// not find are said on its card as soon as the context is measured, before
// the daemon answers; a context too big is told whole, its limit in one
// unit, in layerlab's words (not "Docker said"); in both languages.
func TestABuildCardWarnsOfWhatItWillNotFind(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ lang, ignored, outside, tooBig, said, files string }{
		{"en", "⚠ line 4: COPY secret.txt: .dockerignore leaves it out (rule secret*), so the build will not find it",
			"⚠ line 5: COPY ../up.txt: outside the context, never sent; Docker looks for /up.txt in the context", "holds 62.9MB, over layerlab's limit of 50MB", "Docker said", "7 files, 62.9MB"},
		{"ko", "⚠ 4행: COPY secret.txt: .dockerignore 가 뺍니다 (규칙 secret*). 빌드가 찾지 못합니다",
			"⚠ 5행: COPY ../up.txt: 컨텍스트 밖이라 보내지 않습니다. Docker 는 컨텍스트에서 /up.txt를 찾습니다", "한도 50MB", "Docker 원문", "파일 7개, 62.9MB"},
	} {
		m, k := buildingModel(t, c.lang, 160, 60)
		p := docker.BuildProgress{BuildKit: true, Context: docker.BuildContext{Dir: "/w/build", Files: 7, Size: 739, Ignored: 1, Missing: []docker.MissingSource{
			{Line: 4, Source: "secret.txt", Path: "/secret.txt", Why: docker.SourceIgnored, Rule: "secret*"},
			{Line: 5, Source: "../up.txt", Path: "/up.txt", Why: docker.SourceOutside}}}}
		m = update1(m, buildUpdateMsg{key: k, progress: p})
		l := m.lesson()
		card := strings.Join(strings.Fields(ansiStrip(m.painter().Output(m.cardOf(l, l.Steps[k.Index]), 300))), " ")
		for _, want := range []string{c.ignored, c.outside} {
			if !strings.Contains(card, want) {
				t.Errorf("%s: the running build's card lacks %q:\n%s", c.lang, want, card)
			}
		}
		big := &docker.Error{Kind: docker.KindContextTooBig, Size: 62_900_000, Limit: docker.DefaultMaxContext}
		p.Context.Size, p.Context.Missing = 62_900_000, nil
		m = update1(m, buildDoneMsg{key: k, err: big, result: docker.BuildResult{Progress: p}, at: fixedNow})
		card = strings.Join(strings.Fields(ansiStrip(m.painter().Output(m.cardOf(l, l.Steps[k.Index]), 300))), " ")
		if !strings.Contains(card, c.tooBig) || !strings.Contains(card, c.files) || strings.Contains(card, c.said) {
			t.Errorf("%s: the too-big card:\n%s", c.lang, card)
		}
	}
}
