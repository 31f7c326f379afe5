#!/usr/bin/env bash
# Run before the tests (npm's pretest): test/docs-render.test.ts renders diagrams in Debian's Chromium, driven
# by playwright-core, which downloads no browser of its own. Installs it when it is missing and this machine
# can (root with apt-get); otherwise says so, and that test is skipped outside CI (in CI it fails).
set -u
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the diagram rendering test"
  export DEBIAN_FRONTEND=noninteractive
  if { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }; then exit 0; fi
  echo "installing chromium failed" >&2
  [ "${CI:-}" = "true" ] && exit 1
  exit 0
fi
echo "note: /usr/bin/chromium is missing and cannot be installed here (needs root and apt-get);" \
  "the diagram rendering test is skipped outside CI" >&2
[ "${CI:-}" = "true" ] && exit 1
exit 0
