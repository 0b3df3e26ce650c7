#!/usr/bin/env bash
# Install the Debian packages named as arguments if any is missing: with apt-get as root,
# otherwise print the exact command for an administrator and stop.
set -euo pipefail
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "These Debian packages are needed: ${missing[*]}" >&2
  echo "Ask an administrator to run: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
