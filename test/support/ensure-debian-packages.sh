#!/usr/bin/env bash
# Run before the tests (npm's pretest): installs the Debian packages some tests start for real, when they are
# missing and this machine can (root with apt-get); otherwise says so, and those tests are skipped outside CI (in
# CI this fails). Each argument is package:program:purpose, where program is a path or a command name.
#   chromium   test/docs-render.test.ts renders diagrams in it, driven by playwright-core (no browser download)
#   busybox    test/bin-busybox.test.ts runs the bin's shebang through BusyBox's sh and env, as on Alpine
#   mosquitto  test/e2e-asyncapi.test.ts runs the official AsyncAPI example through this MQTT broker
set -u
present() { if [[ "$1" == /* ]]; then [ -x "$1" ]; else command -v "$1" >/dev/null 2>&1; fi; }
missing=()
purposes=()
for spec in "$@"; do
  IFS=: read -r package program purpose <<<"$spec"
  if ! present "$program"; then
    missing+=("$package")
    purposes+=("$purpose")
  fi
done
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's ${missing[*]} for the tests: ${purposes[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; then exit 0; fi
  echo "installing ${missing[*]} failed" >&2
else
  echo "note: ${missing[*]} missing and cannot be installed here (needs root and apt-get);" \
    "these tests are skipped outside CI: ${purposes[*]}" >&2
fi
[ "${CI:-}" = "true" ] && exit 1
exit 0
