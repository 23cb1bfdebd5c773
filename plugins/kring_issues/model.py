"""A magazine issue: number, title, date, cover, editorial and its articles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(eq=False)
class Issue:
    number: int
    title: str
    date: Any  # datetime
    source_path: str
    source: Any = None  # the Pelican Page read from the issue file; None when implicit
    cover: str = ""  # path under the output folder
    status: str = "published"  # published, draft
    live: bool = True  # published and not dated in the future
    slugs: list[str] = field(default_factory=list)  # the file's ordered Articles
    url: str = ""
    save_as: str = ""
    # "" when the setting is empty (no such file is written):
    feed_url: str = ""  # ISSUE_FEED_ATOM
    newsletter_url: str = ""  # ISSUE_NEWSLETTER_SAVE_AS
    newsletter_text_url: str = ""  # ISSUE_NEWSLETTER_TEXT_SAVE_AS
    # Filled in once all articles are read:
    toc: list[Any] = field(default_factory=list)  # articles in order (drafts only in preview)
    previous: "Issue | None" = None
    next: "Issue | None" = None
    # Filled in by other plugins in every run (the plugin that sets each, in brackets):
    coming_events: list[Any] = field(default_factory=list)  # Occurrences in the weeks after its date (kring_events)
    share_image: Any = None  # the page's link-preview image; None: the site's card (kring_share)
    newsletter_images: Any = None  # raster images for the newsletter; None: it keeps its SVGs (kring_share)

    @property
    def editorial(self) -> str:
        return self.source.content if self.source is not None else ""

    @property
    def state(self) -> str:
        """'published', 'draft' or 'scheduled' (published but dated in the future)."""
        if self.status == "draft":
            return "draft"
        return "published" if self.live else "scheduled"

    @property
    def published_articles(self) -> list:
        return [a for a in self.toc if a.status == "published"]

    def neighbours(self, article) -> tuple[Any, Any]:
        """The articles before and after ``article`` in this issue's TOC."""
        if article not in self.toc:
            return None, None
        i = self.toc.index(article)
        before = self.toc[i - 1] if i > 0 else None
        after = self.toc[i + 1] if i + 1 < len(self.toc) else None
        return before, after
