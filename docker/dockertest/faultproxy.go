package dockertest

import (
	"bytes"
	"context"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/docker/docker/client"
	"go.uber.org/goleak"

	"github.com/layerlab/layerlab/docker"
)

// Proxy stands between layerlab and the real daemon on a unix socket of its
// own, forwarding every byte, and on command makes the faults a learner's
// daemon has: it goes away (mid-call or for a while), it answers slowly, or a
// stream stops without a word. The shared daemon itself is never touched.
type Proxy struct {
	// Path is the proxy's socket; Host is it as a DOCKER_HOST.
	Path, Host string
	upstream   string

	mu    sync.Mutex
	ln    *net.UnixListener
	conns map[*proxyConn]struct{}
	wg    sync.WaitGroup
	trig  []trigger

	delay atomic.Int64 // before each chunk from the daemon, in ns
}

type trigger struct {
	match string
	after time.Duration
	fn    func()
	doom  bool
}

type proxyConn struct {
	client, daemon net.Conn
	once           sync.Once
	// doomed: the daemon's next answer on this connection is never
	// delivered; the proxy goes down instead.
	doomed atomic.Bool
	// stalled: nothing more of the daemon's reaches the client.
	stalled atomic.Bool
	lastReq atomic.Value // string: the last request line seen
}

func (c *proxyConn) close() {
	c.once.Do(func() {
		c.client.Close()
		c.daemon.Close()
	})
}

// StartProxy listens on a new socket that leads to the daemon the tests use
// (DOCKER_HOST, or the default socket), until the test ends.
func StartProxy(t testing.TB) *Proxy {
	t.Helper()
	up := os.Getenv("DOCKER_HOST")
	if up == "" {
		up = client.DefaultDockerHost
	}
	u, err := url.Parse(up)
	if err != nil || u.Scheme != "unix" {
		t.Skipf("the fault proxy needs a unix socket daemon, not %q", up)
	}
	// Socket paths are limited to ~108 bytes: t.TempDir() can be too long.
	dir, err := os.MkdirTemp("", "llproxy")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{Path: filepath.Join(dir, "docker.sock"), upstream: u.Path, conns: map[*proxyConn]struct{}{}}
	p.Host = "unix://" + p.Path
	if err := p.Up(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.Down()
		p.wg.Wait()
		os.RemoveAll(dir)
	})
	return p
}

// Client is a layerlab client that talks to the daemon through the proxy,
// connected; it is closed when the test ends.
func (p *Proxy) Client(t testing.TB) *docker.Client {
	t.Helper()
	cli, err := docker.New(docker.Endpoint{Host: p.Host, Source: "DOCKER_HOST"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := cli.Connect(ctx); err != nil {
		t.Fatalf("connect through the proxy: %v", err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli
}

// Up listens (again): the daemon is back.
func (p *Proxy) Up() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		return nil
	}
	os.Remove(p.Path)
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: p.Path, Net: "unix"})
	if err != nil {
		return err
	}
	p.ln = ln
	p.wg.Add(1)
	go p.accept(ln)
	return nil
}

// Down is the daemon going away: every open connection is cut and the socket
// is gone until Up.
func (p *Proxy) Down() {
	p.mu.Lock()
	ln := p.ln
	p.ln = nil
	p.mu.Unlock()
	if ln != nil {
		ln.Close()
	}
	p.Cut()
}

// Cut closes every open connection (a daemon that crashed and came straight
// back); new connections are still taken.
func (p *Proxy) Cut() {
	p.mu.Lock()
	conns := make([]*proxyConn, 0, len(p.conns))
	for c := range p.conns {
		conns = append(conns, c)
	}
	p.mu.Unlock()
	for _, c := range conns {
		c.close()
	}
}

// Delay makes the daemon slow: each chunk of its answers waits d (0: none).
func (p *Proxy) Delay(d time.Duration) { p.delay.Store(int64(d)) }

// DownOnAnswer makes the daemon go away at the worst moment: a request whose
// first line contains match reaches it, it does the work, and the proxy goes
// down as its answer starts, so the caller never hears that it happened.
func (p *Proxy) DownOnAnswer(match string) {
	p.mu.Lock()
	p.trig = append(p.trig, trigger{match: match, doom: true})
	p.mu.Unlock()
}

// StallWhere silences the open connections whose last request line contains
// match ("/events"): they stay open, and nothing more comes through them.
// It returns how many it silenced. New connections are not affected.
func (p *Proxy) StallWhere(match string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for c := range p.conns {
		if l, _ := c.lastReq.Load().(string); strings.Contains(l, match) {
			c.stalled.Store(true)
			n++
		}
	}
	return n
}

