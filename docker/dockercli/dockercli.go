// Package dockercli is the : line's docker CLI: it reads a line with the
// real CLI's syntax for the commands the lessons teach (parsed with the
// CLI's own flag rules, pflag), refuses what would give a container
// something of the host or would need a real terminal, and runs the command
// through layerlab's daemon client, with its safety (labelled containers,
// removal of its own things only). It never words a message: a refusal is an
// *Error with a code, and what a command printed comes back as values (the
// lists, or the CLI's own text where it prints some) for a front end to
// render. The terminal interface and the classroom server both use it.
package dockercli

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
)

// Command is a parsed command line.
type Command struct {
	Name  string
	Args  []string
	Bools map[string]bool
	Strs  map[string]string
	// Classic: DOCKER_BUILDKIT=0 docker build, the classic builder.
	Classic bool
	// Volumes are run's -v, each a named volume NAME:/path (a folder of
	// the host is refused).
	Volumes []docker.Mount
}

// Code is why a line was refused; a front end words it.
type Code int

const (
	CodeOther Code = iota
	// CodeEmpty: nothing but "docker" was typed.
	CodeEmpty
	// CodeQuote: a quote is not closed.
	CodeQuote
	// CodeNotHere: a docker command the line does not take (Cmd).
	CodeNotHere
	// CodeFlag: a flag the command does not know, or a bad value (Detail:
	// the CLI's flag parser's words).
	CodeFlag
	// CodeHostAccess: a flag that gives a container something of the host (Flag).
	CodeHostAccess
	// CodeArgs: the wrong number of arguments (N).
	CodeArgs
	// CodeNeedsTerminal: -it without -d.
	CodeNeedsTerminal
	// CodeNeedsDetach: run without -d.
	CodeNeedsDetach
	// CodeCommitName: commit without the new image's name.
	CodeCommitName
	// CodeBuildWorkspace: build of anything but the lesson's workspace (.).
	CodeBuildWorkspace
	// CodeBuildFileOutside: build -f naming a file outside the workspace.
	CodeBuildFileOutside
	// CodeArchiveFile: save without -o, load without -i, or a file that is
	// not in the lesson's workspace (Detail: the file): the line writes and
	// reads archives there only.
	CodeArchiveFile
	// CodeExitCode: exec's command exited non-zero (N).
	CodeExitCode
	// CodeOtherRegistry: with a registry mirror standing in for Docker Hub
	// (a classroom), a pull or run names an image of another registry
	// (Detail: that registry); nothing was sent.
	CodeOtherRegistry
	// CodeNotOnLine: a flag the docker CLI has for this command that the
	// line does not take (Flag: --long); nothing was sent.
	CodeNotOnLine
	// CodeNoCommand: no docker command has this name (Cmd); Detail is the
	// command of the line's it is closest to, if one is ("" : none).
	CodeNoCommand
	// CodeRmRunning: docker rm without -f of a running container (Detail:
	// it): the daemon refused, its words are in the output as the CLI
	// prints them.
	CodeRmRunning
	// CodeNameInUse: docker run --name of a name a container has (Detail:
	// the name): the daemon refused, its words are in the output.
	CodeNameInUse
	// CodeSomeFailed: a command of several arguments (rmi A B) failed for
	// N of them; each is in the output, as the CLI prints it.
	CodeSomeFailed
	// CodePullOffline: no registry answered a pull, and the image (Detail)
	// is on disk and used as it is; the CLI would have failed.
	CodePullOffline
	// CodeAnonVolume: -v of a path alone (Detail: it), a volume without a
	// name, which the docker CLI makes and the line does not: nothing was
	// sent.
	CodeAnonVolume
)

// Error is a line refused, or an exec that failed, with what its words need.
type Error struct {
	Code   Code
	Cmd    string
	Flag   string
	Detail string
	N      int
}

func (e *Error) Error() string {
	return fmt.Sprintf("docker %s: refused (code %d) %s%s", e.Cmd, e.Code, e.Flag, e.Detail)
}

// CodeOf is the code of a line's error, CodeOther for any other error.
func CodeOf(err error) Code {
	if e, ok := err.(*Error); ok {
		return e.Code
	}
	return CodeOther
}

// spec is one command's flags, as the docker CLI defines them.
type spec struct {
	bools   [][3]string // long, short, usage
	strs    [][3]string
	min     int
	max     int  // -1: any
	stopArg bool // flags end at the first argument (run, exec: the rest is the command)
}

