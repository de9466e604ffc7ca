package engine

import (
	"errors"
	"strings"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
)

// Session is one learner's lessons in progress: each step's state, the step
// chosen in each lesson, and the names layerlab took instead of a lesson's
// when the learner's own had them. A front end holds one per learner.
type Session struct {
	Steps map[StepKey]*StepState
	// Selected is the step chosen in each lesson, by lesson id.
	Selected map[string]int
	// renamed maps a lesson's image name that is the learner's to the free
	// name layerlab used instead; renamedCt the same for container names.
	renamed, renamedCt map[string]string
	// renamedVol: the same for volume names.
	renamedVol map[string]string
	// did is what the daemon's events said happened (Saw).
	did *Activity
	// saved are the image ids a save step wrote, by lesson/file: a load
	// step loads only those back.
	saved map[string][]string
}

// NewSession is a session where nothing has run yet.
func NewSession() *Session {
	return &Session{
		Steps: map[StepKey]*StepState{}, Selected: map[string]int{},
		renamed: map[string]string{}, renamedCt: map[string]string{}, renamedVol: map[string]string{}, did: NewActivity(),
		saved: map[string][]string{},
	}
}

// State is a step's state, made idle the first time it is asked for.
func (s *Session) State(k StepKey) *StepState {
	ss := s.Steps[k]
	if ss == nil {
		ss = &StepState{}
		s.Steps[k] = ss
	}
	return ss
}

// Ref is the editable value of a step: the learner's edit, or the lesson's
// (the image of a pull, the command of an exec, the new reference of a commit).
func (s *Session) Ref(l *lessons.Lesson, st *lessons.Step) string {
	if ss := s.Steps[StepKey{l.ID, st.Index}]; ss != nil && ss.Ref != "" {
		return ss.Ref
	}
	switch st.Kind {
	case lessons.KindExec:
		return st.Cmd
	case lessons.KindCommit, lessons.KindTag:
		return s.Named(st.As)
	case lessons.KindBuild:
		return s.Named(st.Tag)
	case lessons.KindRmi:
		return s.Named(st.Arg)
	}
	return st.Arg
}

// Named is the name layerlab uses for a lesson's image name: the lesson's
// own, or the free one it took instead when the learner's image had that
// name (a lesson never moves a learner's name).
func (s *Session) Named(ref string) string {
	if alt, ok := s.renamed[docker.Familiar(ref)]; ok {
		return alt
	}
	return ref
}

// Ctr is the name of a lesson's container: the lesson's own, or the free one
// layerlab took instead when a container of the learner's had that name.
func (s *Session) Ctr(name string) string {
	if alt, ok := s.renamedCt[name]; ok {
		return alt
	}
	return name
}

// Vol is the volume a lesson's volume name stands for: the free name used
// instead when the learner's volume had it.
func (s *Session) Vol(name string) string {
	if alt, ok := s.renamedVol[name]; ok {
		return alt
	}
	return name
}

// NoteRenamedVolume keeps a volume name a step took instead of the lesson's.
func (s *Session) NoteRenamedVolume(ss *StepState, r [2]string) {
	if r[0] == "" {
		return
	}
	s.renamedVol[r[0]] = r[1]
	ss.Renamed, ss.RenamedVolume = r, true
}

// NoteRenamed keeps a name a step took instead of the lesson's (r: the
// lesson's, the one used; "" when none), and marks it on the step's state.
func (s *Session) NoteRenamed(ss *StepState, r [2]string, container bool) {
	if r[0] == "" {
		return
	}
	if container {
		s.renamedCt[r[0]] = r[1]
	} else {
		s.renamed[r[0]] = r[1]
	}
	ss.Renamed, ss.RenamedContainer = r, container
}

// LessonName reports whether the step's name is the lesson's, not an edit
// of the learner's: only the lesson's own may be replaced by a free one.
func (s *Session) LessonName(l *lessons.Lesson, st *lessons.Step) bool {
	ss := s.Steps[StepKey{l.ID, st.Index}]
	return ss == nil || ss.Ref == ""
}

// Editable reports whether a step of kind k has a value the learner can edit.
func Editable(k lessons.Kind) bool {
	switch k {
	case lessons.KindPull, lessons.KindExec, lessons.KindCommit, lessons.KindTag, lessons.KindRmi, lessons.KindBuild:
		return true
	}
	return false
}

// MaxCommand caps what a learner can type or paste as a command.
const MaxCommand = 1000

// ErrEmptyCommand is an exec step's command edited to nothing.
var ErrEmptyCommand = errors.New("engine: empty command")

// ValidateEdit checks an edited value before it is kept: the error is
// ErrEmptyCommand, or a reference's *docker.Error (KindBadReference).
func ValidateEdit(k lessons.Kind, v string) error {
	switch k {
	case lessons.KindPull, lessons.KindCommit, lessons.KindTag:
		_, err := docker.ParseRef(v)
		return err
	case lessons.KindBuild:
		if v == "" {
			return nil // docker build . without -t: the image has only its id
		}
		_, err := docker.ParseRef(v)
		return err
	case lessons.KindRmi:
		if v == lessons.Dangling || docker.LooksLikeID(v) {
			return nil
		}
		_, err := docker.ParseRef(v)
		return err
	case lessons.KindExec:
		if strings.TrimSpace(v) == "" {
			return ErrEmptyCommand
		}
	}
	return nil
}

// Restore marks the steps done before as done, and chooses the step the
// learner was on. It reports the index of the lesson they were in (-1: none).
func (s *Session) Restore(ls []*lessons.Lesson, p lessons.Progress) int {
	at := -1
	for i, l := range ls {
		for _, d := range p.Done[l.ID] {
			if d >= 0 && d < len(l.Steps) {
				s.Steps[StepKey{l.ID, d}] = &StepState{Status: Done}
			}
		}
		if l.ID == p.Lesson {
			at = i
			s.Selected[l.ID] = min(max(p.Step, 0), max(len(l.Steps)-1, 0))
		}
	}
	return at
}

// Progress is what the learner has done (the steps done; where they are is
// the front end's to add).
func (s *Session) Progress() lessons.Progress {
	p := lessons.Progress{}
	for k, ss := range s.Steps {
		if ss.Status == Done && k.Index >= 0 {
			p.MarkDone(k.Lesson, k.Index)
		}
	}
	return p
}

// Expected reports whether err is the failure st's lesson means it to meet.
func Expected(st *lessons.Step, err error) bool {
	if st == nil {
		return false
	}
	switch st.Expect {
	case "conflict":
		return docker.KindOf(err) == docker.KindConflict
	case "build-failed":
		return docker.KindOf(err) == docker.KindBuildFailed
	}
	return false
}
