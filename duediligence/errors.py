"""Every error a clerk can see derives from :class:`DueDiligenceError`.

Errors carry a message key and parameters, not a finished sentence, so the
CLI and the bot can render them in the user's language (Japanese by default)::

    DueDiligenceError
    ├── NotFound                 an unknown condition, meeting, consultation, evidence …
    │   └── MeetingNotFound      a meeting named by id, date, name or "next" that is unknown or
    │                            ambiguous; carries the candidates to choose from
    ├── PermissionDenied         the actor lacks the role for this action
    ├── TransitionError          the lifecycle does not allow this step from this status
    ├── ReasonRequired           return / waive / decline without a reason
    ├── DueDateError             a due date nobody can read (dates.parse_due)
    ├── EvidenceError            an empty, oversized or unreadable upload
    ├── ImportFormatError        a meeting file refused whole, with line-numbered problems
    ├── InvalidInput             form or command values refused, each with its field and a hint
    ├── SchemaError              a database written by a newer version of this program
    ├── ConfigError              an environment variable (DD_TZ, DD_CLOSED_DAYS, …) with a bad value
    ├── DatabaseUnavailable      the database server cannot be reached or used (exit status 2)
    ├── EvidenceDirMismatch      stored evidence is not readable under DD_EVIDENCE_DIR (exit status 2)
    └── StorageError             the database is locked by another process, or the disk is full:
                                 nothing was changed, try again later
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "DueDiligenceError",
    "NotFound",
    "MeetingNotFound",
    "PermissionDenied",
    "TransitionError",
    "ReasonRequired",
    "DueDateError",
    "EvidenceError",
    "ImportFormatError",
    "InvalidInput",
    "SchemaError",
    "StorageError",
    "ConfigError",
    "DatabaseUnavailable",
    "EvidenceDirMismatch",
]


class DueDiligenceError(Exception):
    """Base of every error meant for a person, not a programmer."""

    key = "error.generic"
    exit_code = 1  # what the CLI exits with

    def __init__(self, key: str | None = None, /, **params: Any) -> None:
        self.key = key or self.key
        self.params = params
        super().__init__(self.render("ja"))

    def render(self, lang: str = "ja") -> str:
        return _render(self.key, lang, self.params)


class NotFound(DueDiligenceError):
    key = "error.not_found"


class MeetingNotFound(NotFound):
    """No meeting, or more than one, answers to what was typed; *candidates* are the choices.

    For an ambiguous name or date they are the meetings that matched; for an
    unknown one, the latest known meetings. The message lists them too.
    """

    key = "error.meeting.unknown"

    def __init__(
        self, key: str | None = None, /, *, candidates: tuple[Any, ...] = (), **params: Any
    ) -> None:
        self.candidates = candidates
        super().__init__(key, **params)


class PermissionDenied(DueDiligenceError):
    key = "error.permission"


class TransitionError(DueDiligenceError):
    key = "error.transition"


class ReasonRequired(DueDiligenceError):
    key = "error.reason_required"


class DueDateError(DueDiligenceError, ValueError):
    key = "error.due_date"


class EvidenceError(DueDiligenceError):
    key = "error.evidence"


class SchemaError(DueDiligenceError):
    key = "error.schema_newer"


class ConfigError(DueDiligenceError):
    key = "error.config"


class DatabaseUnavailable(DueDiligenceError):
    """The server is unreachable, refuses us, lacks the database, is too old, or went away.

    The message names host, port and database, never the password.
    """

    key = "error.db.unreachable"
    exit_code = 2


class EvidenceDirMismatch(DueDiligenceError):
    """Files the database records are missing here: a host with its own private evidence disk."""

    key = "error.evidence.dir_mismatch"
    exit_code = 2


class StorageError(DueDiligenceError):
    """Another process holds the database's write lock, or the disk is full; nothing changed."""

    key = "error.storage.busy"


class ImportFormatError(DueDiligenceError):
    """A meeting file with problems: nothing of it was written."""

    key = "error.import"

    def __init__(
        self, filename: str, problems: list[tuple[int | str | None, str, dict[str, Any]]]
    ) -> None:
        self.filename = filename
        self.problems = problems
        super().__init__(self.key, filename=filename, count=len(problems))

    def render(self, lang: str = "ja") -> str:
        from .messages import t

        lines = [t(self.key, lang, filename=self.filename, count=len(self.problems))]
        for line, key, params in self.problems:
            if isinstance(line, str):  # a workbook cell: 付帯条件!D7
                where = t("import.at_cell", lang, cell=line)
            else:
                where = t("import.at_line", lang, line=line) if line else ""
            lines.append(f"  {self.filename}{where}: {_render(key, lang, params)}")
        return "\n".join(lines)


class InvalidInput(DueDiligenceError):
    """Values a person typed (a form, command options) that cannot be used; nothing was saved.

    *problems* maps each field to (message key, parameters), so a form can show
    each message under its own input and the CLI can print them all at once.
    """

    key = "error.input"

    def __init__(self, problems: dict[str, tuple[str, dict[str, Any]]]) -> None:
        self.problems = problems
        super().__init__(self.key, count=len(problems))

    def field_message(self, field: str, lang: str = "ja") -> str:
        key, params = self.problems[field]
        return _render(key, lang, params)

    def render(self, lang: str = "ja") -> str:
        from .messages import t

        lines = [t(self.key, lang, count=len(self.problems))]
        for field in self.problems:
            label = t(f"input.field.{field}", lang)
            lines.append(f"  {label}: {self.field_message(field, lang)}")
        return "\n".join(lines)


def _render(key: str, lang: str, params: dict[str, Any]) -> str:
    """Render *key*; parameters that are themselves message keys are translated too."""
    from .messages import has, t

    shown = {
        k: v.render(lang)
        if isinstance(v, DueDiligenceError) or callable(getattr(v, "render", None))
        else t(v, lang)
        if isinstance(v, str) and has(v, lang)
        else v
        for k, v in params.items()
    }
    return t(key, lang, **shown)
