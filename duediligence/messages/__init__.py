"""One keyed catalogue per language; Japanese is the default and the fallback.

Packages that speak to people (the library, the CLI, the bot) each register
their own keys with :func:`register`, so the library never carries chat words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import en, ja, supervision

DEFAULT_LANG = "ja"

_CATALOGUES: dict[str, dict[str, str]] = {
    "ja": {**ja.MESSAGES, **supervision.JA},
    "en": {**en.MESSAGES, **supervision.EN},
}


def register(lang: str, messages: Mapping[str, str]) -> None:
    """Add keys to a language's catalogue (the bot calls this at import)."""
    _CATALOGUES.setdefault(lang, {}).update(messages)


def normalize_lang(lang: str | None) -> str:
    lang = (lang or DEFAULT_LANG).lower().split("_")[0].split("-")[0]
    return lang if lang in _CATALOGUES else DEFAULT_LANG


def t(key: str, lang: str | None = None, /, **params: Any) -> str:
    """The message *key* in *lang*, falling back to Japanese, then to the key itself."""
    lang = normalize_lang(lang)
    template = _CATALOGUES[lang].get(key) or _CATALOGUES[DEFAULT_LANG].get(key)
    if template is None:
        return key
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def has(key: str, lang: str | None = None) -> bool:
    return key in _CATALOGUES[normalize_lang(lang)]
