"""Schema for amendments: the outbox learns a ``notice`` kind (a department told of a change).

When a later meeting amends or withdraws a condition, the owning department is
told in its DM, old and new value side by side. That message is planned into
the outbox like a reminder (the library never sends), so the CLI and the chat
amend the same way and a restart neither loses nor repeats it. SQLite cannot
widen a CHECK constraint in place, so there this version rebuilds the outbox
table with the same columns, rows and indexes; PostgreSQL replaces the
constraint.
"""

from __future__ import annotations

from .dialect import Migration

_KINDS = (
    "'reminder', 'escalation', 'certificate_expiry', 'digest', 'question', 'evidence_expiry', "
    "'alert', 'notice'"
)

# SQLite: the table rebuilt with the wider CHECK (the same columns, rows, ids and indexes).
_SQLITE = """
    CREATE TABLE outbox_with_notices (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        dedupe_key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL
            CHECK (kind IN ('reminder', 'escalation', 'certificate_expiry', 'digest', 'question',
                            'evidence_expiry', 'alert', 'notice')),
        subject TEXT NOT NULL,
        condition TEXT REFERENCES conditions(id),
        occurrence TEXT NOT NULL DEFAULT '',
        due TEXT,
        stage TEXT NOT NULL,
        recipient TEXT NOT NULL,
        payload TEXT NOT NULL DEFAULT '{}',
        send_after TEXT NOT NULL,
        send_after_utc TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        claimed_at TEXT,
        sent_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    INSERT INTO outbox_with_notices (id, dedupe_key, kind, subject, condition, occurrence, due,
        stage, recipient, payload, send_after, send_after_utc, status, attempts, last_error,
        claimed_at, sent_at, created_at, updated_at)
    SELECT id, dedupe_key, kind, subject, condition, occurrence, due, stage, recipient, payload,
        send_after, send_after_utc, status, attempts, last_error, claimed_at, sent_at,
        created_at, updated_at FROM outbox;
    DROP TABLE outbox;
    ALTER TABLE outbox_with_notices RENAME TO outbox;
    CREATE INDEX outbox_status_send ON outbox(status, send_after_utc);
    CREATE INDEX outbox_failed ON outbox(updated_at) WHERE status = 'failed';
    CREATE INDEX outbox_condition_stage ON outbox(condition, due, stage);
"""

# PostgreSQL names a column's CHECK constraint <table>_<column>_check and can replace it in place.
_POSTGRESQL = f"""
    ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
    ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ({_KINDS}));
"""

# The SQL run to reach this module's schema version (see store/__init__.py for the order).
SCHEMA = Migration(sqlite=_SQLITE, postgresql=_POSTGRESQL)
