package i18n

import (
	"errors"
	"strings"

	"github.com/docker/go-units"

	"github.com/layerlab/layerlab/docker"
)

// Explanation is an error as a learner reads it: plain words first, the
// daemon's own words second, what to do third.
type Explanation struct {
	// Expected: the refusal is the one the lesson meant (a neutral mark, not ✗).
	Expected bool
	Title    string
	Plain    string
	Docker   string
	Todo     []string
	// Podman: the words in Docker are Podman's (the engine is Podman).
	Podman bool
}

// Said heads the daemon's own words: Docker's, or Podman's on Podman.
func (x Explanation) Said(t *Strings) string {
	if x.Podman {
		return t.PodmanSaid
	}
	return t.DockerSaid
}

// Explain turns any error from docker/ into an Explanation. ref is what the
// step was about (an image reference), when there is one.
func Explain(t *Strings, err error, ref, mirror string) Explanation {
	e := t.Err
	var de *docker.Error
	if !errors.As(err, &de) {
		return Explanation{Title: e.UnknownTitle, Plain: e.Unknown, Docker: err.Error()}
	}
	x := Explanation{Docker: de.Detail, Podman: de.Podman}
	if x.Docker == "" && de.Err != nil {
		x.Docker = de.Err.Error()
	}
	host := de.Host
	switch de.Kind {
	case docker.KindSocketMissing:
		x.Title, x.Plain = e.SocketMissingTitle, Tr(e.SocketMissing, socketPath(host))
		x.Todo = []string{e.FixLinux, e.FixMac, e.FixWindows, e.FixHost}
	case docker.KindPermission:
		x.Title, x.Plain = e.PermissionTitle, Tr(e.Permission, socketPath(host))
		x.Todo = []string{e.FixPermLinux, e.FixMac}
	case docker.KindRefused:
		x.Title, x.Plain = e.RefusedTitle, Tr(e.Refused, host)
		if de.NothingListens {
			x.Plain = Tr(e.NothingListensFmt, host)
		}
		x.Todo = []string{e.FixLinux, e.FixMac, e.FixWindows, e.FixHost}
	case docker.KindNotDocker:
		// What answered is no daemon: its page is not "Docker said".
		x.Title, x.Plain, x.Docker = e.NotDockerTitle, Tr(e.NotDockerFmt, host), ""
		x.Todo = []string{e.FixHost, e.FixContext}
	case docker.KindEngineDiffers:
		x.Title, x.Plain, x.Docker = e.EngineDiffersTitle, Tr(e.EngineDiffersFmt, de.Name), ""
		x.Todo = []string{e.EngineDiffersTodo}
	case docker.KindHostUnreachable:
		x.Title, x.Plain = e.HostTitle, Tr(e.Host, host, "DOCKER_HOST")
		x.Todo = []string{e.FixHost, e.FixContext}
	case docker.KindTooOld:
		x.Title, x.Plain = e.TooOldTitle, Tr(e.TooOldFmt, de.EngineAPI, de.MinAPI)
		x.Todo = []string{e.FixLinux}
	case docker.KindBadReference:
		x.Title, x.Plain = e.BadRefTitle, Tr(e.BadRef, RuleText(t, de))
		if !strings.HasPrefix(de.Op, "remove image ") {
			// layerlab's own check; a removal's refusal is the daemon's
			// (Docker's "invalid reference format").
			x.Docker = ""
		}
	case docker.KindNotFound, docker.KindRegistryUnreachable, docker.KindUnauthorized:
		if de.Image != "" {
			x.Title, x.Plain = e.NotFoundTitle, Tr(t.DF.BaseMissingFmt, de.Image)
			x.Todo = []string{Tr(t.DF.BaseMissingTodo, de.Image)}
			break
		}
		if de.Kind == docker.KindRegistryUnreachable {
			where := "Docker Hub"
			if mirror != "" {
				where = mirror
			}
			x.Title, x.Plain = e.RegistryTitle, Tr(e.RegistryFmt, where, ref)
			x.Todo = []string{e.RegistryTodo}
			if mirror == "" {
				x.Todo = append(x.Todo, e.OfflineBundleTodo)
			}
			break
		}
		if de.Kind == docker.KindUnauthorized {
			x.Title, x.Plain = e.UnauthorizedTitle, e.Unauthorized
			break
		}
		if de.Absent == docker.AbsentVolume {
			x.Title, x.Plain = t.Vol.NoVolumeTitle, Tr(t.Vol.NoVolumeFmt, de.Name)
			break
		}
		if strings.Contains(strings.ToLower(x.Docker), "no such container") || de.Absent == docker.AbsentContainer {
			name := de.Container
			if name == "" {
				name = ref
			}
			x.Title, x.Plain = e.NoContainerTitle, Tr(e.NoContainerFmt, name)
			break
		}
		if strings.HasPrefix(de.Op, "run ") && strings.Contains(strings.ToLower(x.Docker), "no such image") {
			img := strings.TrimPrefix(de.Op, "run ")
			x.Title, x.Plain = e.NoLocalImageTitle, Tr(e.NoLocalImageFmt, img, img)
			break
		}
		if strings.HasPrefix(de.Op, "remove image") {
			x.Title, x.Plain, x.Docker = e.GoneTitle, Tr(e.GoneFmt, ref), ""
			if ref == "" {
				x.Plain = e.GoneNoName
			}
			break
		}
		if de.Absent == docker.AbsentTag || de.Absent == docker.AbsentRepository || de.Absent == docker.AbsentTagOrRepository {
			// What the registry answered: the tag, the repository, or
			// (an engine that does not say) one of them.
			name, tag := ref, ""
			if r, err := docker.ParseRef(ref); err == nil {
				name, tag = r.Name(), r.Tag()
			}
			switch {
			case de.Absent == docker.AbsentTag && tag != "":
				x.Title, x.Plain = e.NoTagTitle, Tr(e.NoTagFmt, name, tag)
			case de.Absent == docker.AbsentRepository:
				x.Title, x.Plain = e.NoRepoTitle, Tr(e.NoRepoFmt, name)
			default:
				x.Title, x.Plain = e.NotFoundTitle, Tr(e.NoTagOrRepoFmt, ref)
			}
			if de.OnDaemon {
				// busybox:latest-2, a name given on the daemon: the registry
				// never had it.
				x.Plain += " " + Tr(e.OnlyLocalFmt, ref)
			}
			break
		}
		if strings.HasPrefix(de.Op, "inspect ") {
			x.Title, x.Plain = e.NotOnEngineTitle, Tr(e.NoObjectFmt, ref)
			break
		}
		if de.Absent == docker.AbsentLocal || de.Op != "" && !strings.HasPrefix(de.Op, "pull ") {
			// history, tag, …: the engine's own images; no registry was asked.
			x.Title, x.Plain = e.NotOnEngineTitle, Tr(e.NotOnEngineFmt, ref)
			break
		}
		x.Title, x.Plain = e.NotFoundTitle, Tr(e.NotFoundFmt, ref)
	case docker.KindUnrecorded:
		// The system's words (read-only, no space left), not Docker's.
		x.Title, x.Plain, x.Todo, x.Docker = e.UnrecordedTitle, Tr(e.UnrecordedFmt, de.Name), []string{e.UnrecordedTodo}, ""
		if de.Detail != "" {
			x.Plain += " (" + de.Detail + ")"
		}
	case docker.KindLimit:
		x.Title, x.Docker = e.LimitTitle, ""
		x.Plain = Tr(e.TooManyImagesFmt, de.Have, de.Most)
		if de.Of == docker.LimitContainers {
			x.Plain = Tr(e.TooManyContainersFmt, de.Have, de.Most)
		}
		if de.Of == docker.LimitVolumes {
			x.Plain = Tr(t.Vol.TooManyFmt, de.Have, de.Most)
		}
		if de.Of == docker.LimitSaved {
			x.Title, x.Plain = e.TooMuchSavedTitle, Tr(e.TooMuchSavedFmt, Size(de.Size), Size(de.Limit))
		}
	case docker.KindBadMount:
		x.Title, x.Plain, x.Docker = t.Vol.BadMountTitle, Tr(t.Vol.BadMountFmt, de.Name), ""
	case docker.KindHostMount:
		x.Title, x.Plain, x.Todo, x.Docker = t.Vol.HostMountTitle, Tr(t.Vol.HostMountFmt, de.Name), []string{t.Vol.HostMountTodo}, ""
	case docker.KindNoShell:
		x.Title, x.Plain = e.NoShellTitle, e.NoShell
	case docker.KindNoCommand:
		img := ref
		if img == "" {
			img = strings.TrimPrefix(de.Op, "run ")
		}
		x.Title, x.Plain = e.NoCommandTitle, Tr(e.NoCommandFmt, de.Name, img)
	case docker.KindNotOwned:
		why := e.NotOwned
		if !strings.HasPrefix(de.Op, "remove") {
			why = e.NotOwnedChange // exec, commit, a name
		}
		x.Title, x.Plain, x.Docker = e.NotOwnedTitle, why, ""
		var what string
		switch de.NotOwned {
		case docker.NotOwnedContainer:
			what = Tr(e.NotOwnedContainerFmt, de.Name)
		case docker.NotOwnedImage:
			what = Tr(e.NotOwnedImageFmt, de.Name)
		case docker.NotOwnedOtherTags:
			what = Tr(e.NotOwnedTagsFmt, de.Name, strings.Join(de.Others, ", "))
		case docker.NotOwnedName:
			what = Tr(e.NotOwnedNameFmt, de.Name, strings.Join(de.Others, ", "))
		case docker.NotOwnedUnrecorded:
			what = Tr(e.NotOwnedUnrecordedFmt, de.Name)
		case docker.NotOwnedVolume:
			what = Tr(t.Vol.NotOwnedFmt, de.Name)
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
			x.Title, x.Plain = e.InUseTitle, Tr(e.InUseFmt, de.Container)
			force := e.InUseForce
			if de.ContainerdStore {
				force = e.InUseForceContainerd
			}
			if de.Podman {
				force = e.InUseForcePodman
			}
			x.Todo = []string{Tr(e.InUseRemoveFirstFmt, de.Container), force}
		case docker.ConflictRunning:
			x.Title, x.Plain = e.InUseTitle, Tr(e.InUseRunningFmt, de.Container)
			force := e.InUseForceRunning
			if de.Podman {
				force = e.InUseForcePodman
			}
			x.Todo = []string{Tr(e.InUseRemoveFirstFmt, de.Container), force}
		case docker.ConflictTags:
			x.Title, x.Plain, x.Todo = e.ManyTagsTitle, e.ManyTags, []string{e.ManyTagsTodo}
		case docker.ConflictChildren:
			x.Title, x.Plain, x.Todo = e.ChildrenTitle, e.Children, []string{e.ChildrenTodo}
		case docker.ConflictVolumeInUse:
			x.Title, x.Plain = t.Vol.InUseTitle, Tr(t.Vol.InUseFmt, de.Name, de.Container)
			if de.Container != "" {
				x.Todo = []string{Tr(t.Vol.InUseTodoFmt, de.Container)}
			}
		}
	case docker.KindBuildFailed:
		d := t.DF
		x.Title, x.Plain, x.Todo = d.FailedTitle, Tr(d.FailedFmt, de.Step, de.ExitCode), []string{d.FailedTodo}
		if de.Line > 0 && de.File != "" {
			x.Todo = []string{Tr(d.FailedAtFmt, de.Line, de.File)}
		}
		if de.ExitCode == 0 {
			x.Plain = Tr(d.FailedNoCodeFmt, de.Step)
		}
	case docker.KindSourceMissing:
		d, ms := t.DF, de.Missing
		if ms == nil {
			ms = &docker.MissingSource{}
		}
		x.Title = d.SourceMissingTitle
		switch {
		case ms.Line == 0:
			x.Plain, x.Todo = Tr(d.SourceNotSentFmt, ms.Source), []string{d.SourceAbsentTodo}
		case ms.Why == docker.SourceIgnored:
			x.Plain, x.Todo = Tr(d.SourceIgnoredFmt, ms.Line, ms.Source, ms.Rule), []string{Tr(d.SourceIgnoredTodoFmt, ms.Rule)}
		case ms.Why == docker.SourceOutside:
			x.Plain, x.Todo = Tr(d.SourceOutsideFmt, ms.Line, ms.Source, ms.Path), []string{d.SourceOutsideTodo}
		default:
			x.Plain, x.Todo = Tr(d.SourceAbsentFmt, ms.Line, ms.Source, ms.Path), []string{d.SourceAbsentTodo}
		}
	case docker.KindDockerfile:
		x.Title, x.Plain = t.DF.DockerfileTitle, Tr(t.DF.DockerfileFmt, max(de.Line, 1), de.Detail)
		x.Docker = ""
	// The next four are layerlab's own refusals, before anything is sent:
	// nothing of theirs is "Docker said".
	case docker.KindNoDockerfile:
		x.Title, x.Plain, x.Todo, x.Docker = e.NoDockerfileTitle, Tr(e.NoDockerfileFmt, de.Name), []string{e.NoDockerfileTodo}, ""
	case docker.KindNoContext:
		x.Title, x.Plain, x.Docker = e.NoContextTitle, Tr(e.NoContextFmt, de.Name), ""
	case docker.KindOutside:
		x.Title, x.Plain, x.Todo, x.Docker = t.DF.OutsideTitle, t.DF.Outside, []string{t.DF.OutsideTodo}, ""
		if de.Detail != "" {
			x.Plain += " " + Tr(t.DF.OutsideFoundFmt, de.Detail)
		}
	case docker.KindContextTooBig:
		x.Title, x.Plain, x.Docker = t.DF.TooBigTitle, Tr(t.DF.TooBigFmt, Size(de.Size), Size(de.Limit)), ""
		x.Todo = []string{t.DF.TooBigTodo}
	case docker.KindArchive:
		x.Title, x.Docker = t.Arch.Title, ""
		switch de.Archive {
		case docker.ArchiveTooBig:
			x.Plain = Tr(t.Arch.TooBigFmt, Size(de.Size), Size(de.Limit))
		case docker.ArchiveMissing:
			x.Plain = Tr(t.Arch.MissingFmt, de.Name)
		case docker.ArchiveNotSave:
			x.Plain = Tr(t.Arch.NotSaveFmt, de.Name, de.Detail)
		case docker.ArchiveChanged:
			x.Plain, x.Todo = Tr(t.Arch.ChangedFmt, de.Name, strings.Join(de.Others, ", ")), []string{t.Arch.SaveFirstTodo}
		case docker.ArchiveNotSaved:
			x.Plain, x.Todo = Tr(t.Arch.NotSavedFmt, de.Name), []string{t.Arch.SaveFirstTodo}
		}
	case docker.KindNoAnswer:
		x = NoAnswer(t)
	case docker.KindCanceled:
		x.Title, x.Plain, x.Docker = e.CanceledTitle, e.Canceled, ""
	case docker.KindInterrupted:
		// The daemon said nothing: the words are layerlab's, already in Plain.
		x.Title, x.Plain, x.Docker = e.InterruptedTitle, Tr(e.InterruptedFmt, de.Op), ""
		verb, _, _ := strings.Cut(de.Op, " ")
		switch {
		case verb == "pull" && de.LayersTotal > 0:
			x.Plain = Tr(e.InterruptedPullFmt, de.Op, de.LayersDone, de.LayersTotal)
		case verb == "build" && de.Step > 0:
			x.Plain = Tr(e.InterruptedBuildFmt, de.Step, de.Op)
		case verb == "commit":
			x.Plain = Tr(e.InterruptedCommitFmt, de.Op)
		case verb == "exec":
			x.Plain = Tr(e.InterruptedExecFmt, de.Op)
		case verb == "remove" || verb == "rmi" || verb == "untag":
			x.Plain = Tr(e.InterruptedRemoveFmt, de.Op)
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

// RuleText is the naming rule a bad image reference breaks.
func RuleText(t *Strings, de *docker.Error) string {
	e := t.Err
	switch de.Rule {
	case docker.RuleEmpty:
		return e.RuleEmpty
	case docker.RuleSpaces:
		return e.RuleSpaces
	case docker.RuleTagWithoutName:
		return Tr(e.RuleTagNoNameFmt, de.Suggest)
	case docker.RuleDigestWithoutName:
		return e.RuleDigestNoName
	case docker.RuleTagFormat:
		return e.RuleTagFormat
	case docker.RuleLowercase:
		return Tr(e.RuleLowercaseFmt, de.Suggest)
	case docker.RuleDigestFormat:
		return e.RuleDigestFormat
	case docker.RuleNameTooLong:
		return e.RuleNameTooLong
	}
	return e.RuleOther
}

// ErrorText explains an error for a plain terminal: title, why, the daemon's words, what to do.
func ErrorText(t Strings, err error) string {
	x := Explain(&t, err, "", "")
	lines := []string{x.Title + ": " + x.Plain}
	if x.Docker != "" {
		lines = append(lines, x.Said(&t)+x.Docker)
	}
	for _, td := range x.Todo {
		lines = append(lines, "› "+td)
	}
	return strings.Join(lines, "\n")
}

// Size is a size in bytes as docker prints it (3 significant digits: 1.98MB).
func Size(n int64) string { return units.HumanSizeWithPrecision(float64(n), 3) }
