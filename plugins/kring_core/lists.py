"""Comma-separated metadata lists, as the design brief defines them."""

from __future__ import annotations


def split_list(value) -> list[str]:
    """'a, b ,c' -> ['a', 'b', 'c']; lists pass through; empty items vanish."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        items = []
        for v in value:
            items.extend(split_list(v))
        return items
    return [item.strip() for item in str(value).replace("\n", ",").split(",") if item.strip()]
