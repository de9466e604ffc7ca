package docker

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/versions"
	"github.com/docker/docker/client"
)

// MinAPIVersion is the oldest Engine API layerlab works with: Debian's docker.io 20.10.
const MinAPIVersion = "1.41"

// Endpoint says which daemon layerlab talks to and how it chose it, so a
// learner (and `layerlab doctor`) can see the same answer the docker CLI gives.
type Endpoint struct {
	Host string // e.g. unix:///var/run/docker.sock, tcp://10.0.0.2:2376
	// Source is where Host came from: "DOCKER_HOST", "context NAME" or "default".
	Source string
}

// Transport is the endpoint's scheme: "unix", "npipe", "tcp", "ssh" ("" if
// it cannot be read); the front end words it.
func (e Endpoint) Transport() string {
	u, err := url.Parse(e.Host)
	if err != nil {
		return ""
	}
	return u.Scheme
}

// Engine is what the daemon says about itself.
type Engine struct {
	Version    string // engine version, e.g. 20.10.24+dfsg1
	APIVersion string // negotiated API version, e.g. 1.41
	// EngineAPI is the newest API the engine speaks (1.56 on the current
	// line; layerlab's client speaks up to 1.51 and negotiates down).
	EngineAPI string
	OS, Arch  string
	// ContainerdStore: the engine keeps images in the containerd image store
	// (current engines, Docker Desktop), not a graph driver (see Info).
	ContainerdStore bool
	// Podman: the engine is Podman's Docker-compatible service (its
	// version's components say "Podman Engine"), where some requests mean
	// more than on Docker (rmi -f removes the containers using the image).
	Podman bool
}

// Client is layerlab's handle on one daemon. It is safe for concurrent use.
type Client struct {
	api      *client.Client
	endpoint Endpoint
	ledger   *Ledger
	// learner: the learner's own commands (AsLearner).
	learner bool
	// podman is set by Connect when the engine is Podman (shared with
	// AsLearner's client).
	podman *atomic.Bool
	// limits are shared with the AsLearner clients (SetLimits).
	limits *limitsBox
	// window tells this client's containers in a ledger that other
	// windows share (Record.Window): "PID:random", one per client; a
	// window whose process is gone owns nothing any more.
	window string
}

// AsLearner is a client for the learner's own commands, on the same
// connection: the classroom's second session, which stands in for their own
// terminal. What it makes is the learner's, as if they had used the docker
// CLI: no label of layerlab's, no record in any ledger (it keeps a ledger in
// memory of its own), no commit comment; and it refuses nothing for
// ownership: every object is the learner's to change, as in their terminal.
func (c *Client) AsLearner() *Client {
	return &Client{api: c.api, endpoint: c.endpoint, ledger: OpenLedger(""), learner: true, podman: c.podman, limits: c.limits}
}

// ResolveEndpoint finds the daemon the way the docker CLI does: DOCKER_HOST,
// else DOCKER_CONTEXT or the CLI config's currentContext, else the default socket.
func ResolveEndpoint() Endpoint {
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		return Endpoint{Host: h, Source: "DOCKER_HOST"}
	}
	name := os.Getenv("DOCKER_CONTEXT")
	cfgDir := os.Getenv("DOCKER_CONFIG")
	if cfgDir == "" {
		if home, err := os.UserHomeDir(); err == nil {
			cfgDir = filepath.Join(home, ".docker")
		}
	}
	if name == "" && cfgDir != "" {
		var cfg struct {
			CurrentContext string `json:"currentContext"`
		}
		if b, err := os.ReadFile(filepath.Join(cfgDir, "config.json")); err == nil && json.Unmarshal(b, &cfg) == nil {
			name = cfg.CurrentContext
		}
	}
	if name != "" && name != "default" && cfgDir != "" {
		sum := sha256.Sum256([]byte(name))
		meta := filepath.Join(cfgDir, "contexts", "meta", hex.EncodeToString(sum[:]), "meta.json")
		var m struct {
			Endpoints map[string]struct {
				Host string `json:"Host"`
			} `json:"Endpoints"`
		}
		if b, err := os.ReadFile(meta); err == nil && json.Unmarshal(b, &m) == nil {
			if ep, ok := m.Endpoints["docker"]; ok && ep.Host != "" {
				return Endpoint{Host: ep.Host, Source: "context " + name}
			}
		}
	}
	return Endpoint{Host: client.DefaultDockerHost, Source: "default"}
}

