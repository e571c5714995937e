#!/usr/bin/env bash
# make package: bundles ./cmd/boucle for Linux with the fyne tool, into
# bin/Boucle.tar.xz (usr/local/{bin,share/applications,share/pixmaps} and a
# Makefile whose 'make install' puts them in place).
#
# fyne package reads FyneApp.toml only from the main package's folder, bumps its
# Build number, writes fyne_metadata_init.go next to the sources while building
# and deletes a binary named after that folder. So it runs on a copy of the
# module in a temporary folder, with FyneApp.toml from the repo root copied
# into cmd/boucle: nothing in the working tree changes. Bump Version/Build in
# the root FyneApp.toml by hand when releasing.
#
# FYNE: path of the fyne tool (the Makefile installs a pinned one).
# FYNE_PACKAGE_FLAGS: extra flags, default -release (-trimpath, -s -w, tag
# release; the first release build recompiles every dependency once).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
fyne=${FYNE:-fyne}
read -r -a flags <<<"${FYNE_PACKAGE_FLAGS--release}"
main=cmd/boucle
out=bin

[[ -f FyneApp.toml ]] || { echo "package: FyneApp.toml is missing at the repo root" >&2; exit 1; }
[[ -d $main ]] || { echo "package: $main does not exist yet" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/boucle-package.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/src" "$tmp/out"

tar -C "$root" --exclude=./.git --exclude=./bin --exclude=./.run --exclude=./fyne-cross \
	--exclude='*.tar.xz' -cf - . | tar -C "$tmp/src" -xf -

# The metadata where fyne looks for it; its icon path made absolute, since
# fyne resolves a relative one against the main package's folder.
if [[ ! -f $tmp/src/$main/FyneApp.toml ]]; then
	sed -E "s|^([[:space:]]*Icon[[:space:]]*=[[:space:]]*\")([^/\"][^\"]*)\"|\1$tmp/src/\2\"|" \
		FyneApp.toml >"$tmp/src/$main/FyneApp.toml"
fi

# fyne writes the archive into the folder it was started from.
(cd "$tmp/out" && "$fyne" package -os linux -src "$tmp/src/$main" "${flags[@]}")

shopt -s nullglob
archives=("$tmp"/out/*.tar.xz)
if ((${#archives[@]} != 1)); then
	echo "package: expected one .tar.xz from fyne package, found ${#archives[@]}" >&2
	exit 1
fi
mkdir -p "$out"
dest=$out/$(basename "${archives[0]}")
mv -f "${archives[0]}" "$dest"
echo "package: wrote $dest"
tar -tJvf "$dest"
