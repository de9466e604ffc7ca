// Package i18n holds every word layerlab's front ends show, one value of
// Strings per language, and Tr, which formats a string and picks Korean
// particles after the words it filled in. Lessons are translated as markdown
// files, not here. The tables are never written to: For hands out copies.
package i18n

import (
	"reflect"

	"github.com/layerlab/layerlab/lessons"
)

// Strings holds every word the interface shows, so a language is one value of
// this struct: a missing string is a compile error or a test failure, never a
// blank on screen. Lessons are translated as markdown files, not here.
type Strings struct {
	// Help is the command line's help.
	Help HelpStrings
	// Serve is what the classroom server says (layerlab serve).
	Serve ServeStrings
	// LessonErrors words a lesson pack's problems (lessons.Error) in this
	// language, by their English format; English needs none.
	LessonErrors map[lessons.Code]string
	// PackUsage, PackLessonsFmt, PackOKFmt, PackInvalidFmt: lessons validate.
	PackUsage, PackLessonsFmt, PackOKFmt, PackInvalidFmt string
	KeyUp, KeyDown, KeyPageUp, KeyPageDown               string
	KeyOpen, KeyBack, KeyRun, KeyEdit                    string
	KeyCancel, KeyNextStep, KeyPrevStep                  string
	KeyNextLesson, KeyPrevLesson, KeyTab                 string
	KeyLayer, KeyFiles                                   string
	// Keys of the help, the hint and force keys, a confirmation, the : line and an edit.
	KeyCloseHelp, KeyHint, KeyForce, KeyYes                 string
	KeyOpenLine                                             string
	KeyCloseLine, KeyHistory, KeyComplete, KeyKeep, KeyUndo string
	KeyScrollFiles, KeyCloseFiles                           string
	HelpHere, HelpEverywhere, HelpPageFmt                   string
	// HelpLayers heads the layers panel's keys in a lesson's help.
	HelpLayers                             string
	KeyRetry, KeyRefresh, KeyHelp, KeyQuit string
	KeyRemove, KeySave, KeyCloseEditor     string
	// KeyLang names the language the language key switches to.
	KeyLang                      string
	ContainersTitle, WritableFmt string
	// CtrStates words a container's state as the API gives it (running, exited, …).
	CtrStates                   map[string]string
	ImageLayersFmt, ExitCodeFmt string
	ExecFailedNote, DiffEmpty   string
	RunDoneFmt, CommitDoneFmt   string
	// CommitEmptyFmt and CommitNoLayerFmt: a commit of an unchanged container.
	CommitEmptyFmt, CommitNoLayerFmt       string
	CommitTagMoved, EditCmdPrompt          string
	AppName, Lessons, LessonTab, LayersTab string
	ListIntro, Done, NotDone, StepsCount   string
	Connecting, Connected, Disconnected    string
	EngineFmt, PodmanMark                  string
	// EngineShortFmt is the header's engine when the line is narrow: its
	// version and API, without how layerlab reaches it.
	EngineShortFmt string
	// ContainerdMark follows the API version in the header on the containerd image store.
	ContainerdMark                     string
	TooSmallFmt                        string
	StepFmt, StepRunHint, StepEditHint string
	StepIdle, StepRunning, StepDoneFmt string
	StepFailed, StepCancelled          string
	StepNeedsDaemon, StepBusy          string
	// NameTakenFmt: the lesson's name, which an image of the learner's has; the name used instead.
	NameTakenFmt string
	// MoreAboveFmt: how many lines of a long output are above what is shown.
	MoreAboveFmt string
	// UnixSocket and NamedPipe name the local ways to reach the daemon in the header.
	UnixSocket, NamedPipe string
	// ContainerNameTakenFmt: the lesson's container name, which a container not layerlab's has; the name used instead.
	ContainerNameTakenFmt string
	EditPrompt, EditHint  string
	// EditFileFmt is a Dockerfile step's command: the file it opens.
	EditFileFmt                  string
	PullTotalFmt, PullCancelHint string
	PullDoneFmt, PullUpToDateFmt string
	// PullLayersHereFmt: a pull that made a name that was not there, with every layer already on disk.
	PullLayersHereFmt               string
	PullLayersFmt, PullExisted      string
	PullMirrorFmt                   string
	PhaseWaiting, PhaseDownloading  string
	PhaseVerifying, PhaseDownloaded string
	PhaseExtracting, PhaseComplete  string
	PhaseExists                     string
	LayersEmpty, LayersMissingFmt   string
	// LayersNotPulledHereFmt: the lesson's image is missing and none of its steps pulls it.
	LayersNotPulledHereFmt           string
	LayersLoading, LayersTotalFmt    string
	LayersTop, LayersBase, LayerMeta string
	// LayerCommitFmt: a layer docker commit made, with the container's
	// command and the commit's message (Docker's data, quoted as it is).
	LayerCommitFmt                       string
	LayerNew, LayerSharedFmt             string
	PullPanelCountsFmt, PullPanelAsking  string
	PullPanelExists, PullPanelArrived    string
	PullPanelWaiting, PullPanelComingFmt string
	PullPanelNote, PullPanelTitle        string
	// Issue 31, 5, 7, 8, 11. LayersMadeHereFmt: the lesson's image is
	// missing and a step of it makes it (the image, the step's number, the
	// command: docker commit, docker build, docker tag). LayersNoDaemonFmt:
	// the daemon cannot be asked (why, the image). DanglingRefFmt: an
	// image with no name (its short id), as the panel names it.
	// PullMovedDanglingFmt: a pull moved the tag (the tag, the old image,
	// the old image again); PullMovedFmt: the same, the old image keeping
	// other names. PullIDsNote: why the card's layer ids are not the panel's.
	LayersMadeHereFmt, LayersNoDaemonFmt, DanglingRefFmt string
	PullMovedDanglingFmt, PullMovedFmt, PullIDsNote      string
	// BuildPanelTitle and BuildPanelNote: the panel while BuildKit builds.
	BuildPanelTitle, BuildPanelNote     string
	FilesTitleFmt, FilesCountsFmt       string
	FilesLoading, FilesMore, FilesEmpty string
	// FilesReadFmt: how much of the export a files read has read;
	// FilesBelowFmt: the chosen layer is listed, the layers below it are
	// still read (read, of, bytes).
	FilesReadFmt, FilesBelowFmt string
	FilesHint, FilesCut         string
	// FilesWhiteoutFmt follows a deleted path: the entry (.wh.NAME) the
	// layer holds for it.
	FilesWhiteoutFmt                       string
	LayersConfig, LayersSharedWith         string
	TableEmptyImages, TableEmptyContainers string
	// TableRestFmt heads the columns a narrow table shows below it, by the column %s.
	TableRestFmt string
	// TableBlankFmt names the moved columns that are empty in every row.
	TableBlankFmt string
	// PodmanSaid heads the daemon's words on Podman (DockerSaid on Docker).
	DockerSaid, PodmanSaid, WhatToDo string
	Rendering                        string
	HelpTitle                        string
	// Removing images and cleaning up.
	RemovedTitle, RemovedUntagOnlyFmt string
	// LayersCheckedNote: the engine named only the image; layerlab looked which layers went.
	LayersCheckedNote string
	// LayersCheckedNotePodman: the same on Podman.
	LayersCheckedNotePodman           string
	LayerDeleted, LayerKept           string
	LayerKeptFmt                      string
	RmiUntagOnlyFmt, RmiStillNamedFmt string
	RmiDeletedFmt, RmiNoDangling      string
	RmiNoIDYet, TagDoneFmt, RmDoneFmt string
	// AppendDoneFmt: an append step changed a file (its path, its lines, its
	// size); AppendTooLargeFmt: the file is too large to change (its path, KiB).
	AppendDoneFmt, AppendTooLargeFmt string
	ExpectedPrefix, ForceHint        string
	// ForceHintContainerd and ForceHintRunning: what -f does on the containerd store, and with a running container.
	ForceHintContainerd, ForceHintRunning string
	CleanupAskFmt, CleanupNothing         string

	// CleanupKeepsFmt says what x keeps (the reasons, joined): KeptYoursFmt
	// an image by a lesson's name that is the learner's (its name),
	// KeptInUseFmt a volume a container that stays mounts (the volume, the
	// containers), KeptTheirTagsFmt an image the learner tagged too (the
	// tags), KeptMovedFmt a tag that names another image now (the tag).
	CleanupKeepsFmt, KeptYoursFmt, KeptInUseFmt, KeptTheirTagsFmt, KeptMovedFmt string

	ConfirmMoreFmt                 string
	CleanupDoneFmt, CleanupKeptFmt string
	CleanupWorking, Yes, No        string
	// layerlab cleanup, the command.
	CLIPlanFmt, CLINothingFmt, CLIHeader string
	// CLIKind*: the KIND column of the cleanup plan.
	CLIKindContainer, CLIKindImage, CLIKindTag string
	CLIContainerFmt, CLITagFmt                 string
	CLIUntagOnlyFmt, CLIUntaggedImage          string
	CLIKept, CLIAsk, CLIDryRun                 string
	CLIImageDeletedFmt, CLIUntaggedFmt         string
	CLIAborted, CLINotTerminal                 string
	CLISummaryFmt, CLIBuildStep                string
	// CLIUnrecorded heads what carries layerlab's label without being in its
	// records; CLIUnrecordedHow says how to remove one; CLICommitted and
	// CLIBuilt are images a commit or a build of layerlab's made, no longer tagged.
	CLIUnrecorded, CLIUnrecordedHow, CLICommitted, CLIBuilt  string
	CLINoSuchUnrecordedFmt, CLIUnrecordedImage, CLITaggedFmt string
	// CLIRunningFmt: a container to remove is running; CLINoLessonFmt: --lesson names none.
	CLIRunningFmt, CLINoLessonFmt string
	// CLIPulledDangling: an image layerlab pulled whose tag a later pull
	// moved to a newer image (issue 31, 7).
	CLIPulledDangling string
	// CLIKeptMovedFmt and CLIKeptTheirsFmt: why cleanup keeps a tag that moved, an image the learner tagged.
	CLIKeptMovedFmt, CLIKeptTheirsFmt string
	PlainUsage                        string
	// NoLessonFmt: --lesson names none (the id); the lessons follow it.
	NoLessonFmt                 string
	CmdNotHere, KeyCmd, CmdHint string
	// The : line's refusals (dockercli's codes).
	CmdEmpty, CmdQuote, CmdFlagFmt, CmdHostFmt, CmdArgsFmt string
	CmdTerminalFmt, CmdDetach, CmdCommitName               string
	CmdBuildWorkspace, CmdBuildFile                        string
	// CmdOtherRegistryFmt: the command, the registry it named.
	CmdOtherRegistryFmt                         string
	CmdNotOnLineFmt, CmdDidYouMeanFmt, CmdTakes string
	// CmdAnonVolumeFmt: -v of a path alone (the command, the path): a
	// volume without a name.
	CmdAnonVolumeFmt                                  string
	CmdRmRunningFmt, CmdNameInUseFmt                  string
	CmdSomeFailedFmt, CmdExecTerminal                 string
	CmdPullOfflineFmt, KeyScrollOutput                string
	MoreBelowFmt                                      string
	LiveLost                                          string
	ProgressErrFmt, WorkspaceLinkFmt, WorkspaceErrFmt string
	ProgressUsage, ProgressResetFmt, ProgressLastFmt  string
	// LedgerSetAsideFmt: the record of what layerlab made could not be read (its path, where it went).
	LedgerSetAsideFmt string
	ProgressFileFmt   string
	// StepGone is a run step's state when its container is not on the
	// daemon any more; RunGoneFmt says so on its card (the container),
	// RunAgainHint is what enter does then; ContainerGoneFmt is the note of
	// a step that needs that container (it, the run step's number).
	StepGone, RunGoneFmt, RunAgainHint, ContainerGoneFmt string
	// RemovedByFmt is a container card's note when an rm step of the same
	// lesson removed it on purpose (the container, the step's number);
	// StepRemovedFmt the run card's state then.
	RemovedByFmt, StepRemovedFmt string
	// UnstartedFmt: a step on container %s, which was never made, as step %d
	// of the lesson makes it (it has not run); UnstartedFailedFmt: it ran and
	// failed.
	UnstartedFmt, UnstartedFailedFmt string
	// Cmd is what layerlab's commands say outside a screen (cli/).
	Cmd CommandStrings
	Err ErrorStrings
	DF  DockerfileStrings
	Doc DoctorStrings
	Ex  ExerciseStrings
	// Arch is the words of docker save, docker load and what a saved file holds.
	Arch ArchiveStrings
	// Vol words volumes: their steps, checks, refusals and cleanup.
	Vol VolumeStrings
}

// CommandStrings are the words of layerlab's commands (cli/) that are not
// a lesson's, cleanup's or doctor's: their options' mistakes, the lines of
// version, prepare, bundle and serve.
type CommandStrings struct {
	// A mistake on the command line: an option unknown, missing its value,
	// with a value it cannot take; a word that is no command; an argument
	// a command does not take. HelpHintFmt follows each: where the options are.
	UnknownFlagFmt, NeedsValueFmt, BadValueFmt, UnknownCommandFmt string
	ExtraArgFmt, HelpHintFmt, LangFmt, ThemeFmt                   string
	// The config file: unreadable, or a key it does not know.
	ConfigFmt, ConfigKeyFmt string
	// layerlab version: the engine answered, or not.
	EngineFmt, NoEngineFmt string
	// cleanup, prepare and bundle ended with something not done.
	CleanupKept, PrepareFailedFmt, BundleUsage, BundleLacksFmt string
	// layerlab serve: its options' mistakes, its first lines, what it publishes,
	// and what --reset, --release and --stop-engines did.
	DiskFmt, NeedsClass, CannotServeFmt, ServingFmt            string
	PublishMissingFmt, PublishedFmt, NotANameFmt               string
	ResetDoneFmt, ReleasedFmt, EnginesStoppedFmt, EngineLogFmt string
	// Why a learner's engine could not be had (docker/engines' codes), in
	// the server's log; EngineNoAnswerFmt: one left running by a server
	// before does not answer.
	EngineNameFmt, EngineSetupFmt, EngineStartFmt, EngineNoAnswerFmt string
	// A progress file that could not be read: left where it is, or moved aside.
	ProgressUnreadableFmt, ProgressAsideFmt string
	// A class file's line layerlab serve cannot read (file:line: why): a name
	// that cannot be a learner's, a key that is none, a name twice, no
	// learner at all, learners without a key and no passphrase.
	ClassLineFmt, ClassNameFmt, ClassKeyFmt, ClassTwiceFmt, ClassEmpty, ClassNoPass string
}

