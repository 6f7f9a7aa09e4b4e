"""Click's own refusals (a missing option, a file that does not exist, a bad choice) in Japanese.

Click writes these in English before any command runs. The CLI's group
(:class:`UsageInJapanese`) catches each :class:`click.UsageError` and says it
again from the catalogue, in the user's language, with the command's ``--help``
as what to do next; the exit status stays click's (2).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any

import click

from .messages import normalize_lang, t

_QUOTED = re.compile(r"'([^']*)'")


class TranslatedUsage(click.ClickException):
    """A usage error already rendered in the user's language."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(self.message, err=True)


def usage_message(err: click.UsageError, lang: str) -> str:
    """One line saying what was wrong, and one saying where the help is."""
    command = err.ctx.command_path if err.ctx is not None else "duediligence"
    if type(err).__name__ == "NoArgsIsHelpError":  # a group named alone: its help is the answer
        return err.format_message()
    key, params = _key_and_params(err)
    return t(key, lang, **params) + "\n" + t("cli.usage.help", lang, command=command)


def _key_and_params(err: click.UsageError) -> tuple[str, dict[str, Any]]:
    message = err.format_message()
    quoted = _QUOTED.findall(getattr(err, "message", "") or message)
    if isinstance(err, click.MissingParameter):
        return "cli.usage.missing", {"param": _param(err)}
    if isinstance(err, click.NoSuchOption):
        near = ", ".join(sorted(err.possibilities or ()))
        key = "cli.usage.no_such_option_near" if near else "cli.usage.no_such_option"
        return key, {"option": err.option_name, "near": near}
    if isinstance(err, click.BadParameter):
        param = _param(err)
        kind = err.param.type if err.param is not None else None
        value = quoted[0] if quoted else ""
        if isinstance(kind, click.Choice):
            choices = ", ".join(str(c) for c in kind.choices)
            return "cli.usage.choice", {"param": param, "value": value, "choices": choices}
        if isinstance(kind, click.Path) and "does not exist" in message:
            return "cli.usage.no_file", {"param": param, "path": quoted[-1] if quoted else ""}
        if isinstance(kind, click.Path) and "is a directory" in message:
            return "cli.usage.is_directory", {"param": param, "path": quoted[-1] if quoted else ""}
        if kind is not None and kind.name in ("integer", "float"):
            return "cli.usage.number", {"param": param, "value": value}
        if param == "--now":
            return "cli.usage.now", {"value": err.message}
        return "cli.usage.bad_value", {"param": param, "detail": err.message}
    if message.startswith("No such command"):
        return "cli.usage.no_command", {"name": quoted[0] if quoted else message}
    if "unexpected extra argument" in message:
        extra = message.split("(", 1)[-1].rstrip(")")
        return "cli.usage.extra", {"extra": extra}
    return "cli.usage.other", {"detail": message}


def _param(err: click.BadParameter | click.MissingParameter) -> str:
    if isinstance(err.param, click.Argument):
        return (err.param.name or "?").upper()
    if isinstance(err.param, click.Option):
        return max(err.param.opts, key=len)
    if err.param_hint:
        hint = err.param_hint
        return (
            " / ".join(hint) if isinstance(hint, Sequence) and not isinstance(hint, str) else hint
        )
    if err.param is None:
        return "?"
    if isinstance(err.param, click.Option):
        return max(err.param.opts, key=len)
    return (err.param.name or "?").upper()


def _lang(ctx: click.Context | None, args: Sequence[str]) -> str:
    root = ctx.find_root() if ctx is not None else None
    lang = getattr(root.obj, "lang", None) if root is not None else None
    if not lang and root is not None:
        lang = root.params.get("lang")  # --lang parsed, the settings not built yet
    if lang:
        return normalize_lang(str(lang))
    words = list(args)
    if "--lang" in words and words.index("--lang") + 1 < len(words):
        return normalize_lang(words[words.index("--lang") + 1])
    return normalize_lang(os.environ.get("DD_LANG"))


class UsageInJapanese(click.Group):
    """The top-level group: every usage error of it and its commands, from the catalogue."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, list(args), parent=parent, **extra)
        except click.UsageError as err:
            raise TranslatedUsage(usage_message(err, _lang(err.ctx, args))) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as err:
            raise TranslatedUsage(usage_message(err, _lang(ctx, ctx.args))) from None
