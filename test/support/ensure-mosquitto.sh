#!/usr/bin/env bash
# Run before the tests (npm's pretest): test/e2e-asyncapi.test.ts runs the official AsyncAPI example through a
# real MQTT broker, Debian's mosquitto, which the test starts on 127.0.0.1 and stops. Installs it when it is
# missing and this machine can (root with apt-get); otherwise says so, and that test is skipped outside CI (in CI
# it fails).
set -u
if [ -x /usr/sbin/mosquitto ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's mosquitto for the MQTT end-to-end test"
  export DEBIAN_FRONTEND=noninteractive
  if { apt-get update -qq && apt-get install -y -qq --no-install-recommends mosquitto >/dev/null; }; then exit 0; fi
  echo "installing mosquitto failed" >&2
  [ "${CI:-}" = "true" ] && exit 1
  exit 0
fi
echo "note: /usr/sbin/mosquitto is missing and cannot be installed here (needs root and apt-get);" \
  "the MQTT end-to-end test is skipped outside CI" >&2
[ "${CI:-}" = "true" ] && exit 1
exit 0