// ErrorStrings explain each kind of failure: a title in plain words, why, and what to do.
type ErrorStrings struct {
	SocketMissingTitle, SocketMissing                       string
	PermissionTitle, Permission                             string
	RefusedTitle, Refused, NothingListensFmt                string
	NotDockerTitle, NotDockerFmt                            string
	EngineDiffersTitle, EngineDiffersFmt, EngineDiffersTodo string
	NoDockerfileTitle, NoDockerfileFmt, NoDockerfileTodo    string
	NoContextTitle, NoContextFmt                            string
	HostTitle, Host                                         string
	TooOldTitle, TooOldFmt                                  string
	FixLinux, FixMac, FixWindows, FixPermLinux              string
	FixHost, FixContext                                     string
	BadRefTitle, BadRef                                     string
	// The naming rules a bad image reference breaks (docker.RefRule); a
	// Fmt one takes the name that would do.
	RuleEmpty, RuleSpaces, RuleTagNoNameFmt, RuleDigestNoName string
	RuleTagFormat, RuleLowercaseFmt, RuleDigestFormat         string
	RuleNameTooLong, RuleOther, EmptyCommand                  string
	NotFoundTitle, NotFoundFmt                                string
	// NoLocalImageFmt: a run of an image the daemon does not have (the
	// image, twice); layerlab's run downloads nothing.
	NoLocalImageTitle, NoLocalImageFmt       string
	RegistryTitle, RegistryFmt, RegistryTodo string
	UnauthorizedTitle, Unauthorized          string
	// What the registry's not found said (docker.Absent): NoTagFmt the
	// repository and the tag; NoRepoFmt the repository; NoTagOrRepoFmt the
	// image (the engine did not say which is missing). NoCommandFmt: the
	// command a container could not start, its image. OfflineBundleTodo:
	// the other way without a network, beside the mirror. OnlyLocalFmt: a
	// name the daemon has and no registry knows (busybox:latest-2).
	NoTagTitle, NoTagFmt, NoRepoTitle, NoRepoFmt, NoTagOrRepoFmt  string
	NoCommandTitle, NoCommandFmt, OfflineBundleTodo, OnlyLocalFmt string

	ConflictTitle, Conflict                  string
	CanceledTitle, Canceled                  string
	InterruptedTitle, InterruptedFmt         string
	InterruptedPullFmt, InterruptedBuildFmt  string
	InterruptedCommitFmt, InterruptedExecFmt string
	InterruptedRemoveFmt, InterruptedTodo    string
	UnknownTitle, Unknown                    string
	NoShellTitle, NoShell                    string
	NotOwnedTitle, NotOwned, NotOwnedChange  string
	// Why a thing is not layerlab's: the container; the image or tag; the
	// image and the learner's tags on it; the name and the learner's image it
	// names; an unrecorded thing.
	NotOwnedContainerFmt, NotOwnedImageFmt, NotOwnedTagsFmt, NotOwnedNameFmt, NotOwnedUnrecordedFmt string
	InUseTitle, InUseFmt, InUseRunningFmt                                                           string
	InUseRemoveFirstFmt, InUseForce                                                                 string
	// InUseForceContainerd: what -f does on the containerd image store.
	InUseForceContainerd string
	InUseForceRunning    string
	// InUseForcePodman: what -f does on Podman.
	InUseForcePodman                      string
	ManyTagsTitle, ManyTags, ManyTagsTodo string
	ChildrenTitle, Children, ChildrenTodo string
	GoneTitle, GoneFmt, GoneNoName        string
	NotRunningTitle, NotRunning           string
	NoContainerTitle, NoContainerFmt      string
	// NoOwnContainerFmt: a container the learner named (not a lesson's)
	// is not on their engine.
	NoOwnContainerFmt string
	// NotOnEngineFmt: history, tag… of an image the engine does not have
	// (nothing was asked of a registry); NoObjectFmt: inspect of a name
	// that is neither an image nor a container there.
	NotOnEngineTitle, NotOnEngineFmt, NoObjectFmt string
	// LimitTitle; TooManyContainersFmt, TooManyImagesFmt: how many the
	// engine has, the most one learner may keep (docker.KindLimit).
	LimitTitle, TooManyContainersFmt, TooManyImagesFmt string
	// TooMuchSavedFmt: the files saved take so much (a size), the most one
	// learner may keep (a size): a save is refused (docker.LimitSaved).
	TooMuchSavedTitle, TooMuchSavedFmt             string
	UnrecordedTitle, UnrecordedFmt, UnrecordedTodo string
	EndpointFmt                                    string
	RetryHint                                      string
	// NoAnswerTitle, NoAnswer, NoAnswerTodo: the daemon took a call and did
	// not answer it in time (docker.KindNoAnswer: frozen, overloaded).
	NoAnswerTitle, NoAnswer, NoAnswerTodo string
}

// VolumeStrings are the words of named volumes and bind mounts.
type VolumeStrings struct {
	// CreatedFmt: a volume step done (the name); RemovedFmt: an rmvolume
	// step done (the name); TableEmpty: docker volume ls with none.
	CreatedFmt, RemovedFmt, TableEmpty string
	// MountVolumeFmt, MountFolderFmt: under a run step's card, what it
	// mounted (the volume's name, or the folder) at the path.
	MountVolumeFmt, MountFolderFmt string
	// NameTakenFmt: the lesson's volume name is a volume of the learner's;
	// the name used instead.
	NameTakenFmt string
	// Explained refusals: no such volume (the name); not layerlab's (the
	// name); in use (the volume, the container) and what to do (the
	// container); a -v that is not SOURCE:/path (what was given); a folder
	// of the host where none may be mounted (the folder); a volume more
	// than the bound (have, most).
	NoVolumeTitle, NoVolumeFmt, NotOwnedFmt     string
	InUseTitle, InUseFmt, InUseTodoFmt          string
	BadMountTitle, BadMountFmt                  string
	HostMountTitle, HostMountFmt, HostMountTodo string
	TooManyFmt                                  string
	// Exercises (engine.WhyVolume…): the name each.
	MissingFmt, LessonsFmt, BeforeFmt, MountMissingFmt string
	// Cleanup: the kind's column, what the row says, a volume kept because
	// containers that stay mount it (their names), the screen's question
	// with volumes (containers, images/tags, volumes, the names).
	CLIKind, CLIVolume, CLIKeptInUseFmt, CleanupAskFmt string
	// CLIUnrecorded: a volume with layerlab's label that it has no record of.
	CLIUnrecorded string
}

// DockerfileStrings explain Dockerfiles, builds and their findings.
type DockerfileStrings struct {
	// Instr says what each instruction does, by keyword.
	Instr                               map[string]string
	EffectBase, EffectLayer, EffectMeta string
	EffectBuildOnly, EffectBroken       string
	// EffectStageOnly: a layer of a stage that is not the image;
	// EffectSkipped: a line of a stage BuildKit skips.
	EffectStageOnly, EffectSkipped           string
	ExplainTitle, SummaryFmt, CmdInEffectFmt string
	ExpandedFmt, ShellVarsFmt, ExecFormNote  string
	VarFmt, VarUnknownFmt, OverriddenFmt     string
	// After a build of the file: what each line really made.
	BuiltHeadFmt, BuiltStale, BuiltFmt    string
	BuiltLayerFmt, BuiltMeta, BuiltCached string
	// BuiltKit heads what an instruction made in a BuildKit build.
	BuiltKit                                    string
	BuiltDiffersFmt, EffectFolder               string
	NoteAtFmt, NoErrors                         string
	Syntax, UnknownFmt, DidYouMeanFmt, NoFrom   string
	Empty, Overridden, LowercaseFmt, CmdInstall string
	RunStartsApp, UnknownVarFmt, ParserWarning  string
	EditorTitleFmt, Saved                       string
	SaveFailedFmt, OpenHint, FileMissingFmt     string
	// ChangeToSaveFmt: a step done by a saved change to its file (%s).
	ChangeToSaveFmt                                               string
	ChangedOnDiskFmt, ChangedOnDiskClosed, ReloadedFmt, DraftKept string
	DraftOnCard                                                   string
	// A file the editor cannot hold whole and unchanged.
	ReadOnlyFmt, FileTooLargeFmt, FileNotTextFmt, FileNotPlainFmt string
	NotRegularFmt                                                 string
	// HeldKeyFmt: a lesson key (n, enter) pressed in a just-opened editor
	// was not typed (the key, the file, the key).
	HeldKeyFmt                                                   string
	FileSummaryFmt                                               string
	ContextFmt, ContextOutsideFmt, IgnoredFmt                    string
	StepCache, StepNew, StepRunning                              string
	BuildDoneFmt, BuildTaggedFmt, BuildUntagged, EarlierLinesFmt string
	LayerStepFmt, StartCmdFmt                                    string
	FailedTitle, FailedFmt, FailedTodo                           string
	// FailedAtFmt: what to do, with the failing step's line (%d) and its
	// Dockerfile (%s); OpenLineFmt: the key that opens it there (a card).
	FailedAtFmt, OpenLineFmt string
	// A COPY or ADD source the build does not send (docker.KindSourceMissing):
	// the explanation (line, source, and the rule or the path Docker looks
	// for), what to do, and the card's warning before the build.
	SourceMissingTitle, SourceIgnoredFmt, SourceOutsideFmt, SourceAbsentFmt, SourceNotSentFmt string
	SourceIgnoredTodoFmt, SourceOutsideTodo, SourceAbsentTodo                                 string
	CardIgnoredFmt, CardOutsideFmt, CardAbsentFmt                                             string
	DockerfileTitle, DockerfileFmt                                                            string
	TooBigTitle, TooBigFmt, TooBigTodo                                                        string
	OutsideTitle, Outside, OutsideTodo, OutsideFoundFmt                                       string
	BaseMissingFmt, BaseMissingTodo, FailedNoCodeFmt                                          string
	InlineComment, Comment                                                                    string
	NotJSONFmt, RunCdFmt, QuotedVarFmt                                                        string
	// BrokenJSONFmt: a list that is not JSON; EntrypointShell(Fmt): a shell-form
	// ENTRYPOINT (Fmt: with the ignored CMD's line).
	BrokenJSONFmt, EntrypointShell, EntrypointShellFmt string
	// InstrEntrypointShell is what an ENTRYPOINT in shell form does (Instr
	// has the list form's).
	InstrEntrypointShell string
	// The parser's refusals of an instruction's arguments, by what it
	// wanted (%s: the instruction); ParserSaysFmt any other of its words.
	ArgsOneFmt, ArgsAtLeastOneFmt, ArgsTwoFmt, ArgsTooManyFmt, ParserSaysFmt string
	ExplainUsage, ExplainErrorsFmt, FromNotAnImageFmt                        string
	// Stage: what a stage is and what each line of it does to the image;
	// State: what a line leaves for the next; the findings about both.
	Stage DockerfileStageStrings
	State DockerfileStateStrings
}

// DockerfileStageStrings say what each FROM starts, what COPY --from reads,
// and which stages the image and BuildKit use.
type DockerfileStageStrings struct {
	// What a FROM starts (%s: the stage's name): the last stage, a stage
	// the image copies from, one it starts FROM, one BuildKit skips.
	FromFinal, FromBuiltFmt, FromInImageFmt, FromSkippedFmt string
	// What it starts on: an image (%s), scratch, the end of a stage (%s).
	OnImageFmt, OnScratch, OnStageFmt string
	// A line of a stage that is not in the image, of one BuildKit skips.
	InStageFmt, InSkippedFmt string
	// COPY --from a stage, an image.
	CopyFromStageFmt, CopyFromImageFmt string
	// The summary: how many stages, the image's FROM line; the skipped ones.
	SummaryFmt, SkippedFmt, SkippedItemFmt string
}

// DockerfileStateStrings say the state a line leaves for the next, and the
// findings about it.
type DockerfileStateStrings struct {
	// Fmt heads the items; GlobalFmt an ARG before the first FROM's.
	Fmt, GlobalFmt string
	// StageFmt: the stage; UnderFmt: a WORKDIR relative to the base
	// image's (the path, the image); BaseFmt: what the base image sets
	// (the names, the image).
	StageFmt, UnderFmt, BaseFmt string
	// Findings (see dockerfile.NoteKind).
	WorkdirJoinedFmt, WorkdirBaseFmt, VarOtherStageFmt, GlobalArgFmt     string
	RunExportFmt, RunExportUsedFmt, OutsideContextFmt, AbsoluteSourceFmt string
	UserNotRootFmt, UserNotRootPathFmt                                   string
}

