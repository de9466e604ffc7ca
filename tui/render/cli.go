package render

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockercli"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// CLIOutput draws a command's output: its list as the CLI's table (ids only
// with -q), or the CLI's own lines.
func CLIOutput(o dockercli.Output, st *Styles, now time.Time) string {
	var ids []string
	switch o.Table {
	case "images":
		if !o.Quiet && o.NoTrunc && len(o.Images) > 0 {
			rows := make([][]string, 0, len(o.Images))
			for _, im := range o.Images {
				rows = append(rows, []string{im.Repo, im.Tag, im.ID, Ago(now, im.Created), HumanSize(im.Size)})
			}
			return Table([]string{"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"}, rows, nil, 1000, st)
		}
		if !o.Quiet {
			// Nothing to list: the header alone, as the CLI prints it.
			return ImagesTable(o.Images, "", now, 1000, st, "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE")
		}
		for _, im := range o.Images {
			ids = append(ids, imageID(im.ID, o.NoTrunc))
		}
	case "ps":
		if !o.Quiet && o.NoTrunc && len(o.Containers) > 0 {
			rows := make([][]string, 0, len(o.Containers))
			for _, c := range o.Containers {
				rows = append(rows, []string{c.ID, c.Image, fmt.Sprintf("%q", c.Command), Ago(now, c.Created), c.Status, "", c.Name})
			}
			return Table([]string{"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"}, rows, nil, 1000, st)
		}
		if !o.Quiet {
			return ContainersTable(o.Containers, now, 1000, st, "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES")
		}
		for _, ct := range o.Containers {
			if o.NoTrunc {
				ids = append(ids, ct.ID)
			} else {
				ids = append(ids, docker.ShortID(ct.ID))
			}
		}
	case "history":
		var rows [][]string
		for _, r := range o.History {
			id := "<missing>"
			if r.ID != "<missing>" {
				id = docker.ShortID(r.ID)
			}
			by := r.CreatedBy
			if !o.NoTrunc {
				by = ansi.Truncate(by, 45, "…")
			} else if r.ID != "<missing>" {
				id = r.ID
			}
			ids = append(ids, id)
			rows = append(rows, []string{id, Ago(now, r.Created), by, HumanSize(r.Size), r.Comment})
		}
		if !o.Quiet {
			return Table([]string{"IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"}, rows, nil, 1000, st)
		}
	default:
		return o.Text
	}
	return strings.Join(ids, "\n")
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
		msg += "\n" + st.Dim.Render(t.DockerSaid+x.Docker)
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
