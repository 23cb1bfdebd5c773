"""Newsletter images that e-mail clients show: PNG or JPEG, with width, height and alt.

Gmail and Outlook show no SVG. While the site is read, every image of an
issue's newsletter (its cover, the images and inline SVGs of its editorial)
is planned here: an SVG is drawn as a PNG at the width it is shown, a PNG or
JPEG is kept as it is (made narrower only when wider than the column). When
the newsletter is rendered, ``NewsletterImages.apply`` points every <img> at
its raster and gives it its size.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup

from kring_core.errors import ContentError
from kring_issues.newsletter import absolutize

from . import cache, raster, sources
from .share import Job

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Raster:
    url: str  # under the output folder
    width: int
    height: int
    alt: str = ""  # used when the <img> has none (an SVG's own title or aria-label)


@dataclass
class NewsletterImages:
    """An issue's planned rasters (``issue.newsletter_images``); kring_issues calls ``apply``."""

    base: str
    by_path: dict[str, Raster] = field(default_factory=dict)  # site path of the original -> its raster
    inline: dict[str, Raster] = field(default_factory=dict)  # digest of an inline <svg> -> its raster

    def apply(self, html: str) -> str:
        soup = BeautifulSoup(html, "lxml")
        for img in soup.find_all("img"):
            src = img.get("src", "")
            found = self.by_path.get(src[len(self.base) + 1:] if src.startswith(self.base + "/") else "")
            if found is None:
                logger.warning("Newsletter: left out an image e-mail clients may not show: %s", src)
                img.replace_with(img.get("alt", ""))
                continue
            self._point(img, found)
        for svg in soup.find_all("svg"):
            found = self.inline.get(svg_key(svg))
            img = soup.new_tag("img")
            if found is None:
                logger.warning("Newsletter: left out an inline SVG that was not planned")
                svg.replace_with(svg_label(svg))
                continue
            self._point(img, found)
            svg.replace_with(img)
        return str(soup)

    def _point(self, img, found: Raster) -> None:
        img["src"] = f"{self.base}/{found.url}"
        img["width"], img["height"] = str(found.width), str(found.height)
        if not img.get("alt"):
            img["alt"] = found.alt
        img["style"] = (img.get("style", "") + ";border:0;display:block;max-width:100%;height:auto").lstrip(";")


def svg_key(tag) -> str:
    return hashlib.sha256(str(tag).encode("utf-8")).hexdigest()


def svg_label(tag) -> str:
    """The text an SVG gives for itself: its aria-label or <title>."""
    title = tag.find("title")
    return (tag.get("aria-label") or (title.get_text(" ", strip=True) if title else "")).strip()


def svg_label_of(data: bytes) -> str:
    head = data[:4096].decode("utf-8", "replace")
    match = re.search(r"<svg\b[^>]*>", head)
    return svg_label(BeautifulSoup(match.group(0) + "</svg>", "html.parser").svg) if match else ""


class Planner:
    """The rasters of every issue's newsletter; images are made now (their size is needed)."""

    def __init__(self, conf: dict, files: sources.LocalFiles, images: cache.ImageCache, base: str):
        self.conf, self.files, self.images, self.base = conf, files, images, base
        self.jobs: list[Job] = []
        self.problems: list[ContentError] = []

    def plan(self, issue) -> NewsletterImages:
        planned = NewsletterImages(self.base)
        if issue.cover:
            self.add_file(planned, issue, "Cover", issue.cover, self.conf["KRING_NEWSLETTER_WIDTH"], exact=True)
        if "<img" not in (issue.editorial or "") and "<svg" not in (issue.editorial or ""):
            return planned  # most editorials: nothing to parse
        editorial = BeautifulSoup(absolutize(issue.editorial, self.base), "lxml")
        for img in editorial.find_all("img"):
            src = img.get("src", "")
            path = src[len(self.base) + 1:] if src.startswith(self.base + "/") else None
            if path is not None and path not in planned.by_path:
                self.add_file(planned, issue, "", path, self.conf["KRING_NEWSLETTER_TEXT_WIDTH"])
        for svg in editorial.find_all("svg"):
            self.add_inline(planned, issue, svg)
        return planned

    def add_file(self, planned, issue, field_name, path, width, exact=False) -> None:
        found = self.files.find(path)
        if found is None:
            return  # not one of the site's files: apply() leaves it out, with a warning
        data = sources.read(found)
        kind = raster.kind_of(data)
        try:
            if kind in (raster.PNG, raster.JPEG):
                w, h = raster.size_of(data)
                if w <= width and not exact:
                    planned.by_path[path] = Raster(path, w, h)  # kept as it is
                    return
            elif kind is None:
                raise raster.Unreadable("not an image")
            made = self.make(issue, path, data, kind, width, exact, found)
        except raster.Unreadable as exc:
            self.problems.append(ContentError(issue.source_path, field_name or "Body", f"'{path}' is {exc}.",
                                              "Use a valid SVG, PNG or JPEG file."))
            return
        alt = svg_label_of(data) if kind == raster.SVG else ""
        planned.by_path[path] = Raster(made.save_as, *made.size, alt)

    def add_inline(self, planned, issue, svg) -> None:
        data = str(svg).encode("utf-8")
        try:
            made = self.make(issue, "inline", data, raster.SVG, self.conf["KRING_NEWSLETTER_TEXT_WIDTH"], False, None)
        except raster.Unreadable as exc:
            self.problems.append(ContentError(issue.source_path, "Body", f"an inline <svg> is {exc}.",
                                              "Check the SVG markup, or use an image file."))
            return
        planned.inline[svg_key(svg)] = Raster(made.save_as, *made.size, svg_label(svg))

    def make(self, issue, path, data, kind, width, exact, found) -> "_Made":
        """A PNG (from SVG) or a narrower copy (of a PNG/JPEG): ``width`` wide, or less when smaller."""
        out_kind = raster.JPEG if kind == raster.JPEG else raster.PNG
        key = cache.key("newsletter", width, exact, out_kind, cache.digest(data))
        resources = None if found is None else os.path.dirname(found)
        made = self.images.get(key, functools.partial(shrink, data, width, exact, out_kind, resources))
        stem = os.path.splitext(path.rsplit("/", 1)[-1])[0] if found else "inline"
        name = f"{stem}-{cache.digest(path.encode() + data)[:8]}"
        save_as = self.conf["KRING_NEWSLETTER_IMAGES_SAVE_AS"].format(
            number=issue.number, name=name, ext=raster.EXTENSIONS[out_kind])
        self.jobs.append(Job(save_as, issue.source_path, key, functools.partial(bytes, made)))
        return _Made(save_as, raster.size_of(made))


def shrink(data: bytes, width: int, exact: bool, out_kind: str, resources: str | None) -> bytes:
    return raster.encode(raster.draw(data, resources, width=width, enlarge=exact), out_kind)


@dataclass(frozen=True)
class _Made:
    save_as: str
    size: tuple[int, int]