// DoctorStrings are the words of `layerlab doctor` and `layerlab prepare`.
type DoctorStrings struct {
	Daemon, Engine, EngineFmt, Disk, DiskFmt string
	// PodmanFmt, PodmanFix: the engine is Podman's Docker API.
	PodmanFmt, PodmanFix                          string
	DiskRemoteFmt, DiskFix, Registry              string
	UnreachableFmt, RegistryFix, ImageLocal       string
	ImagePullableFmt, PrepareFix, ImageMissingFmt string
	ImageMissingFix, Terminal, NotTerminal        string
	NotTerminalFix, TooSmallFix, Colours          string
	ColoursFix, Locale, LocaleFix, Failed, Ready  string
	// ReadyPodman: nothing failed, and the engine is Podman.
	ReadyPodman                                string
	PreparePresentFmt, PreparePulledFmt        string
	PrepareFailedFmt, ExportedFmt, ImportedFmt string
	OfflineFmt                                 string
	// Storage: which image store the engine keeps images in.
	Storage, GraphDriverFmt, ContainerdStoreFmt string
	// Builder: which builder the learner's own `docker build` runs (the
	// docker CLI on PATH decides, docker.CLIBuildOf): the CLI and its buildx
	// plugin, then why, by docker.CLIBuildWhy, what it prints and the fix.
	Builder, BuilderCLIFmt, BuilderBuildxFmt, BuilderNoBuildx, BuilderBrokenBuildxFmt string
	BuilderNoCLI, BuilderVersionUnknownFmt, BuilderEnvNotBoolFmt, BuilderBuildx       string
	BuilderNoBuildxWhy, BuilderEnvOff, BuilderEnvOnNoBuildx, BuilderAlias             string
	BuilderAliasNoBuildx, BuilderOldDefault, BuilderOldEngineUnknown                  string
	BuilderOldEngine, BuilderOldEnvOn, BuilderPrintsFmt, BuilderThen                  string
	BuilderPrintsPlainFmt, FixEnvOffNoBuildxFmt                                       string
	// The fixes; BuildxInstall is how to install the plugin (the %s of the Fmts).
	BuildxInstall, FixInstallBuildxFmt, FixUnsetEnv, FixEnvOnNoBuildxFmt string
	FixAliasNoBuildxFmt, FixOldEnvOn, FixEnvNotBool, FixNoCLI            string
	// APINegotiatedFmt: the API spoken, and the newest the engine speaks.
	APINegotiatedFmt string
	// The terminal's colours, by profile; a locale asked for but not installed.
	ColoursNoTTY, ColoursNone, Colours16, Colours256, ColoursTrue string
	LocaleMissingFmt, LocaleMissingFix                            string
}

// ExerciseStrings are the words of exercises done in the learner's terminal.
type ExerciseStrings struct {
	Cmd, Where, Done, HintFmt, HintKey string
	// CmdSessionFmt, WhereSessionFmt: in a classroom served over SSH, where
	// the learner's own terminal is a second session (its ssh command).
	CmdSessionFmt, WhereSessionFmt string
	MirrorPlaceholder, CheckNow    string
	Waiting                        string
	ImageMissingFmt, StillThereFmt string
	// NeverThereFmt: a removal exercise whose image was never on the daemon.
	NeverThereFmt string
	// NearMissFmt: a name one or two letters off; RemovalBlockedFmt: a container holds the image.
	NearMissFmt, RemovalBlockedFmt                string
	ContainerStoppedFmt, ContainerMissingFmt      string
	CommitMissingFmt, SameLayersFmt, NotOnBaseFmt string
	// NoWhiteoutFmt: the commit's own layer hides no such path (the image,
	// the path, the path again, the image again).
	NoWhiteoutFmt                                   string
	BuiltMissingFmt, BuiltDefaultFmt, BuiltOtherFmt string
	// BuiltLessonsFmt and CommitLessonsFmt: the name exists, but layerlab's step made it.
	BuiltLessonsFmt, CommitLessonsFmt string
	// What was there before the exercise was shown does not count:
	// ImageBeforeFmt (the image, twice), ContainerBeforeFmt (the container,
	// its image, the image), CommitBeforeFmt (the image, twice),
	// BuiltBeforeFmt (the image, twice, the Dockerfile).
	ImageBeforeFmt, ContainerBeforeFmt, CommitBeforeFmt, BuiltBeforeFmt string
	// A removal that only untagged: UntaggedFmt (the name removed, the
	// image's id, its other names, them again as docker rmi takes them);
	// UntaggedHeldFmt (the name, the id, the container that uses it, its
	// state, the container, the id); UntaggedBareFmt (the name, the id twice).
	UntaggedFmt, UntaggedHeldFmt, UntaggedBareFmt string
	// A "smaller" exercise: SmallerMissingFmt (the image, twice),
	// SmallerLessonsFmt and SmallerBeforeFmt (the image, twice), TooBigFmt
	// (the image, its size, the limit).
	SmallerMissingFmt, SmallerLessonsFmt, SmallerBeforeFmt, TooBigFmt string
	// SmallerNotBuiltFmt: the name was given to an image that was there
	// before (docker tag), not built.
	SmallerNotBuiltFmt string
}

// ArchiveStrings are the words of the save, tarlist and load steps, of the
// reload exercise and of an archive refused.
type ArchiveStrings struct {
	// SavedFmt: the file, its folder, its size, the images with their short ids.
	SavedFmt string
	// CmdFileFmt: the : line's save or load (the command) without a file
	// in the lesson's folder.
	CmdFileFmt string
	// The roles of a saved file's entries: RoleIndexFmt and the others take
	// nothing; ConfigFmt the image, its history lines, its diff ids;
	// ManifestFmt the image; LayerFmt the
	// layer's place, the image's layer count, its uncompressed sha256
	// (short), the diff id's place; LayerSharedFmt how many images list it;
	// LegacyMetaFmt how many such files.
	RoleSaveManifest, RoleIndex, RoleLayout, RoleRepositories, RoleOther string
	ConfigFmt, ManifestFmt, LayerFmt, LayerBadFmt, LayerSharedFmt        string
	// LayerLinkFmt: a legacy layer that links to the one stored (its place,
	// the layer count, the image, the file it links to).
	LayerLinkFmt                 string
	LegacyMetaFmt, CompressedFmt string
	// ListFmt is a tarlist card's line (no command prints what it shows):
	// the file.
	ListFmt string
	// What the listing shows: the layout (LayoutLegacy, LayoutOCI); the
	// image id as the config's or the manifest's sha256 (the image, the
	// short id); the layers all matching their diff ids; the file's size
	// and entries.
	LayoutLegacy, LayoutOCI          string
	IDIsConfigFmt, IDIsManifestFmt   string
	IDNotOnDaemonFmt, LayersMatchFmt string
	LayersMismatch, TotalFmt         string
	SharedOnceFmt                    string
	// LoadedFmt: the image id, as saved (after "Loaded image: NAME", the CLI's words).
	LoadedIDFmt string
	// An archive refused (docker.KindArchive): a title and what to do.
	Title, TooBigFmt, MissingFmt, NotSaveFmt, ChangedFmt, NotSavedFmt string
	SaveFirstTodo                                                     string
	// The reload exercise's Why, each with the image's name (ReloadLessonsFmt twice).
	ReloadMissingFmt, ReloadLoadBackFmt, ReloadNotSavedFmt    string
	ReloadNotRemovedFmt, ReloadNotLoadedFmt, ReloadLessonsFmt string
}

