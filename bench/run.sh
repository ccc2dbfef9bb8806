#!/usr/bin/env bash
# `make bench`: install wrk when it is missing (Debian's package, as .ci/run installs what the suite
# needs), start the local PostgreSQL if it is stopped, then run the benchmark (python -m bench).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
  echo "installing: wrk"
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk
fi
bash scripts/ensure-services.sh
exec "${VENV:-.venv}/bin/python" -m bench --scale "${SCALE:-1}" "$@"
