package tui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/pflag"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
)

// The command line (`:`) takes the real CLI's syntax for the commands the
// lessons teach, parses it with the CLI's flag rules (pflag), runs it
// through the SDK with layerlab's safety (labelled containers, nothing from
// the host, removal of its own things only) and prints what the CLI prints.

// cliCmd is a parsed command line.
type cliCmd struct {
	name  string
	args  []string
	bools map[string]bool
	strs  map[string]string
}

// errNotHere is a command the in-app line does not take.
var errNotHere = errors.New("not supported here")

// cmdSpec is one command's flags, as the docker CLI defines them.
type cmdSpec struct {
	bools   [][3]string // long, short, usage
	strs    [][3]string
	min     int
	max     int  // -1: any
	stopArg bool // flags end at the first argument (run, exec: the rest is the command)
}

var cmdSpecs = map[string]cmdSpec{
	"images":  {bools: [][3]string{{"all", "a", ""}, {"quiet", "q", ""}}, max: 1},
	"ps":      {bools: [][3]string{{"all", "a", ""}, {"quiet", "q", ""}}, max: 0},
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
	"build":   {strs: [][3]string{{"tag", "t", ""}, {"file", "f", ""}}, min: 1, max: 1},
}

// hostFlags are the CLI's flags that give a container something of the host
// (files, devices, privileges, network, process table, ports): the command
// line knows them, so that it can refuse them by name and say why.
var hostFlags = map[string][]string{
	"run": {"volume/v", "mount", "volumes-from", "privileged", "network", "net", "pid", "ipc", "uts", "userns",
		"cgroupns", "cap-add", "device", "security-opt", "publish/p", "publish-all/P", "add-host"},
	"exec":  {"privileged"},
	"build": {"network", "add-host", "security-opt", "secret", "ssh"},
}

// errHostAccess is a command that asked for something of the host.
var errHostAccess = errors.New("layerlab's containers get nothing from the host")

// parseCommand reads a command line ("docker " optional) with the CLI's flag rules.
func parseCommand(line string) (cliCmd, error) {
	words, err := splitWords(line)
	if err != nil {
		return cliCmd{}, err
	}
	if len(words) > 0 && words[0] == "docker" {
		words = words[1:]
	}
	if len(words) == 0 {
		return cliCmd{}, errors.New("type a docker command, e.g. images")
	}
	spec, ok := cmdSpecs[words[0]]
	if !ok {
		return cliCmd{name: words[0]}, fmt.Errorf("docker %s: %w", words[0], errNotHere)
	}
	fs := pflag.NewFlagSet(words[0], pflag.ContinueOnError)
	fs.SetOutput(discard{})
	fs.SetInterspersed(!spec.stopArg)
	c := cliCmd{name: words[0], bools: map[string]bool{}, strs: map[string]string{}}
	bools := map[string]*bool{}
	strs := map[string]*string{}
	for _, b := range spec.bools {
		bools[b[0]] = fs.BoolP(b[0], b[1], false, b[2])
	}
	for _, s := range spec.strs {
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
	if err := fs.Parse(words[1:]); err != nil {
		return c, fmt.Errorf("docker %s: %v", c.name, err)
	}
	for _, h := range hostFlags[words[0]] {
		long, _, _ := strings.Cut(h, "/")
		if fs.Changed(long) {
			return c, fmt.Errorf("docker %s --%s: %w (no bind mounts, privileges, host network or PID, capabilities, devices or published ports): type it in your own terminal if you mean it", c.name, long, errHostAccess)
		}
	}
	for k, v := range bools {
		c.bools[k] = *v
	}
	for k, v := range strs {
		c.strs[k] = *v
	}
	c.args = fs.Args()
	if len(c.args) < spec.min || (spec.max >= 0 && len(c.args) > spec.max) {
		return c, fmt.Errorf("docker %s: wrong number of arguments (%d)", c.name, len(c.args))
	}
	if (c.name == "run" || c.name == "exec") && (c.bools["interactive"] || c.bools["tty"]) && !c.bools["detach"] {
		return c, fmt.Errorf("docker %s -it needs a real terminal: type it in your own terminal, or use -dit here", c.name)
	}
	return c, nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// splitWords splits a line as a shell would for simple cases: spaces, and
// single or double quotes.
func splitWords(s string) ([]string, error) {
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
		return nil, errors.New("a quote is not closed")
	}
	if in {
		out = append(out, cur.String())
	}
	return out, nil
}

// cmdResultMsg is what a command printed, or why it failed.
type cmdResultMsg struct {
	line string
	out  string
	err  error
}

// runCommandCmd runs a parsed command against the daemon.
func (m Model) runCommandCmd(line string, c cliCmd) tea.Cmd {
	cli := m.opts.Client
	lesson := "cmdline"
	if l := m.lesson(); l != nil {
		lesson = l.ID
	}
	st, now := NewPlainStyles(), m.opts.Now()
	ws := m.workspaces[lesson]
	mirror := m.opts.Mirror
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 2*opTimeout)
		defer cancel()
		out, err := execCLI(ctx, cli, c, lesson, ws, mirror, &st, now)
		return cmdResultMsg{line: line, out: out, err: err}
	}
}

