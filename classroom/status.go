package classroom

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// LearnerStatus is one learner as the instructor's view shows them.
type LearnerStatus struct {
	Name        string `json:"name"`
	Sessions    int    `json:"sessions"`
	Lesson      string `json:"lesson,omitempty"`
	LessonTitle string `json:"lesson_title,omitempty"`
	// Step is 1-based (0: no lesson open).
	Step      int    `json:"step,omitempty"`
	StepTitle string `json:"step_title,omitempty"`
	// State: "running", "failed", "done", "exercise" (not done yet), "" otherwise.
	State string `json:"state,omitempty"`
	// Since is when the learner came to this step.
	Since    time.Time `json:"since"`
	LastSeen time.Time `json:"last_seen"`
	Engine   bool      `json:"engine"`
	// EngineError is why the engine did not start ("" if it did).
	EngineError string `json:"engine_error,omitempty"`
	Disk        int64  `json:"disk"`
}

// Status is the server's picture of its learners.
type Status struct {
	At       time.Time       `json:"at"`
	Addr     string          `json:"addr"`
	Learners []LearnerStatus `json:"learners"`
}

// StuckAfter is how long a learner may stay on a failed step or an exercise
// not done before the instructor's view marks them stuck.
const StuckAfter = 5 * time.Minute

// Stuck reports whether the learner needs the instructor (at now).
func (l LearnerStatus) Stuck(now time.Time) bool {
	return (l.State == "failed" || l.State == "exercise") && !l.Since.IsZero() && now.Sub(l.Since) >= StuckAfter
}

// Snapshot is where every learner of the class is now (the class list's
// learners too, logged in or not).
func (s *Server) Snapshot() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Status{At: time.Now(), Addr: s.Addr()}
	names := s.cfg.Class.Names()
	for n := range s.learners {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		ls := LearnerStatus{Name: n, Disk: -1}
		if l, ok := s.learners[n]; ok {
			w := l.where
			ls.Sessions, ls.LastSeen, ls.Engine, ls.Disk = l.sessions, l.lastSeen, l.cli != nil, l.disk
			if l.engineErr != nil {
				ls.EngineError = l.engineErr.Error()
			}
			if w.Lesson != "" {
				ls.Lesson, ls.LessonTitle, ls.Step, ls.StepTitle, ls.Since = w.Lesson, w.LessonTitle, w.Step+1, w.StepTitle, l.whereSince
				switch {
				case w.Status == engine.Running:
					ls.State = "running"
				case w.Status == engine.Failed:
					ls.State = "failed"
				case w.Status == engine.Done:
					ls.State = "done"
				case w.Exercise:
					ls.State = "exercise"
				}
			}
		}
		st.Learners = append(st.Learners, ls)
	}
	return st
}

// StatusPath is where the server writes its status for the view.
func StatusPath(stateDir string) string { return filepath.Join(stateDir, "status.json") }

func (s *Server) writeStatus() error {
	b, err := json.MarshalIndent(s.Snapshot(), "", "  ")
	if err != nil {
		return err
	}
	path := StatusPath(s.cfg.StateDir)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// ReadStatus reads the status a server wrote in stateDir.
func ReadStatus(stateDir string) (Status, error) {
	var st Status
	b, err := os.ReadFile(StatusPath(stateDir))
	if err != nil {
		return st, err
	}
	return st, json.Unmarshal(b, &st)
}

// WatchText is the instructor's view of st at now, in t's words: who is
// connected, where each learner is, who is stuck and for how long, each
// engine's disk.
func WatchText(t *i18n.Strings, st Status, now time.Time) string {
	w := t.Serve
	var b strings.Builder
	stale := now.Sub(st.At) > 5*time.Second
	fmt.Fprintln(&b, i18n.Tr(w.WatchTitleFmt, st.Addr, st.At.Local().Format("15:04:05")))
	if stale {
		fmt.Fprintln(&b, i18n.Tr(w.WatchStaleFmt, now.Sub(st.At).Round(time.Second)))
	}
	head := []string{w.ColLearner, w.ColOnline, w.ColWhere, w.ColState, w.ColFor, w.ColEngine}
	rows := [][]string{head}
	connected, stuck := 0, 0
	for _, l := range st.Learners {
		online := "·"
		if l.Sessions > 0 {
			online = fmt.Sprintf("● %d", l.Sessions)
			connected++
		}
		where := "—"
		if l.Lesson != "" {
			where = fmt.Sprintf("%s · %d. %s", l.LessonTitle, l.Step, l.StepTitle)
			where = ansi.Truncate(where, 44, "…")
		}
		state := map[string]string{"running": w.StateRunning, "failed": w.StateFailed, "done": w.StateDone, "exercise": w.StateExercise}[l.State]
		if l.Stuck(now) {
			state = "! " + w.StateStuck + " (" + state + ")"
			stuck++
		}
		dur := ""
		if l.Lesson != "" && !l.Since.IsZero() {
			dur = now.Sub(l.Since).Round(time.Second).String()
		}
		eng := w.EngineStopped
		if l.Engine {
			eng = w.EngineRunning
		}
		if l.EngineError != "" {
			eng = w.EngineBroken
		}
		if l.Disk >= 0 {
			eng += " · " + i18n.Size(l.Disk)
		}
		rows = append(rows, []string{l.Name, online, where, state, dur, eng})
	}
	widths := make([]int, len(head))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	for _, r := range rows {
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-ansi.StringWidth(c)+2))
			}
		}
		b.WriteString("\n")
	}
	fmt.Fprintln(&b, "\n"+i18n.Tr(w.WatchSummaryFmt, connected, len(st.Learners), stuck))
	return b.String()
}
