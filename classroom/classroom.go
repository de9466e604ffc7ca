package classroom

import (
	"context"
	"net"
	"net/http"
	"runtime"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/mirror"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// Registry is the classroom's registry: it serves the lesson images to
// every learner's engine from this machine (pulls through it are real
// pulls; no internet in class). It keeps them in memory (the lesson images
// are small; on disk, go-containerregistry's handler hashes a whole blob at
// each request: 8% of the server's CPU under 30 pulling learners).
type Registry struct {
	Host string
	// Handler serves it (read-only inside each learner's network
	// namespace: engines.Rootless.Registry).
	Handler http.Handler
	ln      net.Listener
	// sealed: the lesson images are published; from then on nobody (a
	// user of this machine, on 127.0.0.1) may push into it.
	sealed atomic.Bool
}

// StartRegistry serves the classroom registry on a free port of 127.0.0.1.
func StartRegistry() (*Registry, error) {
	r := &Registry{}
	inner := mirror.Limit(mirror.Handler(""), max(runtime.NumCPU()/2, 1))
	r.Handler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if r.sealed.Load() && req.Method != http.MethodGet && req.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "the classroom registry is read-only", http.StatusMethodNotAllowed)
			return
		}
		inner.ServeHTTP(w, req)
	})
	host, ln, err := mirror.Serve(r.Handler)
	if err != nil {
		return nil, err
	}
	r.Host, r.ln = host, ln
	return r, nil
}

// Seal makes the registry read-only: called once the lesson images are
// published (the instructor's daemon pushes them in at start; after that a
// push from anyone on this machine would change what learners pull).
func (r *Registry) Seal() { r.sealed.Store(true) }

// Close stops the registry.
func (r *Registry) Close() error { return r.ln.Close() }

// Published is what Publish did with one lesson image.
type Published struct {
	Image string
	// Missing: the instructor's daemon does not have it (layerlab prepare,
	// or bundle import, brings it); Err: the push failed.
	Missing bool
	Err     error
}

// Publish puts each image from the instructor's daemon into the registry.
func (r *Registry) Publish(ctx context.Context, host *docker.Client, images []string) []Published {
	var out []Published
	for _, img := range images {
		p := Published{Image: img}
		if ok, _, err := host.Exists(ctx, img); err != nil {
			p.Err = err
		} else if !ok {
			p.Missing = true
		} else {
			p.Err = host.Publish(ctx, img, r.Host)
		}
		out = append(out, p)
	}
	return out
}

// watchModel is the instructor's view (layerlab serve --watch): the
// server's status, read again every second.
type watchModel struct {
	stateDir      string
	t             i18n.Strings
	st            Status
	err           error
	width, height int
	now           func() time.Time
}

type watchTick struct{}

// NewWatch is the instructor's view of the server keeping its state in stateDir.
func NewWatch(stateDir string, t i18n.Strings) tea.Model {
	m := watchModel{stateDir: stateDir, t: t, now: time.Now}
	m.st, m.err = ReadStatus(stateDir)
	return m
}

func (m watchModel) Init() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return watchTick{} })
}

func (m watchModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if s := msg.String(); s == "q" || s == "ctrl+c" || s == "esc" {
			return m, tea.Quit
		}
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case watchTick:
		m.st, m.err = ReadStatus(m.stateDir)
		return m, m.Init()
	}
	return m, nil
}

func (m watchModel) View() tea.View {
	if m.err != nil {
		return tea.NewView(m.t.Serve.WatchNoServer + "\n\n" + m.err.Error() + "\n")
	}
	v := tea.NewView(WatchText(&m.t, m.st, m.now()))
	v.AltScreen = true
	return v
}
