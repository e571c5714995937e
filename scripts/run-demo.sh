#!/usr/bin/env bash
# make run: seeds a demo plant, starts the plant server on 127.0.0.1:8477 and
# opens the desktop app against it; stops the server when the app exits.
#
# Data lives under .run/ (gitignored): .run/server for the server, .run/desktop
# for the desktop app, .run/server.log for the server's output. Each run starts
# from a fresh demo plant; BOUCLE_KEEP=1 keeps the existing .run/ data instead.
#
# Without a display (neither DISPLAY nor WAYLAND_DISPLAY set) the desktop app
# cannot open a window: the script says so and keeps the server in the
# foreground, so the HTTP API can still be used; Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

addr=127.0.0.1:8477
url=http://$addr
run=.run
server_bin=bin/boucle-server
app_bin=bin/boucle

for b in "$server_bin" "$app_bin"; do
	if [[ ! -x $b ]]; then
		echo "run-demo: $b is missing; run 'make build' first (or use 'make run')." >&2
		exit 1
	fi
done

# healthy: true when GET /healthz answers 200. Uses bash's /dev/tcp, so neither
# curl nor wget is needed.
healthy() {
	(
		exec 3<>"/dev/tcp/${addr%:*}/${addr##*:}" || exit 1
		printf 'GET /healthz HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n' "$addr" >&3
		IFS= read -r -t 2 status <&3 || exit 1
		[[ $status == "HTTP/1."?" 200"* ]]
	) 2>/dev/null
}

if healthy; then
	echo "run-demo: something already answers on $url; stop it first." >&2
	exit 1
fi

if [[ ${BOUCLE_KEEP:-} == 1 && -d $run/server ]]; then
	echo "run-demo: BOUCLE_KEEP=1: reusing the data in $run/ (no new demo seed)."
else
	rm -rf "$run/server" "$run/desktop"
	mkdir -p "$run/server"
	echo "run-demo: seeding a demo plant in $run/server"
	"$server_bin" demo --data "$run/server"
fi
fresh_desktop=0
[[ -d "$run/desktop" ]] || fresh_desktop=1
mkdir -p "$run/desktop"

server_pid=
# shellcheck disable=SC2317 # called from the EXIT trap
stop_server() {
	if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
		echo "run-demo: stopping the server (pid $server_pid)"
		kill -TERM "$server_pid" 2>/dev/null || true
		for _ in $(seq 50); do
			kill -0 "$server_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	server_pid=
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$server_bin" serve --data "$run/server" --addr "$addr" >"$run/server.log" 2>&1 &
server_pid=$!

for i in $(seq 150); do
	if healthy; then
		break
	fi
	if ! kill -0 "$server_pid" 2>/dev/null; then
		echo "run-demo: the server exited during start-up; its output ($run/server.log):" >&2
		cat "$run/server.log" >&2
		server_pid=
		exit 1
	fi
	if ((i == 150)); then
		echo "run-demo: no answer from $url/healthz after 30 s; server output ($run/server.log):" >&2
		cat "$run/server.log" >&2
		exit 1
	fi
	sleep 0.2
done
echo "run-demo: server up at $url (log: $run/server.log)"

if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
	cat <<MSG
run-demo: no display (DISPLAY and WAYLAND_DISPLAY are unset), so the desktop app
run-demo: cannot open its window. Run 'make run' from a graphical session to use it.
run-demo: The server keeps running here so its API can be used at $url;
run-demo: press Ctrl-C to stop it. Its output follows.
MSG
	tail -n +1 -f "$run/server.log" --pid="$server_pid" &
	tail_pid=$!
	status=0
	wait "$server_pid" || status=$?
	server_pid=
	kill "$tail_pid" 2>/dev/null || true
	echo "run-demo: the server exited with status $status" >&2
	exit "$status"
fi

# A fresh workstation enrols itself with a one-time code, as a new
# workstation on the shop floor would with the code its admin gives it.
enrol=()
if ((fresh_desktop)); then
	code=$("$server_bin" device enrol --data "$run/server" | sed -n 's/^enrolment code: //p')
	if [[ -n "$code" ]]; then
		enrol=(--enrol "$code" --station PRESS2)
		echo "run-demo: this workstation enrols as station PRESS2 (logins are listed in $run/server/demo-logins.txt)"
	fi
fi

echo "run-demo: starting the desktop app; the server stops when it exits"
status=0
"$app_bin" --server "$url" --data "$run/desktop" "${enrol[@]}" || status=$?
exit "$status"
