package i18n

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockercli"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
)

// The lesson engine speaks in codes; these word them in the learner's language.

// NoLessonText is what --lesson ID says when no lesson has that id: so, and
// the lessons, one a line as layerlab --plain lists them ("  1. Title (id)").
func NoLessonText(t *Strings, id string, ls []*lessons.Lesson) string {
	var b strings.Builder
	b.WriteString(Tr(t.NoLessonFmt, id))
	for i, l := range ls {
		fmt.Fprintf(&b, "\n  %d. %s (%s)", i+1, l.Title, l.ID)
	}
	return b.String()
}

// NoteText is why a step did not start, or "".
func NoteText(t *Strings, s *engine.StepState) string {
	switch s.Note {
	case engine.NoteBusy:
		return t.StepBusy
	case engine.NoteNeedsDaemon:
		return t.StepNeedsDaemon
	case engine.NoteFileMissing:
		return Tr(t.DF.FileMissingFmt, s.NoteArg)
	case engine.NoteNoDangling:
		return t.RmiNoDangling
	case engine.NoteContainerGone:
		return Tr(t.ContainerGoneFmt, s.NoteArg, s.NoteStep)
	case engine.NoteChangeToSave:
		return Tr(t.DF.ChangeToSaveFmt, s.NoteArg)
	}
	return ""
}

// RenamedText says that a step used a name of layerlab's instead of the
// lesson's, which the learner's own has, or "".
func RenamedText(t *Strings, s *engine.StepState) string {
	switch {
	case s.Renamed[0] == "":
		return ""
	case s.RenamedContainer:
		return Tr(t.ContainerNameTakenFmt, s.Renamed[0], s.Renamed[1])
	case s.RenamedVolume:
		return Tr(t.Vol.NameTakenFmt, s.Renamed[0], s.Renamed[1])
	}
	return Tr(t.NameTakenFmt, s.Renamed[0], s.Renamed[1])
}

// WhyText is what an exercise still misses, or "".
func WhyText(t *Strings, w engine.Why) string {
	e, a := t.Ex, w.Args
	arg := func(i int) string {
		if i < len(a) {
			return a[i]
		}
		return ""
	}
	switch w.Code {
	case engine.WhyImageMissing:
		return Tr(e.ImageMissingFmt, arg(0))
	case engine.WhyStillThere:
		return Tr(e.StillThereFmt, arg(0), arg(0))
	case engine.WhyNeverThere:
		return Tr(e.NeverThereFmt, arg(0))
	case engine.WhyContainerStopped:
		return Tr(e.ContainerStoppedFmt, arg(0), arg(1))
	case engine.WhyContainerMissing:
		return Tr(e.ContainerMissingFmt, arg(0))
	case engine.WhyBuiltLessons:
		return Tr(e.BuiltLessonsFmt, arg(0), arg(0), arg(1))
	case engine.WhyBuiltMissing:
		return Tr(e.BuiltMissingFmt, arg(0), arg(0), arg(1))
	case engine.WhyBuiltDefault:
		return Tr(e.BuiltDefaultFmt, arg(0), arg(1), arg(1))
	case engine.WhyBuiltOther:
		return Tr(e.BuiltOtherFmt, arg(0), arg(1), arg(2))
	case engine.WhyCommitLessons:
		return Tr(e.CommitLessonsFmt, arg(0), arg(0))
	case engine.WhyCommitMissing:
		return Tr(e.CommitMissingFmt, arg(0), arg(0))
	case engine.WhySameLayers:
		return Tr(e.SameLayersFmt, arg(0), arg(1))
	case engine.WhyNearMiss:
		return Tr(e.NearMissFmt, arg(1), arg(0), arg(0))
	case engine.WhyRemovalBlocked:
		return Tr(e.RemovalBlockedFmt, arg(0), arg(1), arg(2), arg(1))
	case engine.WhyNotOnBase:
		return Tr(e.NotOnBaseFmt, arg(0), arg(1), arg(1))
	case engine.WhyImageBefore:
		return Tr(e.ImageBeforeFmt, arg(0), arg(0))
	case engine.WhyContainerBefore:
		return Tr(e.ContainerBeforeFmt, arg(1), arg(0), arg(0))
	case engine.WhyCommitBefore:
		return Tr(e.CommitBeforeFmt, arg(0), arg(0))
	case engine.WhyBuiltBefore:
		return Tr(e.BuiltBeforeFmt, arg(0), arg(0), arg(1))
	case engine.WhyUntagged:
		return Tr(e.UntaggedFmt, arg(0), arg(1), arg(2), arg(3))
	case engine.WhyUntaggedHeld:
		return Tr(e.UntaggedHeldFmt, arg(0), arg(1), arg(2), arg(3), arg(2), arg(1))
	case engine.WhyUntaggedBare:
		return Tr(e.UntaggedBareFmt, arg(0), arg(1), arg(1))
	case engine.WhyNoWhiteout:
		return Tr(e.NoWhiteoutFmt, arg(0), arg(1), arg(1), arg(0))
	case engine.WhyReloadMissing:
		return Tr(t.Arch.ReloadMissingFmt, arg(0))
	case engine.WhyReloadLoadBack:
		return Tr(t.Arch.ReloadLoadBackFmt, arg(0))
	case engine.WhyReloadNotSaved:
		return Tr(t.Arch.ReloadNotSavedFmt, arg(0), arg(0))
	case engine.WhyReloadNotRemoved:
		return Tr(t.Arch.ReloadNotRemovedFmt, arg(0), arg(0))
	case engine.WhyReloadNotLoaded:
		return Tr(t.Arch.ReloadNotLoadedFmt, arg(0))
	case engine.WhyReloadLessons:
		return Tr(t.Arch.ReloadLessonsFmt, arg(0), arg(0))
	case engine.WhySmallerMissing:
		return Tr(e.SmallerMissingFmt, arg(0), arg(0))
	case engine.WhySmallerNotBuilt:
		return Tr(e.SmallerNotBuiltFmt, arg(0))
	case engine.WhySmallerLessons:
		return Tr(e.SmallerLessonsFmt, arg(0), arg(0))
	case engine.WhySmallerBefore:
		return Tr(e.SmallerBeforeFmt, arg(0), arg(0))
	case engine.WhyTooBig:
		n, _ := strconv.ParseInt(arg(1), 10, 64)
		return Tr(e.TooBigFmt, arg(0), Size(n), arg(2))
	case engine.WhyVolumeMissing:
		return Tr(t.Vol.MissingFmt, arg(0))
	case engine.WhyVolumeLessons:
		return Tr(t.Vol.LessonsFmt, arg(0))
	case engine.WhyVolumeBefore:
		return Tr(t.Vol.BeforeFmt, arg(0))
	case engine.WhyMountMissing:
		return Tr(t.Vol.MountMissingFmt, arg(0))
	}
	return ""
}

