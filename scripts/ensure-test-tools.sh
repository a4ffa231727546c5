#!/usr/bin/env bash
# Debian packages the tests need, installed when missing (root only): chromium for the browser
# tests, geographiclib-tools for RhumbSolve, the authority of the rhumb-line tests.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v RhumbSolve >/dev/null 2>&1 || missing+=(geographiclib-tools)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages for the tests: ${missing[*]} (apt-get install ${missing[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
command -v chromium >/dev/null && command -v RhumbSolve >/dev/null
