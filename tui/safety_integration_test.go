package tui

import (
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
	"github.com/layerlab/layerlab/lessons"
)

// TestLearnersOwnThingsSurviveEveryLessonAndCleanup is layerlab's safety
// promise, on the real daemon: a learner with images and containers of their
// own (one built FROM the lessons' base and sharing its layers, one holding a
// lesson image's name before layerlab pulls it) runs every step of every
// lesson, then cleans up everything layerlab made. Their things are all still
// there, with the same ids; nothing layerlab made is left behind.
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
	userCt := dockertest.UserContainer(t, api, appRef, "layerlab-test-learner-"+reg.Nonce)
	if err := api.ContainerStart(ctx, userCt, container.StartOptions{}); err != nil {
		t.Fatal(err)
	}
	bbID := inspectID(t, api, "busybox:latest")
	userRefs := map[string]string{"busybox:latest": bbID, appRef: appID, tagged: appID}

	// Images of the lessons left on this daemon by earlier runs (whose
	// ledgers are gone) are not this run's to account for.
	earlier := map[string]bool{}
	for _, l := range builtin(t) {
		imgs, _ := api.ImageList(ctx, image.ListOptions{All: true, Filters: filters.NewArgs(filters.Arg("label", docker.LabelLesson+"="+l.ID))})
		for _, im := range imgs {
			earlier[im.ID] = true
		}
	}

	// Every step of every lesson, in order, as a learner pressing enter.
	m, cmd := liveModel(t, reg.Host)
	m.opts.Client.UseLedger(docker.OpenLedger(filepath.Join(t.TempDir(), "owned.json")))
	m = settle(t, m, cmd, 30*time.Second)
	if m.conn != connUp {
		t.Fatalf("not connected: %v", m.connErr)
	}
	for i, l := range m.opts.Lessons {
		nm, cmd := m.openLesson(i)
		m = settle(t, nm.(Model), cmd, 30*time.Second)
		for _, st := range l.Steps {
			if st.Kind == lessons.KindCheck {
				continue // done in the learner's own terminal, not by layerlab
			}
			m.selectStep(st.Index)
			nm, cmd := m.Update(press("enter"))
			m = settle(t, nm.(Model), cmd, 2*time.Minute)
			if st.Kind == lessons.KindDockerfile {
				if m.editor == nil {
					t.Fatalf("%s step %d did not open the editor", l.ID, st.Index+1)
				}
				nm, cmd = m.Update(press("esc"))
				m = settle(t, nm.(Model), cmd, 10*time.Second)
			}
			s := m.steps[stepKey{l.ID, st.Index}]
			if s == nil || s.status != stepDone {
				t.Fatalf("%s step %d (%s %s) did not complete: %v\n%s", l.ID, st.Index+1, st.Kind, st.Arg, s.err, viewText(m))
			}
			if st.Kind == lessons.KindRmi && s.removed == nil && !s.expected {
				t.Fatalf("%s step %d removed nothing", l.ID, st.Index+1)
			}
		}
	}

	// layerlab cleanup --yes (the command runs exactly this plan).
	cli := m.opts.Client
	plan, err := cli.PlanCleanup(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range plan.Items {
		if it.Kind != docker.ItemContainer && (it.ID == appID || it.ID == bbID) {
			t.Errorf("cleanup plans to remove the learner's image: %+v", it)
		}
		if it.ID == userCt {
			t.Errorf("cleanup plans to remove the learner's container")
		}
	}
	for _, r := range cli.Cleanup(ctx, plan, nil) {
		if r.Err != nil {
			t.Errorf("cleanup %s %s: %v", r.Item.Kind, r.Item.Name, r.Err)
		}
	}

	// Everything of the learner's is there, byte for byte the same ids.
	for ref, id := range userRefs {
		if got := inspectID(t, api, ref); got != id {
			t.Errorf("%s is %s, was %s", ref, got, id)
		}
	}
	ct, err := api.ContainerInspect(ctx, userCt)
	if err != nil || ct.Image != appID || !ct.State.Running {
		t.Errorf("the learner's container: %v %+v", err, ct.State)
	}
	// Nothing layerlab made is left: no labelled container; no labelled image
	// of these lessons but the ones cleanup had a reason to keep.
	if again, err := cli.PlanCleanup(ctx, ""); err != nil || !again.Empty() {
		t.Errorf("after cleanup, still planned: %+v %v", again.Items, err)
	}
	cts, _ := api.ContainerList(ctx, container.ListOptions{All: true, Filters: filters.NewArgs(filters.Arg("label", docker.LabelOwned+"=true"))})
	if len(cts) != 0 {
		t.Errorf("%d labelled containers left", len(cts))
	}
	kept := map[string]bool{}
	for _, k := range plan.Kept {
		kept[k.ID] = true
	}
	for _, l := range m.opts.Lessons {
		imgs, _ := api.ImageList(ctx, image.ListOptions{All: true, Filters: filters.NewArgs(filters.Arg("label", docker.LabelLesson+"="+l.ID))})
		for _, im := range imgs {
			if !kept[im.ID] && !earlier[im.ID] {
				t.Errorf("image %s %v of lesson %s left behind", im.ID, im.RepoTags, l.ID)
			}
		}
	}
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
