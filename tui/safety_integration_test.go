package tui

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
	"github.com/docker/docker/pkg/stdcopy"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockercli"
	"github.com/layerlab/layerlab/docker/dockertest"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/tui/render"
)

// TestLearnersOwnThingsSurviveEveryLessonAndCleanup is layerlab's safety
// promise, on the real daemon. A learner has images and containers of their
// own: one built FROM the lessons' base and sharing its layers, one holding a
// lesson image's name before layerlab pulls it, and their own pyubuntu:init,
// the name the commit and build lessons use. Midway, right after the commit
// lesson, they derive from a lesson image the way Docker copies its labels:
// a running and a stopped container run from it (a file written in the
// running one), a commit of that container, a build FROM the lesson image,
// and a tag of theirs on it. Then every step of every lesson runs, `x` in
// every lesson, the : line tries to change their things, the app quits, and
// `layerlab cleanup --yes` runs. Everything of the learner's is still there
// with the same ids, tags and content; nothing layerlab made is left behind.
func TestLearnersOwnThingsSurviveEveryLessonAndCleanup(t *testing.T) {
	_, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	ctx := context.Background()
	for _, ref := range []string{"busybox:latest", "python:3.6.0-slim", "pyubuntu:init"} {
		dockertest.PreserveTag(t, api, ref)
	}

	// The learner's own world.
	pullAs(t, api, reg.Host+"/library/busybox:latest", "busybox:latest") // a lesson image's name, theirs before layerlab pulls it
	appRef := "layerlab-test-learner-app:" + reg.Nonce
	appID := dockertest.Build(t, api, appRef, "FROM busybox:latest\nRUN echo mine > /mine.txt\nCMD [\"sh\"]\n", nil)
	tagged := "layerlab-test-learner-tag:" + reg.Nonce
	if err := api.ImageTag(ctx, appID, tagged); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = api.ImageRemove(context.Background(), tagged, image.RemoveOptions{}) })
	// Their own pyubuntu:init, made before any lesson ran.
	if _, err := api.ImageRemove(ctx, "pyubuntu:init", image.RemoveOptions{}); err != nil && !cerrdefs.IsNotFound(err) {
		t.Fatal(err)
	}
	if err := api.ImageTag(ctx, appID, "pyubuntu:init"); err != nil {
		t.Fatal(err)
	}
	userCt := dockertest.UserContainer(t, api, appRef, "layerlab-test-learner-"+reg.Nonce)
	if err := api.ContainerStart(ctx, userCt, container.StartOptions{}); err != nil {
		t.Fatal(err)
	}
	bbID := inspectID(t, api, "busybox:latest")
	userRefs := map[string]string{"busybox:latest": bbID, appRef: appID, tagged: appID, "pyubuntu:init": appID}
	userCts := map[string]bool{userCt: true} // running ones

	// Images of the lessons left on this daemon by earlier runs (whose
	// ledgers are gone) are not this run's to account for.
	earlier := map[string]bool{}
	for _, l := range builtin(t) {
		imgs, _ := api.ImageList(ctx, image.ListOptions{All: true, Filters: filters.NewArgs(filters.Arg("label", docker.LabelLesson+"="+l.ID))})
		for _, im := range imgs {
			earlier[im.ID] = true
		}
	}

	m, cmd := liveModel(t, reg.Host)
	realClient(t, m).UseLedger(docker.OpenLedger(filepath.Join(t.TempDir(), "owned.json")))
	m = settle(t, m, cmd, 30*time.Second)
	if m.daemon.conn != connUp {
		t.Fatalf("not connected: %v", m.daemon.connErr)
	}
	// Every step of every lesson, in order, as a learner pressing enter.
	runLesson := func(i int, mustPass bool) {
		t.Helper()
		l := m.opts.Lessons[i]
		nm, cmd := m.openLesson(i)
		m = settle(t, nm.(Model), cmd, 30*time.Second)
		for _, st := range l.Steps {
			if st.Kind == lessons.KindCheck {
				continue // done in the learner's own terminal, not by layerlab
			}
			m.selectStep(st.Index)
			m.settle()
			nm, cmd := m.Update(press("enter"))
			m = settle(t, nm.(Model), cmd, 2*time.Minute)
			if st.Kind == lessons.KindDockerfile {
				if m.editor == nil {
					t.Fatalf("%s step %d did not open the editor", l.ID, st.Index+1)
				}
				if st.Expect == "change" {
					// The step asks for a change: a comment on the first line
					// (a comment in every seed), saved.
					if !strings.HasPrefix(m.editor.text(), "#") {
						t.Fatalf("%s step %d: its file does not start with a comment", l.ID, st.Index+1)
					}
					m = typeText(m, "# ")
					nm, cmd = m.Update(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
					m = settle(t, nm.(Model), cmd, 10*time.Second)
				}
				nm, cmd = m.Update(press("esc"))
				m = settle(t, nm.(Model), cmd, 10*time.Second)
			}
			s := m.work.eng.Steps[engine.StepKey{Lesson: l.ID, Index: st.Index}]
			if !mustPass {
				continue
			}
			if s == nil || s.Status != engine.Done {
				t.Fatalf("%s step %d (%s %s) did not complete: %v\n%s", l.ID, st.Index+1, st.Kind, st.Arg, s.Err, viewText(m))
			}
			if st.Kind == lessons.KindRmi && s.Removed == nil && !s.Expected {
				t.Fatalf("%s step %d removed nothing", l.ID, st.Index+1)
			}
		}
	}
	commitLesson := -1
	for i, l := range m.opts.Lessons {
		if l.ID == "commit" {
			commitLesson = i
		}
	}
	for i := 0; i <= commitLesson; i++ {
		runLesson(i, true)
	}
	// The lesson did not move the learner's pyubuntu:init: it used a name of
	// its own, and said so on the card (its container's name is the one it
	// took: another run's layerlab-commit-1 may be on a shared daemon).
	lessonImg := m.work.eng.Named("pyubuntu:init")
	if lessonImg == "pyubuntu:init" {
		t.Fatalf("the commit lesson took the learner's pyubuntu:init")
	}
	for _, st := range m.opts.Lessons[commitLesson].Steps {
		if st.Kind != lessons.KindCommit {
			continue
		}
		card := flatten(ansi.Strip(m.painter().Card(m.cardOf(m.opts.Lessons[commitLesson], st), 200)))
		if !strings.Contains(card, "pyubuntu:init is the name of an image of yours") || !strings.Contains(card, "uses "+lessonImg+" instead") ||
			!strings.Contains(card, "docker commit "+m.work.eng.Ctr("layerlab-commit-1")+" "+lessonImg) {
			t.Errorf("the card does not say which name the lesson used:\n%s", card)
		}
	}
	lessonID := inspectID(t, api, lessonImg)

	// The learner derives from the lesson's image, in their own terminal.
	derivedApp := dockertest.UserContainer(t, api, lessonImg, "learner-app-"+reg.Nonce)
	if err := api.ContainerStart(ctx, derivedApp, container.StartOptions{}); err != nil {
		t.Fatal(err)
	}
	userExec(t, api, derivedApp, "echo unsaved work > /unsaved.txt")
	stopped := dockertest.UserContainer(t, api, lessonImg, "learner-stopped-"+reg.Nonce)
	if insp, err := api.ContainerInspect(ctx, stopped); err != nil || insp.Config.Labels[docker.LabelOwned] != "true" {
		t.Fatalf("the derived container should carry the copied label, to test anything: %v %v", err, insp.Config)
	}
	imgRef := "learner-img:" + reg.Nonce
	ci := dockertest.Commit(t, api, derivedApp, imgRef)
	builtRef := "learner-built:" + reg.Nonce
	builtID := dockertest.Build(t, api, builtRef, "FROM "+lessonImg+"\nRUN echo built by me > /built.txt\n", nil)
	theirTag := "learner-tag:" + reg.Nonce
	if err := api.ImageTag(ctx, lessonID, theirTag); err != nil {
		t.Fatal(err)
	}
	// When the test ends, the learner's derived things go, children first,
	// and then what of layerlab's they held on the daemon.
	t.Cleanup(func() {
		ctx := context.Background()
		for _, id := range []string{derivedApp, stopped} {
			_ = api.ContainerRemove(ctx, id, container.RemoveOptions{Force: true})
		}
		for _, ref := range []string{builtRef, imgRef, theirTag} {
			_, _ = api.ImageRemove(ctx, ref, image.RemoveOptions{PruneChildren: true})
		}
		if p, err := m.opts.Client.PlanCleanup(ctx, ""); err == nil {
			m.opts.Client.Cleanup(ctx, p, nil)
		}
	})
	for ref, id := range map[string]string{imgRef: ci, builtRef: builtID, theirTag: lessonID} {
		userRefs[ref] = id
	}
	userCts[derivedApp] = true
	allCts := map[string]bool{userCt: true, derivedApp: true, stopped: true}

	// The rest of the lessons, then every lesson again with the learner's
	// derived things in the way (steps may now be refused: that is fine).
	for i := commitLesson + 1; i < len(m.opts.Lessons); i++ {
		runLesson(i, true)
	}
	for i := range m.opts.Lessons {
		runLesson(i, false)
	}
	// x in every lesson, answered yes.
	for i, l := range m.opts.Lessons {
		nm, cmd := m.openLesson(i)
		m = settle(t, nm.(Model), cmd, 30*time.Second)
		nm, cmd = m.Update(press("x"))
		m = settle(t, nm.(Model), cmd, 30*time.Second)
		if m.confirm.Open() {
			for _, ln := range strings.Split(viewText(m), "\n") {
				if strings.Contains(ln, "that layerlab made") && strings.Contains(ln, "learner-") {
					t.Errorf("x in %s offers to remove the learner's things: %s", l.ID, ln)
				}
			}
			for _, it := range m.confirm.plan.Items {
				if strings.Contains(it.Name, "learner-") || it.ID == derivedApp || it.ID == stopped {
					t.Errorf("x in %s plans to remove the learner's %s %s", l.ID, it.Kind, it.Name)
				}
			}
			nm, cmd = m.Update(press("y"))
			m = settle(t, nm.(Model), cmd, time.Minute)
		}
	}
	// The : line tries to change the learner's things.
	cli := m.opts.Client
	for _, line := range []string{
		"tag busybox " + builtRef, "commit learner-app-" + reg.Nonce + " " + imgRef, "rmi " + docker.ShortID(ci),
		"rmi " + theirTag, "rmi " + imgRef, "rm learner-app-" + reg.Nonce, "rm learner-stopped-" + reg.Nonce,
		"exec learner-app-" + reg.Nonce + " rm /unsaved.txt", "tag busybox " + theirTag,
	} {
		c, err := dockercli.Parse(line)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		if out, err := execCLI(ctx, cli, c, "safety", t.TempDir(), reg.Host, ptr(render.NewPlainStyles()), time.Now()); !errors.Is(err, docker.ErrNotOwned) {
			t.Errorf(":%s was not refused: %v %q", line, err, out)
		}
	}
	// Quit (it removes the containers this session started).
	_, cmd = m.quit()
	m = settle(t, m, cmd, time.Minute)

	// layerlab cleanup --yes (the command runs exactly this plan).
	plan, err := cli.PlanCleanup(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	learners := map[string]bool{}
	for _, id := range userRefs {
		learners[id] = true
	}
	for id := range allCts {
		learners[id] = true
	}
	for _, it := range plan.Items {
		if learners[it.ID] {
			t.Errorf("cleanup plans to remove the learner's %s %s", it.Kind, it.Name)
		}
	}
	unrecorded := map[string]bool{}
	for _, it := range plan.Unrecorded {
		unrecorded[it.ID] = true
	}
	if !unrecorded[stopped] || !unrecorded[derivedApp] {
		t.Errorf("the learner's containers from a lesson image are not listed as \"not recorded: may be yours\": %+v", plan.Unrecorded)
	}
	for _, r := range cli.Cleanup(ctx, plan, nil) {
		if r.Err != nil && !learners[r.Item.ID] {
			t.Logf("cleanup kept %s %s: %v", r.Item.Kind, r.Item.Name, r.Err)
		}
	}

	// Everything of the learner's is there, byte for byte the same ids.
	for ref, id := range userRefs {
		if got := inspectID(t, api, ref); got != id {
			t.Errorf("%s is %s, was %s", ref, got, id)
		}
	}
	for id := range allCts {
		ct, err := api.ContainerInspect(ctx, id)
		if err != nil {
			t.Errorf("the learner's container %s is gone: %v", id, err)
			continue
		}
		if userCts[id] && !ct.State.Running {
			t.Errorf("the learner's container %s was stopped: %+v", ct.Name, ct.State)
		}
	}
	if out := userExec(t, api, derivedApp, "cat /unsaved.txt"); !strings.Contains(out, "unsaved work") {
		t.Errorf("the learner's unsaved file: %q", out)
	}
	// Nothing layerlab made is left: no container of its ledger; no image of
	// these lessons but the ones cleanup had a reason to keep or the learner's.
	if again, err := cli.PlanCleanup(ctx, ""); err != nil || !again.Empty() {
		t.Errorf("after cleanup, still planned: %+v %v", again.Items, err)
	}
	kept := map[string]bool{}
	for _, k := range plan.Kept {
		kept[k.ID] = true
	}
	for _, l := range m.opts.Lessons {
		imgs, _ := api.ImageList(ctx, image.ListOptions{All: true, Filters: filters.NewArgs(filters.Arg("label", docker.LabelLesson+"="+l.ID))})
		for _, im := range imgs {
			if !kept[im.ID] && !earlier[im.ID] && !learners[im.ID] && !unrecorded[im.ID] {
				t.Errorf("image %s %v of lesson %s left behind", im.ID, im.RepoTags, l.ID)
			}
		}
	}
}

// userExec runs a shell command in a container as the learner's docker CLI
// would, and returns what it printed.
func userExec(t *testing.T, api *client.Client, id, cmd string) string {
	t.Helper()
	ctx := context.Background()
	ex, err := api.ContainerExecCreate(ctx, id, container.ExecOptions{Cmd: []string{"sh", "-c", cmd}, AttachStdout: true, AttachStderr: true})
	if err != nil {
		t.Fatalf("exec %s: %v", cmd, err)
	}
	att, err := api.ContainerExecAttach(ctx, ex.ID, container.ExecAttachOptions{})
	if err != nil {
		t.Fatalf("exec %s: %v", cmd, err)
	}
	defer att.Close()
	var out strings.Builder
	_, _ = stdcopy.StdCopy(&out, &out, att.Reader)
	return out.String()
}

func inspectID(t *testing.T, api *client.Client, ref string) string {
	t.Helper()
	insp, err := api.ImageInspect(context.Background(), ref)
	if err != nil {
		t.Fatalf("%s: %v", ref, err)
	}
	return insp.ID
}

// pullAs pulls from as a learner would with the CLI, and names it as.
func pullAs(t *testing.T, api *client.Client, from, as string) {
	t.Helper()
	ctx := context.Background()
	body, err := api.ImagePull(ctx, from, image.PullOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, body)
	body.Close()
	if err := api.ImageTag(ctx, from, as); err != nil {
		t.Fatal(err)
	}
	if _, err := api.ImageRemove(ctx, from, image.RemoveOptions{}); err != nil {
		t.Fatal(err)
	}
}
