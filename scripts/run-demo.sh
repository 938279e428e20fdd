#!/usr/bin/env bash
# Set up (if needed) and start the chat server with its pages on SQLite and the project's demo data.
# Everything it writes goes under ${INTAKE_HOME:-var}/. Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
INTAKE_SKIP_BROWSER=1 ./scripts/setup.sh
export INTAKE_HOME="${INTAKE_HOME:-var}"
.venv/bin/intake db upgrade
.venv/bin/intake demo load
exec .venv/bin/intake serve --host "${INTAKE_HOST:-127.0.0.1}" --port "${INTAKE_PORT:-8000}"
