"""Lead images: an article's ``Image:`` (a file under content/images/) with ``Image-Alt:``.

The image is shown large on the article, on its card and by whatever else reads
``article.lead_image`` (``.url`` relative to the site root, ``.alt``, ``.width``,
``.height``). A missing file, a missing alt text or an alt text without an
image stops the build with a message naming the file and the field.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from kring_core import ContentError, did_you_mean, report

IMAGES = "images"
EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".avif", ".svg")


@dataclass(frozen=True)
class LeadImage:
    url: str  # e.g. images/articles/x.png, as a page links it: {{ SITEURL }}/{{ url }}
    alt: str
    width: int | None = None
    height: int | None = None


def _size(path: str) -> tuple[int | None, int | None]:
    """Intrinsic size, so the page does not jump while the image loads."""
    if path.endswith(".svg"):
        with open(path, encoding="utf-8", errors="replace") as f:
            head = f.read(2048)
        box = re.search(r'viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)', head)
        return (round(float(box.group(1))), round(float(box.group(2)))) if box else (None, None)
    try:
        from PIL import Image

        with Image.open(path) as img:
            return img.size
    except Exception:  # an unreadable file is the browser's problem to show, not a crash
        return None, None


def _images_under(content: str) -> list[str]:
    found = []
    for folder, _, files in os.walk(os.path.join(content, IMAGES)):
        found += [os.path.relpath(os.path.join(folder, f), content).replace(os.sep, "/") for f in files]
    return found


def resolve(article, content: str) -> LeadImage | None:
    meta = article.metadata
    value, alt = str(meta.get("image", "")).strip(), str(meta.get("image-alt", "")).strip()
    source = article.source_path
    if not value:
        if alt:
            report(ContentError(source, "Image-Alt", "describes an image, but there is no 'Image:' line.",
                                "Add 'Image: images/<file>' or remove the Image-Alt line."))
        return None
    rel = value.replace("{static}", "").lstrip("/")
    if not rel.startswith(IMAGES + "/"):
        rel = f"{IMAGES}/{rel}"
    if not rel.lower().endswith(EXTENSIONS) or not os.path.isfile(os.path.join(content, rel)):
        choices = _images_under(content)
        guess = did_you_mean(rel, choices)
        report(ContentError(source, "Image", f"'{value}' is not an image under {IMAGES}/ in the content folder.",
                            guess or f"Put the file in content/{IMAGES}/ and name it here, e.g. 'Image: {IMAGES}/photo.jpg'."))
        return None
    if not alt:
        report(ContentError(source, "Image-Alt", f"is missing for the image '{value}'.",
                            "Add a line 'Image-Alt: ...' that says what the image shows, for readers who cannot see it."))
        return None
    width, height = _size(os.path.join(content, rel))
    return LeadImage(rel, alt, width, height)


def attach(generator) -> None:
    """``article_generator_finalized``: ``article.lead_image`` on every article and translation."""
    content = generator.path
    everything = (generator.articles + generator.translations
                  + generator.drafts + getattr(generator, "drafts_translations", []))
    for article in everything:
        article.lead_image = resolve(article, content)
