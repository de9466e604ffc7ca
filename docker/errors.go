// Package docker is the only part of layerlab that talks to the Docker Engine.
// It speaks in learner-world values (Image, Layer, PullProgress) and in typed,
// wrapped errors; it never decides words or colours: that is the TUI's job.
package docker

import "errors"

// Kind says what went wrong, in terms the TUI can explain to a learner.
type Kind int

const (
	KindUnknown Kind = iota
	// KindSocketMissing: the endpoint is a unix socket that does not exist.
	KindSocketMissing
	// KindPermission: the socket exists but this user may not open it.
	KindPermission
	// KindRefused: something is at the address but no daemon answers.
	KindRefused
	// KindHostUnreachable: a TCP/SSH DOCKER_HOST that cannot be reached.
	KindHostUnreachable
	// KindTooOld: the engine's API is older than layerlab needs.
	KindTooOld
	// KindBadReference: an image reference that breaks the naming rules.
	KindBadReference
	// KindNotFound: an image, tag, repository or container that does not exist.
	KindNotFound
	// KindRegistryUnreachable: the registry could not be reached (no internet, DNS).
	KindRegistryUnreachable
	// KindUnauthorized: the registry refused access (private or misspelt repository).
	KindUnauthorized
	// KindConflict: the daemon refused because something still uses the object.
	KindConflict
	// KindCanceled: the learner cancelled the operation.
	KindCanceled
	// KindInterrupted: the connection to the daemon broke in the middle of an operation.
	KindInterrupted
	// KindNoShell: the container's image has no sh to run a command with.
	KindNoShell
	// KindNotOwned: layerlab refuses to touch something it did not create.
	KindNotOwned
	// KindNotRunning: the container exists but is stopped.
	KindNotRunning
	// KindBuildFailed: a build step failed (a RUN exited non-zero): Step, ExitCode.
	KindBuildFailed
	// KindDockerfile: the Dockerfile (or .dockerignore) is not valid: Line.
	KindDockerfile
	// KindContextTooBig: the build context is over the limit: Size, Limit.
	KindContextTooBig
	// KindOutside: a build would send something from outside its folder
	// (a path or a link leading out of it).
	KindOutside
	// KindNoDockerfile: a build's Dockerfile is not there (Name: its path,
	// relative to the build context where it is inside it).
	KindNoDockerfile
	// KindNoContext: a build's context folder is not there (Name).
	KindNoContext
	// KindNotDocker: something answers at the address, but it is not a
	// Docker engine (it does not speak the Engine API).
	KindNotDocker
	// KindEngineDiffers: a request that means more on this engine (Podman)
	// than on Docker, in a way that could remove what is not layerlab's:
	// not sent.
	KindEngineDiffers
	// KindUnrecorded: layerlab's record of what it makes cannot be written
	// (Name: its path; read-only or full): it makes nothing it could not
	// record.
	KindUnrecorded
	// KindSourceMissing: a COPY or ADD source is not in what the build
	// sent (Missing: where, why): left out by .dockerignore, outside the
	// context, or absent.
	KindSourceMissing
	// KindLimit: the client's Limits refuse one more container or image:
	// the engine has Have of what Of counts, Most is the bound.
	KindLimit
	// KindNoCommand: the container's command is not a program in its image
	// (Docker's "executable file not found"; Name: the command). The image
	// is there: it is the command that is missing.
	KindNoCommand
	// KindNoAnswer: the daemon took the call but did not answer it in time
	// (a frozen or overloaded daemon): nothing is known of what it did.
	KindNoAnswer
	// KindArchive: a `docker save` file in a lesson's workspace cannot be
	// written, read or loaded as the step means (Archive says why).
	KindArchive
	// KindBadMount: a -v that is not SOURCE:TARGET with an absolute
	// TARGET, or a volume name Docker does not take (Name: what was given).
	KindBadMount
	// KindHostMount: a folder of the host (Name) may not be mounted into a
	// container here (a classroom: Limits.NoBindMounts).
	KindHostMount
)

