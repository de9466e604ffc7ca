package docker

import (
	"errors"
	"testing"
)

// Issue 31, 9: Docker's "executable file not found" is a command missing in
// an image that is there (KindNoCommand, the command named), not a missing
// image; the same in a build's step is that step failing; sh missing stays
// KindNoShell.
func TestAMissingProgramIsNotAMissingImage(t *testing.T) {
	t.Parallel()
	run := errors.New(`Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "nosuchcmd": executable file not found in $PATH: unknown`)
	var e *Error
	if !errors.As(classifyMessage(run, "run busybox"), &e) || e.Kind != KindNoCommand || e.Name != "nosuchcmd" {
		t.Errorf("run: %+v", e)
	}
	sh := errors.New(`OCI runtime exec failed: exec failed: unable to start container process: exec: "sh": executable file not found in $PATH: unknown`)
	if k := KindOf(classifyMessage(sh, "exec")); k != KindNoShell {
		t.Errorf("sh missing: %v", k)
	}
	p := &BuildProgress{Steps: []BuildStep{{Index: 1, Total: 2, Instruction: "FROM busybox"}, {Index: 2, Total: 2, Instruction: `RUN ["nosuchcmd"]`}}}
	c := &Client{}
	if !errors.As(c.buildErr(run, "build .", p), &e) || e.Kind != KindBuildFailed || e.Step != 2 {
		t.Errorf("build: %+v", e)
	}
	for msg, want := range map[string]Absent{
		"manifest for busybox:nosuch not found: manifest unknown: manifest unknown":                                            AbsentTag,
		"repository nosuchrepo not found: name unknown: Unknown name":                                                          AbsentRepository,
		"pull access denied for nosuchrepo, repository does not exist or may require 'docker login': denied: requested access": AbsentRepository,
		`failed to resolve reference "docker.io/library/x:1": docker.io/library/x:1: not found`:                                AbsentTagOrRepository,
		"Error response from daemon: No such image: nosuch:latest":                                                             AbsentLocal,
		"Error response from daemon: No such container: box":                                                                   AbsentContainer,
	} {
		if !errors.As(classifyMessage(errors.New(msg), "x"), &e) || e.Kind != KindNotFound || e.Absent != want {
			t.Errorf("%q: %+v, want absent %v", msg, e, want)
		}
	}
}

// TestPodmansConflictsAreConflicts: Podman sends a running container's rm
// and a name in use as 500s with its own words (podman 4.3.1); they are the
// conflicts Docker's 409s are.
func TestPodmansConflictsAreConflicts(t *testing.T) {
	t.Parallel()
	for _, msg := range []string{
		"Error response from daemon: cannot remove container de23a7a14d39 as it is running - running or paused containers cannot be removed without force: container state improper",
		`Error response from daemon: container create: creating container storage: the container name "mybox" is already in use by de23a7a14d39. You have to remove that container to be able to reuse that name: that name is already in use`,
	} {
		if k := KindOf(classifyMessage(errors.New(msg), "x")); k != KindConflict {
			t.Errorf("%s: %v", msg, k)
		}
	}
}