// New makes a client for the endpoint without contacting the daemon:
// startup must never block on it. Call Connect to talk to it.
func New(ep Endpoint) (*Client, error) {
	opts := []client.Opt{client.FromEnv, client.WithAPIVersionNegotiation()}
	if ep.Host != "" {
		opts = append(opts, client.WithHost(ep.Host))
	}
	api, err := client.NewClientWithOpts(opts...)
	if err != nil {
		return nil, &Error{Kind: KindHostUnreachable, Op: "connect", Host: ep.Host, Err: err, Detail: err.Error()}
	}
	w := make([]byte, 6)
	_, _ = rand.Read(w)
	window := strconv.Itoa(os.Getpid()) + ":" + hex.EncodeToString(w)
	return &Client{api: api, endpoint: ep, ledger: OpenLedger(""), podman: &atomic.Bool{}, limits: &limitsBox{}, window: window}, nil
}

// UseLedger makes the client record the tags it sets in l (and trust only l
// when deciding what it may remove). New starts with a ledger in memory.
func (c *Client) UseLedger(l *Ledger) { c.ledger = l }

// Ledger is the record of the tags layerlab set.
func (c *Client) Ledger() *Ledger { return c.ledger }

// Endpoint is the daemon this client talks to.
func (c *Client) Endpoint() Endpoint { return c.endpoint }

// IsPodman reports whether the engine Connect found is Podman's
// Docker-compatible service (false before Connect). AsLearner's clients
// share the answer.
func (c *Client) IsPodman() bool { return c.podman != nil && c.podman.Load() }

// Close releases the client's connections.
func (c *Client) Close() error { return c.api.Close() }

// Connect pings the daemon, negotiates the API version and checks it is new enough.
func (c *Client) Connect(ctx context.Context) (Engine, error) {
	ping, err := c.api.Ping(ctx)
	if err != nil {
		if answeredHTTP(err) {
			return Engine{}, &Error{Kind: KindNotDocker, Op: "connect", Host: c.endpoint.Host, Err: err}
		}
		return Engine{}, c.classifyConn(err, "connect")
	}
	if ping.APIVersion == "" {
		// Every Docker engine (and Podman's service) names its API version
		// in the answer to /_ping; a web server answering 200 does not.
		return Engine{}, &Error{Kind: KindNotDocker, Op: "connect", Host: c.endpoint.Host}
	}
	// It answered: slow from here on is not down (Podman's /version and
	// /info read its whole store, 10 s seen on a busy machine).
	ctx, done := afterPing(ctx)
	defer done()
	c.api.NegotiateAPIVersion(ctx)
	v, err := c.api.ServerVersion(ctx)
	if err != nil {
		return Engine{}, c.classify(err, "connect")
	}
	api := c.api.ClientVersion()
	if versions.LessThan(v.APIVersion, MinAPIVersion) {
		return Engine{}, &Error{Kind: KindTooOld, Op: "connect", Host: c.endpoint.Host,
			EngineAPI: v.APIVersion, MinAPI: MinAPIVersion,
			Detail: "engine " + v.Version + " speaks API " + v.APIVersion + ", layerlab needs " + MinAPIVersion + " or newer"}
	}
	e := Engine{Version: v.Version, APIVersion: api, EngineAPI: v.APIVersion, OS: v.Os, Arch: v.Arch, Podman: isPodman(v)}
	if c.podman != nil {
		c.podman.Store(e.Podman)
	}
	if e.Podman {
		return e, nil // no containerd image store there: its /info is not needed
	}
	if in, err := c.api.Info(ctx); err == nil {
		e.ContainerdStore = containerdStore(in.DriverStatus)
	}
	return e, nil
}

// SlowEngineWait is how long Connect waits for the engine's version once
// it answered its ping, whatever the caller's deadline: an engine that
// answers /_ping at once and /version in 10 s (Podman on a busy machine)
// is slow, not down. A cancellation still stops it.
const SlowEngineWait = 60 * time.Second

// afterPing is the context of the calls after a ping answered: ctx's
// cancellation without its deadline, for at most SlowEngineWait.
func afterPing(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); !ok {
		return context.WithCancel(ctx)
	}
	slow, cancel := context.WithTimeout(context.WithoutCancel(ctx), SlowEngineWait)
	stop := context.AfterFunc(ctx, func() {
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			cancel()
		}
	})
	return slow, func() { stop(); cancel() }
}

