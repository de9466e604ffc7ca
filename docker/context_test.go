package docker_test

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/layerlab/layerlab/docker"
)

// TestBuildContextStaysInItsFolder: a link inside the context that stays
// inside is sent as a link (as the CLI does); a link, a Dockerfile or a
// context folder that leads out of the lesson's folder is refused before
// anything is sent, saying which path leads where.
func TestBuildContextStaysInItsFolder(t *testing.T) {
	t.Parallel()
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.txt")
	if err := os.WriteFile(secret, []byte("the learner's private file"), 0o600); err != nil {
		t.Fatal(err)
	}
	mk := func(t *testing.T) string {
		root := t.TempDir()
		if err := os.MkdirAll(filepath.Join(root, "ctx", "sub"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "ctx", "Dockerfile"), []byte("FROM busybox\nCOPY . /x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "ctx", "sub", "hello.txt"), []byte("hi"), 0o644); err != nil {
			t.Fatal(err)
		}
		return root
	}
	link := func(t *testing.T, target, name string) {
		if err := os.Symlink(target, name); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("link inside is sent as a link", func(t *testing.T) {
		root := mk(t)
		link(t, "sub/hello.txt", filepath.Join(root, "ctx", "hello-link"))
		_, tarball, _, err := docker.PrepareContext(docker.BuildOptions{ContextDir: filepath.Join(root, "ctx"), Root: root})
		if err != nil {
			t.Fatal(err)
		}
		tr := tar.NewReader(bytes.NewReader(tarball))
		found := false
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if h.Name == "hello-link" {
				found = h.Typeflag == tar.TypeSymlink && h.Linkname == "sub/hello.txt"
			}
		}
		if !found {
			t.Error("the link inside the context was not sent as a link")
		}
	})
	refused := []struct {
		name  string
		setup func(t *testing.T, root string) docker.BuildOptions
	}{
		{"absolute link out", func(t *testing.T, root string) docker.BuildOptions {
			link(t, secret, filepath.Join(root, "ctx", "sub", "s"))
			return docker.BuildOptions{ContextDir: filepath.Join(root, "ctx"), Root: root}
		}},
		{"relative link out", func(t *testing.T, root string) docker.BuildOptions {
			rel, _ := filepath.Rel(filepath.Join(root, "ctx"), secret)
			link(t, rel, filepath.Join(root, "ctx", "s"))
			return docker.BuildOptions{ContextDir: filepath.Join(root, "ctx"), Root: root}
		}},
		{"link to /etc", func(t *testing.T, root string) docker.BuildOptions {
			link(t, "/etc", filepath.Join(root, "ctx", "etc"))
			return docker.BuildOptions{ContextDir: filepath.Join(root, "ctx"), Root: root}
		}},
		{"dangling link out", func(t *testing.T, root string) docker.BuildOptions {
			link(t, "/nonexistent/elsewhere", filepath.Join(root, "ctx", "d"))
			return docker.BuildOptions{ContextDir: filepath.Join(root, "ctx"), Root: root}
		}},
		{"Dockerfile is a link out", func(t *testing.T, root string) docker.BuildOptions {
			link(t, secret, filepath.Join(root, "Evil.Dockerfile"))
			return docker.BuildOptions{ContextDir: filepath.Join(root, "ctx"), Dockerfile: filepath.Join(root, "Evil.Dockerfile"), Root: root}
		}},
		{"context folder is a link out", func(t *testing.T, root string) docker.BuildOptions {
			if err := os.WriteFile(filepath.Join(outside, "Dockerfile"), []byte("FROM busybox\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			link(t, outside, filepath.Join(root, "elsewhere"))
			return docker.BuildOptions{ContextDir: filepath.Join(root, "elsewhere"), Root: root}
		}},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			o := c.setup(t, mk(t))
			_, tarball, _, err := docker.PrepareContext(o)
			if !errors.Is(err, &docker.Error{Kind: docker.KindOutside}) || tarball != nil {
				t.Fatalf("got %v (%d bytes packed), want it refused as outside", err, len(tarball))
			}
			t.Log(err)
		})
	}
}

// TestAMissingDockerfileIsNamed: a build without its Dockerfile (none in
// the folder, or -f naming a file that is not there) says which file, as
// its own kind: it is not "no such image".
func TestAMissingDockerfileIsNamed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, c := range []struct{ file, want string }{{"", "Dockerfile"}, {"env/Dockerfile", "env/Dockerfile"}} {
		_, _, _, err := docker.PrepareContext(docker.BuildOptions{ContextDir: dir, Dockerfile: c.file})
		var de *docker.Error
		if !errors.As(err, &de) || de.Kind != docker.KindNoDockerfile || de.Name != c.want {
			t.Errorf("-f %q: %v (%+v)", c.file, err, de)
		}
	}
	_, _, _, err := docker.PrepareContext(docker.BuildOptions{ContextDir: filepath.Join(dir, "nothere")})
	if docker.KindOf(err) != docker.KindNoContext {
		t.Errorf("a missing folder: %v", err)
	}
}

// TestNothingListeningIsNotADaemonThatIsSilent: a TCP address where nothing
// listens is told apart from a daemon that does not answer.
func TestNothingListeningIsNotADaemonThatIsSilent(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // the port is free now: nothing listens there
	c, err := docker.New(docker.Endpoint{Host: "tcp://" + addr, Source: "DOCKER_HOST"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = c.Connect(ctx)
	var de *docker.Error
	if !errors.As(err, &de) || de.Kind != docker.KindRefused || !de.NothingListens {
		t.Errorf("%v (%+v)", err, de)
	}
}
