"""What the benchmarks share: their scratch PostgreSQL database."""

import os
import sys
from urllib.parse import urlsplit, urlunsplit


def url_bench(base: str) -> str:
    """DATABASE_URL (default: the local server) pointed at the scratch `base`."""
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    partes = urlsplit(url)
    if not partes.scheme.startswith("postgres"):
        sys.exit("the benchmarks need a PostgreSQL DATABASE_URL")
    return urlunsplit(partes._replace(path=f"/{base}"))


def psql_admin(base: str, sql: str) -> None:
    """Run `sql` (CREATE/DROP DATABASE) on the server's maintenance database."""
    import psycopg2

    partes = urlsplit(url_bench(base))
    conn = psycopg2.connect(
        dbname="postgres",
        user=partes.username,
        password=partes.password,
        host=partes.hostname,
        port=partes.port or 5432,
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql)
    conn.close()
