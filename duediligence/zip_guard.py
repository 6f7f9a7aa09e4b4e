"""Refuse zip bombs before openpyxl unpacks them: an xlsx is a zip of XML files.

A 100 KB upload can unpack to gigabytes of sheet XML, which openpyxl (outside
read-only mode) turns into millions of cell objects. Before any workbook from
outside is opened we stream-decompress every member and count the bytes that
really come out (the sizes a zip declares can lie), stopping as soon as the
total passes the limit. That costs one extra decompression of an honest file,
a few milliseconds for a roster; a bomb is stopped after ``limit`` bytes.
"""

from __future__ import annotations

import io
import zipfile
import zlib

#: the most an uploaded workbook may unpack to: a 100,000-row roster is about 40 MB of XML
MAX_UNPACKED = 64 * 1024 * 1024
#: an xlsx has a dozen members, a docx a few dozen
MAX_MEMBERS = 1000
_CHUNK = 1024 * 1024

__all__ = ["MAX_MEMBERS", "MAX_UNPACKED", "unpacks_within"]


def unpacks_within(data: bytes, limit: int = MAX_UNPACKED) -> bool:
    """False when the zip in *data* unpacks to more than *limit* bytes or has too many members.

    Data that is not a readable zip passes: the reader that opens it next says
    what is wrong with it in its own words.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return True
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            return False
        total = 0
        for member in members:
            if member.is_dir():
                continue
            try:
                with archive.open(member) as stream:
                    while chunk := stream.read(_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            return False
            except (zipfile.BadZipFile, zlib.error, OSError, ValueError, NotImplementedError):
                continue  # damaged or encrypted: the reader reports it; the rest still counts
    return True
