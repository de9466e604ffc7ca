package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/image"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
)

// TestCleanupCommand runs `layerlab cleanup` as a learner would: --dry-run
// lists and changes nothing, no answer on a pipe removes nothing, --yes
// removes what layerlab made.
func TestCleanupCommand(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	cli, api := dockertest.Daemon(t)
	cli.UseLedger(docker.OpenLedger(statePath("owned.json")))
	reg := dockertest.StartRegistry(t)
	ctx := context.Background()
	name := "layerlab-test-cli-" + reg.Nonce
	reg.Publish(t, api, "library/"+name+":latest")
	ref, _ := docker.ParseRef(name)
	if _, err := cli.Pull(ctx, ref, docker.PullOptions{Mirror: reg.Host, Lesson: "test-cli"}, nil); err != nil {
		t.Fatal(err)
	}
	dockertest.PreserveTag(t, api, name+":latest") // removes it if the test fails before cleanup does
	ct, err := cli.RunContainer(ctx, name, name, "test-cli")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cli.RemoveContainer(context.Background(), ct.ID) })
	exists := func() (bool, bool) {
		img, _, _ := cli.Exists(ctx, name+":latest")
		_, err := api.ContainerInspect(ctx, ct.ID)
		return img, err == nil
	}

	var out strings.Builder
	if err := cleanup([]string{"--dry-run"}, strings.NewReader(""), &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"container", name, "tag", name + ":latest", "test-cli", "--dry-run: nothing was removed"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--dry-run output lacks %q:\n%s", want, out.String())
		}
	}
	if img, c := exists(); !img || !c {
		t.Fatal("--dry-run removed something")
	}

	out.Reset()
	err = cleanup(nil, strings.NewReader("y\n"), &out)
	if err == nil || !strings.Contains(err.Error(), "--yes") {
		t.Fatalf("without a terminal and without --yes it must refuse: %v", err)
	}
	if img, c := exists(); !img || !c {
		t.Fatal("an unconfirmed cleanup removed something")
	}

	out.Reset()
	if err := cleanup([]string{"--yes"}, nil, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"✓ container " + name, "✓ tag " + name + ":latest"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--yes output lacks %q:\n%s", want, out.String())
		}
	}
	if img, c := exists(); img || c {
		t.Fatalf("after --yes: image %v container %v", img, c)
	}
}

func TestCleanupCommandExplainsADownDaemon(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix://"+t.TempDir()+"/no.sock")
	err := cleanup([]string{"--dry-run"}, nil, &strings.Builder{})
	if err == nil || !strings.Contains(err.Error(), "No Docker daemon socket") {
		t.Fatalf("got %v", err)
	}
}

// TestPrepareBundleAndOfflineLesson: an instructor prepares the lesson
// images, exports a bundle, the images go, the bundle is imported, and with
// no registry reachable the lesson's pull step completes from the local copy.
func TestPrepareBundleAndOfflineLesson(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	cli, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	ctx := context.Background()
	imgs := []string{"busybox:latest", "python:3.6.0-slim"}
	for _, img := range imgs {
		dockertest.PreserveTag(t, api, img)
	}
	var out strings.Builder
	if err := workshop("prepare", []string{"--registry-mirror", reg.Host, "--lang", "en"}, &out); err != nil {
		t.Fatalf("prepare: %v\n%s", err, out.String())
	}
	ids := map[string]string{}
	for _, img := range imgs {
		ok, id, _ := cli.Exists(ctx, img)
		if !ok {
			t.Fatalf("prepare left %s missing:\n%s", img, out.String())
		}
		ids[img] = id
	}
	bundle := filepath.Join(t.TempDir(), "lessons.tar")
	out.Reset()
	if err := workshop("bundle", []string{"--lang", "en", "export", bundle}, &out); err != nil {
		t.Fatalf("export: %v", err)
	}
	if !strings.Contains(out.String(), "2 images") {
		t.Errorf("%s", out.String())
	}
	for _, img := range imgs {
		if _, err := api.ImageRemove(ctx, img, image.RemoveOptions{Force: true}); err != nil {
			t.Fatalf("rmi %s: %v", img, err)
		}
	}
	out.Reset()
	if err := workshop("bundle", []string{"--lang", "en", "import", bundle}, &out); err != nil {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	for _, img := range imgs {
		if ok, id, _ := cli.Exists(ctx, img); !ok || id != ids[img] {
			t.Errorf("%s after import: %v %s (was %s)", img, ok, id, ids[img])
		}
	}
	// The classroom without network: the mirror does not answer.
	ref, _ := docker.ParseRef("busybox")
	res, err := cli.Pull(ctx, ref, docker.PullOptions{Mirror: "127.0.0.1:1", Lesson: "pull"}, nil)
	if err != nil || !res.Offline || res.ImageID != ids["busybox:latest"] {
		t.Fatalf("offline pull: %+v %v", res, err)
	}
}

func TestConfigFileAndWhatOverridesIt(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	if c, err := loadConfig(path); err != nil || c != (Config{}) {
		t.Fatalf("a missing config is empty: %+v %v", c, err)
	}
	if err := os.WriteFile(path, []byte("lang = \"ko\"\ntheme = \"light\"\nregistry_mirror = \"10.0.0.5:5000\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := loadConfig(path)
	if err != nil || c.Lang != "ko" || c.Theme != "light" || c.RegistryMirror != "10.0.0.5:5000" {
		t.Fatalf("%+v %v", c, err)
	}
	if pick("127.0.0.1:1", c.RegistryMirror, "") != "127.0.0.1:1" || pick("", c.RegistryMirror, "") != "10.0.0.5:5000" || pick("", "", "auto") != "auto" {
		t.Error("env over config over default")
	}
	if err := os.WriteFile(path, []byte("colour = \"blue\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadConfig(path); err == nil || !strings.Contains(err.Error(), `unknown key "colour"`) {
		t.Errorf("an unknown key must be named: %v", err)
	}
	if err := os.WriteFile(path, []byte("lang = \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadConfig(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("a broken file must be named: %v", err)
	}
}

func TestValidatePackCommand(t *testing.T) {
	var out strings.Builder
	if err := validatePack("assets/example-pack", &out); err != nil || !strings.Contains(out.String(), "ko: 1 lessons") {
		t.Fatalf("%v %s", err, out.String())
	}
	bad := t.TempDir()
	if err := os.MkdirAll(filepath.Join(bad, "en"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bad, "en", "1.md"), []byte("---\nid: a\ntitle: b\n---\n```step\nrun: busybox\nname: c\nmount: /:/host\n```\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := validatePack(bad, &out); err == nil || !strings.Contains(out.String(), `en/1.md:8:1: step key "mount" is not allowed`) {
		t.Errorf("%v %s", err, out.String())
	}
}
