package tui

import (
	"github.com/layerlab/layerlab/tui/i18n"

	"errors"
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
func explain(t *i18n.Strings, err error, ref, mirror string) Explanation {
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
		x.Title, x.Plain = e.SocketMissingTitle, tr(e.SocketMissing, socketPath(host))
		x.Todo = []string{e.FixLinux, e.FixMac, e.FixWindows, e.FixHost}
	case docker.KindPermission:
		x.Title, x.Plain = e.PermissionTitle, tr(e.Permission, socketPath(host))
		x.Todo = []string{e.FixPermLinux, e.FixMac}
	case docker.KindRefused:
		x.Title, x.Plain = e.RefusedTitle, tr(e.Refused, host)
		x.Todo = []string{e.FixLinux, e.FixMac, e.FixWindows, e.FixHost}
	case docker.KindHostUnreachable:
		x.Title, x.Plain = e.HostTitle, tr(e.Host, host, "DOCKER_HOST")
		x.Todo = []string{e.FixHost, e.FixContext}
	case docker.KindTooOld:
		x.Title, x.Plain = e.TooOldTitle, tr(e.TooOldFmt, de.EngineAPI, de.MinAPI)
		x.Todo = []string{e.FixLinux}
	case docker.KindBadReference:
		x.Title, x.Plain = e.BadRefTitle, tr(e.BadRef, ruleText(t, de))
		x.Docker = ""
	case docker.KindNotFound, docker.KindRegistryUnreachable, docker.KindUnauthorized:
		if de.Image != "" {
			x.Title, x.Plain = e.NotFoundTitle, tr(t.DF.BaseMissingFmt, de.Image)
			x.Todo = []string{tr(t.DF.BaseMissingTodo, de.Image)}
			break
		}
		if de.Kind == docker.KindRegistryUnreachable {
			where := "Docker Hub"
			if mirror != "" {
				where = mirror
			}
			x.Title, x.Plain = e.RegistryTitle, tr(e.RegistryFmt, where, ref)
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
			x.Title, x.Plain = e.NoContainerTitle, tr(e.NoContainerFmt, name)
			break
		}
		if strings.HasPrefix(de.Op, "remove image") {
			x.Title, x.Plain, x.Docker = e.GoneTitle, tr(e.GoneFmt, ref), ""
			break
		}
		x.Title, x.Plain = e.NotFoundTitle, tr(e.NotFoundFmt, ref)
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
			what = tr(e.NotOwnedContainerFmt, de.Name)
		case docker.NotOwnedImage:
			what = tr(e.NotOwnedImageFmt, de.Name)
		case docker.NotOwnedOtherTags:
			what = tr(e.NotOwnedTagsFmt, de.Name, strings.Join(de.Others, ", "))
		case docker.NotOwnedName:
			what = tr(e.NotOwnedNameFmt, de.Name, strings.Join(de.Others, ", "))
		case docker.NotOwnedUnrecorded:
			what = tr(e.NotOwnedUnrecordedFmt, de.Name)
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
			x.Title, x.Plain = e.InUseTitle, tr(e.InUseFmt, de.Container)
			force := e.InUseForce
			if de.ContainerdStore {
				force = e.InUseForceContainerd
			}
			x.Todo = []string{tr(e.InUseRemoveFirstFmt, de.Container), force}
		case docker.ConflictRunning:
			x.Title, x.Plain = e.InUseTitle, tr(e.InUseRunningFmt, de.Container)
			x.Todo = []string{tr(e.InUseRemoveFirstFmt, de.Container), e.InUseForceRunning}
		case docker.ConflictTags:
			x.Title, x.Plain, x.Todo = e.ManyTagsTitle, e.ManyTags, []string{e.ManyTagsTodo}
		case docker.ConflictChildren:
			x.Title, x.Plain, x.Todo = e.ChildrenTitle, e.Children, []string{e.ChildrenTodo}
		}
	case docker.KindBuildFailed:
		d := t.DF
		x.Title, x.Plain, x.Todo = d.FailedTitle, tr(d.FailedFmt, de.Step, de.ExitCode), []string{d.FailedTodo}
		if de.ExitCode == 0 {
			x.Plain = tr(d.FailedNoCodeFmt, de.Step)
		}
	case docker.KindDockerfile:
		x.Title, x.Plain = t.DF.DockerfileTitle, tr(t.DF.DockerfileFmt, max(de.Line, 1), de.Detail)
		x.Docker = ""
	case docker.KindOutside:
		x.Title, x.Plain, x.Todo = t.DF.OutsideTitle, t.DF.Outside, []string{t.DF.OutsideTodo}
	case docker.KindContextTooBig:
		x.Title, x.Plain = t.DF.TooBigTitle, tr(t.DF.TooBigFmt, humanSize(de.Size), humanSize(de.Limit))
		x.Todo = []string{t.DF.TooBigTodo}
	case docker.KindCanceled:
		x.Title, x.Plain, x.Docker = e.CanceledTitle, e.Canceled, ""
	case docker.KindInterrupted:
		// The daemon said nothing: the words are layerlab's, already in Plain.
		x.Title, x.Plain, x.Docker = e.InterruptedTitle, tr(e.InterruptedFmt, de.Op), ""
		verb, _, _ := strings.Cut(de.Op, " ")
		switch {
		case verb == "pull" && de.LayersTotal > 0:
			x.Plain = tr(e.InterruptedPullFmt, de.Op, de.LayersDone, de.LayersTotal)
		case verb == "build" && de.Step > 0:
			x.Plain = tr(e.InterruptedBuildFmt, de.Step, de.Op)
		case verb == "commit":
			x.Plain = tr(e.InterruptedCommitFmt, de.Op)
		case verb == "exec":
			x.Plain = tr(e.InterruptedExecFmt, de.Op)
		case verb == "remove" || verb == "rmi" || verb == "untag":
			x.Plain = tr(e.InterruptedRemoveFmt, de.Op)
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
func (x Explanation) render(t *i18n.Strings, st *Styles, width int, box lipgloss.Style) string {
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
