"""Small static SVGs built with lxml: well-formed, escaped, byte-for-byte repeatable.

Colours come from CSS classes (see kring.css), so the drawings follow the
theme and its dark mode; no script, no external reference.
"""

from __future__ import annotations

from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"


def num(value: float) -> str:
    """Coordinates rounded so the same layout always prints the same bytes."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def canvas(width: int, height: int, css_class: str, labelledby: str) -> etree._Element:
    """The root element, named by the page's heading with the id ``labelledby``."""
    root = etree.Element(
        f"{{{SVG_NS}}}svg",
        nsmap={None: SVG_NS},
        viewBox=f"0 0 {width} {height}",
        width=str(width),
        height=str(height),
        role="img",
    )
    root.set("aria-labelledby", labelledby)
    root.set("class", css_class)
    return root


_NAMES = {"cls": "class", "text_anchor": "text-anchor", "stroke_width": "stroke-width"}


def sub(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    """A child element; float attributes are rounded; ``cls`` is ``class``."""
    values = {_NAMES.get(k, k): num(v) if isinstance(v, float) else str(v) for k, v in attrs.items()}
    element = etree.SubElement(parent, f"{{{SVG_NS}}}{tag}", values)
    if text is not None:
        element.text = text
    return element


def serialise(root) -> str:
    return etree.tostring(root, encoding="unicode")


def short(label: str, limit: int = 22) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"
