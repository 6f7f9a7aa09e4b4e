"""Settings read once from the environment and then passed explicitly.

Library code never reads ``os.environ`` itself: the CLI and the bot build a
:class:`Settings` at start-up and hand its values down.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .business_calendar import BusinessCalendar
from .errors import ConfigError
from .messages import normalize_lang
from .store.url import parse_database_url

DEFAULT_MAX_UPLOAD = 100 * 1024 * 1024
T = TypeVar("T")
YEAR_END_CLOSURE = "12/29-1/3"  # 年末年始, closed in most municipal offices


def _split(value: str | None) -> frozenset[str]:
    return frozenset(p.strip() for p in (value or "").split(",") if p.strip())


@dataclass(frozen=True)
class Settings:
    db: str = "./duediligence.db"
    evidence_dir: str = ""
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Tokyo"))
    lang: str = "ja"
    secretariat_users: frozenset[str] = frozenset()
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD
    closed_days: str = YEAR_END_CLOSURE  # DD_CLOSED_DAYS: the office's own closure days
    db_pool: int = 5  # DD_DB_POOL: PostgreSQL connections per process
    busy_seconds: float = 30.0  # DD_BUSY_SECONDS: how long a write waits for another's lock
    retention_years: int = 5  # DD_RETENTION_YEARS: evidence kept this long after close

    def calendar(self) -> BusinessCalendar:
        """Business days: weekends, national holidays and ``closed_days`` (e.g. 12/29-1/3)."""
        return BusinessCalendar.from_spec(self.closed_days)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        db = env.get("DD_DATABASE_URL") or env.get("DD_DB") or "./duediligence.db"
        target = _checked(
            env,
            "DD_DATABASE_URL" if env.get("DD_DATABASE_URL") else "DD_DB",
            "./duediligence.db",
            parse_database_url,
        )
        beside = Path(".") if target.is_postgresql else Path(target.location).resolve().parent
        evidence_dir = env.get("DD_EVIDENCE_DIR") or str((beside / "evidence").resolve())
        return cls(
            db=db,
            db_pool=_checked(env, "DD_DB_POOL", "5", _size),
            busy_seconds=_checked(env, "DD_BUSY_SECONDS", "30", _seconds),
            retention_years=_checked(env, "DD_RETENTION_YEARS", "5", _size),
            evidence_dir=evidence_dir,
            tz=_checked(env, "DD_TZ", "Asia/Tokyo", ZoneInfo),
            lang=normalize_lang(env.get("DD_LANG")),
            secretariat_users=_split(env.get("DD_SECRETARIAT_USERS")),
            max_upload_bytes=_checked(env, "DD_MAX_UPLOAD_BYTES", str(DEFAULT_MAX_UPLOAD), _size),
            closed_days=_checked(env, "DD_CLOSED_DAYS", YEAR_END_CLOSURE, _closed_days),
        )


def _checked(env: Mapping[str, str], name: str, default: str, read: Callable[[str], T]) -> T:
    """Read one variable; a bad value stops start-up with its name and what was given."""
    value = env.get(name) or default
    try:
        return read(value)
    except (ValueError, KeyError, ZoneInfoNotFoundError) as err:
        raise ConfigError(name=name, value=value, detail=str(err)) from None


def _size(value: str) -> int:
    size = int(value)
    if size <= 0:
        raise ValueError("must be a positive number of bytes")
    return size


def _seconds(value: str) -> float:
    seconds = float(value)
    if not 0 < seconds <= 3600:
        raise ValueError("must be a number of seconds between 0 and 3600")
    return seconds


def _closed_days(spec: str) -> str:
    BusinessCalendar.from_spec(spec)  # checked now, kept as text
    return spec
