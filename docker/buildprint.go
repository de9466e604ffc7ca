package docker

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	controlapi "github.com/moby/buildkit/api/services/control"
	"github.com/moby/buildkit/client"
	"github.com/moby/buildkit/util/progress/progressui"
	digest "github.com/opencontainers/go-digest"
)

// cliPrinter runs the printer `docker build --progress=plain` runs
// (BuildKit's progressui, plain mode) over a build's trace, and keeps what
// it prints: the CLI's own numbering (a vertex is numbered when it is first
// printed, so FROM comes before the RUN after it), its order, its DONE and
// ERROR last. The lesson's card and the `:` line's output are both read from
// these lines.
type cliPrinter struct {
	ch   chan *client.SolveStatus
	done chan struct{}
	// mu guards the progress the build's reader and the printer both write.
	mu      *sync.Mutex
	p       *BuildProgress
	partial string
	publish func()
	// What tidy keeps: open starts, how many ended at each instant, and
	// each vertex's end as it moved it.
	open  map[digest.Digest]time.Time
	ends  map[int64]int
	moved map[digest.Digest][2]time.Time
}

// startPrinter starts the printer; every line it prints is added to
// p.Printed under mu, and publish (called under mu) passes the news on.
func startPrinter(p *BuildProgress, mu *sync.Mutex, publish func()) *cliPrinter {
	w := &cliPrinter{ch: make(chan *client.SolveStatus, 64), done: make(chan struct{}), mu: mu, p: p, publish: publish}
	d, err := progressui.NewDisplay(w, progressui.PlainMode)
	if err != nil { // plain mode takes no console: it never fails
		close(w.done)
		return w
	}
	go func() {
		defer close(w.done)
		d.UpdateFrom(context.Background(), w.ch) //nolint:errcheck // ends when ch closes
	}()
	return w
}

// send gives the printer one status of the trace, tidied (not under mu:
// the printer may be waiting for it).
func (w *cliPrinter) send(resp *controlapi.StatusResponse) {
	s := client.NewSolveStatus(resp)
	w.tidy(s)
	select {
	case <-w.done:
	case w.ch <- s:
	}
}

// tidy mends two things in the trace a build's stream carries that would
// make the printer print what the CLI does not:
//   - Docker 20.10's BuildKit starts a FROM twice and completes only the
//     second start; the printer would keep the first open and print the
//     FROM last, unfinished. A start while one is open is the same start.
//   - Vertices that end at the same instant (a run of CACHED steps) are
//     printed in a random order (the printer sorts them unstably); they are
//     put in the order BuildKit named them, a nanosecond apart.
func (w *cliPrinter) tidy(s *client.SolveStatus) {
	if w.open == nil {
		w.open, w.ends, w.moved = map[digest.Digest]time.Time{}, map[int64]int{}, map[digest.Digest][2]time.Time{}
	}
	for _, v := range s.Vertexes {
		if v.Started == nil {
			continue
		}
		if open, ok := w.open[v.Digest]; ok && !open.Equal(*v.Started) {
			v.Started = &open
		}
		if v.Completed == nil {
			w.open[v.Digest] = *v.Started
			continue
		}
		delete(w.open, v.Digest)
		end := *v.Completed
		if m, ok := w.moved[v.Digest]; ok && m[0].Equal(end) {
			v.Completed = &m[1]
			continue
		}
		nudged := end.Add(time.Duration(w.ends[end.UnixNano()]))
		w.ends[end.UnixNano()]++
		w.moved[v.Digest] = [2]time.Time{end, nudged}
		v.Completed = &nudged
	}
}

// finish closes the trace and waits for the printer's last lines.
func (w *cliPrinter) finish() {
	close(w.ch)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.partial != "" {
		w.p.Printed = append(w.p.Printed, w.partial)
		w.partial = ""
		w.publish()
	}
}

func (w *cliPrinter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	text := w.partial + string(b)
	lines := strings.Split(text, "\n")
	w.partial = lines[len(lines)-1]
	if len(lines) == 1 {
		return len(b), nil
	}
	for _, l := range lines[:len(lines)-1] {
		w.p.Printed = append(w.p.Printed, l)
		w.number(l)
	}
	w.publish()
	return len(b), nil
}

// number gives a vertex the number the printer gave it: its first line is
// "#N NAME".
func (w *cliPrinter) number(line string) {
	n, rest, ok := printedLine(line)
	if !ok {
		return
	}
	for i := range w.p.Vertices {
		if w.p.Vertices[i].Number == n {
			return
		}
	}
	for i := range w.p.Vertices {
		if v := &w.p.Vertices[i]; v.Number == 0 && v.Name == rest {
			v.Number = n
			return
		}
	}
}

// printedLine reads "#N REST".
func printedLine(line string) (int, string, bool) {
	if !strings.HasPrefix(line, "#") {
		return 0, "", false
	}
	num, rest, ok := strings.Cut(line[1:], " ")
	if !ok {
		return 0, "", false
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return 0, "", false
	}
	return n, rest, true
}

// PrintedVertex is one vertex of a build as `docker build --progress=plain`
// prints it, its lines gathered: "#N NAME", its lines (output with its
// seconds, sub-tasks, warnings), then how it ended ("CACHED", "DONE 0.4s",
// "ERROR: …", "CANCELED"; "" while it runs).
type PrintedVertex struct {
	Number int
	Name   string
	Lines  []string
	End    string
}

// Failed reports whether it ended in an error.
func (v PrintedVertex) Failed() bool { return strings.HasPrefix(v.End, "ERROR") }

// PrintedVertices gathers the printed lines by vertex, in the order the CLI
// first printed each (its numbers rise): a vertex the printer left for
// another ("#4 ...") and came back to is one. The lines after the last
// vertex (a failed step's last output, between "------" rules) are rest.
func PrintedVertices(printed []string) (vs []PrintedVertex, rest []string) {
	at := map[int]int{}
	reopened := map[int]bool{}
	for _, line := range printed {
		n, text, ok := printedLine(line)
		if !ok {
			if strings.TrimSpace(line) != "" || len(rest) > 0 {
				rest = append(rest, line)
			}
			continue
		}
		i, seen := at[n]
		if !seen {
			at[n] = len(vs)
			vs = append(vs, PrintedVertex{Number: n, Name: text})
			continue
		}
		v := &vs[i]
		switch {
		case text == "...":
			reopened[n] = true
		case text == v.Name && (reopened[n] || v.End != ""):
			// Its title again: the printer came back to it, or BuildKit
			// ran it again (a base image's details, asked for by two stages).
			reopened[n], v.End = false, ""
		case text == "CACHED" || text == "CANCELED" || text == "DONE" || strings.HasPrefix(text, "DONE ") || strings.HasPrefix(text, "ERROR: "):
			v.End = text
		default:
			v.Lines = append(v.Lines, text)
		}
	}
	return vs, rest
}