var specs = map[string]spec{
	"images":  {bools: [][3]string{{"all", "a", ""}, {"quiet", "q", ""}, {"no-trunc", "", ""}}, max: 1},
	"ps":      {bools: [][3]string{{"all", "a", ""}, {"quiet", "q", ""}, {"no-trunc", "", ""}}, max: 0},
	"pull":    {min: 1, max: 1},
	"history": {bools: [][3]string{{"quiet", "q", ""}, {"no-trunc", "", ""}}, min: 1, max: 1},
	"tag":     {min: 2, max: 2},
	"rmi":     {bools: [][3]string{{"force", "f", ""}}, min: 1, max: -1},
	"rm":      {bools: [][3]string{{"force", "f", ""}}, min: 1, max: -1},
	"run": {bools: [][3]string{{"detach", "d", ""}, {"interactive", "i", ""}, {"tty", "t", ""}, {"rm", "", ""}},
		strs: [][3]string{{"name", "", ""}}, min: 1, max: -1, stopArg: true},
	"exec":    {bools: [][3]string{{"interactive", "i", ""}, {"tty", "t", ""}}, min: 2, max: -1, stopArg: true},
	"commit":  {min: 1, max: 2},
	"inspect": {min: 1, max: 1},
	"save":    {strs: [][3]string{{"output", "o", ""}}, min: 1, max: -1},
	"load":    {bools: [][3]string{{"quiet", "q", ""}}, strs: [][3]string{{"input", "i", ""}}, max: 0},
	// --progress: the line prints what --progress=plain prints, whatever it says.
	"build": {bools: [][3]string{{"no-cache", "", ""}}, strs: [][3]string{{"tag", "t", ""}, {"file", "f", ""}, {"progress", "", ""}}, min: 1, max: 1},
	// docker volume's subcommands, by "volume SUB".
	"volume ls":      {bools: [][3]string{{"quiet", "q", ""}}, max: 0},
	"volume create":  {min: 1, max: 1},
	"volume inspect": {min: 1, max: 1},
	"volume rm":      {min: 1, max: -1},
}

// cliFlags are the docker CLI's own flags of each command (CLI 28.2.2's
// --help; build: the legacy builder's, with buildx's that tutorials use),
// "long/short", "=" when it takes a value. Those the line does not take are
// refused by name as the line's limit, not as if Docker lacked them.
var cliFlags = map[string]string{
	"images":  "all/a digests filter/f= format= no-trunc quiet/q",
	"ps":      "all/a filter/f= format= last/n= latest/l no-trunc quiet/q size/s",
	"pull":    "all-tags/a disable-content-trust platform= quiet/q",
	"history": "format= human/H no-trunc quiet/q",
	"tag":     "",
	"rmi":     "force/f no-prune",
	"rm":      "force/f link/l volumes/v",
	"run": "add-host= attach/a= blkio-weight= blkio-weight-device= cap-add= cap-drop= cgroup-parent= cgroupns= cidfile= " +
		"cpu-period= cpu-quota= cpu-rt-period= cpu-rt-runtime= cpu-shares/c= cpus= cpuset-cpus= cpuset-mems= detach/d " +
		"detach-keys= device= device-cgroup-rule= device-read-bps= device-read-iops= device-write-bps= device-write-iops= " +
		"disable-content-trust dns= dns-option= dns-search= domainname= entrypoint= env/e= env-file= expose= gpus= group-add= " +
		"health-cmd= health-interval= health-retries= health-start-period= health-timeout= hostname/h= init interactive/i " +
		"ip= ip6= ipc= isolation= kernel-memory= label/l= label-file= link= link-local-ip= log-driver= log-opt= mac-address= " +
		"memory/m= memory-reservation= memory-swap= memory-swappiness= mount= name= network= network-alias= no-healthcheck " +
		"oom-kill-disable oom-score-adj= pid= pids-limit= platform= privileged publish/p= publish-all/P pull= quiet/q read-only " +
		"restart= rm runtime= security-opt= shm-size= sig-proxy stop-signal= stop-timeout= storage-opt= sysctl= tmpfs= tty/t " +
		"ulimit= use-api-socket user/u= userns= uts= volume/v= volume-driver= volumes-from= workdir/w=",
	"exec":      "detach/d detach-keys= env/e= env-file= interactive/i privileged tty/t user/u= workdir/w=",
	"commit":    "author/a= change/c= message/m= pause/p",
	"inspect":   "format/f= size/s type=",
	"save":      "output/o= platform=",
	"load":      "input/i= platform= quiet/q",
	"volume ls": "cluster filter/f= format= quiet/q",
	// volume create's --opt could make a volume of any folder of the host
	// (type=none, o=bind): refused by name with the others.
	"volume create": "availability= driver/d= group= label= limit-bytes= opt/o= required-bytes= scope= secret= sharing= " +
		"topology-preferred= topology-required= type=",
	"volume inspect": "format/f=",
	"volume rm":      "force/f",
	"build": "add-host= build-arg= cache-from= cgroup-parent= compress cpu-period= cpu-quota= cpu-shares/c= cpuset-cpus= " +
		"cpuset-mems= disable-content-trust file/f= force-rm iidfile= isolation= label= memory/m= memory-swap= network= " +
		"no-cache platform= pull quiet/q rm security-opt= shm-size= tag/t= target= ulimit= " +
		"progress= secret= ssh= load push output/o= cache-to= builder= sbom= provenance= allow= annotation= attest= call= check",
}

