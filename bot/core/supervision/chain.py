"""The sub-contracting chain on App Home: 元請 → 再委託先 → 再々委託先, per outsourcing."""

from __future__ import annotations

from duediligence.chain import chain_lines, has_chain

from ..base import Context
from ..reply import Section


def home_sections(ctx: Context, departments: tuple[str, ...], lang: str) -> list[Section]:
    """One section per consultation of *departments* that has sub-contractors."""
    found: list[Section] = []
    for consultation in ctx.store.consultations():
        if consultation.department not in departments or not has_chain(ctx.store, consultation.id):
            continue
        found.append(
            Section(
                title=ctx.t("bot.chain.title", lang, id=consultation.id, title=consultation.title),
                items=tuple(chain_lines(ctx.store, consultation, lang)),
            )
        )
    return found
