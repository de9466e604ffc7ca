package docker_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/layerlab/layerlab/docker"
)

// TestADaemonThatDoesNotAnswerIsSaidSo: a daemon that takes the request and
// never answers (frozen: SIGSTOP, a full disk) is a KindNoAnswer error when
// the call's time is up, not a cancellation the learner made, nor a
// connection refused: a socket that holds every request, read and unanswered.
func TestADaemonThatDoesNotAnswerIsSaidSo(t *testing.T) {
	dir, err := os.MkdirTemp("", "llfrozen")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	sock := filepath.Join(dir, "docker.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			go func() { _, _ = c.Read(make([]byte, 4096)) }() // taken, never answered
		}
	}()
	defer func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	}()
	c, err := docker.New(docker.Endpoint{Host: "unix://" + sock, Source: "DOCKER_HOST"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err = c.Images(ctx)
	if docker.KindOf(err) != docker.KindNoAnswer || docker.IsConnection(err) {
		t.Errorf("a frozen daemon's list: %v (kind %v)", err, docker.KindOf(err))
	}
	// Stopped by the learner (esc) is still a cancellation.
	ctx2, cancel2 := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel2)
	if _, err := c.Images(ctx2); docker.KindOf(err) != docker.KindCanceled {
		t.Errorf("cancelled: %v (kind %v)", err, docker.KindOf(err))
	}
}