// execCLI runs one command and formats its output the way the CLI does.
func execCLI(ctx context.Context, cli *docker.Client, c cliCmd, lesson, workspace, mirror string, st *Styles, now time.Time) (string, error) {
	switch c.name {
	case "images":
		imgs, err := cli.Images(ctx)
		if err != nil {
			return "", err
		}
		if len(c.args) == 1 {
			imgs = filterImages(imgs, c.args[0])
		}
		if c.bools["quiet"] {
			var ids []string
			for _, im := range imgs {
				ids = append(ids, docker.ShortID(im.ID))
			}
			return strings.Join(ids, "\n"), nil
		}
		return imagesTable(imgs, "", now, 1000, st, ""), nil
	case "ps":
		cts, err := cli.Containers(ctx, c.bools["all"])
		if err != nil {
			return "", err
		}
		if c.bools["quiet"] {
			var ids []string
			for _, ct := range cts {
				ids = append(ids, docker.ShortID(ct.ID))
			}
			return strings.Join(ids, "\n"), nil
		}
		return containersTable(cts, now, 1000, st, ""), nil
	case "pull":
		ref, err := docker.ParseRef(c.args[0])
		if err != nil {
			return "", err
		}
		res, err := cli.Pull(ctx, ref, docker.PullOptions{Mirror: mirror, Lesson: lesson}, nil)
		if err != nil {
			return "", err
		}
		var b strings.Builder
		if ref.DefaultTag {
			b.WriteString("Using default tag: latest\n")
		}
		for _, l := range res.Progress.Layers {
			fmt.Fprintf(&b, "%s: %s\n", l.ID, l.Status)
		}
		if res.Progress.Digest != "" {
			fmt.Fprintf(&b, "Digest: %s\n", res.Progress.Digest)
		}
		fmt.Fprintf(&b, "%s\n%s", res.Progress.Status, ref.Full())
		return b.String(), nil
	case "history":
		rows, err := cli.History(ctx, c.args[0])
		if err != nil {
			return "", err
		}
		var out [][]string
		for _, r := range rows {
			id := "<missing>"
			if r.ID != "<missing>" {
				id = docker.ShortID(r.ID)
			}
			by := r.CreatedBy
			if !c.bools["no-trunc"] && len(by) > 45 {
				by = by[:44] + "…"
			}
			if c.bools["quiet"] {
				out = append(out, []string{id})
				continue
			}
			out = append(out, []string{id, ago(now, r.Created), by, humanSize(r.Size), r.Comment})
		}
		if c.bools["quiet"] {
			var ids []string
			for _, r := range out {
				ids = append(ids, r[0])
			}
			return strings.Join(ids, "\n"), nil
		}
		return table([]string{"IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"}, out, nil, 1000, st), nil
	case "tag":
		ref, err := docker.ParseRef(c.args[1])
		if err != nil {
			return "", err
		}
		if err := cli.ClaimName(ctx, ref); err != nil {
			return "", err
		}
		_, err = cli.Tag(ctx, c.args[0], ref, lesson)
		return "", err
	case "rmi":
		var b strings.Builder
		for _, a := range c.args {
			res, err := cli.RemoveImage(ctx, a, c.bools["force"])
			if err != nil {
				return b.String(), err
			}
			for _, u := range res.Untagged {
				fmt.Fprintf(&b, "Untagged: %s\n", u)
			}
			for _, d := range res.Deleted {
				fmt.Fprintf(&b, "Deleted: %s\n", d)
			}
		}
		return strings.TrimRight(b.String(), "\n"), nil
	case "rm":
		for _, a := range c.args {
			if err := cli.RemoveContainer(ctx, a); err != nil {
				return "", err
			}
		}
		return strings.Join(c.args, "\n"), nil
	case "run":
		if !c.bools["detach"] {
			return "", errors.New("docker run: here a container runs in the background: add -d (or -dit)")
		}
		ct, err := cli.Run(ctx, docker.RunOptions{Image: c.args[0], Cmd: c.args[1:], Name: c.strs["name"], Lesson: lesson, AutoRemove: c.bools["rm"]})
		if err != nil {
			return "", err
		}
		return ct.ID, nil
	case "exec":
		res, err := cli.Exec(ctx, c.args[0], shellJoin(c.args[1:]))
		if err != nil {
			return "", err
		}
		out := strings.TrimRight(res.Stdout+res.Stderr, "\n")
		if res.ExitCode != 0 {
			return out, fmt.Errorf("exit code %d", res.ExitCode)
		}
		return out, nil
	case "commit":
		ref := docker.Ref{}
		if len(c.args) == 2 {
			r, err := docker.ParseRef(c.args[1])
			if err != nil {
				return "", err
			}
			ref = r
		} else {
			return "", errors.New("docker commit: name the new image here (docker commit CONTAINER REPOSITORY[:TAG])")
		}
		if err := cli.ClaimName(ctx, ref); err != nil {
			return "", err
		}
		res, err := cli.Commit(ctx, c.args[0], ref, lesson)
		if err != nil {
			return "", err
		}
		return res.ImageID, nil
	case "inspect":
		b, err := cli.InspectJSON(ctx, c.args[0])
		return string(b), err
	case "build":
		if workspace == "" || c.args[0] != "." {
			return "", errors.New("docker build: here it builds the lesson's workspace only: docker build [-t TAG] [-f FILE] . in a lesson with a Dockerfile")
		}
		o := docker.BuildOptions{ContextDir: workspace, Lesson: lesson, Root: workspace}
		if f := c.strs["file"]; f != "" {
			if !lessons.InsideWorkspace(f) {
				return "", errors.New("docker build: -f must name a file inside the lesson's workspace")
			}
			o.Dockerfile = filepath.Join(workspace, filepath.FromSlash(f))
		}
		if t := c.strs["tag"]; t != "" {
			r, err := docker.ParseRef(t)
			if err != nil {
				return "", err
			}
			o.Tags = []docker.Ref{r}
		}
		res, err := cli.Build(ctx, o, nil)
		var b strings.Builder
		for _, s := range res.Progress.Steps {
			fmt.Fprintf(&b, "Step %d/%d : %s\n ---> %s\n", s.Index, s.Total, s.Instruction, s.ImageID)
		}
		if err != nil {
			return b.String(), err
		}
		fmt.Fprintf(&b, "Successfully built %s", docker.ShortID(res.ImageID))
		for _, t := range o.Tags {
			fmt.Fprintf(&b, "\nSuccessfully tagged %s", t.String())
		}
		return b.String(), nil
	}
	return "", errNotHere
}

