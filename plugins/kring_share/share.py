"""Which share image each page gets, and how it is made.

Every published article, published issue, public member and public group
gets a 1200x630 image (og:image): the issue's cover, the article's lead image
or its first image that is one of the site's files, letterboxed; otherwise a
card with the title drawn in the theme's colours. Drafts and hidden people
get none, so nothing about them leaks through a share image.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import Callable

from markupsafe import Markup
from PIL import ImageColor

from kring_theme import format_date

from . import cache, card, raster, sources

WIDTH, HEIGHT = card.WIDTH, card.HEIGHT
MIME = {raster.PNG: "image/png", raster.JPEG: "image/jpeg"}
CARD_COLOURS = 64  # a card without a photo: the theme's four colours and the blends of their edges


@dataclass(frozen=True)
class ShareImage:
    """What a page's <head> says about its share image (``obj.share_image``)."""

    url: str  # under the output folder
    alt: str  # empty for a cover: the template names it in the page's language
    type: str  # MIME type
    width: int = WIDTH
    height: int = HEIGHT


@dataclass(frozen=True)
class Picture:
    """An image drawn into a card: its bytes, the folder its own links start from, its file."""

    data: bytes
    folder: str | None
    path: str


@dataclass
class Job:
    """One image file to write: its name, who asked for it, and how to make it."""

    save_as: str
    source: str  # the source file that asked for it
    key: str
    make: Callable[[], bytes]
    field: str = ""  # the source's field naming the image it is made from (for an error message)
    origin: str = ""  # that image's path


def text(html) -> str:
    return " ".join(Markup(str(html or "")).striptags().split())


def share_path(pattern: str, page_url: str, ext: str) -> str:
    """'articles/x/' -> 'share/articles/x.png' (a translation's 'articles/x/en/' -> 'share/articles/x/en.png')."""
    path = page_url.strip("/")
    for suffix in ("/index.html", "index.html", ".html"):
        if path.endswith(suffix):
            path = path[: -len(suffix)].rstrip("/")
            break
    return pattern.format(path=path or "index", ext=ext)


class Planner:
    """Decides this run's share images; ``jobs`` are written by the generator."""

    def __init__(self, conf: dict, settings: dict, files: sources.LocalFiles, generated_avatar: Callable | None = None):
        self.conf, self.files = conf, files
        self.generated_avatar = generated_avatar  # member -> the SVG text kring_members writes for them
        self.site = text(settings.get("SITENAME", ""))
        self.lang = settings.get("DEFAULT_LANG", "en")
        self.subtitle = text(settings.get("SITESUBTITLE", ""))
        self.title_fonts = tuple(conf["KRING_SHARE_TITLE_FONTS"])
        self.text_fonts = tuple(conf["KRING_SHARE_TEXT_FONTS"])
        self.card_inputs = (self.site, conf["KRING_SHARE_COLOURS"],
                            card.font_identity(self.title_fonts), card.font_identity(self.text_fonts))
        self.jobs: list[Job] = []

    # --- what each kind of page shows ---

    def article(self, article) -> ShareImage:
        url = article.url
        lead = getattr(article, "lead_image", None)
        candidates = [(lead.url, getattr(lead, "alt", ""), "Image")] if getattr(lead, "url", "") else []
        # The body as read (before Pelican resolves its links, which it does per page it writes).
        candidates += [(src, alt, "") for src, alt in sources.images_in(getattr(article, "_content", ""))]
        for src, alt, field_name in candidates:
            found = self.files.find(src, url, article.source_path)
            if found and raster.kind_of(sources.read(found)):
                return self.picture(url, article.source_path, found, alt or text(article.title), field_name)
        authors = [a.name for a in getattr(article, "authors", []) if getattr(getattr(a, "member", None), "public", True)]
        subtitle = " · ".join(filter(None, [", ".join(authors), format_date(article.date, article.lang)]))
        return self.card(url, article.source_path, text(article.title), subtitle)

    def issue(self, issue) -> ShareImage:
        cover = self.files.find(issue.cover) if issue.cover else None
        if cover and raster.kind_of(sources.read(cover)):
            return self.picture(issue.url, issue.source_path, cover, "", "Cover")
        return self.card(issue.url, issue.source_path, text(issue.title),
                         f"#{issue.number} · {format_date(issue.date, self.lang)}")

    def member(self, member) -> ShareImage:
        avatar = None
        if getattr(member, "avatar_generated", False) and self.generated_avatar is not None:
            avatar = Picture(self.generated_avatar(member).encode("utf-8"), None, "")
        elif member.avatar and (found := self.files.find(member.avatar)):
            avatar = Picture(sources.read(found), os.path.dirname(found), found)
        return self.card(member.url, member.source_path, member.name, member.role, avatar)

    def group(self, group) -> ShareImage:
        return self.card(group.url, group.source_path, group.name, text(group.summary))

    def site_card(self) -> ShareImage:
        """For every other page (home, listings): the magazine's own card."""
        return self.card("site", "the site's share image", self.subtitle or self.site, "")

    # --- the two ways of making one ---

    def picture(self, page_url: str, source: str, image_path: str, alt: str, field_name: str) -> ShareImage:
        data = sources.read(image_path)
        kind = raster.JPEG if raster.kind_of(data) == raster.JPEG else raster.PNG
        key = cache.key("letterbox", WIDTH, HEIGHT, kind, cache.digest(data))
        make = functools.partial(make_letterbox, image_path, kind)
        return self.add(Job("", source, key, make, field_name, image_path), page_url, kind, alt)

    def card(self, page_url: str, source: str, title: str, subtitle: str, avatar: Picture | None = None) -> ShareImage:
        avatar_digest = cache.digest(avatar.data) if avatar else None
        key = cache.key("card", title, subtitle, *self.card_inputs, avatar_digest)
        make = functools.partial(make_card, title, subtitle, self.site, self.conf["KRING_SHARE_COLOURS"],
                                 self.title_fonts, self.text_fonts, avatar)
        alt = f"{self.site}: " + " · ".join(filter(None, [title, subtitle]))
        return self.add(Job("", source, key, make, "Avatar", avatar.path if avatar else ""), page_url, raster.PNG, alt)

    def add(self, job: Job, page_url: str, kind: str, alt: str) -> ShareImage:
        job.save_as = share_path(self.conf["KRING_SHARE_SAVE_AS"], page_url, raster.EXTENSIONS[kind])
        self.jobs.append(job)
        return ShareImage(url=job.save_as, alt=alt, type=MIME[kind])


def make_letterbox(path: str, kind: str) -> bytes:
    image = raster.letterbox(sources.read(path), WIDTH, HEIGHT, os.path.dirname(path))
    return raster.encode(image, kind)


def make_card(title, subtitle, site, colours, title_fonts, text_fonts, avatar: Picture | None) -> bytes:
    image = raster.draw(avatar.data, avatar.folder, width=card.AVATAR * 2) if avatar else None
    drawn = avatar is None or raster.kind_of(avatar.data) == raster.SVG  # flat colours only: no photo
    drawing = card.draw_card(title, subtitle, site, colours, title_fonts, text_fonts, image)
    theme = tuple(ImageColor.getrgb(value) for value in colours.values())
    return raster.encode(drawing, raster.PNG, CARD_COLOURS if drawn else None, theme)
