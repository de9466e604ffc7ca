package tui

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/layerlab/layerlab/docker"
)

// Explanation is an error as a learner reads it: plain words first, the
// daemon's own words second, what to do third.
type Explanation struct {
	Title  string
	Plain  string
	Docker string
	Todo   []string
}

// explain turns any error from docker/ into an Explanation. ref is what the
// step was about (an image reference), when there is one.
func explain(t *Strings, err error, ref, mirror string) Explanation {
	e := t.Err
	var de *docker.Error
	if !errors.As(err, &de) {
		return Explanation{Title: e.UnknownTitle, Plain: e.Unknown, Docker: err.Error()}
	}
	x := Explanation{Docker: de.Detail}
	if x.Docker == "" && de.Err != nil {
		x.Docker = de.Err.Error()
	}
	host := de.Host
	switch de.Kind {
	case docker.KindSocketMissing:
		x.Title, x.Plain = e.SocketMissingTitle, fmt.Sprintf(e.SocketMissing, socketPath(host))
		x.Todo = []string{e.FixLinux, e.FixMac, e.FixWindows, e.FixHost}
	case docker.KindPermission:
		x.Title, x.Plain = e.PermissionTitle, fmt.Sprintf(e.Permission, socketPath(host))
		x.Todo = []string{e.FixPermLinux, e.FixMac}
	case docker.KindRefused:
		x.Title, x.Plain = e.RefusedTitle, fmt.Sprintf(e.Refused, host)
		x.Todo = []string{e.FixLinux, e.FixMac, e.FixWindows, e.FixHost}
	case docker.KindHostUnreachable:
		x.Title, x.Plain = e.HostTitle, fmt.Sprintf(e.Host, host, "DOCKER_HOST")
		x.Todo = []string{e.FixHost, e.FixContext}
	case docker.KindTooOld:
		x.Title, x.Plain = e.TooOldTitle, fmt.Sprintf(e.TooOldFmt, de.EngineAPI, de.MinAPI)
		x.Todo = []string{e.FixLinux}
	case docker.KindBadReference:
		rule := de.Rule
		if rule == "" {
			rule = de.Error()
		}
		x.Title, x.Plain = e.BadRefTitle, fmt.Sprintf(e.BadRef, rule)
		x.Docker = ""
	case docker.KindNotFound, docker.KindRegistryUnreachable, docker.KindUnauthorized:
		if de.Image != "" {
			x.Title, x.Plain = e.NotFoundTitle, fmt.Sprintf(t.DF.BaseMissingFmt, de.Image)
			x.Todo = []string{fmt.Sprintf(t.DF.BaseMissingTodo, de.Image)}
			break
		}
		if de.Kind == docker.KindRegistryUnreachable {
			where := "Docker Hub"
			if mirror != "" {
				where = mirror
			}
			x.Title, x.Plain = e.RegistryTitle, fmt.Sprintf(e.RegistryFmt, where, ref)
			x.Todo = []string{e.RegistryTodo}
			break
		}
		if de.Kind == docker.KindUnauthorized {
			x.Title, x.Plain = e.UnauthorizedTitle, e.Unauthorized
			break
		}
		if strings.Contains(strings.ToLower(x.Docker), "no such container") {
			name := de.Container
			if name == "" {
				name = ref
			}
			x.Title, x.Plain = e.NoContainerTitle, fmt.Sprintf(e.NoContainerFmt, name)
			break
		}
		if strings.HasPrefix(de.Op, "remove image") {
			x.Title, x.Plain, x.Docker = e.GoneTitle, fmt.Sprintf(e.GoneFmt, ref), ""
			break
		}
		x.Title, x.Plain = e.NotFoundTitle, fmt.Sprintf(e.NotFoundFmt, ref)
	case docker.KindNoShell:
		x.Title, x.Plain = e.NoShellTitle, e.NoShell
	case docker.KindNotOwned:
		why := e.NotOwned
		if !strings.HasPrefix(de.Op, "remove") {
			why = e.NotOwnedChange // exec, commit, a name
		}
		x.Title, x.Plain, x.Docker = e.NotOwnedTitle, why, ""
		var what string
		switch de.NotOwned {
		case docker.NotOwnedContainer:
			what = fmt.Sprintf(e.NotOwnedContainerFmt, de.Name)
		case docker.NotOwnedImage:
			what = fmt.Sprintf(e.NotOwnedImageFmt, de.Name)
		case docker.NotOwnedOtherTags:
			what = fmt.Sprintf(e.NotOwnedTagsFmt, de.Name, strings.Join(de.Others, ", "))
		case docker.NotOwnedName:
			what = fmt.Sprintf(e.NotOwnedNameFmt, de.Name, strings.Join(de.Others, ", "))
		case docker.NotOwnedUnrecorded:
			what = fmt.Sprintf(e.NotOwnedUnrecordedFmt, de.Name)
		}
		if what != "" {
			x.Plain = what + " " + why
		}
	case docker.KindNotRunning:
		x.Title, x.Plain = e.NotRunningTitle, e.NotRunning
	case docker.KindConflict:
		x.Title, x.Plain = e.ConflictTitle, e.Conflict
		switch de.Conflict {
		case docker.ConflictContainer:
			x.Title, x.Plain = e.InUseTitle, fmt.Sprintf(e.InUseFmt, de.Container)
			force := e.InUseForce
			if de.ContainerdStore {
				force = e.InUseForceContainerd
			}
			x.Todo = []string{fmt.Sprintf(e.InUseRemoveFirstFmt, de.Container), force}
		case docker.ConflictRunning:
			x.Title, x.Plain = e.InUseTitle, fmt.Sprintf(e.InUseRunningFmt, de.Container)
			x.Todo = []string{fmt.Sprintf(e.InUseRemoveFirstFmt, de.Container), e.InUseForceRunning}
		case docker.ConflictTags:
			x.Title, x.Plain, x.Todo = e.ManyTagsTitle, e.ManyTags, []string{e.ManyTagsTodo}
		case docker.ConflictChildren:
			x.Title, x.Plain, x.Todo = e.ChildrenTitle, e.Children, []string{e.ChildrenTodo}
		}
	case docker.KindBuildFailed:
		d := t.DF
		x.Title, x.Plain, x.Todo = d.FailedTitle, fmt.Sprintf(d.FailedFmt, de.Step, de.ExitCode), []string{d.FailedTodo}
		if de.ExitCode == 0 {
			x.Plain = fmt.Sprintf(d.FailedNoCodeFmt, de.Step)
		}
	case docker.KindDockerfile:
		x.Title, x.Plain = t.DF.DockerfileTitle, fmt.Sprintf(t.DF.DockerfileFmt, max(de.Line, 1), de.Detail)
		x.Docker = ""
	case docker.KindOutside:
		x.Title, x.Plain, x.Todo = t.DF.OutsideTitle, t.DF.Outside, []string{t.DF.OutsideTodo}
	case docker.KindContextTooBig:
		x.Title, x.Plain = t.DF.TooBigTitle, fmt.Sprintf(t.DF.TooBigFmt, humanSize(de.Size), humanSize(de.Limit))
		x.Todo = []string{t.DF.TooBigTodo}
	case docker.KindCanceled:
		x.Title, x.Plain, x.Docker = e.CanceledTitle, e.Canceled, ""
	case docker.KindInterrupted:
		// The daemon said nothing: the words are layerlab's, already in Plain.
		x.Title, x.Plain, x.Docker = e.InterruptedTitle, fmt.Sprintf(e.InterruptedFmt, de.Op), ""
		verb, _, _ := strings.Cut(de.Op, " ")
		switch {
		case verb == "pull" && de.LayersTotal > 0:
			x.Plain = fmt.Sprintf(e.InterruptedPullFmt, de.Op, de.LayersDone, de.LayersTotal)
		case verb == "build" && de.Step > 0:
			x.Plain = fmt.Sprintf(e.InterruptedBuildFmt, de.Step, de.Op)
		case verb == "commit":
			x.Plain = fmt.Sprintf(e.InterruptedCommitFmt, de.Op)
		case verb == "exec":
			x.Plain = fmt.Sprintf(e.InterruptedExecFmt, de.Op)
		case verb == "remove" || verb == "rmi" || verb == "untag":
			x.Plain = fmt.Sprintf(e.InterruptedRemoveFmt, de.Op)
		}
		x.Todo = []string{e.InterruptedTodo}
	default:
		x.Title, x.Plain = e.UnknownTitle, e.Unknown
	}
	return x
}

func socketPath(host string) string {
	return strings.TrimPrefix(host, "unix://")
}

// render draws an Explanation as a box of the given outer width.
func (x Explanation) render(t *Strings, st *Styles, width int, box lipgloss.Style) string {
	inner := max(width-box.GetHorizontalFrameSize(), 10)
	wrap := lipgloss.NewStyle().Width(inner)
	lines := []string{st.ErrorTitle.Render("✗ " + x.Title), wrap.Render(x.Plain)}
	if x.Docker != "" {
		lines = append(lines, wrap.Render(st.Dim.Render(t.DockerSaid+x.Docker)))
	}
	for _, td := range x.Todo {
		lines = append(lines, wrap.Render("› "+td))
	}
	return box.Width(width).Render(strings.Join(lines, "\n"))
}

// asDockerError is errors.As for *docker.Error.
func asDockerError(err error, de **docker.Error) bool { return errors.As(err, de) }
