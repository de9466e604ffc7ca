#!/bin/sh
# Records what the docker CLI prints for the volume commands lesson 10
# teaches, as record.sh does (same arguments, same format).
set -u
D=$1 CLI=$2
rec() { # NAME ARGS...
	name=$1; shift
	out=$name.$CLI.txt
	{ echo "\$ docker $*"; "$D" "$@" 2>&1; echo "[exit $?]"; } >"$out"
}
"$D" rm -f llcli10-box >/dev/null 2>&1
"$D" volume rm llcli10-data >/dev/null 2>&1
rec volume-create volume create llcli10-data
rec volume-create-again volume create llcli10-data
rec volume-ls volume ls --filter name=llcli10
"$D" run -d --name llcli10-box -v llcli10-data:/data busybox sleep 600 >/dev/null
rec volume-rm-in-use volume rm llcli10-data
"$D" rm -f llcli10-box >/dev/null
rec volume-rm volume rm llcli10-data
rec volume-rm-gone volume rm llcli10-data
rec volume-inspect-gone volume inspect llcli10-data