func filterImages(imgs []docker.Image, repo string) []docker.Image {
	var out []docker.Image
	for _, im := range imgs {
		if im.Repo == repo || im.Ref() == repo {
			out = append(out, im)
		}
	}
	return out
}

// shellJoin quotes words back into one sh -c line: a word of only safe
// characters stays as it is, any other (empty, spaces, quotes, newlines,
// globs, $, ~, #…) is single-quoted, so sh sees the words the learner typed.
func shellJoin(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		if w == "" || strings.IndexFunc(w, unsafeInShell) >= 0 {
			q[i] = shellQuote(w)
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

// completeWord completes the last word of line from the daemon's image and
// container names (tab), when exactly one fits or they share a longer prefix.
func (m Model) completeWord(line string) string {
	i := strings.LastIndexByte(line, ' ')
	head, word := line[:i+1], line[i+1:]
	if word == "" {
		return line
	}
	var names []string
	for _, im := range m.images {
		names = append(names, im.Ref())
	}
	for _, c := range m.containers {
		names = append(names, c.Name)
	}
	for name := range cmdSpecs {
		if !strings.Contains(head, " ") || strings.TrimSpace(head) == "docker" {
			names = append(names, name)
		}
	}
	var fits []string
	for _, n := range names {
		if strings.HasPrefix(n, word) {
			fits = append(fits, n)
		}
	}
	if len(fits) == 0 {
		return line
	}
	common := fits[0]
	for _, f := range fits[1:] {
		for !strings.HasPrefix(f, common) {
			common = common[:len(common)-1]
		}
	}
	if len(fits) == 1 {
		common += " "
	}
	return head + common
}

// cmdLineState is the open command line, its history and its last output.
type cmdLineState struct {
	open    bool
	history []string
	pos     int
	running bool
	last    *cmdResultMsg
}
