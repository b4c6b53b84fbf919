#!/bin/sh
# Entrypoint of the web, worker and beat containers.
#
#   entrypoint.sh salud   health check: GET /salud/ must answer 200 "ok"
#   entrypoint.sh CMD...  runs CMD, after `migrate` if MIGRATE_ON_START=true
#
# Only the web container sets MIGRATE_ON_START, so that the worker and beat,
# started at the same time, do not race it for the same migrations.
set -eu

if [ "${1:-}" = "salud" ]; then
    exec python - <<'PY'
import os
import sys
import urllib.request

# Send a Host that Django accepts: the first of ALLOWED_HOSTS ("*" or a
# ".dominio" wildcard are turned into a name they match).
host = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip()
host = host.replace("*", "localhost").lstrip(".") or "localhost"
peticion = urllib.request.Request(
    "http://127.0.0.1:8000/salud/", headers={"Host": host}
)
try:
    with urllib.request.urlopen(peticion, timeout=5) as respuesta:
        ok = respuesta.status == 200 and respuesta.read().strip() == b"ok"
except OSError as error:
    print(error, file=sys.stderr)
    ok = False
sys.exit(0 if ok else 1)
PY
fi

if [ "${MIGRATE_ON_START:-false}" = "true" ]; then
    python manage.py migrate --noinput
fi

exec "$@"