func (k Kind) String() string {
	switch k {
	case KindSocketMissing:
		return "socket missing"
	case KindPermission:
		return "permission denied"
	case KindRefused:
		return "connection refused"
	case KindHostUnreachable:
		return "host unreachable"
	case KindTooOld:
		return "engine too old"
	case KindBadReference:
		return "bad reference"
	case KindNotFound:
		return "not found"
	case KindRegistryUnreachable:
		return "registry unreachable"
	case KindUnauthorized:
		return "unauthorized"
	case KindConflict:
		return "conflict"
	case KindCanceled:
		return "canceled"
	case KindInterrupted:
		return "interrupted"
	case KindNoShell:
		return "no shell in the image"
	case KindNotOwned:
		return "not created by layerlab"
	case KindNotRunning:
		return "container not running"
	case KindBuildFailed:
		return "build step failed"
	case KindDockerfile:
		return "invalid Dockerfile"
	case KindContextTooBig:
		return "build context too big"
	case KindOutside:
		return "outside the build context"
	case KindNoDockerfile:
		return "no Dockerfile"
	case KindNoContext:
		return "no build context folder"
	case KindLimit:
		return "over the bound"
	case KindNoAnswer:
		return "no answer"
	case KindArchive:
		return "archive refused"
	case KindSourceMissing:
		return "COPY source not in the build context"
	case KindUnrecorded:
		return "cannot be recorded"
	case KindNotDocker:
		return "not a Docker engine"
	case KindEngineDiffers:
		return "means more on this engine"
	case KindNoCommand:
		return "no such command in the image"
	case KindBadMount:
		return "not a valid -v"
	case KindHostMount:
		return "folders of the host may not be mounted here"
	}
	return "unknown"
}

// Error is every error this package returns for a daemon or input problem.
// Op is what layerlab was doing ("pull busybox:latest"), Detail is the
// daemon's (or parser's) own words, Err the underlying error.
type Error struct {
	Kind   Kind
	Op     string
	Detail string
	// Host is the daemon endpoint involved, for connection errors.
	Host string
	// Rule is the naming rule a bad reference breaks; Suggest a name that
	// would do, where there is one.
	Rule    RefRule
	Suggest string
	// Versions of client and engine, for KindTooOld.
	EngineAPI, MinAPI string
	// NothingListens is set on a KindRefused error when the address is a TCP
	// port nothing listens on (no daemon there at all).
	NothingListens bool
	// Container is the container that holds an image a removal was refused for;
	// Conflict says how it holds it.
	Container string
	Conflict  ConflictReason
	// Line is the Dockerfile line of a KindDockerfile error, or of the step
	// a KindBuildFailed build failed at (File is then that Dockerfile,
	// relative to the context when inside it); Step and ExitCode the failing
	// build step and its command's exit code.
	Line, Step, ExitCode int
	File                 string
	// Missing is the source of a KindSourceMissing error.
	Missing *MissingSource
	// Size and Limit of a build context that is too big (and of the files
	// saved, a KindLimit of LimitSaved).
	Size, Limit int64
	// LayersDone of LayersTotal were on disk when a pull was interrupted.
	LayersDone, LayersTotal int
	// Image is the base image (FROM) a build could not find or pull.
	Image string
	// NotOwned says why a KindNotOwned refusal was made; Name is the
	// container, image or tag refused, Others the learner's tags that stop it.
	NotOwned NotOwnedReason
	Name     string
	Others   []string
	// ContainerdStore is set on a removal's conflict when the engine keeps
	// images in the containerd store: there `docker rmi -f NAME` of an image
	// a stopped container uses removes the name only (Docker 20.10 deletes
	// the image).
	ContainerdStore bool
	// Podman is set when the engine that answered is Podman: on what its
	// answers made (the daemon's words are Podman's), and on a removal's
	// conflict, where -f removes the containers using the image too.
	Podman bool
	// Absent says what a KindNotFound error found missing, as the daemon
	// or the registry answered: a tag, a repository, an image on the daemon.
	Absent Absent
	// OnDaemon is set on a pull's KindNotFound when the name is on the
	// daemon although the registry lacks it: a name given there (docker
	// tag, a build), which no registry knows.
	OnDaemon bool
	// Of, Have and Most are a KindLimit refusal's count: the engine has
	// Have containers or images (Of), at most Most may be kept.
	Of         LimitOf
	Have, Most int
	// Archive is why a KindArchive refusal was made.
	Archive ArchiveProblem
	Err     error
}

