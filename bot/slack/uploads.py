"""A file shared in the bot's DM: check where it lives, then hand it to the core."""

from __future__ import annotations

from ..core import FileRef, Reply, Upload
from ..core.errors import DownloadRefused
from .deliver import Respond, answer, deliver
from .deps import SlackDeps


def take_file(
    deps: SlackDeps,
    *,
    actor: str,
    file_id: str,
    text: str,
    channel: str | None,
    condition: str | None = None,
    respond: Respond | None = None,
) -> None:
    """files.info, refuse a foreign download URL, then let the core decide and store."""
    core = deps.core
    if condition is None and not core.first_delivery(f"file:{file_id}"):
        return  # the twin of a message/file_shared event already handled
    deps.resolve_emails()
    info = deps.files.info(file_id)
    if info is None:
        reply = Reply(core.t("bot.upload.download_failed", core.lang, filename=file_id))
        answer(deps, reply, actor=actor, channel=channel, respond=respond)
        return
    try:
        deps.files.check(info)
    except DownloadRefused as err:
        answer(deps, Reply(err.render(core.lang)), actor=actor, channel=channel, respond=respond)
        return
    size = info.get("size")
    upload = Upload(
        actor=actor,
        file=FileRef(
            id=file_id,
            name=str(info.get("name") or info.get("title") or "evidence"),
            size=int(size) if isinstance(size, int | float) else None,
            mimetype=str(info.get("mimetype") or ""),
        ),
        download=lambda: deps.files.stream(info),
        text=text,
        condition=condition,
    )
    deliver(deps, core.upload(upload), actor=actor, channel=channel, respond=respond)
