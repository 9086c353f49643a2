#!/usr/bin/env bash
# Installs the Debian packages stubborn needs to build and test, when any is missing.
set -euo pipefail

# golang-go: the Go inferiors; clang-14 + libclang-rt-14-dev: the libFuzzer target.
packages=(cmake make g++ pkg-config libasio-dev libfmt-dev catch2 libexpected-dev
          gdb gdbserver python3 procps golang-go clang-14 libclang-rt-14-dev)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
