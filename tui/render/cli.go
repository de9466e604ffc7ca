package render

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockercli"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// CLIOutput draws a command's output: its list as the CLI's table (ids only
// with -q), or the CLI's own lines. Tables are laid out as the CLI lays
// them out (cliTable); the front end cuts what its width does not hold.
func CLIOutput(o dockercli.Output, st *Styles, now time.Time) string {
	var ids []string
	switch o.Table {
	case "images":
		var rows [][]string
		for _, im := range o.Images {
			id := imageID(im.ID, o.NoTrunc)
			ids = append(ids, id)
			rows = append(rows, []string{im.Repo, im.Tag, id, Ago(now, im.Created), HumanSize(im.Size)})
		}
		if !o.Quiet {
			return cliTable([]string{"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"}, rows)
		}
	case "ps":
		var rows [][]string
		for _, c := range o.Containers {
			id, cmd := c.ID, c.Command
			if !o.NoTrunc {
				// As the CLI's Ellipsis: by display cells, never inside a character.
				id, cmd = docker.ShortID(c.ID), ansi.Truncate(cmd, 20, "…")
			}
			ids = append(ids, id)
			rows = append(rows, []string{id, c.Image, fmt.Sprintf("%q", cmd), Ago(now, c.Created), c.Status, "", c.Name})
		}
		if !o.Quiet {
			return cliTable([]string{"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"}, rows)
		}
	case "history":
		var rows [][]string
		for _, r := range o.History {
			id := "<missing>"
			if r.ID != "<missing>" {
				id = imageID(r.ID, o.NoTrunc)
			}
			by := r.CreatedBy
			if !o.NoTrunc {
				by = ansi.Truncate(by, 45, "…")
			}
			ids = append(ids, id)
			rows = append(rows, []string{id, Ago(now, r.Created), by, HumanSize(r.Size), r.Comment})
		}
		if !o.Quiet {
			return cliTable([]string{"IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"}, rows)
		}
	case "volumes":
		var rows [][]string
		for _, v := range o.Volumes {
			ids = append(ids, v.Name)
			rows = append(rows, []string{v.Driver, v.Name})
		}
		if !o.Quiet {
			return cliTable([]string{"DRIVER", "VOLUME NAME"}, rows)
		}
	default:
		return o.Text
	}
	return strings.Join(ids, "\n")
}

// cliTable lays a table out as the docker CLI does: its tabwriter (cells at
// least 10 wide, 3 spaces of padding), the last column unpadded.
func cliTable(header []string, rows [][]string) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 10, 1, 3, ' ', 0)
	for _, r := range append([][]string{header}, rows...) {
		fmt.Fprintln(w, strings.Join(r, "\t"))
	}
	_ = w.Flush()
	return strings.TrimRight(b.String(), "\n")
}

// imageID is an image's id as docker images prints it: 12 digits, or with
// --no-trunc all of it (sha256:…).
func imageID(id string, full bool) string {
	if full {
		return id
	}
	return docker.ShortID(id)
}

// CommandError words a command's error as the : line shows it: a refusal by
// its code; a daemon's error as a step's error box says it (what, why,
// Docker's own words, what to do). A missing container that is no lesson's
// (ls: the lessons) is the learner's own: no step starts it.
func CommandError(t *i18n.Strings, st *Styles, err error, ref, mirror string, ls []*lessons.Lesson) string {
	var de *docker.Error
	var ce *dockercli.Error
	if errors.As(err, &ce) {
		return st.Fail.Render("✗ " + i18n.CmdErrText(t, ce))
	}
	if !errors.As(err, &de) {
		return st.Fail.Render("✗ " + err.Error())
	}
	x := i18n.Explain(t, err, ref, mirror)
	if x.Title == t.Err.NoContainerTitle {
		name := de.Container
		if name == "" {
			name = ref
		}
		if !lessonContainer(ls, name) {
			x.Plain = i18n.Tr(t.Err.NoOwnContainerFmt, name)
		}
	}
	msg := st.Fail.Render("✗ "+x.Title+": ") + x.Plain
	if x.Docker != "" {
		msg += "\n" + st.Dim.Render(x.Said(t)+x.Docker)
	}
	for _, td := range x.Todo {
		msg += "\n› " + td
	}
	return msg
}

// lessonContainer reports whether name is a container a lesson's run step
// starts (its name, or name-N when a container of the learner's had it).
func lessonContainer(ls []*lessons.Lesson, name string) bool {
	for _, l := range ls {
		for _, st := range l.Steps {
			if st.Kind != lessons.KindRun || st.Name == "" {
				continue
			}
			if name == st.Name {
				return true
			}
			if n, ok := strings.CutPrefix(name, st.Name+"-"); ok && n != "" && strings.Trim(n, "0123456789") == "" {
				return true
			}
		}
	}
	return false
}