// English is the default language and the fallback for any other.
var English = Strings{
	Help: HelpStrings{
		AppTheme:     "colours for the terminal's background: auto (ask the terminal)|dark|light; NO_COLOR turns colours off; config theme",
		AppVersion:   "print layerlab's version and the engine it talks to",
		AppPlain:     "no screen: print a lesson as plain text and run its steps as a script (chosen when stdout is not a terminal)",
		AppLesson:    "open this lesson at start (its id; layerlab --plain lists them); with --plain: the lesson to print and run",
		AppNoRun:     "with --plain: print the lesson only, run nothing (a handout)",
		AppWorkspace: "the folder for the lessons' workspaces (build contexts, Dockerfiles); default: your cache folder/layerlab/workspace; also LAYERLAB_WORKSPACE",
		UsageApp: `
Usage:  layerlab [OPTIONS]
        layerlab COMMAND [OPTIONS]

Learn how Docker images and containers really work, on your own daemon.

Commands:
  cleanup     Remove what layerlab made, never anything else (--dry-run, --yes, --lesson ID)
  doctor      Check this machine for the lessons (--json)
  prepare     Pull every image the lessons need, before class
  bundle      Export or import the lesson images: bundle export|import FILE
  lessons     Check a lesson pack: lessons validate DIR
  progress    Show or reset your progress: progress show|reset
  explain     Explain a Dockerfile line by line: explain FILE
  serve       Serve a classroom over SSH, an engine per learner (--class FILE; --watch; --reset NAME)
  version     Print layerlab's version and the engine it talks to
`,
		Mirror:            "pull Docker Hub images of the lessons from this registry (HOST:PORT) instead; also LAYERLAB_REGISTRY_MIRROR, config registry_mirror",
		CleanupYes:        "remove without asking (for scripts)",
		CleanupDryRun:     "only list what would be removed",
		CleanupLesson:     "only what this lesson made (its id, e.g. rmi)",
		CleanupUnrecorded: "also remove this `NAME` (a container name, an image id or tag) listed as not recorded; repeat for each",
		UsageCleanup: `
Usage:  layerlab cleanup [OPTIONS]

Remove the containers, images and tags layerlab made; never anything else.
`,
		UsageProgress: `
Usage:  layerlab progress show|reset [OPTIONS]

Show your progress through the lessons, or forget it (start again).
`,
		ExplainWidth: "wrap at this many columns",
		UsageExplain: `
Usage:  layerlab explain [OPTIONS] FILE

Explain a Dockerfile line by line, as the editor's pane does; fail when it has an error that would stop a build.
`,
		UsageLessons: `
Usage:  layerlab lessons validate [OPTIONS] DIR

Check a lesson pack: every problem, one a line, as file:line:column: message.
`,
		ServeAddr:        "listen for SSH on this address",
		ServeClass:       "the class list: a learner a line, NAME [SSH PUBLIC KEY], and 'passphrase: …' for those without a key (docs/classroom.md)",
		ServeState:       "the server's state: host key, learners' progress, workspaces and engines",
		ServeRun:         "the learners' engines' sockets",
		ServeIdle:        "stop a learner's engine after this long without a session (0: never)",
		ServeMaxSessions: "sessions a learner may have at once",
		ServeDisk:        "each learner's engine's disk: a filesystem of this size (a new size holds after --reset)",
		ServePids:        "the most processes and threads each learner's engine may run, containers included",
		ServeEngineCPU:   "the CPU weight of all the learners' engines together against one thread of the server (1024); 0 leaves them only their niceness",
		ServeWatch:       "the instructor's view: who is connected, where each learner is, who is stuck",
		ServeReset:       "remove learner `NAME`'s engine, progress and workspace (a fresh start): their sessions end first",
		ServeRelease:     "release learner `NAME`'s name: their next login with the class passphrase binds it anew (a lost key or secret)",
		ServeStopEngines: "stop every learner's engine, keeping their images and containers (the end of a class)",
		UsageServe: `
Usage:  layerlab serve --class FILE [OPTIONS]
        layerlab serve --watch | --reset NAME | --release NAME | --stop-engines

Serve a classroom over SSH, an engine per learner; --lang is what the server says before a learner's language is known, and the view's.
`,
		UsageVersion: `
Usage:  layerlab version

Print layerlab's version and the engine it talks to.
`,
		DoctorJson: "doctor: print the checks as JSON",
		UsageDoctor: `
Usage:  layerlab doctor [OPTIONS]

Check this machine for the lessons: the daemon, the engine, the registry, the lesson images, the terminal.
`,
		UsagePrepare: `
Usage:  layerlab prepare [OPTIONS]

Pull every image the lessons need, before class.
`,
		UsageBundle: `
Usage:  layerlab bundle export FILE
        layerlab bundle import FILE

Write the lesson images to a file, or load them from one (a classroom without network).
`,
		OptionsHeading: `
Options:
`,
		GlobalHeading: `
Global options (before or after the command):
`,
		FlagString:    "string",
		FlagDefault:   "default",
		ConfigFmt:     "Config: %s (lang, theme, registry_mirror, workspace); options and environment variables override it.",
		GlobalLang:    "language: en|ko (default: config lang, else LC_ALL, LC_MESSAGES or LANG; L switches inside the app)",
		GlobalLessons: "load the lessons of a lesson pack from this folder instead of the built-in ones (see docs/lessons.md)",
		GlobalLog:     "write a debug log to this file (never to the terminal)",
	},
	Serve: ServeStrings{
		Banner:              "layerlab classroom: log in with the name on the class list (ssh -p PORT NAME@HOST).",
		UnknownFmt:          "%s is not on this class's list: log in with the name your instructor gave you (ssh -p PORT NAME@HOST).",
		KeyOnly:             "This name logs in with its SSH key: use the key your instructor registered (ssh -i KEY …).",
		PassQuestion:        "Class passphrase: ",
		TooManyFmt:          "%s already has %d sessions open: close one, then log in again.",
		NoTerminal:          "layerlab needs a terminal: log in with ssh -t, or run one docker command (ssh … docker images).",
		Starting:            "Starting your Docker engine…",
		EngineFailed:        "Your Docker engine did not start: tell your instructor (the server's log says why).",
		TooLongFmt:          "That command is longer than %d characters.",
		OnlyDocker:          "Only docker commands run here (e.g. ssh -p PORT NAME@HOST docker images): there is no shell.",
		PromptNeedsTerminal: "The docker prompt needs a terminal: ssh -t -p PORT NAME@HOST docker",
		PromptHello:         "Your own Docker engine. Type docker commands (images, ps, run -d, exec, commit, rmi, build…), exit to leave.",
		NotHere:             "not supported here (here: images, ps, pull, history, tag, rmi, rm, run -d, exec, commit, inspect, build, save -o, load -i)",
		HostFmt:             "docker %s %s: containers here get nothing from the host (no bind mounts, privileges, host network or PID, capabilities, devices or published ports)",
		TerminalFmt:         "docker %s -it needs a terminal: log in with ssh -t … docker for a prompt, or use -dit",
		NotOnLineFmt:        "docker %s: %s is not taken here: the classroom's docker runs the lessons' commands, with the flags they use",
		TakenOver:           "This session was taken over by a newer login of yours: the app goes on there.",
		TooMuchDiskFmt:      "Your engine keeps %s, the most one learner may (%s): remove images and containers first (docker rmi, docker rm).",
		WatchNoServer:       "No classroom server status here yet: start layerlab serve (with the same --state), then watch again. q quits.",
		WatchTitleFmt:       "layerlab classroom on %s · %s",
		WatchStaleFmt:       "! the server has not written its status for %s: is it running?",
		WatchSummaryFmt:     "%d of %d connected · %d stuck · q quits",
		ColLearner:          "LEARNER", ColOnline: "ONLINE", ColWhere: "LESSON · STEP", ColState: "STATE", ColFor: "FOR", ColEngine: "ENGINE",
		StateRunning: "running", StateFailed: "failed", StateDone: "done", StateExercise: "exercise to do", StateStuck: "stuck",
		EngineStopped: "stopped", EngineRunning: "running", EngineBroken: "did not start",
		WaitFmt:           "Too many wrong tries: wait %d s, then log in again.",
		BindingBroken:     "This name's login record cannot be read: ask your instructor (layerlab serve --release NAME).",
		BoundToKey:        "This name is bound to the SSH key of its first login: log in from that computer (with that key), or ask your instructor to release the name (layerlab serve --release NAME).",
		SecretQuestion:    "Your secret (chosen at your first login): ",
		BindRace:          "Another login has just taken this name: if it was not you, tell your instructor.",
		BoundKeyFmt:       "This name is now yours: it is bound to your SSH key %s. Next time your key logs you in, no passphrase needed; nobody else can use the name.",
		ChooseSecretFmt:   "This name is now yours. Choose a secret only you know (at least %d characters): your next logins ask for it instead of the class passphrase, so nobody else can use the name.",
		SecretNew:         "Your new secret: ",
		SecretAgain:       "The same again: ",
		SecretMismatch:    "The two did not match: choose your secret again.",
		SecretShortFmt:    "Too short: choose a secret of at least %d characters.",
		SecretIsPass:      "That is the class passphrase, which everyone knows: choose a secret of your own.",
		ResetByInstructor: "Your instructor reset your engine and your progress: log in again for a fresh start.",
		Resetting:         "Your instructor is resetting your engine: log in again in a moment.",
		EnginesStopped:    "Your instructor stopped the class's engines (your images and containers are kept for next time).",
	},
	PackUsage:      "usage: layerlab lessons validate [--lang en|ko] DIR",
	PackLessonsFmt: "%s: %d lessons",
	PackOKFmt:      "ok: %s",
	PackInvalidFmt: "%s is not a valid lesson pack",
	KeyUp:          "up", KeyDown: "down", KeyPageUp: "page up", KeyPageDown: "page down",
	KeyOpen: "open", KeyBack: "back", KeyRun: "run step", KeyEdit: "edit",
	KeyCancel: "cancel", KeyNextStep: "next/prev step", KeyPrevStep: "previous step",
	KeyNextLesson: "next/prev lesson", KeyPrevLesson: "previous lesson", KeyTab: "switch pane",
	KeyLayer: "choose a layer", KeyFiles: "its files",
	KeyCloseHelp: "close help", KeyHint: "next hint", KeyForce: "force (-f)", KeyYes: "yes", KeyOpenLine: "open the failed line",
	KeyCloseLine: "close", KeyHistory: "earlier commands", KeyComplete: "complete a name", KeyKeep: "keep it", KeyUndo: "undo",
	KeyScrollFiles: "scroll the files", KeyCloseFiles: "back to the layers",
	HelpHere: "Here", HelpLayers: "Layers panel (tab)", HelpEverywhere: "Everywhere", HelpPageFmt: "page %d/%d · pgdn, pgup: the other page",
	KeyRetry: "retry daemon", KeyRefresh: "refresh", KeyHelp: "help", KeyQuit: "quit",
	KeyRemove: "remove what this lesson made",
	KeySave:   "save", KeyCloseEditor: "save and close", KeyLang: "한국어",
	ContainersTitle: "Containers (the image's read-only layers + one writable layer each):",
	WritableFmt:     "writable layer +%s",
	CtrStates: map[string]string{"created": "created", "running": "running", "paused": "paused", "restarting": "restarting",
		"removing": "removing", "exited": "exited", "dead": "dead"},
	ImageLayersFmt:     "on the read-only layers of %s (%s), shared",
	ExitCodeFmt:        "exit code %d",
	ExecFailedNote:     "the command failed; the container is still there and usable",
	DiffEmpty:          "(no changes: the writable layer is empty)",
	RunDoneFmt:         "container %s (%s) runs from %s: its writable layer holds no change yet",
	CommitDoneFmt:      "new image %s (%s): the layers of %s + 1 new layer",
	CommitEmptyFmt:     "new image %s (%s): the layers of %s + 1 empty layer (0 B). Nothing had changed in the container, so the commit saved nothing new: change it first (the exec step), then commit.",
	CommitNoLayerFmt:   "new image %s (%s): the layers of %s and no new one. Nothing had changed in the container, so this engine added no layer: change it first (the exec step), then commit.",
	CommitTagMoved:     "%s named %s before: that image keeps its id, and is <none> unless another tag names it",
	EditCmdPrompt:      "the command sh -c runs: ",
	StepGone:           "gone",
	RunGoneFmt:         "container %s is not on the daemon any more: it was removed after this step started it.",
	RunAgainHint:       "start it again",
	RemovedByFmt:       "container %s was removed on purpose by step %d of this lesson (docker rm), and its writable layer with it.",
	UnstartedFmt:       "container %s is made by step %d of this lesson, which has not run: run it first, then this one.",
	UnstartedFailedFmt: "container %s was never made: step %d of this lesson, which makes it, failed (its card says why).",
	StepRemovedFmt:     "removed by step %d",
	ContainerGoneFmt:   "the container %s is not on the daemon any more: start it again first (step %d, enter on it)",

	AppName: "layerlab", Lessons: "Lessons", LessonTab: "Lesson", LayersTab: "Layers",
	ListIntro: "Learn how Docker images and containers really work, on your own daemon. Pick a lesson:",
	Done:      "✓ done", NotDone: "○", StepsCount: "%d/%d steps",
	Connecting: "connecting…", Connected: "●", Disconnected: "no daemon ✗",
	EngineFmt:      "engine %s (API %s) · %s",
	EngineShortFmt: "engine %s (API %s)",
	PodmanMark:     "Podman ",
	ContainerdMark: ", containerd",
	TooSmallFmt:    "make the terminal bigger (need %dx%d, have %dx%d)",
	StepFmt:        "Step %d · %s",
	StepRunHint:    "run", StepEditHint: "edit",
	StepIdle: "not run", StepRunning: "running…", StepDoneFmt: "✓ done %s",
	StepFailed: "✗ failed", StepCancelled: "cancelled",
	StepNeedsDaemon:       "needs a running Docker daemon: see the banner at the top",
	StepBusy:              "another step is running: wait for it or press esc",
	MoreAboveFmt:          "… %d more lines above",
	UnixSocket:            "unix socket",
	NamedPipe:             "named pipe",
	ContainerNameTakenFmt: "%s is the name of a container this window did not start (yours, or another layerlab window's), so the lesson leaves it alone and names its container %s instead (here and in the steps after).",
	NameTakenFmt:          "%s is the name of an image of yours, so the lesson leaves it where it is and uses %s instead (here and in the steps after).",
	EditPrompt:            "image: ", EditHint: "enter keep · esc undo",
	EditFileFmt:       "edit %s",
	PullTotalFmt:      "total %s / %s · %s/s",
	PullCancelHint:    "esc cancels",
	PullDoneFmt:       "pulled %s: %d layers, %d downloaded, %d already on disk",
	PullUpToDateFmt:   "%s was already up to date: nothing downloaded",
	PullLayersHereFmt: "%s is on your daemon now: every one of its layers was already here (shared with an image you had), so nothing was downloaded",
	PullLayersFmt:     "%d/%d layers",
	PullExisted:       "Already exists: the same layer is already on disk in another image, so it is shared, not downloaded.",
	PullMirrorFmt:     "(through the registry mirror %s)",
	PhaseWaiting:      "Waiting", PhaseDownloading: "Downloading", PhaseVerifying: "Verifying Checksum",
	PhaseDownloaded: "Download complete", PhaseExtracting: "Extracting", PhaseComplete: "Pull complete",
	PhaseExists:            "Already exists",
	LayersEmpty:            "This lesson's image is not on your daemon yet: run the lesson's steps and its layers appear here.",
	LayersMissingFmt:       "%s is not on your daemon (yet): run the lesson's steps and its layers appear here.",
	LayersNotPulledHereFmt: "%s is not on your daemon, and no step of this lesson pulls it: once it is there (docker pull %[1]s), its layers appear here.",
	LayersMadeHereFmt:      "%s is not on your daemon (any more): this lesson makes it in step %[2]d, with %[3]s. Run that step (and the steps before it) and its layers appear here.",
	LayersNoDaemonFmt:      "layerlab cannot ask the daemon (%s), so it cannot tell whether %s is there: the banner above says what is wrong and how to fix it.",
	DanglingRefFmt:         "%s (<none>: dangling)",
	PullMovedDanglingFmt:   "%s named the image %s before. The registry's tag names a newer image now, so the pull moved the name to it, and the old image has no name left: it is dangling (<none> in docker images). That is how dangling images are born; docker rmi %[2]s removes it.",
	PullMovedFmt:           "%s named the image %s before. The registry's tag names a newer image now, so the pull moved the name to it; the old image keeps its other names.",
	PullIDsNote:            "The ids above are the compressed downloads' digests, as docker pull prints them; the Layers panel lists each layer by its uncompressed content (its diff id, as docker image inspect does), so the two ids differ.",
	LayersLoading:          "reading layers…",
	LayersTotalFmt:         "%d layers · %d metadata entries · %s",
	LayersTop:              "top (newest)", LayersBase: "base (oldest)", LayerMeta: "meta",
	LayerCommitFmt: "docker commit of %s, message %q",
	LayerNew:       "← new", LayerSharedFmt: "shared: %s",
	PullPanelTitle:     "pulling",
	BuildPanelTitle:    "building",
	BuildPanelNote:     "BuildKit commits no image per step: what it made is stacked here as it goes; the settings (· meta: ENV, CMD…) are set as soon as it has read the Dockerfile.",
	PullPanelCountsFmt: "%d layers: %d already on disk, %d arrived, %d to come",
	PullPanelAsking:    "asking the registry which layers the image has…",
	PullPanelExists:    "already here (shared)",
	PullPanelArrived:   "← arrived",
	PullPanelWaiting:   "waiting",
	PullPanelComingFmt: "on its way %d%%",
	PullPanelNote:      "These are the downloads' ids (compressed). When the pull ends, the image's own layer ids replace them.",
	FilesTitleFmt:      "files of layer %s (%s)",
	FilesCountsFmt:     "%d added · %d changed · %d deleted",
	FilesLoading:       "reading the layer from the daemon (docker save)…",
	FilesReadFmt:       "%s of the export read",
	FilesBelowFmt:      "· = added or changed: reading the layers below to tell (%d of %d read, %s of the export)",
	FilesMore:          "↓ more",
	FilesWhiteoutFmt:   "whiteout %s",
	FilesEmpty:         "no files: this layer changes nothing on disk",
	FilesHint:          "A added · C changed (a layer below had it; a folder: something in it changed) · D deleted (hidden from here up) · esc back to the layers",
	FilesCut:           "(the first %d paths only)",
	LayersConfig:       "config",
	LayersSharedWith:   "Other images on your daemon, their layers bottom first (■ = shared with this one):",
	TableEmptyImages:   "(no images yet)", TableEmptyContainers: "(no containers)",
	TableRestFmt:  "The rest of its columns, by %s",
	TableBlankFmt: "(%s: empty in every row)",
	DockerSaid:    "Docker said: ", PodmanSaid: "Podman said: ", WhatToDo: "What to do: ",
	Rendering: "rendering…",
	HelpTitle: "Keys",

	RemovedTitle:            "Removed",
	LayersCheckedNote:       "This engine (containerd image store) names only the image in its answer; layerlab looked which layers no image uses any more: those are the deleted ones.",
	LayersCheckedNotePodman: "Podman names only the image in its answer; layerlab looked which layers no image uses any more: those are the deleted ones.",
	RemovedUntagOnlyFmt:     "Only a name went: the image %s and all its layers are still here.",
	LayerDeleted:            "deleted",
	LayerKept:               "kept",
	LayerKeptFmt:            "↳ still used by %s",
	RmiUntagOnlyFmt:         "Untagged %s: the name is gone, nothing was deleted; the image %s is still here.",
	RmiStillNamedFmt:        "It is still named %s.",
	RmiDeletedFmt:           "Deleted the image %s: %d layer(s) deleted (%s freed), %d kept because other images still use them.",
	RmiNoDangling:           "This lesson has no untagged (<none>) image yet: run the commit steps above first.",
	RmiNoIDYet:              "(none of this lesson on the daemon now)",
	TagDoneFmt:              "%s now names the same image as %s (%s): no copy, no new layer.",
	RmDoneFmt:               "container %s removed, with its writable layer",
	AppendDoneFmt:           "%s changed: «%s» added at its end (%d lines, %s now)",
	AppendTooLargeFmt:       "%s is larger than %d KiB: layerlab adds nothing more to it",
	ExpectedPrefix:          "As expected: ",
	ForceHint:               "force it: docker rmi -f deletes the image (Untagged, Deleted); the layers the stopped container stands on stay until the container is removed",
	ForceHintContainerd:     "force it: on this engine (containerd image store) docker rmi -f removes the name only; the image stays, untagged, while the container exists",
	ForceHintRunning:        "force it: with a running container docker rmi -f removes the name only; the image stays (by id, not even -f removes it)",
	CleanupAskFmt:           "Remove %d container(s) and %d image(s)/tag(s) that layerlab made (%s)?",
	ConfirmMoreFmt:          "… %d more lines: layerlab cleanup --dry-run lists every name",
	CleanupNothing:          "Nothing to remove: this lesson made no containers or images that are still here.",
	CleanupKeepsFmt:         "Kept, not layerlab's to remove: %s.",
	KeptYoursFmt:            "%s is yours (you made or loaded it yourself)",
	KeptInUseFmt:            "volume %s, mounted by %s, which stays",
	KeptTheirTagsFmt:        "an image you tagged %s too",
	KeptMovedFmt:            "%s, which names another image now",
	CleanupDoneFmt:          "Removed %d thing(s) layerlab made.",
	CleanupKeptFmt:          "%d kept (%s).",
	CleanupWorking:          "removing…",
	Yes:                     "yes", No: "no",

	CLIPlanFmt:       "layerlab made these on %s:",
	CLINothingFmt:    "layerlab made nothing that is still on %s: nothing to remove.",
	CLIHeader:        "KIND\tNAME\tSIZE\tLESSON\tWHAT",
	CLIKindContainer: "container", CLIKindImage: "image", CLIKindTag: "tag",
	CLIContainerFmt:        "%s, from %s",
	CLITagFmt:              "set by a %s",
	CLIUntagOnlyFmt:        "untag only: still named %s",
	CLIUntaggedImage:       "untagged image layerlab made",
	CLIPulledDangling:      "image layerlab pulled, dangling since a newer pull took its tag",
	CLIKept:                "Kept (not layerlab's to remove):",
	CLIAsk:                 "Remove them? [y/N] ",
	CLIDryRun:              "--dry-run: nothing was removed.",
	CLIImageDeletedFmt:     "image %s deleted (%d ids deleted)",
	CLIUntaggedFmt:         "untagged; the image stays, another name still uses it",
	CLIAborted:             "Nothing was removed.",
	CLINotTerminal:         "not asking on a non-interactive input: pass --yes to remove, or --dry-run to list",
	CLISummaryFmt:          "%d removed, %d kept.",
	CLIBuildStep:           "image of a build step layerlab ran",
	CLIUnrecorded:          "Not recorded: may be yours (they carry layerlab's label, which Docker copies to what you make from a lesson image, but layerlab has no record of making them):",
	CLIUnrecordedHow:       "These are never removed unless you name them one by one: layerlab cleanup --unrecorded NAME [--unrecorded NAME ...]",
	CLICommitted:           "image a commit of layerlab's made, no longer tagged",
	CLIBuilt:               "image a build of layerlab's made, no longer tagged",
	CLIUnrecordedImage:     "image with layerlab's label",
	CLIKeptMovedFmt:        "%s names another image now than the one layerlab tagged",
	CLIKeptTheirsFmt:       "also tagged %s, which layerlab did not set: yours",
	CLITaggedFmt:           "tagged %s",
	CLINoSuchUnrecordedFmt: "%s is not among the unrecorded things listed above: nothing was removed.",
	CLIRunningFmt:          "! %s is running: removing it stops it, and the files changed in it that no commit saved are lost.",
	CLINoLessonFmt:         "no lesson is called %s, and layerlab has no record of one: the lessons are %s.",
	PlainUsage:             "layerlab --plain --lesson ID prints a lesson and runs its steps; add --no-run to print it only.",
	NoLessonFmt:            "no lesson %q; the lessons are:",
	CmdEmpty:               "type a docker command, e.g. images",
	CmdQuote:               "a quote is not closed",
	CmdFlagFmt:             "docker %s: %s",
	CmdHostFmt:             "docker %s %s: layerlab's containers get nothing from the host (no bind mounts, privileges, host network or PID, capabilities, devices or published ports): type it in your own terminal if you mean it",
	CmdArgsFmt:             "docker %s: wrong number of arguments (%d)",
	CmdTerminalFmt:         "docker %s -it needs a real terminal: type it in your own terminal, or use -dit here",
	CmdDetach:              "docker run: here a container runs in the background: add -d (or -dit)",
	CmdCommitName:          "docker commit: name the new image here (docker commit CONTAINER REPOSITORY[:TAG])",
	CmdBuildWorkspace:      "docker build: here it builds the lesson's workspace only: docker build [-t TAG] [-f FILE] . in a lesson with a Dockerfile",
	CmdBuildFile:           "docker build: -f must name a file inside the lesson's workspace",
	CmdOtherRegistryFmt:    "docker %s: images come only from the classroom's registry here, not from %s: name the image as on Docker Hub (busybox:1.36), and the classroom's registry serves it",
	CmdNotHere:             "not supported here: use your own terminal (here: images, ps, pull, history, tag, rmi, rm, run -d, exec, commit, inspect, build, save -o, load -i)",
	CmdNotOnLineFmt:        "docker %s: layerlab's line does not take %s; your docker CLI does (type it in your own terminal)",
	CmdAnonVolumeFmt:       "docker %s -v %[2]s: a volume without a name is not made here; give it one: -v my-data:%[2]s",
	CmdDidYouMeanFmt:       "did you mean %s?",
	CmdTakes:               "this line takes: images, ps, pull, history, tag, rmi, rm, run -d, exec, commit, inspect, build, save -o, load -i",
	CmdRmRunningFmt:        "%[1]s is running: docker rm -f %[1]s stops it and removes it",
	CmdNameInUseFmt:        "a container is already called %[1]s: remove it first (docker rm -f %[1]s) or choose another --name",
	CmdSomeFailedFmt:       "%d of them failed: each line above says why",
	CmdExecTerminal:        "docker exec -it needs a real terminal: type it in your own terminal, or run one command here (docker exec NAME ls /)",
	CmdPullOfflineFmt:      "no registry could be reached: %s is already on disk and is used as it is (docker pull would fail here)",
	KeyScrollOutput:        "scroll the output",
	MoreBelowFmt:           "… %d more lines below",
	KeyCmd:                 "docker command line",
	CmdHint:                "enter run • ↑/↓ history • tab complete a name • pgup/pgdn scroll • esc close",
	LiveLost:               "live updates lost, reconnecting…",
	ProgressErrFmt:         "your progress could not be saved: %v",
	ProgressUsage:          "usage: layerlab progress [--lang en|ko] show|reset",
	ProgressResetFmt:       "progress reset: %s",
	LedgerSetAsideFmt:      "the record of what layerlab made (%s) could not be read: it was set aside as %s, with whatever it held. layerlab owns only what it makes from now on; nothing of yours is touched.",
	ProgressLastFmt:        "last place: lesson %s, step %d",
	ProgressFileFmt:        "file: %s",
	Cmd: CommandStrings{
		UnknownFlagFmt:        "unknown option: %s",
		NeedsValueFmt:         "%s needs a value",
		BadValueFmt:           "%s cannot be %q",
		UnknownCommandFmt:     "%s is not a layerlab command (the commands: %s)",
		ExtraArgFmt:           "layerlab %s takes no argument such as %q",
		HelpHintFmt:           "(%s --help lists the options)",
		LangFmt:               "--lang must be one of %s, not %q",
		ThemeFmt:              "--theme must be auto, dark or light, not %q",
		ConfigFmt:             "config %s: %v",
		ConfigKeyFmt:          "config %s: unknown key %q (known: lang, theme, registry_mirror, workspace)",
		EngineFmt:             "engine: Docker %s, API %s, at %s (%s)",
		NoEngineFmt:           "engine: not reachable at %s (%s): %s",
		CleanupKept:           "some items were kept; see above",
		PrepareFailedFmt:      "%d image(s) could not be pulled",
		BundleUsage:           "usage: layerlab bundle export|import FILE",
		BundleLacksFmt:        "the bundle lacks %s",
		DiskFmt:               "--disk %q: a size of at least 256MiB, such as 4GiB",
		NeedsClass:            "layerlab serve needs --class FILE (the class list; docs/classroom.md)",
		CannotServeFmt:        "this machine cannot run an engine per learner; it needs %s",
		ServingFmt:            "layerlab classroom on %s: %d learners log in with ssh -p %s NAME@THIS-HOST (lesson images from %s); layerlab serve --watch shows them",
		PublishMissingFmt:     "! %s is not on this machine's daemon: run layerlab prepare (or bundle import) first, or its lessons cannot pull it",
		PublishedFmt:          "✓ %s served to the learners' engines",
		NotANameFmt:           "%q cannot be a learner's name",
		ResetDoneFmt:          "%s: sessions ended; engine, progress, workspace and the name's binding removed",
		ReleasedFmt:           "%s: name released: the next login with the class passphrase binds it",
		EnginesStoppedFmt:     "engines stopped, their data kept: %s",
		EngineLogFmt:          "%s: no engine: %s",
		EngineNameFmt:         "%q cannot name an engine (a learner's name is a-z, 0-9, _ and -, at most 20)",
		EngineSetupFmt:        "this machine could not prepare the engine (run layerlab serve as root, on a host with rootless Docker's tools): %s",
		EngineStartFmt:        "the engine did not come up (its log is in the state folder's engines/): %s",
		EngineNoAnswerFmt:     "%s: the engine left running does not answer: %s",
		ProgressUnreadableFmt: "progress file %s is unreadable (%v); starting fresh",
		ProgressAsideFmt:      "progress file %s was unreadable (%v): kept as %s; starting fresh",
		ClassLineFmt:          "%s:%d: %s",
		ClassNameFmt:          "%q cannot be a learner's name (a-z first, then a-z, 0-9, _ or -, at most 20)",
		ClassKeyFmt:           "%q is not an SSH public key (one line of ~/.ssh/id_ed25519.pub)",
		ClassTwiceFmt:         "%s is listed twice",
		ClassEmpty:            "no learner: a line a learner, NAME [SSH PUBLIC KEY] (docs/classroom.md)",
		ClassNoPass:           "learners without a key need the class passphrase: a line 'passphrase: …'",
	},
	WorkspaceLinkFmt: "%s is a symbolic link: a pack's workspace may hold only plain files and folders",
	WorkspaceErrFmt:  "the lesson's workspace could not be made: %v",
	DF: DockerfileStrings{
		Instr: map[string]string{
			"FROM":        "starts the image from this one: its layers are the bottom of yours",
			"RUN":         "runs a command now, at build time, in a container; what it changes is committed as a new layer",
			"COPY":        "copies files from the build context into a new layer",
			"ADD":         "like COPY, and also unpacks archives and fetches URLs; a new layer",
			"ENV":         "sets environment variables for the next instructions and for every container",
			"CMD":         "the command a container runs when it starts: recorded now, runs nothing now",
			"ENTRYPOINT":  "the program a container always runs; CMD becomes its arguments",
			"EXPOSE":      "notes a port the program listens on (it does not open or publish it)",
			"LABEL":       "adds key=value labels to the image",
			"WORKDIR":     "the folder the next instructions and the container start in (created if missing: the classic builder commits that as a small, often empty, layer)",
			"USER":        "the user the next instructions and the container run as",
			"VOLUME":      "marks a folder whose data lives outside the container's writable layer",
			"ARG":         "a variable for the build only: the image does not keep it",
			"SHELL":       "the shell that runs the shell form of RUN, CMD and ENTRYPOINT",
			"HEALTHCHECK": "how Docker checks that a container still works",
			"STOPSIGNAL":  "the signal that stops a container",
			"ONBUILD":     "an instruction for images built FROM this one, not for this one",
			"MAINTAINER":  "who maintains the image (old: use LABEL)",
		},
		EffectBase: "base", EffectLayer: "■ new layer", EffectMeta: "· metadata, 0 B",
		EffectBuildOnly: "build only", EffectBroken: "✗ not valid",
		EffectStageOnly: "■ not in the image", EffectSkipped: "· skipped",
		ExplainTitle:   "Explain",
		SummaryFmt:     "%d instructions · %d new layers · %d metadata",
		CmdInEffectFmt: "CMD in effect: %s",
		ExpandedFmt:    "→ after substitution: %s",
		ShellVarsFmt:   "the shell replaces these when it runs: %s",
		ExecFormNote:   "exec form: no shell runs it, so a $NAME stays as written",
		VarFmt:         "$%s = %s", VarUnknownFmt: "$%s = (not declared)",
		OverriddenFmt:       "overridden: never runs",
		BuiltHeadFmt:        "built %s: under each line, what it really made",
		BuiltStale:          "the last build was of an earlier version of this file: build again to compare",
		BuiltFmt:            "built: step %d → %s",
		BuiltKit:            "built by BuildKit",
		BuiltLayerFmt:       "a layer of %s",
		BuiltMeta:           "metadata only",
		BuiltCached:         " (from the cache)",
		BuiltDiffersFmt:     "≠ predicted (%s): the builder made %s",
		EffectFolder:        "■ layer (its folder)",
		NoteAtFmt:           "line %d:%d",
		NoErrors:            "no errors",
		Syntax:              "The parser stops here",
		UnknownFmt:          "%s is not an instruction",
		DidYouMeanFmt:       "did you mean %s?",
		NoFrom:              "A Dockerfile must start with FROM (only ARG may come before it): every image is built on another image, or on scratch.",
		Empty:               "No instructions yet: a Dockerfile starts with FROM, e.g. FROM busybox:latest",
		Overridden:          "Only the last CMD counts: this one is replaced by the CMD on line %d and never runs.",
		LowercaseFmt:        "%s works too: instructions are not case-sensitive, but they are written in upper case (%s) to tell them from their arguments.",
		CmdInstall:          "CMD runs nothing at build time: this would install every time a container starts, and the image would not contain it. Installing is RUN's job.",
		RunStartsApp:        "RUN runs while building and waits for the command to end: a program that keeps running blocks the build, and nothing started here runs in your containers. Start it with CMD.",
		UnknownVarFmt:       "$%s is not set by an ENV or ARG above: it becomes empty (unless the base image sets it).",
		ParserWarning:       "The parser warns",
		EditorTitleFmt:      "Editing %s",
		Saved:               "saved",
		SaveFailedFmt:       "could not save: %s",
		ChangedOnDiskFmt:    "%s changed on disk since it was opened (your own terminal?): not saved. ctrl+s again writes yours over it; esc keeps yours for later",
		ChangedOnDiskClosed: "not saved: the Dockerfile changed on disk since it was opened. Your version is kept: open the step again, and ctrl+s writes it over the file",
		ReloadedFmt:         "%s changed on disk: this is the file as it is now",
		DraftKept:           "your version, not saved yet (the file changed on disk): ctrl+s writes it over the file",
		DraftOnCard:         "the file as it is on disk (what a build reads); your version is kept, not saved: enter opens it, and ctrl+s there writes it over the file",
		ReadOnlyFmt:         "read-only: this editor cannot hold %s exactly as it is (its line ends or tabs would change), so it writes nothing; edit it in your own editor",
		FileTooLargeFmt:     "%s is larger than %d KiB: a Dockerfile is short text, so layerlab does not open it and changes nothing in it",
		FileNotTextFmt:      "%s is not UTF-8 text (binary bytes or control characters): layerlab does not open it, so nothing in it can be lost",
		FileNotPlainFmt:     "%s is a symbolic link or not a plain file inside the workspace: layerlab neither reads nor writes it",
		NotRegularFmt:       "%s is not a regular file (a device, a pipe or a folder): a Dockerfile is a short text file",
		HeldKeyFmt:          "%s was not typed: you are editing %s (esc goes back to the steps; %s again types it)",
		OpenHint:            "open in the editor",
		FileMissingFmt:      "%s is not in the workspace yet",
		ChangeToSaveFmt:     "done when you save a change to %s (ctrl+s)",
		FileSummaryFmt:      "%d instructions: %d new layers, %d metadata",
		ContextFmt:          "context: %s · %d files, %s",
		ContextOutsideFmt:   "Dockerfile from outside the context: %s",
		IgnoredFmt:          " · %d left out by .dockerignore",
		StepCache:           "from cache", StepNew: "new", StepRunning: "running…",
		BuildDoneFmt:         "built %s: %d steps, %d from the cache",
		EarlierLinesFmt:      "… %d earlier lines",
		BuildTaggedFmt:       ", tagged %s",
		BuildUntagged:        " (no tag: use the IMAGE ID, or -t to name it)",
		LayerStepFmt:         "instruction %d · %s",
		StartCmdFmt:          "the CMD in effect ran: %s",
		FailedTitle:          "A build step failed",
		FailedFmt:            "The build's instruction %d exited with code %d, so the build stopped there. The instructions before it stay in the build cache: fix the line and build again, and they will not run again.",
		FailedTodo:           "Read the step's output above, fix the Dockerfile, and build again",
		FailedAtFmt:          "Read the step's output above, fix line %[1]d of %[2]s, and build again",
		OpenLineFmt:          "open %[2]s at line %[1]d, the step that failed",
		SourceMissingTitle:   "A file to copy is not in the build context",
		SourceIgnoredFmt:     "Line %d copies %s, and .dockerignore leaves it out (the rule %s): what .dockerignore leaves out is never sent to the daemon, so the build cannot find it.",
		SourceOutsideFmt:     "Line %d copies %s, which is outside the build context: only the context is sent to the daemon, so Docker looked for %s inside it.",
		SourceAbsentFmt:      "Line %d copies %s, and the build context has no %s.",
		SourceNotSentFmt:     "The build did not find %s in what was sent: it is not in the context folder, or .dockerignore leaves it out.",
		SourceIgnoredTodoFmt: "Take the rule %s out of .dockerignore (or let the file in with a line !NAME after it), then build again",
		SourceOutsideTodo:    "Put the file in the context folder and copy it from there, or build from a folder that holds it",
		SourceAbsentTodo:     "Check the name on that line, or put the file in the context folder, then build again",
		CardIgnoredFmt:       "⚠ line %d: COPY %s: .dockerignore leaves it out (rule %s), so the build will not find it",
		CardOutsideFmt:       "⚠ line %d: COPY %s: outside the context, never sent; Docker looks for %s in the context",
		CardAbsentFmt:        "⚠ line %d: COPY %s: the context has no %s, so the build will not find it",
		DockerfileTitle:      "The Dockerfile is not valid",
		DockerfileFmt:        "Line %d: %s",
		TooBigTitle:          "The build context is too big",
		TooBigFmt:            "The folder sent to the daemon holds %s, over layerlab's limit of %s: a lesson's context is a few kilobytes.",
		TooBigTodo:           "Build from a smaller folder, or list what the build does not need in .dockerignore",
		OutsideTitle:         "That would send files from outside the lesson's folder",
		Outside:              "A build sends its context folder to the daemon. Here a path or a link leads out of the lesson's folder, so layerlab did not send anything.",
		OutsideTodo:          "Keep the Dockerfile and every file it copies inside the lesson's folder; replace the link with the file itself",
		OutsideFoundFmt:      "(layerlab found: %s)",
		BaseMissingFmt:       "The base image %s (the FROM line) is not on your daemon, and the daemon could not pull it.",
		BaseMissingTodo:      "Pull %s first (the lesson's pull step goes through the classroom mirror if there is one), or start FROM an image you have: docker images lists them",
		Comment:              "# starts a comment: Docker ignores the line (a # later in a line is not a comment)",
		FromNotAnImageFmt:    "after substitution FROM names %q, which is not an image name: an ARG without a default is empty unless docker build --build-arg sets it (ARG V=1.36 gives it one)",
		ExplainUsage:         "usage: layerlab explain [--lang en|ko] [--width N] DOCKERFILE",
		ExplainErrorsFmt:     "%s: %d error(s) that would stop a build",
		NotJSONFmt:           "Single quotes are not JSON: Docker does not read this as a list, and runs the whole text with a shell: /bin/sh -c \"%s\". Write the list with double quotes: [\"sh\", \"-c\", \"echo hi\"].",
		RunCdFmt:             "cd here changes the directory for this RUN only: each RUN starts a fresh shell in the WORKDIR, so the RUN on line %d does not run in it. Use WORKDIR (or cd DIR && … in one RUN).",
		InstrEntrypointShell: "the program a container always runs, with /bin/sh -c: CMD and docker run's arguments are not passed to it",
		BrokenJSONFmt:        "This looks like a list but is not valid JSON (a comma or a double quote is missing): Docker does not read it as a list, and runs the whole text with a shell: /bin/sh -c \"%s\". Check the commas: [\"sh\", \"-c\", \"echo hi\"].",
		EntrypointShell:      "ENTRYPOINT in shell form runs with /bin/sh -c: docker run's arguments are not passed to it. Write it as a list, ENTRYPOINT [\"prog\"], for them to become its arguments.",
		EntrypointShellFmt:   "ENTRYPOINT in shell form runs with /bin/sh -c: the CMD on line %d is not its arguments and does nothing, nor are docker run's. Write it as a list, ENTRYPOINT [\"prog\"], for CMD to become its arguments.",
		ArgsOneFmt:           "%s takes exactly one argument",
		ArgsAtLeastOneFmt:    "%s needs at least one argument",
		ArgsTwoFmt:           "%s needs a source and a destination (at least two arguments)",
		ArgsTooManyFmt:       "%s was given too many arguments",
		ParserSaysFmt:        "The parser says: %s",
		QuotedVarFmt:         "$%s is inside single quotes: Docker does not substitute in RUN or CMD, the shell does, and single quotes stop it, so this prints $%s as written. Use double quotes.",
		InlineComment:        "This # does not start a comment: only a line that starts with # is one. Here it and what follows become arguments of the instruction.",
		FailedNoCodeFmt:      "The build's instruction %d failed: the builder could not do what it says (Docker's words are below). The instructions before it stay in the build cache: fix the line and build again, and they will not run again.",
		Stage: DockerfileStageStrings{
			FromFinal:        "starts the last stage, the one that becomes the image.",
			FromBuiltFmt:     "starts stage %s, a step of the build: the image gets only the files a later COPY copies out of it.",
			FromInImageFmt:   "starts stage %s: the last stage starts FROM it, so its layers are in the image too.",
			FromSkippedFmt:   "starts stage %s: nothing the image needs comes from it, so BuildKit skips it (the classic builder builds it anyway).",
			OnImageFmt:       "It starts on %s: that image's layers are the bottom of this stage.",
			OnScratch:        "It starts on scratch: an empty filesystem.",
			OnStageFmt:       "It starts where stage %s ends: its files, ENV, WORKDIR and USER carry on.",
			InStageFmt:       "(In stage %s: not in the image.)",
			InSkippedFmt:     "(In stage %s, which BuildKit skips: this line does not run.)",
			CopyFromStageFmt: "copies files from stage %s (its filesystem as that stage ends), not from the build context, into a new layer",
			CopyFromImageFmt: "copies files from the image %s (BuildKit pulls it if needed), not from the build context, into a new layer",
			SummaryFmt:       "%d stages: the image is the last one (line %d), and only its layers are counted",
			SkippedFmt:       "BuildKit skips %s: nothing the image needs comes from it",
			SkippedItemFmt:   "stage %s (line %d)",
		},
		State: DockerfileStateStrings{
			Fmt:                "↳ from here on: %s",
			GlobalFmt:          "↳ for FROM lines only: %s",
			StageFmt:           "stage %s",
			UnderFmt:           "WORKDIR …/%s (under %s's WORKDIR)",
			BaseFmt:            "%s as %s sets them",
			WorkdirJoinedFmt:   "A relative WORKDIR joins the one before it: the next lines run in %s. Write the whole path (starting with /) if that is not what you meant.",
			WorkdirBaseFmt:     "A relative WORKDIR joins the base image's WORKDIR (/ if the image sets none), which this file does not show: the next lines run in …/%s. Write the whole path (starting with /) to be sure.",
			VarOtherStageFmt:   "$%s is set on line %d, in another stage: each FROM starts again from its base's settings, so here it is empty. Set it again in this stage (ENV %s=…), or start this stage FROM that one.",
			GlobalArgFmt:       "ARG %s on line %d comes before the first FROM: only FROM lines see it. Write ARG %s in this stage (without a value it keeps that one) to use it here.",
			RunExportFmt:       "export %s lasts only while this RUN runs: each RUN starts a new shell, and nothing it exports reaches the next instruction. Use ENV %s=… (or ARG, for the build only).",
			RunExportUsedFmt:   "export %s lasts only while this RUN runs: each RUN starts a new shell, so line %d reads it empty. Use ENV %s=… (or ARG, for the build only).",
			OutsideContextFmt:  "%s is outside the build context, and files outside it are never sent to Docker: BuildKit looks for %s in the context instead, and stops with \"not found\" if it is not there (the classic builder refuses the path).",
			AbsoluteSourceFmt:  "%s is read inside the build context, not from your computer: Docker looks for %s in the context, and stops with \"not found\" if it is not there.",
			UserNotRootFmt:     "This RUN runs as %s (the USER on line %d), not as root: %s needs root, so it may fail with \"Permission denied\". Run it before the USER line.",
			UserNotRootPathFmt: "This RUN runs as %s (the USER on line %d), not as root: writing %s needs root, so it may fail with \"Permission denied\". Run it before the USER line, or write in a folder that user owns.",
		},
	},
	Vol: VolumeStrings{
		CreatedFmt:      "volume %s created: empty, outside every container's writable layer",
		RemovedFmt:      "volume %s removed, with its data",
		TableEmpty:      "(no volumes)",
		MountVolumeFmt:  "-v %s:%s: the volume %s is mounted at %s",
		MountFolderFmt:  "-v %s:%s: the folder %s of this machine is mounted at %s",
		NameTakenFmt:    "%s is the name of a volume of yours, so the lesson leaves it alone and names its volume %s instead (here and in the steps after).",
		NoVolumeTitle:   "No such volume",
		NoVolumeFmt:     "The engine has no volume named %s.",
		NotOwnedFmt:     "The volume %s was not created by layerlab.",
		InUseTitle:      "The volume is in use",
		InUseFmt:        "The volume %s is mounted by the container %s: Docker removes a volume only when no container (running or not) uses it.",
		InUseTodoFmt:    "remove the container first: docker rm -f %s",
		BadMountTitle:   "Not a -v layerlab takes",
		BadMountFmt:     "%q is not SOURCE:/path: a volume's name (letters, digits, _ . -) or a folder, a colon, then an absolute path in the container.",
		HostMountTitle:  "Folders of this machine cannot be mounted here",
		HostMountFmt:    "%s is a folder of the classroom's machine, not of yours: in the classroom no learner may mount its folders into a container (a bind mount).",
		HostMountTodo:   "use a named volume instead: docker volume create my-data, then docker run -dit -v my-data:/data busybox",
		TooManyFmt:      "Your engine has %d volumes, the most you may keep is %d: remove one first (docker volume ls lists them, docker volume rm and a name removes one).",
		MissingFmt:      "no volume %s yet",
		LessonsFmt:      "%s is the lesson's own volume: make one of your own in your terminal",
		BeforeFmt:       "the volume %s was there before this exercise, so it is yours, not this exercise's: keep it; the next exercise counts a container that mounts it (only if it holds nothing you need: docker volume rm it, then docker volume create)",
		MountMissingFmt: "no container of yours was started with %s mounted since this exercise was shown",
		CLIUnrecorded:   "volume with layerlab's label",
		CLIKind:         "volume",
		CLIVolume:       "named volume (docker volume create)",
		CLIKeptInUseFmt: "mounted by %s, which stays: kept",
		CleanupAskFmt:   "Remove %d container(s), %d image(s)/tag(s) and %d volume(s) that layerlab made (%s)?",
	},
	Ex: ExerciseStrings{
		Cmd:                 "(in your own terminal, with the docker CLI)",
		Waiting:             "waiting for you…",
		Where:               "Do it in another terminal with the real docker CLI: layerlab watches the daemon and marks it done.",
		CmdSessionFmt:       "(in a second session: %s docker …)",
		WhereSessionFmt:     "Open a second session and type the docker command there: %[1]s docker COMMAND (or ssh -t … docker for a prompt). It runs on your own engine, in this lesson's folder (no cd: a build's . and a file's name are there); layerlab watches it and marks this done.",
		Done:                "✓ done: layerlab saw it happen on the daemon",
		HintFmt:             "hint %d/%d: %s",
		HintKey:             "show a hint",
		MirrorPlaceholder:   "HOST:PORT",
		CheckNow:            "check now",
		ImageMissingFmt:     "no image %s on the daemon yet: docker images does not list it",
		StillThereFmt:       "%s is still there: docker rmi %s removes it",
		NearMissFmt:         "%s exists, but no %s: did you mean %s? (docker tag can give the image that name)",
		RemovalBlockedFmt:   "%s is still there: the container %s (%s) uses it, so docker rmi refuses. Remove the container first: docker rm %s",
		NeverThereFmt:       "there is no %s on your daemon, so there is nothing to remove yet: make it first (the exercise before this one), then remove it",
		ContainerStoppedFmt: "a container from %s exists (%s) but it is not running",
		ContainerMissingFmt: "no container from %s yet",
		CommitMissingFmt:    "no image %s yet: commit a container with docker commit CONTAINER %s",
		SameLayersFmt:       "%s exists but has the same layers as %s: the change was not committed (did you change the container you committed?)",
		NotOnBaseFmt:        "%s exists but is not built on the layers of %s: commit a container that was made from %s",
		NoWhiteoutFmt:       "%s exists, but its own layer has no whiteout of %s: delete it in a container (docker exec CONTAINER rm %s), then commit that container as %s",
		BuiltMissingFmt:     "no image %s yet: in the lesson's folder, docker build -t %s -f %s .",
		BuiltLessonsFmt:     "the %s there now is the one the lesson's step built, so it does not count: build your own, in the lesson's folder: docker build -t %s -f %s .",
		CommitLessonsFmt:    "the %s there now is the one the lesson's step committed, so it does not count: commit your own container with docker commit CONTAINER %s",
		BuiltDefaultFmt:     "%s was built from the Dockerfile at the top of the folder, not from %s: add -f %s",
		BuiltOtherFmt:       "%s was not built from %s (its CMD is %s)",
		ImageBeforeFmt:      "%s was on the daemon before this exercise: layerlab counts what you do from now on. Do it yourself: docker pull %s",
		ContainerBeforeFmt:  "the container %s runs from %s, but it was started before this exercise: layerlab counts what you do from now on. Start one yourself: docker run -dit %s",
		CommitBeforeFmt:     "%s was there before this exercise: layerlab counts what you do from now on. Commit a container of your own: docker commit CONTAINER %s",
		BuiltBeforeFmt:      "%s was there before this exercise: layerlab counts what you do from now on. Build it yourself, in the lesson's folder: docker build -t %s -f %s .",
		UntaggedFmt:         "docker rmi %s only untagged it: the image %s is still there, named %s, so nothing was deleted. An image goes with its last name: docker rmi %s",
		UntaggedHeldFmt:     "%s was untagged, but the image %s is still there as <none>: the container %s (%s) uses it. Remove the container, then the image: docker rm %s, then docker rmi %s",
		UntaggedBareFmt:     "%s was untagged, but the image %s is still there as <none>: docker rmi %s deletes it",
		SmallerMissingFmt:   "no image %s yet: in the lesson's folder, build it yourself: docker build -t %s …",
		SmallerLessonsFmt:   "the %s there now is the one a lesson step built, so it does not count: build your own: docker build -t %s …",
		SmallerNotBuiltFmt:  "%s names an image that was already there (a docker tag gives a name, it builds nothing): build it from a Dockerfile that still makes the 10 MB",
		SmallerBeforeFmt:    "%s was there before this exercise: layerlab counts what you do from now on. Build it yourself: docker build -t %s …",
		TooBigFmt:           "%s is %s: not under %s yet. A layer still holds bytes that a later one only hides (docker history shows which)",
	},
	Arch: ArchiveStrings{
		CmdFileFmt:          "docker %s: here the file is in the lesson's folder, named by its name in it: docker save -o files-demo.tar files-demo:v1, docker load -i files-demo.tar",
		SavedFmt:            "%s written in %s: %s, holding %s",
		RoleSaveManifest:    "the index: for each image, its config, names and layer files, bottom first",
		RoleIndex:           "the OCI layout's entry: each image's manifest, by its sha256",
		RoleLayout:          "the OCI image layout's version",
		RoleRepositories:    "names to ids (legacy layout)",
		RoleOther:           "not named by the index",
		ConfigFmt:           "config of %s: settings, history (%d lines, as docker history shows them), %d diff ids",
		ManifestFmt:         "manifest of %s: the config's and the layers' sha256",
		LayerFmt:            "layer %d/%d: sha256 %s = diff id %d ✓",
		LayerBadFmt:         "layer %d/%d: sha256 %s, but diff id %d differs ✗",
		LayerSharedFmt:      "in %d images, stored once",
		LayerLinkFmt:        "layer %[1]d of %[2]d of %[3]s: a link to %[4]s, the same layer stored once",
		LegacyMetaFmt:       "%d × <id>/VERSION, <id>/json: legacy per-layer metadata",
		CompressedFmt:       "%s, uncompressed:",
		ListFmt:             "layerlab reads %s: each file in it, its size in the file, what it is",
		LayoutLegacy:        "Docker's legacy layout (Docker 20.10): one <id>/layer.tar per layer, uncompressed",
		LayoutOCI:           "the OCI image layout (containerd image store): blobs/sha256/, each file named by its sha256, layers compressed",
		IDIsConfigFmt:       "image id of %s: %s = sha256 of its config",
		IDIsManifestFmt:     "image id of %s: %s = sha256 of its manifest (which names the config's sha256)",
		IDNotOnDaemonFmt:    "%s is not on the daemon now: its id would be the sha256 of its config (%s) or, on the containerd store, of its manifest",
		LayersMatchFmt:      "each layer's sha256 is its diff id in the config, the id the Layers panel shows: %d layers ✓",
		LayersMismatch:      "a layer's sha256 is not the diff id its config lists: the file is damaged",
		TotalFmt:            "%d files, %s",
		SharedOnceFmt:       "%d layers are in %d images each, stored once",
		LoadedIDFmt:         "image id %s: the same as when it was saved",
		Title:               "The saved file cannot be used",
		TooBigFmt:           "The image is %s saved, more than layerlab writes into a lesson's folder (%s): nothing was written.",
		MissingFmt:          "%s is not in the lesson's folder: run the step that saves it first.",
		NotSaveFmt:          "%s is not a file docker save wrote (%s).",
		ChangedFmt:          "%s holds other images (%s) than the lesson saved in it: layerlab loads only its own save back. Run the save step again.",
		NotSavedFmt:         "layerlab loads only a file it saved, and %s was not saved by this lesson since layerlab started: run the save step first.",
		SaveFirstTodo:       "run the save step again, then this one",
		ReloadMissingFmt:    "no image %s on the daemon: run the lesson's steps to make it, then save, remove and load it yourself",
		ReloadLoadBackFmt:   "%s is removed: now load it back from your file: docker load -i mine.tar (or the file you saved it to)",
		ReloadNotSavedFmt:   "%s is there, but you have not saved it since this exercise was shown: docker save -o mine.tar %s",
		ReloadNotRemovedFmt: "%s is saved: now remove it: docker rmi %s",
		ReloadNotLoadedFmt:  "%s is there again, but not by docker load: remove it and load it from your file",
		ReloadLessonsFmt:    "the %s there now is the one the lesson's load step loaded, so it does not count: save, remove and load it yourself (docker save -o mine.tar %s)",
	},
	Doc: DoctorStrings{
		Daemon: "daemon", Engine: "engine", EngineFmt: "Docker %s, API %s (layerlab needs %s or newer)",
		PodmanFmt:        "Podman %s, Docker API %s: not Docker",
		PodmanFix:        "Podman serves Docker's API, not all of it the same. Work as on Docker: pull, run, exec, diff (without Podman's own files), tag, commit, save, rmi. Differ: builds go through Podman's builder; rmi -f is not sent while a container uses the image (Podman's would remove the container); from your own terminal, docker commit fails there: use podman commit",
		APINegotiatedFmt: "%s (the engine speaks up to %s)",
		Storage:          "storage", GraphDriverFmt: "%s, a graph driver (the classic image store: image ids are the config's digest)",
		ContainerdStoreFmt: "%s, the containerd image store (image ids are the manifest's digest; layers are kept compressed too)",
		Builder:            "builder",
		BuilderCLIFmt:      "docker %s at %s", BuilderBuildxFmt: "buildx %s", BuilderNoBuildx: "no buildx plugin",
		BuilderBrokenBuildxFmt:   "its buildx plugin (%s) does not run",
		BuilderNoCLI:             "no docker command on PATH: the exercises in your own terminal need one",
		BuilderVersionUnknownFmt: "docker at %s: its version cannot be read, so which builder docker build runs is not known",
		BuilderEnvNotBoolFmt:     "DOCKER_BUILDKIT=%s is neither true nor false: docker build refuses to start",
		BuilderBuildx:            "docker build runs BuildKit, as the lessons show",
		BuilderNoBuildxWhy:       "docker build runs the classic builder (Docker calls it the legacy builder, deprecated), not BuildKit as the lessons show",
		BuilderEnvOff:            "DOCKER_BUILDKIT=0, so docker build runs the classic builder, not BuildKit as the lessons show",
		BuilderEnvOnNoBuildx:     "DOCKER_BUILDKIT=1 asks for BuildKit, which this CLI runs only through buildx: docker build stops with an error",
		BuilderAlias:             "docker buildx install made docker build run buildx: BuildKit, as the lessons show",
		BuilderAliasNoBuildx:     "docker buildx install made docker build run buildx, which is not there: docker build stops with an error",
		BuilderOldDefault:        "a CLI from before Docker 23, and the engine does not default to BuildKit: docker build runs the classic builder, not BuildKit as the lessons show",
		BuilderOldEngineUnknown:  "a CLI from before Docker 23: docker build runs the classic builder, unless the engine defaults to BuildKit (Docker 23 and newer, or features.buildkit in its daemon.json)",
		BuilderOldEngine:         "a CLI from before Docker 23, and the engine defaults to BuildKit: docker build runs the CLI's own BuildKit, as the lessons show",
		BuilderOldEnvOn:          "DOCKER_BUILDKIT=1: docker build runs the CLI's own BuildKit, as the lessons show",
		BuilderPrintsFmt:         "it prints %s", BuilderThen: ", then ",
		BuilderPrintsPlainFmt: "it prints %s (with --progress=plain, as on the lessons' cards; in a terminal it redraws the same steps in place)",
		FixEnvOffNoBuildxFmt:  "For BuildKit, as the lessons show: unset DOCKER_BUILDKIT and install the buildx plugin: %s",
		BuildxInstall:         "sudo apt install docker-buildx (newer Debian and Ubuntu), docker-buildx-plugin from Docker's own packages, or https://docs.docker.com/go/buildx/",
		FixInstallBuildxFmt:   "For BuildKit, as the lessons show, install the buildx plugin: %s",
		FixUnsetEnv:           "For BuildKit, as the lessons show: unset DOCKER_BUILDKIT",
		FixEnvOnNoBuildxFmt:   "Install the buildx plugin (%s), or unset DOCKER_BUILDKIT to build with the classic builder",
		FixAliasNoBuildxFmt:   "Install the buildx plugin again (%s), or remove \"builder\" from \"aliases\" in ~/.docker/config.json",
		FixOldEnvOn:           "For BuildKit, as the lessons show: DOCKER_BUILDKIT=1 docker build … (export DOCKER_BUILDKIT=1 for every build)",
		FixEnvNotBool:         "Set DOCKER_BUILDKIT to 1 (BuildKit) or 0 (the classic builder), or unset it",
		FixNoCLI:              "Install the docker CLI (Debian: sudo apt install docker.io; Docker's own packages: docker-ce-cli)",
		Disk:                  "disk", DiskFmt: "%s free in %s (%s)", DiskRemoteFmt: "the daemon is on another machine (%s): its disk is not checked",
		DiskFix:  "The lesson images need about 50 MB, and builds a little more: free some space (docker system df shows what Docker uses)",
		Registry: "registry", UnreachableFmt: "%s cannot be reached from here",
		RegistryFix:      "Lessons can still run with the images already on disk: layerlab prepare before class, or layerlab bundle import from a USB stick",
		ImageLocal:       "on disk",
		ImagePullableFmt: "not on disk yet; pullable from %s",
		PrepareFix:       "layerlab prepare pulls it now, so the class does not wait",
		ImageMissingFmt:  "not on disk, and %s cannot be reached: the lessons that pull it cannot run",
		ImageMissingFix:  "Import the classroom bundle (layerlab bundle import FILE), or connect and run layerlab prepare",
		Terminal:         "terminal", NotTerminal: "not a terminal: layerlab will print lessons as plain text (--plain)",
		NotTerminalFix: "Run layerlab in a terminal for the full screen",
		TooSmallFix:    "Make the terminal at least %dx%d",
		Colours:        "colours", ColoursFix: "No colours here (NO_COLOR or a plain terminal): layerlab still shows the structure",
		ColoursNoTTY: "not a terminal", ColoursNone: "none", Colours16: "16", Colours256: "256", ColoursTrue: "true colour",
		LocaleMissingFmt: "%s (not installed here: locale -a does not list it)",
		LocaleMissingFix: "Install it (Debian: sudo dpkg-reconfigure locales), or use LANG=C.UTF-8",
		Locale:           "locale", LocaleFix: "Use a UTF-8 locale (export LANG=C.UTF-8, or ko_KR.UTF-8 for Korean) so boxes and Hangul draw right",
		Failed:            "Some lessons cannot run here: see the ✗ lines.",
		Ready:             "Ready for the lessons.",
		ReadyPodman:       "Ready for the lessons, on Podman: where it differs, the step says so.",
		PreparePresentFmt: "✓ %s already on disk",
		PreparePulledFmt:  "✓ %s pulled (%d layers, %d downloaded)",
		PrepareFailedFmt:  "✗ %s: %s",
		ExportedFmt:       "wrote %s: %d images, %s",
		ImportedFmt:       "imported from %s: %s",
		OfflineFmt:        "%s could not be reached; the copy already on disk is used",
	},
	Err: ErrorStrings{
		SocketMissingTitle:    "No Docker daemon socket",
		SocketMissing:         "Nothing exists at %s: Docker is not installed or not started.",
		PermissionTitle:       "Not allowed to use the Docker socket",
		Permission:            "The daemon is there, but your user may not open %s.",
		RefusedTitle:          "The Docker daemon is not answering",
		Refused:               "Something is at %s, but no daemon answers there.",
		NothingListensFmt:     "Nothing listens at %s: no Docker daemon runs there (or it listens on another address).",
		NotDockerTitle:        "Something else answers there, not Docker",
		EngineDiffersTitle:    "Not sent: it means more on Podman",
		EngineDiffersFmt:      "On Podman, docker rmi -f %s would also remove every container that uses the image, with the files in it: layerlab does not send it there.",
		EngineDiffersTodo:     "remove the containers that use it first (docker ps -a, docker rm NAME), then remove the image without -f",
		NotDockerFmt:          "A program answers at %s, but it is not a Docker engine (it does not speak Docker's Engine API): DOCKER_HOST or the docker context points at something else.",
		NoDockerfileTitle:     "There is no Dockerfile to build from",
		NoDockerfileFmt:       "docker build reads %s, and there is no such file.",
		NoDockerfileTodo:      "create it, or name the one to use with -f (docker build -f path/to/Dockerfile .)",
		NoContextTitle:        "There is no folder to build",
		NoContextFmt:          "The build context %s is not there.",
		HostTitle:             "The Docker host cannot be reached",
		Host:                  "%s (from %s) does not answer.",
		TooOldTitle:           "This Docker engine is too old",
		TooOldFmt:             "The engine speaks API %s; layerlab needs %s or newer (Docker 20.10+).",
		FixLinux:              "Linux: sudo systemctl start docker (or: sudo dockerd &)",
		FixMac:                "macOS/Windows: start Docker Desktop and wait for it to say it is running",
		FixWindows:            "Windows (WSL): enable your distro under Docker Desktop › Resources › WSL integration",
		FixPermLinux:          "Linux: sudo usermod -aG docker $USER, then log out and in (or run: newgrp docker)",
		FixHost:               "Check DOCKER_HOST, or unset it to use the local daemon",
		FixContext:            "Check the context: docker context ls; docker context use default",
		BadRefTitle:           "That is not a valid image name",
		BadRef:                "%s",
		RuleEmpty:             "an image reference cannot be empty: type a name such as busybox or python:3.6.0-slim",
		RuleSpaces:            "an image reference has no spaces: NAME[:TAG], e.g. python:3.6.0-slim",
		RuleTagNoNameFmt:      "a tag needs a name before it: NAME:TAG, e.g. %s",
		RuleDigestNoName:      "a digest needs a name before it: NAME@sha256:…",
		RuleTagFormat:         "a tag is at most 128 letters, digits, '_', '.' or '-', and cannot start with '.' or '-'",
		RuleLowercaseFmt:      "repository names must be lowercase (tags may use capitals): try %s",
		RuleDigestFormat:      "a digest looks like sha256: followed by 64 hex digits",
		RuleNameTooLong:       "a repository name is at most 255 characters",
		RuleOther:             "a name is lowercase letters, digits and separators (. _ -) in path parts split by /, optionally :TAG",
		EmptyCommand:          "type a command, e.g. echo hi > /hello.txt",
		NotFoundTitle:         "No such image",
		NotFoundFmt:           "The registry has no image %s: check the spelling of the name and that the tag exists.",
		NoLocalImageTitle:     "No such image on your daemon",
		NoLocalImageFmt:       "There is no image %s on your daemon. A container starts from the daemon's own images, and layerlab downloads nothing to start one: pull or build %s first (a step above does).",
		RegistryTitle:         "The registry cannot be reached",
		RegistryFmt:           "Your daemon could not reach %s to download %s: this machine has no internet, or DNS does not work.",
		RegistryTodo:          "Connect to the internet, or ask your instructor for the classroom mirror: layerlab --registry-mirror HOST:PORT",
		UnauthorizedTitle:     "The registry refused access",
		Unauthorized:          "The repository is private or does not exist. Check the name; private images need docker login.",
		NoTagTitle:            "No such tag",
		NoTagFmt:              "The registry has the repository %s, but no tag %s in it: check the tag's spelling (the repository's page on Docker Hub lists its tags).",
		NoRepoTitle:           "No such repository",
		NoRepoFmt:             "The registry has no repository %s (or it is private, and then it does not say it has one): check the name's spelling; a private repository needs docker login.",
		NoTagOrRepoFmt:        "The registry has no image %s: the repository or its tag does not exist, and this engine does not say which. Check the spelling of both.",
		NoCommandTitle:        "No such command in the image",
		NoCommandFmt:          "%s is not a program in the image %s, so the container could not start. Check the command's spelling, and that the image has that program.",
		OfflineBundleTodo:     "Or bring the lesson images on a file: layerlab bundle import FILE (made with layerlab bundle export on a machine that has them)",
		OnlyLocalFmt:          "%s is a name on your daemon only (given there by docker tag or a build): no registry knows it, so there is nothing to pull. docker images lists it.",
		ConflictTitle:         "Something still uses it",
		Conflict:              "The daemon refused because another object still needs this one.",
		CanceledTitle:         "Cancelled",
		Canceled:              "You stopped it; nothing was tagged. Run the step again to start over: layers already on disk are kept and reused.",
		InterruptedTitle:      "The daemon went away in the middle",
		InterruptedFmt:        "The connection to the daemon broke during %s. What it was doing may or may not have happened: the lists are read again when the daemon answers.",
		InterruptedPullFmt:    "The daemon went away during %s, after %d of %d layers had arrived. An unfinished pull leaves no image: pull it again once the daemon is back (layers your other images already have are not downloaded again).",
		InterruptedBuildFmt:   "The daemon went away during step %d of %s. The result was not tagged; the steps before it are in the build cache, so building again goes on from there.",
		InterruptedCommitFmt:  "The daemon went away before it answered %s: the image may have been made. The images list shows it once the daemon answers again; it is layerlab's either way (cleanup removes it).",
		InterruptedExecFmt:    "The daemon went away while the command ran (%s): it may still be running in the container, and what it printed after that is lost.",
		InterruptedRemoveFmt:  "The daemon went away before it answered %s: the image may be gone, or not. The panel shows what is left once the daemon answers again.",
		InterruptedTodo:       "When the header says the engine is back (layerlab keeps trying), run the step again",
		UnknownTitle:          "Docker returned an error",
		Unknown:               "layerlab does not know this error; the daemon's words are below.",
		NoShellTitle:          "This image has no shell",
		NoShell:               "The command runs with sh -c, and the image has no sh: minimal images (distroless, scratch) ship only their program.",
		NotOwnedTitle:         "Not created by layerlab",
		NotOwnedContainerFmt:  "%s was not created by layerlab (it may have been made from a lesson image, but then it is yours).",
		NotOwnedImageFmt:      "%s was not made by layerlab (a tag you set, or an image you made, from a lesson image or not, is yours).",
		NotOwnedTagsFmt:       "%s is also tagged %s, which layerlab did not set.",
		NotOwnedNameFmt:       "%s names an image layerlab did not make (%s): it is yours.",
		NotOwnedUnrecordedFmt: "%s carries layerlab's label but is not in its records: it may be yours.",
		NotOwned:              "layerlab only removes what it made itself, so it leaves this alone. To remove it anyway, use the docker CLI yourself.",
		NotOwnedChange:        "layerlab changes only what it made itself: it runs commands in and commits its own containers only, and never takes a name from one of your images. To do it anyway, use the docker CLI yourself.",
		InUseTitle:            "A container still uses this image",
		InUseFmt:              "The container %s was made from this image. A container stands on its image's layers (its own writable layer is only the top), so the daemon will not delete them while the container exists.",
		InUseRunningFmt:       "The container %s is running from this image. A container stands on its image's layers (its own writable layer is only the top), so the daemon will not delete them while the container exists.",
		InUseRemoveFirstFmt:   "Remove the container first (docker rm -f %s), then remove the image again",
		InUseForce:            "Or force it (docker rmi -f): the image itself is deleted, but the layers the stopped container stands on stay on disk until the container is removed",
		InUseForceContainerd:  "Or force it (docker rmi -f): on this engine (containerd image store) that removes the name only; the image stays, untagged, while the container exists",
		InUseForceRunning:     "Force does not delete it either: with a running container, docker rmi -f NAME only removes the name, and docker rmi -f ID is refused",
		InUseForcePodman:      "Not with force on Podman: there docker rmi -f removes the container too, with the files in it (layerlab does not send it while a container uses the image)",
		ManyTagsTitle:         "Several names point at this image",
		ManyTags:              "You named the image by its id, and more than one tag names it: the daemon will not remove them all without being told.",
		ManyTagsTodo:          "Remove the names one by one (docker rmi NAME:TAG); the last one deletes the image",
		ChildrenTitle:         "Other images are built on this one",
		Children:              "Other images start with this image's layers (they were built FROM it), so it cannot go first.",
		ChildrenTodo:          "Remove the images built on it first",
		GoneTitle:             "Already gone",
		GoneFmt:               "There is no image %s on this daemon (any more): nothing to remove. The lists are refreshed.",
		GoneNoName:            "That image is not on this daemon (any more): nothing to remove. The lists are refreshed.",
		NotRunningTitle:       "The container is not running",
		NotRunning:            "The container has stopped: its main command exited, and a container lives only as long as its main command. Commands run only in a running container: run the step that starts it again (it keeps a shell open, as docker run -dit IMAGE sh does).",
		NoContainerTitle:      "No such container",
		NoContainerFmt:        "There is no container %s (any more): run the step that starts it first.",
		NoOwnContainerFmt:     "There is no container %s on your engine (any more): docker ps -a lists the containers there are.",
		NotOnEngineTitle:      "No such image on your daemon",
		NotOnEngineFmt:        "There is no image %s on your daemon: nothing was asked of a registry. docker images lists the images you have; docker pull gets one.",
		NoObjectFmt:           "There is no image or container %s on your daemon: docker images and docker ps -a list the ones there are.",
		LimitTitle:            "Too many",
		TooMuchSavedTitle:     "Too much saved",
		UnrecordedTitle:       "layerlab cannot write down what it makes",
		UnrecordedFmt:         "Its record of what it makes, %s, cannot be written (a read-only folder or a full disk), so layerlab made nothing: a container or an image it could not record would be nobody's to clean up.",
		UnrecordedTodo:        "free some disk space, or make the folder writable, then run the step again",
		TooManyContainersFmt:  "You have %d containers, the most one learner may keep here (%d): remove some first (docker rm NAME).",
		TooManyImagesFmt:      "You have %d images, the most one learner may keep here (%d): remove some first (docker rmi NAME).",
		TooMuchSavedFmt:       "The files you saved in your lesson folders take %s, and one more would pass the most one learner may keep here (%s): nothing was written. Save over a file you saved before (the same FILE name) instead of a new one.",
		EndpointFmt:           "daemon: %s (from %s)",
		RetryHint:             "layerlab keeps trying; press r to try now",
		NoAnswerTitle:         "The daemon does not answer",
		NoAnswer:              "layerlab asked the daemon and waited, but no answer came: the daemon took the request and does nothing with it, as a frozen or overloaded daemon does (or one stuck on a full disk). The step did not finish, and nothing is shown from an earlier answer.",
		NoAnswerTodo:          "In another terminal, docker info: if it hangs too, the daemon is stuck; restart it (sudo systemctl restart docker, or restart Docker Desktop), then run the step again",
	},
}

