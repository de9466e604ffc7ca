// Package pacer lets Bubble Tea's renderer sleep while nothing changes on
// screen. It is the one place in layerlab that knows an internal of Bubble
// Tea (the renderer's ticker, an unexported field of tea.Program): if a
// release renames it, TestPacerFindsTheRendererTicker fails loudly, and the
// program still runs, unpaced.
package pacer

import (
	"reflect"
	"sync"
	"time"
	"unsafe"

	tea "charm.land/bubbletea/v2"
)

// Pacer lets the renderer sleep while nothing changes on screen.
//
// Bubble Tea v2 (v2.1.1) runs its renderer on a fixed ticker for the whole
// life of the program: at 90 frames a second an app that shows the same
// screen for an hour still wakes 90 times a second to find the frame
// unchanged, about 1% of a core (docs/performance.md). Upstream has open
// pull requests for a renderer that ticks only while there is a frame to
// draw (charmbracelet/bubbletea#1776, #1796); until one lands, the pacer
// does it from outside: every View (which Bubble Tea calls after every
// message, right before it hands the frame to the renderer) puts the ticker
// back to full speed, and after a quiet spell it is slowed to Idle. It is
// slowed, never stopped, so a frame the renderer had not written yet (a slow
// terminal) still reaches the screen within Idle.
//
// The ticker is an unexported field of tea.Program, found by name and type;
// if a Bubble Tea release renames it, Attach reports false and the program
// runs as before (TestPacerFindsTheRendererTicker fails to say so).
type Pacer struct {
	// Frame is the renderer's period while things change (1/fps).
	Frame time.Duration
	// Quiet is how long after the last View the ticker keeps full speed.
	Quiet time.Duration
	// Idle is the renderer's period after that.
	Idle time.Duration
	// Lead is how soon the first frame after a still spell is drawn.
	Lead time.Duration

	prog *tea.Program

	mu       sync.Mutex
	tried    bool
	ticker   *time.Ticker
	fast     bool
	last     time.Time
	armed    bool
	leading  bool
	lastLead time.Time
	slowed   int
	resumed  int
	leads    int
}

// New paces a renderer that runs at fps frames a second.
func New(fps int) *Pacer {
	return &Pacer{Frame: time.Second / time.Duration(fps), Quiet: 250 * time.Millisecond, Idle: time.Second, Lead: time.Millisecond}
}

// Wrap returns m with every View reported to the pacer; prog is the program
// that will run it (NewProgram(pacer.Wrap(m)...), then Attach).
func (p *Pacer) Wrap(m tea.Model) tea.Model { return paced{m: m, p: p} }

// Attach names the program whose renderer is paced. Call it before Run.
func (p *Pacer) Attach(prog *tea.Program) {
	p.mu.Lock()
	p.prog = prog
	p.mu.Unlock()
}

// Found reports whether the renderer's ticker was found (after the first
// View of a running program).
func (p *Pacer) Found() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ticker != nil
}

// Counts reports how many times the renderer was slowed, woken again, and
// made to draw a frame at once.
func (p *Pacer) Counts() (slowed, resumed, leads int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.slowed, p.resumed, p.leads
}

// viewed is called from View once the frame is made, right before Bubble
// Tea hands it to the renderer, on the program's own goroutine (the one that
// started the renderer, so reading its ticker field needs no lock of its).
func (p *Pacer) viewed() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.tried && p.prog != nil {
		p.tried = true
		p.ticker = rendererTicker(p.prog)
		p.fast = true
	}
	if p.ticker == nil {
		return
	}
	now := time.Now()
	p.last = now
	woke := !p.fast
	if woke {
		p.fast = true
		p.resumed++
	}
	switch {
	case !p.leading && now.Sub(p.lastLead) >= p.Frame:
		// The first frame after a still spell (the very first one too) is
		// drawn at once, not at the ticker's next beat up to 1/fps later;
		// frames that follow within 1/fps wait for the beat as before.
		p.leading, p.lastLead = true, now
		p.leads++
		p.ticker.Reset(p.Lead)
		time.AfterFunc(2*p.Lead, p.endLead)
	case woke && !p.leading:
		p.ticker.Reset(p.Frame)
	}
	if !p.armed {
		p.armed = true
		time.AfterFunc(p.Quiet, p.settle)
	}
}

// endLead puts the ticker back to its beat after a leading frame.
func (p *Pacer) endLead() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.leading = false
	if p.fast {
		p.ticker.Reset(p.Frame)
	} else {
		p.ticker.Reset(p.Idle)
	}
}

// settle slows the ticker once no View came for Quiet, or looks again later.
func (p *Pacer) settle() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if wait := p.Quiet - time.Since(p.last); wait > 0 {
		time.AfterFunc(wait, p.settle)
		return
	}
	if p.leading {
		// A frame is being drawn this very moment: look again after it.
		time.AfterFunc(2*p.Lead, p.settle)
		return
	}
	p.armed = false
	if p.fast {
		p.ticker.Reset(p.Idle)
		p.fast = false
		p.slowed++
	}
}

// rendererTicker finds the ticker that drives prog's renderer: the field
// "ticker" of type *time.Ticker, set when Run starts the renderer.
func rendererTicker(prog *tea.Program) *time.Ticker {
	v := reflect.ValueOf(prog).Elem().FieldByName("ticker")
	if !v.IsValid() || v.Type() != reflect.TypeFor[*time.Ticker]() {
		return nil
	}
	return *(**time.Ticker)(unsafe.Pointer(v.UnsafeAddr()))
}

type paced struct {
	m tea.Model
	p *Pacer
}

func (w paced) Init() tea.Cmd { return w.m.Init() }

func (w paced) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := w.m.Update(msg)
	return paced{m: m, p: w.p}, cmd
}

func (w paced) View() tea.View {
	v := w.m.View()
	w.p.viewed()
	return v
}
