#!/usr/bin/env bash
# Checks (and, as root, installs) what Boucle needs to build, test and run on
# Debian 12 / Ubuntu. Silent when everything is already there.
#
#   - cgo build of the Fyne desktop app: gcc pkg-config and the GL/X11/Wayland headers
#   - headless runs and screenshots: xvfb xauth libgl1-mesa-dri imagemagick xdotool dbus-x11
#   - PDF checks: poppler-utils (pdftoppm)
#   - the PostgreSQL store's tests: postgresql (Debian 12: PostgreSQL 15); they
#     start their own server from its binaries (internal/pgtest), not the
#     package's service
#   - Go >= 1.26 on PATH or in /usr/local/go/bin
#
# Exit status: 0 when everything is present (or was installed), 1 otherwise.
set -euo pipefail

packages=(
	gcc pkg-config
	libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev
	libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev
	xvfb xauth libgl1-mesa-dri imagemagick xdotool poppler-utils dbus-x11
	postgresql
)
go_min_major=1
go_min_minor=26

status=0

missing=()
for pkg in "${packages[@]}"; do
	st=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case "$st" in
	*" ok installed") ;;
	*) missing+=("$pkg") ;;
	esac
done

if ((${#missing[@]} > 0)); then
	if [[ $(id -u) -eq 0 ]]; then
		echo "install-deps: installing ${missing[*]}" >&2
		apt-get update
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
	else
		echo "install-deps: missing system packages: ${missing[*]}" >&2
		echo "install-deps: run this, then try again:" >&2
		echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
		status=1
	fi
fi

# Go: on PATH, or where the official tarball puts it.
gobin=$(command -v go || true)
if [[ -z $gobin && -x /usr/local/go/bin/go ]]; then
	gobin=/usr/local/go/bin/go
fi
if [[ -z $gobin ]]; then
	echo "install-deps: Go not found on PATH nor in /usr/local/go/bin." >&2
	echo "install-deps: install Go ${go_min_major}.${go_min_minor} or newer from https://go.dev/dl/ (e.g. into /usr/local/go)." >&2
	status=1
else
	# GOTOOLCHAIN=local: report the installed toolchain, not one go.mod would fetch.
	gover=$(GOTOOLCHAIN=local "$gobin" env GOVERSION 2>/dev/null || true)
	if [[ $gover =~ ^go([0-9]+)\.([0-9]+) ]]; then
		major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]}
		if ((major < go_min_major || (major == go_min_major && minor < go_min_minor))); then
			echo "install-deps: $gobin is $gover; Boucle needs Go ${go_min_major}.${go_min_minor} or newer (https://go.dev/dl/)." >&2
			status=1
		fi
	else
		echo "install-deps: could not read the version of $gobin (got '${gover}'); Boucle needs Go ${go_min_major}.${go_min_minor} or newer." >&2
		status=1
	fi
fi

exit "$status"
