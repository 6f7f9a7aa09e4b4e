"""Text files as Windows editors and Excel save them: UTF-8 (BOM or not), UTF-16, or cp932.

Notepad, Sakura Editor and Excel on a Japanese PC save "ANSI" / "CSV" as
Shift_JIS (Microsoft's cp932, which also has ①, ㈱ and the NEC/IBM kanji),
"UTF-8" with or without a BOM, and "Unicode" as UTF-16 with a BOM. We try
them in that safe order (BOM → strict UTF-8 → cp932) instead of guessing
from statistics: valid UTF-8 is never misread, and a file that is neither
gets a clear message rather than mojibake. Python's cp932 decodes the bytes
Shift_JIS leaves undefined (0x80, 0xA0, 0xFD–0xFF) to U+0080 and U+F8F0–F8F3
instead of failing, and binary data can be valid UTF-8 up to its first NUL, so
text holding those (or control characters other than tab, CR and LF) is refused
too: no real meeting file or roster contains them.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["decode_text_file"]

#: never in a text file people typed: binary data, or cp932's stand-ins for undefined bytes
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80\uf8f0-\uf8f3]")


def decode_text_file(data: bytes) -> str | None:
    """The text of *data*, or None when it is in none of the encodings named above."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp932"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _NOT_TEXT.search(text):
            return text
    return None