// withFallback fills every string t leaves empty with English's, so that a
// missing translation shows English, never a blank.
// Its maps are copies: the table it came from is never written to.
func (t Strings) withFallback() Strings {
	fill(reflect.ValueOf(&t).Elem(), reflect.ValueOf(English))
	return t
}

func fill(dst, src reflect.Value) {
	for i := 0; i < dst.NumField(); i++ {
		d, s := dst.Field(i), src.Field(i)
		switch d.Kind() {
		case reflect.String:
			if d.String() == "" {
				d.SetString(s.String())
			}
		case reflect.Struct:
			fill(d, s)
		case reflect.Map:
			own := reflect.MakeMap(d.Type())
			if !d.IsNil() {
				for _, k := range d.MapKeys() {
					own.SetMapIndex(k, d.MapIndex(k))
				}
			}
			d.Set(own)
			for _, k := range s.MapKeys() {
				if v := d.MapIndex(k); !v.IsValid() || v.String() == "" {
					d.SetMapIndex(k, s.MapIndex(k))
				}
			}
		}
	}
}

// ServeStrings are the classroom server's words.
type ServeStrings struct {
	Banner, UnknownFmt, KeyOnly, PassQuestion, TooManyFmt, NoTerminal   string
	Starting, EngineFailed, TooLongFmt, OnlyDocker, PromptNeedsTerminal string
	PromptHello, NotHere, HostFmt, TerminalFmt, TakenOver               string
	TooMuchDiskFmt                                                      string
	// NotOnLineFmt: a flag the classroom's docker does not take (there is
	// no other terminal to send the learner to).
	NotOnLineFmt                                                    string
	WatchTitleFmt, WatchStaleFmt, WatchSummaryFmt, WatchNoServer    string
	ColLearner, ColOnline, ColWhere, ColState, ColFor, ColEngine    string
	StateRunning, StateFailed, StateDone, StateExercise, StateStuck string
	EngineStopped, EngineRunning, EngineBroken                      string
	// A name bound at its first login (classroom/identity.go).
	WaitFmt, BindingBroken, BoundToKey, SecretQuestion, BindRace, BoundKeyFmt string
	ChooseSecretFmt, SecretNew, SecretAgain, SecretMismatch, SecretShortFmt   string
	SecretIsPass, ResetByInstructor, Resetting, EnginesStopped                string
}

// Languages are the languages layerlab speaks, by code.
var Languages = map[string]Strings{LangEnglish: English, LangKorean: Korean}

// For returns the strings of lang, English for anything unknown.
func For(lang string) Strings {
	if t, ok := Languages[lang]; ok {
		return t.withFallback()
	}
	return English
}

// Transport words an endpoint's scheme (unix, npipe, tcp, ssh) for the header.
func (t *Strings) Transport(scheme string) string {
	switch scheme {
	case "unix":
		return t.UnixSocket
	case "npipe":
		return t.NamedPipe
	case "":
		return "?"
	}
	return scheme
}
