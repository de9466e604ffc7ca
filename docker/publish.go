package docker

import (
	"context"
	"encoding/json"
	"errors"
	"io"

	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/pkg/jsonmessage"
)

// Publish pushes the local Docker Hub image src (busybox:latest) to the
// registry mirror (HOST:PORT, a registry on loopback: no TLS, no login)
// under its Docker Hub path (MIRROR/library/busybox:latest), where pulls
// through that mirror find it: `docker tag` + `docker push` + `docker rmi`
// of the tag. The tag it sets for the push is layerlab's (recorded in the
// ledger while it stands) and is gone when Publish returns.
func (c *Client) Publish(ctx context.Context, src, mirror string) error {
	ref, err := ParseRef(src)
	if err != nil {
		return err
	}
	via, ok := ref.Via(mirror)
	if !ok {
		return &Error{Kind: KindBadReference, Op: "publish " + src, Detail: src + " is not a Docker Hub image"}
	}
	target, err := ParseRef(via)
	if err != nil {
		return err
	}
	op := "push " + target.String()
	if _, err := c.Tag(ctx, src, target, "classroom"); err != nil {
		return err
	}
	defer func() {
		// Only the tag goes: src keeps its own names.
		_, _ = c.RemoveImage(context.WithoutCancel(ctx), target.String(), false)
	}()
	rc, err := c.api.ImagePush(ctx, target.Full(), image.PushOptions{RegistryAuth: "e30="}) // base64 of {}
	if err != nil {
		return c.classify(err, op)
	}
	defer rc.Close()
	dec := json.NewDecoder(rc)
	for {
		var m jsonmessage.JSONMessage
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return c.classify(err, op)
		}
		if m.Error != nil {
			return &Error{Kind: KindUnknown, Op: op, Detail: m.Error.Message}
		}
	}
}
