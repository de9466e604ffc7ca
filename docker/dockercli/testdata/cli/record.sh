#!/bin/sh
# Records what the docker CLI prints for the commands the : line takes and
# the errors the lessons provoke, one file per command and CLI:
#   NAME.CLI.txt: "$ docker …", then stdout and stderr as the CLI printed
#   them (one stream, 2>&1, not a terminal), then "[exit N]".
# Usage (from this folder, DOCKER_HOST naming a private engine that has
# busybox:latest): ./record.sh /usr/bin/docker 20.10   or
#                  ./record.sh /usr/local/bin/docker 28.2.2
set -u
D=$1 CLI=$2
rec() { # NAME ARGS...
	name=$1; shift
	out=$name.$CLI.txt
	{ echo "\$ docker $*"; "$D" "$@" 2>&1; echo "[exit $?]"; } >"$out"
}
rec_in() { # DIR NAME ARGS...: rec, writing into DIR
	dir=$1 name=$2; shift 2
	{ echo "\$ DOCKER_BUILDKIT=0 docker $*"; "$D" "$@" 2>&1; echo "[exit $?]"; } >"$dir/$name.$CLI.txt"
}
"$D" rm -f llcli31-box llcli31-other >/dev/null 2>&1
"$D" rmi llcli31-tag:1 llcli31-build:1 >/dev/null 2>&1
# A running container, a tag of busybox's, a classic build's intermediate images.
"$D" run -d --name llcli31-box busybox sleep 600 >/dev/null
"$D" tag busybox:latest llcli31-tag:1
printf 'FROM busybox:latest\nRUN echo one > /one\nRUN echo two > /two\n' |
	DOCKER_BUILDKIT=0 "$D" build -q -t llcli31-build:1 - >/dev/null 2>&1
rec rm-running rm llcli31-box
rec run-name-in-use run -d --name llcli31-box busybox sleep 600
rec rm-gone rm nosuch
rec rm-f-gone rm -f nosuch
rec images-filter images 'llcli31-t*'
rec images-filter-tag images 'llcli31-tag:1*'
rec images-filter-none images 'library/llcli31*'
rec images-all images -a
rec images-no-trunc images --no-trunc llcli31-tag
rec rmi-two-one-gone rmi nosuch:1 llcli31-tag:1
rec typo imgaes
rec inspect-gone inspect nosuch
rec flag-unknown images --bogus
rec ps-no-trunc ps --no-trunc --filter name=llcli31-box
rec ps ps --filter name=llcli31-box
rec history history busybox
rec history-no-trunc history --no-trunc busybox
# A pull of an image already on disk, through a registry on loopback
# standing in for Docker Hub (no internet here): the CLI names it by the
# registry's address where Docker Hub's would be busybox.
REG=$(cd ../../../.. && go build -o /tmp/llcli31-registry ./docker/dockercli/testdata/cli/registry && echo ok)
if [ "$REG" = ok ]; then
	/tmp/llcli31-registry >/tmp/llcli31-registry.addr &
	pid=$!
	sleep 1
	R=$(cat /tmp/llcli31-registry.addr)
	"$D" tag busybox:latest "$R/library/busybox:latest"
	"$D" push "$R/library/busybox:latest" >/dev/null
	rec pull-up-to-date pull "$R/library/busybox"
	sed -i "s#$R#MIRROR#g" pull-up-to-date.$CLI.txt
	"$D" rmi "$R/library/busybox:latest" >/dev/null
	kill "$pid"
fi
# The classic builder (DOCKER_BUILDKIT=0), twice: the second from its cache,
# then with --no-cache.
ctx=$(mktemp -d)
printf 'FROM busybox:latest\nRUN echo llcli31 > /hi\nCMD ["sh"]\n' >"$ctx/Dockerfile"
"$D" rmi llcli31-classic:1 >/dev/null 2>&1
(cd "$ctx" && DOCKER_BUILDKIT=0 "$D" build -t llcli31-classic:1 . >/dev/null 2>&1)
(cd "$ctx" && DOCKER_BUILDKIT=0 rec_in "$OLDPWD" build-classic-cached build -t llcli31-classic:1 .)
cached=$("$D" images -q llcli31-classic:1)
(cd "$ctx" && DOCKER_BUILDKIT=0 rec_in "$OLDPWD" build-classic-no-cache build --no-cache -t llcli31-classic:1 .)
"$D" rmi "$cached" >/dev/null 2>&1 # the cached build, untagged by the rebuild
"$D" rmi llcli31-classic:1 >/dev/null 2>&1
rm -rf "$ctx"
"$D" rm -f llcli31-box >/dev/null
"$D" rmi llcli31-tag:1 llcli31-build:1 >/dev/null 2>&1
exit 0