// When calls fn once, after d, when a request whose first line contains
// match (e.g. "POST /v1.41/commit") goes through: "the daemon went away in
// the middle of the commit" is When("/commit", 0, p.Down).
func (p *Proxy) When(match string, d time.Duration, fn func()) {
	p.mu.Lock()
	p.trig = append(p.trig, trigger{match: match, after: d, fn: fn})
	p.mu.Unlock()
}

func (p *Proxy) accept(ln *net.UnixListener) {
	defer p.wg.Done()
	for {
		cc, err := ln.Accept()
		if err != nil {
			return
		}
		dc, err := net.Dial("unix", p.upstream)
		if err != nil {
			cc.Close()
			continue
		}
		c := &proxyConn{client: cc, daemon: dc}
		p.mu.Lock()
		if p.ln != ln {
			// Went down while this one was being accepted.
			p.mu.Unlock()
			c.close()
			return
		}
		p.conns[c] = struct{}{}
		p.mu.Unlock()
		p.wg.Add(2)
		go p.requests(c)
		go p.answers(c)
	}
}

func (p *Proxy) forget(c *proxyConn) {
	c.close()
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
}

// requests copies the client's bytes to the daemon, watching request lines.
func (p *Proxy) requests(c *proxyConn) {
	defer p.wg.Done()
	defer p.forget(c)
	buf := make([]byte, 32<<10)
	for {
		n, err := c.client.Read(buf)
		if n > 0 {
			p.watch(c, buf[:n])
			if _, werr := c.daemon.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

var methods = [][]byte{[]byte("GET /"), []byte("POST /"), []byte("DELETE /"), []byte("HEAD /"), []byte("PUT /")}

func (p *Proxy) watch(c *proxyConn, b []byte) {
	for _, m := range methods {
		if i := bytes.Index(b, m); i >= 0 && requestLine(b, i) {
			line, _, _ := bytes.Cut(b[i:], []byte("\r\n"))
			c.lastReq.Store(string(line))
			break
		}
	}
	p.mu.Lock()
	var fire []trigger
	keep := p.trig[:0]
	for _, t := range p.trig {
		if i := bytes.Index(b, []byte(t.match)); i >= 0 && requestLine(b, i) {
			fire = append(fire, t)
		} else {
			keep = append(keep, t)
		}
	}
	p.trig = keep
	p.mu.Unlock()
	for _, t := range fire {
		if t.doom {
			c.doomed.Store(true)
			continue
		}
		if t.after == 0 {
			go t.fn()
		} else {
			time.AfterFunc(t.after, t.fn)
		}
	}
}

// requestLine reports whether b[i] is on an HTTP request line.
func requestLine(b []byte, i int) bool {
	line := b[bytes.LastIndexByte(b[:i], '\n')+1:]
	for _, m := range methods {
		if bytes.HasPrefix(line, m) {
			return true
		}
	}
	return false
}

// answers copies the daemon's bytes to the client, slowly or not at all when told.
func (p *Proxy) answers(c *proxyConn) {
	defer p.wg.Done()
	defer p.forget(c)
	buf := make([]byte, 32<<10)
	var held [][]byte
	for {
		n, err := c.daemon.Read(buf)
		if n > 0 {
			if d := time.Duration(p.delay.Load()); d > 0 {
				time.Sleep(d)
			}
			if c.doomed.Load() {
				p.Down()
				return
			}
			chunk := append([]byte(nil), buf[:n]...)
			if c.stalled.Load() {
				held = append(held, chunk)
				continue
			}
			for _, h := range held {
				if _, werr := c.client.Write(h); werr != nil {
					return
				}
			}
			held = nil
			if _, werr := c.client.Write(chunk); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// NoLeaks notes the goroutines running now; the function it returns fails
// the test if any other is still running then (after retrying for a while),
// apart from the proxy's and the test registry's own.
func NoLeaks(t testing.TB) func() {
	t.Helper()
	opts := []goleak.Option{
		goleak.IgnoreCurrent(),
		goleak.IgnoreAnyFunction("github.com/layerlab/layerlab/docker/dockertest.(*Proxy).accept"),
		goleak.IgnoreAnyFunction("github.com/layerlab/layerlab/docker/dockertest.(*Proxy).requests"),
		goleak.IgnoreAnyFunction("github.com/layerlab/layerlab/docker/dockertest.(*Proxy).answers"),
		goleak.IgnoreAnyFunction("net/http.(*conn).serve"),
		goleak.IgnoreAnyFunction("net/http.(*connReader).backgroundRead"),
	}
	return func() {
		t.Helper()
		if err := goleak.Find(opts...); err != nil {
			t.Errorf("goroutines left behind: %v", err)
		}
	}
}