// classifyConn turns a failure to reach the daemon into a specific Kind. The SDK
// drops the reason for unix sockets, so look at the socket ourselves.
func (c *Client) classifyConn(err error, op string) error {
	if errors.Is(err, context.Canceled) {
		return &Error{Kind: KindCanceled, Op: op, Err: err}
	}
	if cutMidCall(err) {
		// The request reached a daemon that went away before it answered:
		// what was asked may have happened, or not.
		return &Error{Kind: KindInterrupted, Op: op, Host: c.endpoint.Host, Err: err, Detail: "the daemon went away before it answered"}
	}
	e := &Error{Kind: KindRefused, Op: op, Host: c.endpoint.Host, Err: err, Detail: err.Error()}
	u, perr := url.Parse(c.endpoint.Host)
	if perr == nil && u.Scheme == "unix" {
		path := u.Path
		if path == "" {
			path = u.Host
		}
		fi, serr := os.Stat(path)
		switch {
		case serr != nil && errors.Is(serr, os.ErrNotExist):
			e.Kind = KindSocketMissing
		case serr == nil && fi.Mode()&os.ModeSocket != 0:
			conn, derr := net.Dial("unix", path)
			if derr == nil {
				conn.Close()
			} else if errors.Is(derr, syscall.EACCES) || errors.Is(derr, os.ErrPermission) {
				e.Kind = KindPermission
			}
		case serr != nil && errors.Is(serr, os.ErrPermission):
			e.Kind = KindPermission
		}
		return e
	}
	if strings.Contains(err.Error(), "permission denied") {
		e.Kind = KindPermission
		return e
	}
	if perr == nil && u.Scheme == "tcp" {
		// The SDK drops the reason here too: is anything listening at all?
		d := net.Dialer{Timeout: 2 * time.Second}
		conn, derr := d.Dial("tcp", u.Host)
		if derr == nil {
			conn.Close()
		} else if errors.Is(derr, syscall.ECONNREFUSED) {
			e.NothingListens = true
			return e
		}
	}
	var nerr net.Error
	if errors.As(err, &nerr) && nerr.Timeout() || strings.Contains(err.Error(), "no such host") ||
		strings.Contains(err.Error(), "network is unreachable") || strings.Contains(err.Error(), "no route to host") {
		e.Kind = KindHostUnreachable
	}
	return e
}

// isPodman reports whether a version answer is Podman's.
func isPodman(v types.Version) bool {
	if strings.Contains(v.Platform.Name, "Podman") {
		return true
	}
	for _, c := range v.Components {
		if strings.Contains(c.Name, "Podman") {
			return true
		}
	}
	return false
}

// answeredHTTP reports whether err is an HTTP answer of an error status
// (the connection worked: something speaks HTTP at the address).
func answeredHTTP(err error) bool {
	if client.IsErrConnectionFailed(err) || cutMidCall(err) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	return strings.Contains(err.Error(), "Error response from daemon") || cerrdefs.IsNotFound(err) || cerrdefs.IsInternal(err) ||
		cerrdefs.IsPermissionDenied(err) || cerrdefs.IsInvalidArgument(err) || cerrdefs.IsUnavailable(err)
}

// cutMidCall reports whether a call's connection broke after it was made
// (EOF, reset) rather than before (no socket, refused).
func cutMidCall(err error) bool {
	s := err.Error()
	return strings.HasSuffix(s, ": EOF") || strings.Contains(s, "unexpected EOF") ||
		strings.Contains(s, "connection reset by peer") || strings.Contains(s, "broken pipe")
}

// Info is what doctor reports about the daemon.
type Info struct {
	Engine
	RootDir       string
	StorageDriver string
	// ContainerdStore is true when images live in containerd's image store
	// (a snapshotter: the default of current engines and Docker Desktop),
	// false for the classic graph drivers (overlay2 on Docker 20.10).
	ContainerdStore bool
	// BuildKitDefault is true when the engine builds with BuildKit unless
	// asked otherwise (Docker 23 and newer); the classic builder is there too.
	BuildKitDefault bool
	Images          int
	Containers      int
}

// Info reads the daemon's description.
func (c *Client) Info(ctx context.Context) (Info, error) {
	in, err := c.api.Info(ctx)
	if err != nil {
		return Info{}, c.classify(err, "info")
	}
	out := Info{RootDir: in.DockerRootDir, StorageDriver: in.Driver, Images: in.Images, Containers: in.Containers}
	out.ContainerdStore = containerdStore(in.DriverStatus)
	if p, err := c.api.Ping(ctx); err == nil {
		out.BuildKitDefault = p.BuilderVersion == build.BuilderBuildKit
	}
	return out, nil
}

// RegistryReachable asks a registry (HOST:PORT, or "" for Docker Hub) for its
// API root, as the daemon would before a pull. Any HTTP answer (200, 401)
// means it is there.
func RegistryReachable(ctx context.Context, host string) error {
	url := "https://registry-1.docker.io/v2/"
	if host != "" {
		// Like the daemon: a registry on this machine is insecure (plain
		// HTTP) by default; any other is asked over HTTPS.
		scheme := "https://"
		if h := strings.Split(host, ":")[0]; h == "localhost" || strings.HasPrefix(h, "127.") {
			scheme = "http://"
		}
		url = scheme + strings.TrimSuffix(host, "/") + "/v2/"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return classifyMessage(err, "reach "+url)
	}
	resp.Body.Close()
	return nil
}

// containerdStore reads docker info's driver status: the containerd image
// store names its snapshotter there as the driver type.
func containerdStore(status [][2]string) bool {
	for _, kv := range status {
		if kv[0] == "driver-type" && strings.Contains(kv[1], "snapshotter") {
			return true
		}
	}
	return false
}
