"""What ``DD_DATABASE_URL`` / ``DD_DB`` / ``--db`` name: a SQLite file or a PostgreSQL server.

Accepted forms::

    ./duediligence.db                     a bare path: SQLite (the default)
    sqlite:///relative/city.db            SQLite, path relative to the working directory
    sqlite:////srv/duediligence/city.db   SQLite, absolute path (four slashes, as SQLAlchemy)
    sqlite:///:memory:  or  :memory:      SQLite in memory
    postgresql://user:pw@host:5432/dbname?sslmode=require   PostgreSQL (libpq URL; postgres:// too)

A PostgreSQL URL is handed to libpq as it is, so every libpq parameter works.
:attr:`DatabaseTarget.display` names host, port and database and never the password:
it is what log lines and error messages show.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

_PG_SCHEMES = ("postgresql://", "postgres://")


@dataclass(frozen=True, slots=True)
class DatabaseTarget:
    engine: str  # "sqlite" or "postgresql"
    location: str  # the SQLite path, or the libpq URL (with its password: never print it)
    host: str = ""
    port: str = ""
    dbname: str = ""

    @property
    def display(self) -> str:
        """Where the database is, for people: the file, or host:port/dbname (no password)."""
        if self.engine == "sqlite":
            return self.location
        return f"{self.host}:{self.port}/{self.dbname}"

    @property
    def is_postgresql(self) -> bool:
        return self.engine == "postgresql"


def parse_database_url(text: str) -> DatabaseTarget:
    """Read a database setting; anything that is not a URL is a SQLite path."""
    value = text.strip()
    lowered = value.lower()
    if lowered.startswith(_PG_SCHEMES):
        return _postgresql(value)
    if lowered.startswith("sqlite:"):
        rest = value[len("sqlite:") :]
        if rest in ("", "//", "///:memory:", "//:memory:"):
            return DatabaseTarget("sqlite", ":memory:")
        if not rest.startswith("///"):
            raise ValueError("a SQLite URL is sqlite:///relative/path or sqlite:////absolute/path")
        return DatabaseTarget("sqlite", unquote(rest[3:]))
    return DatabaseTarget("sqlite", value)


def _postgresql(url: str) -> DatabaseTarget:
    parts = urlsplit(url)
    query = dict(
        pair.split("=", 1) if "=" in pair else (pair, "") for pair in parts.query.split("&") if pair
    )
    host = unquote(parts.hostname or "") or unquote(query.get("host", "")) or "localhost"
    try:
        port = str(parts.port or query.get("port") or 5432)
    except ValueError:
        raise ValueError("the port of a PostgreSQL URL must be a number") from None
    dbname = unquote(parts.path.lstrip("/")) or unquote(query.get("dbname", ""))
    user = unquote(parts.username or "") or query.get("user", "")
    return DatabaseTarget("postgresql", url, host=host, port=port, dbname=dbname or user or "")


def redact(url: str) -> str:
    """*url* with any password replaced by ``***`` (for a log line)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()
