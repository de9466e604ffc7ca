package docker_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
)

// Issue 31, 9: what the registry and the daemon answered, kept as a code:
// a tag the registry lacks is not a repository it lacks (Engine 20.10 relays
// the registry's MANIFEST_UNKNOWN and NAME_UNKNOWN; the containerd store
// says only "not found", and the registry is asked for the repository's
// latest); an image missing on the daemon is missing there; a command
// missing in an image is not a missing image; an upper-case name is an
// invalid reference, not one already gone.
func TestNotFoundSaysWhatTheRegistryAndDaemonAnswered(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	dockertest.CleanupOwned(t, cli)
	reg := dockertest.StartRegistry(t)
	name := "layerlab-test-errs-" + reg.Nonce
	reg.Publish(t, api, "library/"+name+":latest")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	absent := func(err error) docker.Absent {
		var e *docker.Error
		if !errors.As(err, &e) || e.Kind != docker.KindNotFound {
			t.Errorf("%v (kind %v): want not found", err, docker.KindOf(err))
			return docker.AbsentUnknown
		}
		return e.Absent
	}
	for s, want := range map[string]docker.Absent{
		name + ":nosuchtag":                          docker.AbsentTag,
		"layerlab-test-norepo-" + reg.Nonce + ":1.0": docker.AbsentRepository,
	} {
		ref, _ := docker.ParseRef(s)
		_, err := cli.Pull(ctx, ref, docker.PullOptions{Mirror: reg.Host}, nil)
		got := absent(err)
		if want == docker.AbsentRepository && got == docker.AbsentTagOrRepository {
			// The containerd store does not say which; layerlab asked for
			// the repository's latest and did not find it either.
			continue
		}
		if got != want {
			t.Errorf("pull %s: absent %v, want %v (%v)", s, got, want, err)
		}
	}
	_, err := cli.History(ctx, "nosuch-"+reg.Nonce)
	if got := absent(err); got != docker.AbsentLocal {
		t.Errorf("history: absent %v, want local (%v)", got, err)
	}
	_, err = cli.Stack(ctx, "nosuch-"+reg.Nonce)
	if got := absent(err); got != docker.AbsentLocal {
		t.Errorf("inspect: absent %v, want local (%v)", got, err)
	}

	var e *docker.Error
	base, _ := docker.ParseRef(name + ":latest")
	if _, err := cli.Pull(ctx, base, docker.PullOptions{Mirror: reg.Host}, nil); err != nil {
		t.Fatal(err)
	}
	// A name given on the daemon (docker tag) that no registry knows.
	local, _ := docker.ParseRef(name + ":latest-2")
	if _, err := cli.Tag(ctx, base.String(), local, "test-errors"); err != nil {
		t.Fatal(err)
	}
	_, err = cli.Pull(ctx, local, docker.PullOptions{Mirror: reg.Host}, nil)
	if got := absent(err); got != docker.AbsentTag || !errors.As(err, &e) || !e.OnDaemon {
		t.Errorf("pull %s, a local tag: absent %v, on the daemon %v (%v)", local, got, e != nil && e.OnDaemon, err)
	}

	_, err = cli.Run(ctx, docker.RunOptions{Image: base.String(), Cmd: []string{"nosuchcmd"}})
	if !errors.As(err, &e) || e.Kind != docker.KindNoCommand || e.Name != "nosuchcmd" {
		t.Errorf("run %s nosuchcmd: %v (kind %v), want no command nosuchcmd", base, err, docker.KindOf(err))
	}

	_, err = cli.RemoveImage(ctx, "BAD", false)
	if !errors.As(err, &e) || e.Kind != docker.KindBadReference || e.Rule != docker.RuleLowercase {
		t.Errorf("rmi BAD: %v (kind %v), want a bad reference (lowercase)", err, docker.KindOf(err))
	}
}
