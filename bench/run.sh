#!/usr/bin/env bash
# `make bench`: install wrk and /usr/bin/time when they are missing (Debian's packages, as .ci/run installs
# what the suite needs; the memory step reads a job's peak from `time -v`, which the shell's builtin lacks),
# start the local PostgreSQL if it is stopped, then run the benchmark (python -m bench).
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
bash scripts/ensure-services.sh
exec "${VENV:-.venv}/bin/python" -m bench --scale "${SCALE:-1}" "$@"
