#!/usr/bin/env bash
# Run before the tests (npm's pretest): test/bin-busybox.test.ts runs the bin's shebang through BusyBox's sh and
# env, as on Alpine. Installs Debian's busybox when it is missing and this machine can (root with apt-get);
# otherwise says so, and that test is skipped outside CI (in CI it fails).
set -u
if command -v busybox >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's busybox for the bin's BusyBox test"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get install -y -qq busybox >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq busybox >/dev/null; }; then exit 0; fi
  echo "installing busybox failed" >&2
  [ "${CI:-}" = "true" ] && exit 1
  exit 0
fi
echo "note: busybox is missing and cannot be installed here (needs root and apt-get);" \
  "the bin's BusyBox test is skipped outside CI" >&2
[ "${CI:-}" = "true" ] && exit 1
exit 0
