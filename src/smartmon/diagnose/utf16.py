"""A Windows tool's UTF-16 output inside a UTF-8 job log, read as the letters it spells.

wsl.exe writes UTF-16LE and the runner logs its bytes as they come: a NUL after each letter, which a
web page shows as U+FFFD, "F�o�r�b�i�d�d�e�n� (403)." (setup-wsl's
`wsl --update`, pasteurlabs/tesseract-core #280). Four or more such pairs in a row are read as the
plain letters; newlines are never touched, so line numbers stay as the runner wrote them.
"""

from __future__ import annotations

import re

_UTF16_RUN = re.compile(rb"(?:[\x20-\x7e](?:\x00|\xef\xbf\xbd)){4,}")
_UTF16_FILL = re.compile(rb"\x00|\xef\xbf\xbd")


def utf16_read(raw: bytes) -> bytes:
    """A Windows tool's UTF-16 output read as its letters; newlines are never touched."""
    # One byte first: memchr is ~50x faster than a three-byte search over a 4 MiB block.
    if raw.find(b"\x00") < 0 and (raw.find(b"\xbd") < 0 or raw.find(b"\xef\xbf\xbd") < 0):
        return raw
    return _UTF16_RUN.sub(lambda m: _UTF16_FILL.sub(b"", m.group()), raw)
