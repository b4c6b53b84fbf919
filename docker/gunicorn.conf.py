"""gunicorn's settings for the web container (the Dockerfile's command) and for
bench/carga.py, which measures that same server. The command line overrides
them (the bench binds to a free port on 127.0.0.1 and may set its workers).

Workers: gunicorn reads WEB_CONCURRENCY (docker-compose sets 3: decision 0017).
"""

import gc

bind = "0.0.0.0:8000"
timeout = 120
accesslog = "-"


def post_worker_init(worker) -> None:
    # What is alive once the application is loaded (modules, settings, the URL
    # conf) lives as long as the worker. Frozen, the garbage collector stops
    # walking it on every full collection: 5 % of a page's CPU measured with
    # bench/carga.py's mix in one process (decision 0017).
    gc.freeze()
