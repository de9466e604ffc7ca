package classroom

import (
	"context"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/layerlab/layerlab/docker/dockercli"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui/render"
)

// lineOptions are where runLineText runs a line: the lesson it counts for, the
// lesson's workspace (a build's context), the registry mirror, the words.
type lineOptions struct {
	Lesson, Workspace, Mirror string
	Strings                   *i18n.Strings
	Now                       func() time.Time
	// NotHere words a command the line does not take ("" : the : line's words).
	NotHere string
	// NoEscapes: what runLineText returns holds no escape code at all (no
	// terminal, TERM=dumb, NO_COLOR): plain text for a file or a pipe.
	NoEscapes bool
	// Lessons are the lessons, whose run steps name their containers: a
	// missing container of a lesson is started by its step, any other is
	// the learner's own.
	Lessons []*lessons.Lesson
}

// runLineText runs one docker command line as the : line does, with the same
// refusals, and returns what it printed (plain text, the CLI's tables) or
// the words of its error, and whether it failed: the classroom server's
// `ssh … docker COMMAND`.
func runLineText(ctx context.Context, cli dockercli.Daemon, line string, o lineOptions) (string, bool) {
	out, failed := runLineStyled(ctx, cli, line, o)
	if o.NoEscapes {
		out = ansi.Strip(out)
	}
	return out, failed
}

func runLineStyled(ctx context.Context, cli dockercli.Daemon, line string, o lineOptions) (string, bool) {
	st := render.NewPlainStyles()
	t := o.Strings
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	c, err := dockercli.Parse(line)
	if err != nil {
		if dockercli.CodeOf(err) == dockercli.CodeNotHere {
			if o.NotHere != "" {
				return o.NotHere, true
			}
			return t.CmdNotHere, true
		}
		return render.CommandError(t, &st, err, "", o.Mirror, o.Lessons), true
	}
	res, err := dockercli.Run(ctx, cli, c, dockercli.Env{Lesson: o.Lesson, Workspace: o.Workspace, Mirror: o.Mirror})
	out := render.CLIOutput(res, &st, now())
	if err != nil {
		ref := res.Failed
		if ref == "" && len(c.Args) > 0 {
			ref = c.Args[0]
		}
		if out != "" {
			out += "\n"
		}
		return out + render.CommandError(t, &st, err, ref, o.Mirror, o.Lessons), true
	}
	return out, false
}
