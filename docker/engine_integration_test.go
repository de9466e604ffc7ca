package docker_test

import (
	"context"
	"testing"
	"time"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
)

// A real engine still connects, and is not taken for something else that
// answers (KindNotDocker): a daemon test, run against both engines.
func TestAnEngineIsDocker(t *testing.T) {
	c, _ := dockertest.Daemon(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.Connect(ctx); err != nil {
		if docker.KindOf(err) == docker.KindNotDocker {
			t.Errorf("the engine at %s is taken for something else: %v", c.Endpoint().Host, err)
		} else {
			t.Errorf("the engine at %s: %v", c.Endpoint().Host, err)
		}
	}
}
