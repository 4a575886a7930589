#!/bin/sh
# Builds the instruction-counting QEMU TCG plugin bench/qemu_plugin/insn_count.c
# into a shared object and prints its path.
#
# usage: sh bench/qemu_plugin/build.sh [OUTDIR]   (default: build-bench-plugin)
#
# The plugin needs QEMU's public plugin header, qemu-plugin.h, of the QEMU
# that runs it (7.2 on Debian 12; the header is not committed here). It is
# taken from, in this order:
#   $QEMU_PLUGIN_H                   a path to the header
#   /usr/include/qemu-plugin.h       (distributions that package it)
#   .cache/qemu-plugin/<version>/qemu-plugin.h   extracted earlier
#   Debian's qemu source package     `apt-get source --download-only qemu`
#                                    (adds a deb-src line matching the
#                                    existing Debian suites if there is none),
#                                    then only include/qemu/qemu-plugin.h is
#                                    extracted into that cache directory.
# Idempotent: a second run reuses the cached header and the built plugin.
set -eu
root="$(cd "$(dirname "$0")/../.." && pwd)"
src="$root/bench/qemu_plugin/insn_count.c"
out="${1:-$root/build-bench-plugin}"
mkdir -p "$out"

qemu_version=$(qemu-system-arm --version | sed -n '1s/.*version \([0-9][0-9.]*\).*/\1/p')
cache="$root/.cache/qemu-plugin/$qemu_version"

header="${QEMU_PLUGIN_H:-}"
if [ -z "$header" ] && [ -f /usr/include/qemu-plugin.h ]; then header=/usr/include/qemu-plugin.h; fi
if [ -z "$header" ] && [ -f "$cache/qemu-plugin.h" ]; then header="$cache/qemu-plugin.h"; fi
if [ -z "$header" ]; then
  echo "build.sh: fetching qemu-plugin.h from Debian's qemu source package" >&2
  if ! grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    f=/etc/apt/sources.list.d/debian.sources
    [ -f "$f" ] || { echo "build.sh: no $f; set QEMU_PLUGIN_H" >&2; exit 2; }
    # Same URIs, suites and components as the binary entries.
    sed -i 's/^Types: deb$/Types: deb deb-src/' "$f"
    apt-get update -qq
  fi
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get source --download-only -qq qemu >/dev/null)
  tarball=$(ls "$tmp"/qemu_*.orig.tar.* | head -1)
  member=$(tar -tf "$tarball" | grep '/include/qemu/qemu-plugin.h$' | head -1)
  mkdir -p "$cache"
  tar -xOf "$tarball" "$member" >"$cache/qemu-plugin.h.tmp"
  mv "$cache/qemu-plugin.h.tmp" "$cache/qemu-plugin.h"
  rm -rf "$tmp"
  header="$cache/qemu-plugin.h"
fi

plugin="$out/libinsn_count.so"
if [ ! -f "$plugin" ] || [ "$src" -nt "$plugin" ] || [ "$header" -nt "$plugin" ]; then
  mkdir -p "$out/include"
  cp "$header" "$out/include/qemu-plugin.h"
  ${CC:-cc} -O2 -Wall -Wextra -shared -fPIC -I"$out/include" -o "$plugin" "$src"
fi
echo "$plugin"