// Absent is what a KindNotFound error found missing, read from what the
// registry or the daemon answered.
type Absent int

const (
	// AbsentUnknown: not said.
	AbsentUnknown Absent = iota
	// AbsentTag: the registry has the repository but not the tag
	// (MANIFEST_UNKNOWN: "manifest unknown").
	AbsentTag
	// AbsentRepository: the registry has no such repository, or will not
	// say that it has one (NAME_UNKNOWN: "name unknown"; Docker Hub's
	// "pull access denied … repository does not exist").
	AbsentRepository
	// AbsentTagOrRepository: the registry said not found without saying
	// which (the containerd image store's "failed to resolve reference").
	AbsentTagOrRepository
	// AbsentLocal: the daemon has no such image; no registry was asked
	// ("No such image").
	AbsentLocal
	// AbsentContainer: the daemon has no such container.
	AbsentContainer
	// AbsentVolume: the daemon has no such volume (Name).
	AbsentVolume
)

// NotOwnedReason is why layerlab refuses to touch something.
type NotOwnedReason int

const (
	// NotOwnedContainer: the container was not created by layerlab.
	NotOwnedContainer NotOwnedReason = iota + 1
	// NotOwnedImage: the image (or tag) was not made or set by layerlab.
	NotOwnedImage
	// NotOwnedOtherTags: removing by id, but the image also has tags of the learner's (Others).
	NotOwnedOtherTags
	// NotOwnedName: a name (Name) that names an image of the learner's would move.
	NotOwnedName
	// NotOwnedUnrecorded: the object carries layerlab's labels but is not in
	// its records: it may be the learner's (made from a lesson image).
	NotOwnedUnrecorded
	// NotOwnedVolume: the volume (Name) was not created by layerlab.
	NotOwnedVolume
)

func (e *Error) Error() string {
	msg := e.Kind.String()
	if e.Op != "" {
		msg = e.Op + ": " + msg
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	} else if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrNotFound) and friends work on any *Error of that kind.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Op == "" && t.Detail == "" && t.Err == nil && t.Kind == e.Kind
}

// Sentinels for errors.Is.
var (
	ErrSocketMissing       = &Error{Kind: KindSocketMissing}
	ErrPermission          = &Error{Kind: KindPermission}
	ErrRefused             = &Error{Kind: KindRefused}
	ErrHostUnreachable     = &Error{Kind: KindHostUnreachable}
	ErrTooOld              = &Error{Kind: KindTooOld}
	ErrBadReference        = &Error{Kind: KindBadReference}
	ErrNotFound            = &Error{Kind: KindNotFound}
	ErrRegistryUnreachable = &Error{Kind: KindRegistryUnreachable}
	ErrUnauthorized        = &Error{Kind: KindUnauthorized}
	ErrConflict            = &Error{Kind: KindConflict}
	ErrCanceled            = &Error{Kind: KindCanceled}
	ErrInterrupted         = &Error{Kind: KindInterrupted}
	ErrNoShell             = &Error{Kind: KindNoShell}
	ErrNotOwned            = &Error{Kind: KindNotOwned}
	ErrNotRunning          = &Error{Kind: KindNotRunning}
	ErrLimit               = &Error{Kind: KindLimit}
	ErrNoAnswer            = &Error{Kind: KindNoAnswer}
)

// KindOf returns the Kind of err, or KindUnknown.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

// IsConnection reports whether err means the daemon cannot be talked to at all.
func IsConnection(err error) bool {
	switch KindOf(err) {
	case KindSocketMissing, KindPermission, KindRefused, KindHostUnreachable, KindTooOld, KindInterrupted:
		return true
	}
	return false
}
