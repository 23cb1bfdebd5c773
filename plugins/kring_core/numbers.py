"""Whole numbers written in content files and on the command line.

``str.isdigit()`` accepts '²' and '٣', and ``int()`` accepts '٣' and ' 3_0 ';
an issue number is what an editor types on a keyboard: ASCII digits only.
"""

from __future__ import annotations

import re

_NUMBER = re.compile(r"[0-9]+", re.ASCII)


def parse_number(value) -> int | None:
    """'12' -> 12; anything else ('²', '٣', '1_0', '-1', '', None) -> None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    text = str(value if value is not None else "").strip()
    return int(text) if _NUMBER.fullmatch(text) else None
