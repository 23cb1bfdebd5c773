"""A presentation's PDF: checked, first slide rendered, text of every slide extracted.

pypdfium2 does the work once per PDF: the result (page count, slide texts,
the PNG of the first slide) is kept in CACHE_PATH under the PDF's SHA-256,
so a 40-page deck costs nothing on the next build.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re

from kring_core.stored import load_dict, save_dict

logger = logging.getLogger(__name__)

CACHE_VERSION = 2  # raise when what is kept changes
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BULLET = re.compile(r"^[•\u2022\u25aa\u25cf\u2013*-]\s*")  # list marks on slides are layout, not words


class SlidesProblem(ValueError):
    """What is wrong with the file, for the editor."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _clean(text: str) -> str:
    lines = (_BULLET.sub("", _SPACES.sub(" ", line).strip())
             for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _inspect(data: bytes, width: int) -> dict:
    import pypdfium2 as pdfium

    if not data.lstrip()[:5] == b"%PDF-":
        raise SlidesProblem("is not a PDF (it does not start with %PDF-).")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise SlidesProblem(f"is a damaged PDF that cannot be opened ({exc}).") from None
    try:
        if len(pdf) == 0:
            raise SlidesProblem("is a PDF without pages.")
        texts = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            texts.append(_clean(textpage.get_text_range()))
            textpage.close()
            page.close()
        first = pdf[0]
        page_width = first.get_width() or 1
        bitmap = first.render(scale=width / page_width)
        image = bitmap.to_pil().convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        first.close()
        return {"pages": len(pdf), "texts": texts, "png": buffer.getvalue(), "size": image.size}
    except pdfium.PdfiumError as exc:
        raise SlidesProblem(f"is a damaged PDF ({exc}).") from None
    finally:
        pdf.close()


def inspect(path: str, cache_dir: str | None, width: int) -> tuple[dict, str]:
    """({pages, texts, png, size}, digest) of the PDF at ``path``; SlidesProblem if it is not a usable PDF."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise SlidesProblem(f"cannot be read ({exc.strerror}).") from None
    digest = sha256(data)
    cache_file = os.path.join(cache_dir, "slides", f"{digest}-{width}.pickle") if cache_dir else None
    cached = load_dict(cache_file)
    if cached.get("version") == CACHE_VERSION:
        return cached, digest
    found = _inspect(data, width)
    found["version"] = CACHE_VERSION
    if cache_file:
        save_dict(cache_file, found)
    logger.debug("slides %s: %d pages rendered and read", path, found["pages"])
    return found, digest


def write_if_changed(path: str, data: bytes) -> None:
    """Binary outputs (the PDF, the PNG) are left untouched when they are the same, like every page."""
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return
    except OSError:
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
