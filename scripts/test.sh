#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite: lint, then pytest on SQLite and PostgreSQL.
# Extra arguments go to pytest (e.g. ./scripts/test.sh tests/workorders -x).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

# PostgreSQL is the production database: make sure the local server runs (tests that need it skip
# with a reason when it cannot be reached).
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi

export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 PYTHONHASHSEED=0
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