// dockerCommands are the docker CLI's commands (docker --help), to tell one
// the line does not take from a name no docker has.
var dockerCommands = strings.Fields("attach build builder buildx checkpoint commit compose config container context cp create diff " +
	"events exec export history image images import info init inspect kill load login logout logs manifest network node " +
	"pause plugin port ps pull push rename restart rm rmi run save search secret service stack start stats stop swarm " +
	"system tag top trust unpause update version volume wait")

// hostFlags are the CLI's flags that give a container something of the host
// (files, devices, privileges, network, process table, ports): the command
// line knows them, so that it can refuse them by name and say why.
var hostFlags = map[string][]string{
	"run": {"mount", "volumes-from", "privileged", "network", "net", "pid", "ipc", "uts", "userns",
		"cgroupns", "cap-add", "device", "security-opt", "publish/p", "publish-all/P", "add-host"},
	"exec":  {"privileged"},
	"build": {"network", "add-host", "security-opt", "secret", "ssh"},
}

// Commands are the docker commands the line takes, sorted.
func Commands() []string {
	var out []string
	for name := range specs {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Parse reads a command line ("docker " optional) with the CLI's flag rules.
// DOCKER_BUILDKIT=0 before it builds with the classic builder, as the CLI
// does (Command.Classic).
func Parse(line string) (Command, error) {
	words, err := SplitWords(line)
	if err != nil {
		return Command{}, err
	}
	classic := false
	if len(words) > 0 && strings.HasPrefix(words[0], "DOCKER_BUILDKIT=") {
		// The CLI reads it as a boolean (strconv.ParseBool).
		v := strings.TrimPrefix(words[0], "DOCKER_BUILDKIT=")
		classic = v == "0" || strings.EqualFold(v, "false") || v == "f" || v == "F"
		words = words[1:]
	}
	if len(words) > 0 && words[0] == "docker" {
		words = words[1:]
	}
	if len(words) == 0 {
		return Command{}, &Error{Code: CodeEmpty}
	}
	if strings.HasPrefix(words[0], "-") {
		// docker's own options before the command (-H, --context,
		// --config): another daemon or another client, never taken here.
		return Command{Name: words[0]}, &Error{Code: CodeNotHere, Cmd: words[0]}
	}
	if words[0] == "volume" {
		// docker volume SUB: one command of the line's, by both words.
		if _, ok := specs["volume "+words[min(1, len(words)-1)]]; len(words) < 2 || !ok {
			name := strings.TrimSpace("volume " + strings.Join(words[1:min(2, len(words))], ""))
			return Command{Name: name}, &Error{Code: CodeNotHere, Cmd: name}
		}
		words = append([]string{"volume " + words[1]}, words[2:]...)
	}
	sp, ok := specs[words[0]]
	if !ok {
		if !slices.Contains(dockerCommands, words[0]) {
			return Command{Name: words[0]}, &Error{Code: CodeNoCommand, Cmd: words[0], Detail: closest(words[0])}
		}
		return Command{Name: words[0]}, &Error{Code: CodeNotHere, Cmd: words[0]}
	}
	fs := pflag.NewFlagSet(words[0], pflag.ContinueOnError)
	fs.SetOutput(discard{})
	fs.SetInterspersed(!sp.stopArg)
	c := Command{Name: words[0], Bools: map[string]bool{}, Strs: map[string]string{}, Classic: classic && words[0] == "build"}
	bools := map[string]*bool{}
	strs := map[string]*string{}
	for _, b := range sp.bools {
		bools[b[0]] = fs.BoolP(b[0], b[1], false, b[2])
	}
	for _, s := range sp.strs {
		strs[s[0]] = fs.StringP(s[0], s[1], "", s[2])
	}
	for _, h := range hostFlags[words[0]] {
		long, short, _ := strings.Cut(h, "/")
		if long == "privileged" || long == "publish-all" {
			fs.BoolP(long, short, false, "")
		} else {
			fs.StringArrayP(long, short, nil, "")
		}
	}
	var volumes *[]string
	if words[0] == "run" {
		volumes = fs.StringArrayP("volume", "v", nil, "") // named volumes only: below
	}
	// The CLI's other flags, known so that they parse as the CLI parses
	// them (-e takes a value) and are refused by name.
	var notHere []string
	for _, f := range strings.Fields(cliFlags[words[0]]) {
		f, value := strings.CutSuffix(f, "=")
		long, short, _ := strings.Cut(f, "/")
		if fs.Lookup(long) != nil {
			continue
		}
		if short != "" && fs.ShorthandLookup(short) != nil {
			short = ""
		}
		if value {
			fs.StringArrayP(long, short, nil, "")
		} else {
			fs.BoolP(long, short, false, "")
		}
		notHere = append(notHere, long)
	}
	fs.BoolP("help", "", false, "")
	notHere = append(notHere, "help")
	if err := fs.Parse(words[1:]); err != nil {
		return c, &Error{Code: CodeFlag, Cmd: c.Name, Detail: err.Error()}
	}
	for _, h := range hostFlags[words[0]] {
		long, _, _ := strings.Cut(h, "/")
		if fs.Changed(long) {
			return c, &Error{Code: CodeHostAccess, Cmd: c.Name, Flag: "--" + long}
		}
	}
	for _, long := range notHere {
		if fs.Changed(long) {
			return c, &Error{Code: CodeNotOnLine, Cmd: c.Name, Flag: "--" + long}
		}
	}
	if volumes != nil {
		for _, v := range *volumes {
			m, err := docker.ParseMount(v)
			src, _, _ := strings.Cut(v, ":")
			switch {
			case err == nil && m.Bind(), strings.HasPrefix(src, "/") && strings.Contains(v, ":"),
				strings.HasPrefix(src, ".") || strings.HasPrefix(src, "~"):
				// A folder of the host (a bind mount), with options or
				// not: the line never gives one.
				return c, &Error{Code: CodeHostAccess, Cmd: c.Name, Flag: "--volume"}
			case strings.HasPrefix(v, "/") && !strings.Contains(v, ":"):
				return c, &Error{Code: CodeAnonVolume, Cmd: c.Name, Detail: v}
			case err != nil:
				return c, &Error{Code: CodeFlag, Cmd: c.Name, Detail: "invalid volume specification: '" + v + "'"}
			}
			c.Volumes = append(c.Volumes, m)
		}
	}
	for k, v := range bools {
		c.Bools[k] = *v
	}
	for k, v := range strs {
		c.Strs[k] = *v
	}
	c.Args = fs.Args()
	if len(c.Args) < sp.min || (sp.max >= 0 && len(c.Args) > sp.max) {
		return c, &Error{Code: CodeArgs, Cmd: c.Name, N: len(c.Args)}
	}
	if (c.Name == "run" || c.Name == "exec") && (c.Bools["interactive"] || c.Bools["tty"]) && !c.Bools["detach"] {
		return c, &Error{Code: CodeNeedsTerminal, Cmd: c.Name}
	}
	return c, nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// SplitWords splits a line as a shell would for simple cases: spaces, and
// single or double quotes.
func SplitWords(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	var quote rune
	in := false
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ' || r == '\t':
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if quote != 0 {
		return nil, &Error{Code: CodeQuote}
	}
	if in {
		out = append(out, cur.String())
	}
	return out, nil
}

// Env is where a command runs: the lesson it counts for (its containers and
// images carry it), the lesson's workspace (build's only context), and the
// registry mirror that stands in for Docker Hub.
type Env struct {
	Lesson, Workspace, Mirror string
}

// Output is what a command printed: its lists, for the front end to draw as
// the CLI's tables (or ids only, Quiet), or the CLI's own lines (Text).
type Output struct {
	Images     []docker.Image
	Containers []docker.Container
	History    []docker.HistoryRow
	Volumes    []docker.Volume
	// Table says which list to draw: "images", "ps", "history", "volumes",
	// or "" for Text.
	Table          string
	Quiet, NoTrunc bool
	Text           string
	// Offline: a pull found no registry, and the image on disk is used
	// (the CLI would have failed): Text is empty.
	Offline bool
	// Failed is the argument the error is about, when the command took
	// several (rmi A B): the front end words the error about it.
	Failed string
}

// Daemon is what the commands ask of the daemon; *docker.Client is one.
type Daemon interface {
	Images(ctx context.Context) ([]docker.Image, error)
	AllImages(ctx context.Context) ([]docker.Image, error)
	Containers(ctx context.Context, all bool) ([]docker.Container, error)
	Pull(ctx context.Context, ref docker.Ref, o docker.PullOptions, onUpdate func(docker.PullProgress)) (docker.PullResult, error)
	History(ctx context.Context, ref string) ([]docker.HistoryRow, error)
	ClaimName(ctx context.Context, ref docker.Ref) error
	Tag(ctx context.Context, src string, dst docker.Ref, lesson string) (docker.TagResult, error)
	RemoveImage(ctx context.Context, target string, force bool) (docker.RemoveResult, error)
	RemoveContainerOpts(ctx context.Context, ctr string, o docker.RemoveContainerOptions) error
	Run(ctx context.Context, o docker.RunOptions) (docker.Container, error)
	Exec(ctx context.Context, ctr, cmd string) (docker.ExecResult, error)
	Commit(ctx context.Context, ctr string, ref docker.Ref, lesson string) (docker.CommitResult, error)
	InspectJSON(ctx context.Context, ref string) ([]byte, error)
	Build(ctx context.Context, o docker.BuildOptions, onUpdate func(docker.BuildProgress)) (docker.BuildResult, error)
	SaveFile(ctx context.Context, refs []string, root, file string) (docker.SaveResult, error)
	LoadArchive(ctx context.Context, root, file string) ([]string, error)
	CreateVolume(ctx context.Context, name, lesson string) (docker.Volume, error)
	RemoveVolume(ctx context.Context, name string) error
	Volumes(ctx context.Context) ([]docker.Volume, error)
	VolumeInspectJSON(ctx context.Context, name string) ([]byte, error)
}

var _ Daemon = (*docker.Client)(nil)

// Run runs one parsed command against the daemon.
func Run(ctx context.Context, d Daemon, c Command, env Env) (Output, error) {
	switch c.Name {
	case "images":
		list := d.Images
		if c.Bools["all"] {
			list = d.AllImages
		}
		imgs, err := list(ctx)
		if err != nil {
			return Output{}, err
		}
		if len(c.Args) == 1 {
			imgs = filterImages(imgs, c.Args[0])
		}
		return Output{Table: "images", Images: imgs, Quiet: c.Bools["quiet"], NoTrunc: c.Bools["no-trunc"]}, nil
	case "ps":
		cts, err := d.Containers(ctx, c.Bools["all"])
		if err != nil {
			return Output{}, err
		}
		return Output{Table: "ps", Containers: cts, Quiet: c.Bools["quiet"], NoTrunc: c.Bools["no-trunc"]}, nil
	case "pull":
		ref, err := docker.ParseRef(c.Args[0])
		if err != nil {
			return Output{}, err
		}
		if other, ok := otherRegistry(ref, env.Mirror); ok {
			return Output{}, &Error{Code: CodeOtherRegistry, Cmd: c.Name, Detail: other}
		}
		res, err := d.Pull(ctx, ref, docker.PullOptions{Mirror: env.Mirror, Lesson: env.Lesson}, nil)
		if err != nil {
			return Output{}, err
		}
		out := pullOutput(ref, res)
		if out.Offline {
			return out, &Error{Code: CodePullOffline, Cmd: c.Name, Detail: ref.String()}
		}
		return out, nil
	case "history":
		rows, err := d.History(ctx, c.Args[0])
		if err != nil {
			return Output{}, err
		}
		return Output{Table: "history", History: rows, Quiet: c.Bools["quiet"], NoTrunc: c.Bools["no-trunc"]}, nil
	case "tag":
		ref, err := docker.ParseRef(c.Args[1])
		if err != nil {
			return Output{}, err
		}
		if err := d.ClaimName(ctx, ref); err != nil {
			return Output{}, err
		}
		_, err = d.Tag(ctx, c.Args[0], ref, env.Lesson)
		return Output{}, err
	case "rmi":
		return rmi(ctx, d, c)
	case "rm":
		return rm(ctx, d, c)
	case "run":
		if !c.Bools["detach"] {
			return Output{}, &Error{Code: CodeNeedsDetach, Cmd: c.Name}
		}
		if ref, err := docker.ParseRef(c.Args[0]); err == nil {
			if other, ok := otherRegistry(ref, env.Mirror); ok {
				return Output{}, &Error{Code: CodeOtherRegistry, Cmd: c.Name, Detail: other}
			}
		}
		// KeepName: as the CLI, a name in use is the daemon's conflict,
		// never a container removed to make room.
		ct, err := d.Run(ctx, docker.RunOptions{Image: c.Args[0], Cmd: c.Args[1:], Name: c.Strs["name"], Lesson: env.Lesson,
			AutoRemove: c.Bools["rm"], KeepName: true, Volumes: c.Volumes})
		if name := c.Strs["name"]; name != "" && docker.KindOf(err) == docker.KindConflict && strings.Contains(daemonWords(err), "already in use") {
			return Output{Text: "docker: " + cliError(err)}, &Error{Code: CodeNameInUse, Cmd: c.Name, Detail: name}
		}
		if err != nil {
			return Output{}, err
		}
		return Output{Text: ct.ID}, nil
	case "exec":
		res, err := d.Exec(ctx, c.Args[0], ShellJoin(c.Args[1:]))
		if err != nil {
			return Output{}, err
		}
		out := Output{Text: strings.TrimRight(res.Stdout+res.Stderr, "\n")}
		if res.ExitCode != 0 {
			return out, &Error{Code: CodeExitCode, Cmd: c.Name, N: res.ExitCode}
		}
		return out, nil
	case "commit":
		if len(c.Args) != 2 {
			return Output{}, &Error{Code: CodeCommitName, Cmd: c.Name}
		}
		ref, err := docker.ParseRef(c.Args[1])
		if err != nil {
			return Output{}, err
		}
		if err := d.ClaimName(ctx, ref); err != nil {
			return Output{}, err
		}
		res, err := d.Commit(ctx, c.Args[0], ref, env.Lesson)
		if err != nil {
			return Output{}, err
		}
		return Output{Text: res.ImageID}, nil
	case "inspect":
		b, err := d.InspectJSON(ctx, c.Args[0])
		if docker.KindOf(err) == docker.KindNotFound {
			// What both CLIs print: "No such object" is the CLI's word
			// (the daemon said no such image, then no such container), so
			// the error carries no daemon's words to quote.
			return Output{Text: "[]\nError: No such object: " + c.Args[0]}, &docker.Error{Kind: docker.KindNotFound, Op: "inspect " + c.Args[0]}
		}
		return Output{Text: string(b)}, err
	case "build":
		return build(ctx, d, c, env)
	case "save", "load":
		return archive(ctx, d, c, env)
	case "volume ls":
		vols, err := d.Volumes(ctx)
		if err != nil {
			return Output{}, err
		}
		return Output{Table: "volumes", Volumes: vols, Quiet: c.Bools["quiet"]}, nil
	case "volume create":
		v, err := d.CreateVolume(ctx, c.Args[0], env.Lesson)
		if err != nil {
			return Output{}, err
		}
		return Output{Text: v.Name}, nil
	case "volume inspect":
		b, err := d.VolumeInspectJSON(ctx, c.Args[0])
		if docker.KindOf(err) == docker.KindNotFound {
			return Output{Text: "[]\n" + cliError(err)}, err
		}
		return Output{Text: string(b)}, err
	case "volume rm":
		return volumeRm(ctx, d, c)
	}
	return Output{}, &Error{Code: CodeNotHere, Cmd: c.Name}
}

// archive runs docker save -o FILE and docker load -i FILE, FILE in the
// lesson's workspace (never elsewhere on the machine), as the CLI prints them.
func archive(ctx context.Context, d Daemon, c Command, env Env) (Output, error) {
	file := c.Strs["output"]
	if c.Name == "load" {
		file = c.Strs["input"]
	}
	if env.Workspace == "" || !lessons.InsideWorkspace(file) {
		return Output{}, &Error{Code: CodeArchiveFile, Cmd: c.Name, Detail: file}
	}
	if c.Name == "save" {
		_, err := d.SaveFile(ctx, c.Args, env.Workspace, file)
		return Output{}, err
	}
	loaded, err := d.LoadArchive(ctx, env.Workspace, file)
	var lines []string
	for _, l := range loaded {
		lines = append(lines, "Loaded image: "+l)
	}
	if c.Bools["quiet"] {
		lines = nil
	}
	return Output{Text: strings.Join(lines, "\n")}, err
}

// volumeRm removes each volume named, as docker volume rm: the names
// removed, then the daemon's words for each that failed (in use, gone).
func volumeRm(ctx context.Context, d Daemon, c Command) (Output, error) {
	var lines, failed []string
	var errs []error
	for _, a := range c.Args {
		err := d.RemoveVolume(ctx, a)
		switch {
		case err == nil:
			lines = append(lines, a)
			continue
		case docker.KindOf(err) == docker.KindConflict || docker.KindOf(err) == docker.KindNotFound:
			failed = append(failed, cliError(err))
		}
		errs = append(errs, err)
	}
	out := Output{Text: strings.Join(append(lines, failed...), "\n")}
	switch len(errs) {
	case 0:
		return out, nil
	case 1:
		return out, errs[0]
	}
	return out, &Error{Code: CodeSomeFailed, Cmd: c.Name, N: len(errs)}
}

// build builds the lesson's workspace, the only context the line takes.
func build(ctx context.Context, d Daemon, c Command, env Env) (Output, error) {
	if env.Workspace == "" || c.Args[0] != "." {
		return Output{}, &Error{Code: CodeBuildWorkspace, Cmd: c.Name}
	}
	// As docker build since Docker 23: BuildKit, unless DOCKER_BUILDKIT=0.
	o := docker.BuildOptions{ContextDir: env.Workspace, Lesson: env.Lesson, Root: env.Workspace,
		BuildKit: !c.Classic, NoCache: c.Bools["no-cache"]}
	if f := c.Strs["file"]; f != "" {
		if !lessons.InsideWorkspace(f) {
			return Output{}, &Error{Code: CodeBuildFileOutside, Cmd: c.Name}
		}
		o.Dockerfile = filepath.Join(env.Workspace, filepath.FromSlash(f))
	}
	if t := c.Strs["tag"]; t != "" {
		r, err := docker.ParseRef(t)
		if err != nil {
			return Output{}, err
		}
		o.Tags = []docker.Ref{r}
	}
	res, err := d.Build(ctx, o, nil)
	// What docker build --progress=plain prints, as its own printer printed
	// it; the classic builder's lines as the daemon sent them (the CLI's own
	// "Sending build context" line is not: nothing is sent that way here).
	text := strings.Trim(strings.Join(res.Progress.Printed, "\n"), "\n")
	return Output{Text: text}, err
}

// pullOutput is what docker pull prints once it is done (on a terminal, each
// layer's last line), naming the image as the learner typed it: when a
// mirror stood in for Docker Hub, the daemon named the mirror.
func pullOutput(ref docker.Ref, res docker.PullResult) Output {
	var b strings.Builder
	if ref.DefaultTag {
		b.WriteString("Using default tag: latest\n")
	}
	if res.Offline {
		return Output{Text: strings.TrimSuffix(b.String(), "\n"), Offline: true}
	}
	tag := ref.Tag()
	if tag == "" {
		tag = ref.Digest()
	}
	fmt.Fprintf(&b, "%s: Pulling from %s\n", tag, ref.Path())
	for _, l := range res.Progress.Layers {
		fmt.Fprintf(&b, "%s: %s\n", l.ID, l.Status)
	}
	if res.Progress.Digest != "" {
		fmt.Fprintf(&b, "Digest: %s\n", res.Progress.Digest)
	}
	if res.Progress.UpToDate {
		fmt.Fprintf(&b, "Status: Image is up to date for %s\n", ref.String())
	} else {
		fmt.Fprintf(&b, "Status: Downloaded newer image for %s\n", ref.String())
	}
	b.WriteString(ref.Full())
	return Output{Text: b.String()}
}

// rmi removes each image named, going on after one that fails, as the CLI
// does: what each removal printed, then each failure's line (the CLI prints
// its errors once it has tried them all). The error is
// the first failure (for its explanation), or CodeSomeFailed when more than
// one failed.
func rmi(ctx context.Context, d Daemon, c Command) (Output, error) {
	var lines, failed []string
	var errs []error
	var first string
	for _, a := range c.Args {
		res, err := d.RemoveImage(ctx, a, c.Bools["force"])
		for _, u := range res.Untagged {
			lines = append(lines, "Untagged: "+u)
		}
		for _, del := range res.Deleted {
			lines = append(lines, "Deleted: "+del)
		}
		if err == nil {
			continue
		}
		if errs = append(errs, err); len(errs) == 1 {
			first = a
		}
		switch docker.KindOf(err) {
		case docker.KindNotFound:
			// The daemon's words, as CLI 28 prints them (20.10: "Error: …"):
			// the name as the daemon read it, :latest when it has no tag.
			name := a
			if r, err := docker.ParseRef(a); err == nil && r.DefaultTag {
				name = r.String()
			}
			failed = append(failed, "Error response from daemon: No such image: "+name)
		case docker.KindConflict:
			failed = append(failed, cliError(err))
		}
	}
	out := Output{Text: strings.Join(append(lines, failed...), "\n"), Failed: first}
	switch len(errs) {
	case 0:
		return out, nil
	case 1:
		return out, errs[0]
	}
	return out, &Error{Code: CodeSomeFailed, Cmd: c.Name, N: len(errs)}
}

// rm removes each container named, going on after one that fails, as the
// CLI does: without -f the daemon refuses a running one (its words, as the
// CLI prints them); a container that is not there is the CLI's "No such
// container" (with -f its line and no error, as docker rm -f nosuch).
func rm(ctx context.Context, d Daemon, c Command) (Output, error) {
	var lines, failed []string
	var first error
	fail := func(err error) {
		if first == nil {
			first = err
		}
	}
	for _, a := range c.Args {
		there, err := containerExists(ctx, d, a)
		if err != nil {
			return Output{Text: strings.Join(lines, "\n")}, err
		}
		if !there && c.Bools["force"] {
			failed = append(failed, "Error response from daemon: No such container: "+a)
			continue
		}
		if !there {
			// Its explanation quotes the daemon's words.
			fail(&docker.Error{Kind: docker.KindNotFound, Op: "remove container " + a, Container: a, Detail: "No such container: " + a})
			continue
		}
		err = d.RemoveContainerOpts(ctx, a, docker.RemoveContainerOptions{Force: c.Bools["force"]})
		switch {
		case err == nil:
			lines = append(lines, a)
		case !c.Bools["force"] && docker.KindOf(err) == docker.KindConflict:
			failed = append(failed, cliError(err))
			fail(&Error{Code: CodeRmRunning, Cmd: c.Name, Detail: a})
		default:
			fail(err)
		}
	}
	return Output{Text: strings.Join(append(lines, failed...), "\n")}, first
}

// daemonWords is what the daemon answered, without the client's prefix.
func daemonWords(err error) string {
	var de *docker.Error
	s := err.Error()
	if errors.As(err, &de) {
		s = de.Detail
		if s == "" && de.Err != nil {
			s = de.Err.Error()
		}
	}
	return strings.TrimPrefix(s, "Error response from daemon: ")
}

// cliError is the line the CLI prints for a daemon's error.
func cliError(err error) string {
	return "Error response from daemon: " + daemonWords(err)
}

// closest is the line's command nearest to a name no docker command has
// (one or two letters off, or two swapped), or "".
func closest(name string) string {
	best, bestD := "", 3
	for _, c := range Commands() {
		if d := editDistance(name, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance counts the edits from a to b: a letter added, removed,
// changed, or two neighbours swapped.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}

// otherRegistry is the registry ref names when a mirror stands in for
// Docker Hub and ref is neither a Docker Hub name (which goes through the
// mirror) nor one of the mirror's own: the only registry a classroom serves
// images from is its own.
func otherRegistry(ref docker.Ref, mirror string) (string, bool) {
	mirror = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(mirror, "http://"), "https://"), "/")
	if mirror == "" {
		return "", false
	}
	d := ref.Domain()
	if d == "docker.io" || strings.EqualFold(d, mirror) {
		return "", false
	}
	return d, true
}

// containerExists reports whether a container has this name or id (a
// prefix of it, as the CLI takes).
func containerExists(ctx context.Context, d Daemon, name string) (bool, error) {
	cts, err := d.Containers(ctx, true)
	if err != nil {
		return false, err
	}
	for _, ct := range cts {
		if ct.Name == name || (len(name) >= 3 && strings.HasPrefix(ct.ID, name)) {
			return true, nil
		}
	}
	return false, nil
}

// filterImages keeps the rows docker images PATTERN shows: the daemon's
// reference filter, a glob (path.Match) matched against the name and tag
// as the CLI shows them (busybox:1.36), or the name alone; untagged images
// never match.
func filterImages(imgs []docker.Image, pattern string) []docker.Image {
	var out []docker.Image
	for _, im := range imgs {
		if im.Repo == "<none>" {
			continue
		}
		if ok, _ := path.Match(pattern, im.Repo+":"+im.Tag); ok {
			out = append(out, im)
		} else if ok, _ := path.Match(pattern, im.Repo); ok {
			out = append(out, im)
		}
	}
	return out
}

// ShellJoin quotes words back into one sh -c line: a word of only safe
// characters stays as it is, any other (empty, spaces, quotes, newlines,
// globs, $, ~, #…) is single-quoted, so sh sees the words the learner typed.
func ShellJoin(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		if w == "" || strings.IndexFunc(w, unsafeInShell) >= 0 {
			q[i] = "'" + strings.ReplaceAll(w, "'", `'"'"'`) + "'"
		} else {
			q[i] = w
		}
	}
	return strings.Join(q, " ")
}

func unsafeInShell(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return false
	}
	return !strings.ContainsRune("_@%+=:,./-", r)
}