// EditRule is what is wrong with a step value as the learner types it, or "".
func EditRule(t *Strings, err error) string {
	var de *docker.Error
	switch {
	case err == nil:
		return ""
	case errors.Is(err, engine.ErrEmptyCommand):
		return t.Err.EmptyCommand
	case errors.As(err, &de) && de.Kind == docker.KindBadReference:
		return RuleText(t, de)
	}
	return err.Error()
}

// CmdErrText words a refusal of the : line in the learner's language.
func CmdErrText(t *Strings, e *dockercli.Error) string {
	switch e.Code {
	case dockercli.CodeEmpty:
		return t.CmdEmpty
	case dockercli.CodeQuote:
		return t.CmdQuote
	case dockercli.CodeNotHere:
		return t.CmdNotHere
	case dockercli.CodeFlag:
		return Tr(t.CmdFlagFmt, e.Cmd, e.Detail)
	case dockercli.CodeHostAccess:
		return Tr(t.CmdHostFmt, e.Cmd, e.Flag)
	case dockercli.CodeArgs:
		return Tr(t.CmdArgsFmt, e.Cmd, e.N)
	case dockercli.CodeNeedsTerminal:
		if e.Cmd == "exec" {
			return t.CmdExecTerminal
		}
		return Tr(t.CmdTerminalFmt, e.Cmd)
	case dockercli.CodeNeedsDetach:
		return t.CmdDetach
	case dockercli.CodeCommitName:
		return t.CmdCommitName
	case dockercli.CodeBuildWorkspace:
		return t.CmdBuildWorkspace
	case dockercli.CodeBuildFileOutside:
		return t.CmdBuildFile
	case dockercli.CodeArchiveFile:
		return Tr(t.Arch.CmdFileFmt, e.Cmd)
	case dockercli.CodeExitCode:
		return Tr(t.ExitCodeFmt, e.N)
	case dockercli.CodeOtherRegistry:
		return Tr(t.CmdOtherRegistryFmt, e.Cmd, e.Detail)
	case dockercli.CodeNotOnLine:
		return Tr(t.CmdNotOnLineFmt, e.Cmd, e.Flag)
	case dockercli.CodeAnonVolume:
		return Tr(t.CmdAnonVolumeFmt, e.Cmd, e.Detail)
	case dockercli.CodeNoCommand:
		// The first line is the docker CLI's own (20.10's words).
		said := "docker: '" + e.Cmd + "' is not a docker command.\n"
		if e.Detail != "" {
			return said + Tr(t.CmdDidYouMeanFmt, e.Detail)
		}
		return said + t.CmdTakes
	case dockercli.CodeRmRunning:
		return Tr(t.CmdRmRunningFmt, e.Detail)
	case dockercli.CodeNameInUse:
		return Tr(t.CmdNameInUseFmt, e.Detail)
	case dockercli.CodeSomeFailed:
		return Tr(t.CmdSomeFailedFmt, e.N)
	case dockercli.CodePullOffline:
		return Tr(t.CmdPullOfflineFmt, e.Detail)
	}
	return e.Error()
}

// FileErrText says why a workspace file (rel) was not changed: a
// *engine.FileError, or the system's error.
func FileErrText(t *Strings, rel string, err error) string {
	var fe *engine.FileError
	if !errors.As(err, &fe) {
		return Tr(t.DF.SaveFailedFmt, err)
	}
	switch fe.Code {
	case engine.FileTooLarge:
		return Tr(t.AppendTooLargeFmt, rel, engine.MaxFile>>10)
	case engine.FileNotText:
		return Tr(t.DF.FileNotTextFmt, rel)
	}
	return Tr(t.DF.FileNotPlainFmt, rel)
}
