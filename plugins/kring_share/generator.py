"""Plans the share images and newsletter rasters while the site is read; writes them.

Images are made (or taken from the cache) in ``generate_context``, so an
unreadable cover or avatar stops the build with a message before anything
is written; ``generate_output`` only copies them into the output folder,
claiming each name from Kring's writer, so a clash with any other file is
a build error.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor

from pelican.generators import Generator

from kring_core import report
from kring_core.errors import ContentError
from kring_directory import get_directory
from kring_issues import newsletter as issue_newsletter
from kring_issues import settings as issue_settings
from kring_members import avatar_hue

from . import cache, newsletter, raster, share, sources
from . import settings as share_settings

logger = logging.getLogger(__name__)

MAX_THREADS = 4  # Pillow and resvg let go of the GIL while they encode and draw


class ShareGenerator(Generator):
    def generate_context(self):
        self.conf = share_settings.read(self.settings)
        self.images = cache.ImageCache(cache.folder(self.settings))
        self.jobs: list[share.Job] = []
        files = sources.LocalFiles(self.context, self.settings)
        if self.conf["KRING_SHARE_IMAGES"]:
            self.plan_share_images(share.Planner(self.conf, self.settings, files, self.generated_avatar))
        self.plan_newsletters(files)
        for problem in self.prepare():
            report(problem)
        logger.debug("Share images: %d planned, %d made, the rest from %s",
                     len(self.jobs), self.images.made, self.images.path)

    def plan_share_images(self, planner: share.Planner) -> None:
        context = self.context
        for article in context.get("articles", []):
            for version in (article, *getattr(article, "translations", [])):
                if version.status == "published":  # Pelican keeps translations out of the context
                    version.share_image = planner.article(version)
        for issue in context.get("issues", []):
            if issue.state == "published":
                issue.share_image = planner.issue(issue)
        directory = get_directory(context)
        for member in directory.public_members:
            member.share_image = planner.member(member)
        for group in directory.public_groups:
            group.share_image = planner.group(group)
        context["share_site_image"] = planner.site_card()
        self.jobs += planner.jobs

    def generated_avatar(self, member) -> str:
        """The initials SVG kring_members writes for a member without an Avatar."""
        return self.env.get_template("avatar.svg").render(member=member, hue=avatar_hue(member.slug))

    def plan_newsletters(self, files: sources.LocalFiles) -> None:
        conf = issue_settings.read(self.settings)
        if not conf["ISSUE_NEWSLETTER_SAVE_AS"]:
            return
        planner = newsletter.Planner(self.conf, files, self.images, issue_newsletter.base_url(self.settings, conf))
        for issue in self.context.get("issues", []):
            issue.newsletter_images = planner.plan(issue)
        self.jobs += planner.jobs
        for problem in planner.problems:
            report(problem)

    def prepare(self) -> list[ContentError]:
        """Make every image the cache does not hold yet, on several threads."""
        missing = {job.key: job for job in self.jobs if not self.images.has(job.key)}
        if not missing:
            return []
        threads = min(MAX_THREADS, os.cpu_count() or 1, len(missing))
        with ThreadPoolExecutor(threads) as pool:
            return [p for p in pool.map(self.make, missing.values()) if p is not None]

    def make(self, job: share.Job) -> ContentError | None:
        try:
            self.images.get(job.key, job.make)
        except raster.Unreadable as exc:
            return ContentError(job.source, job.field, f"'{job.origin}' is {exc}.", "Use a valid SVG, PNG or JPEG file.")
        return None

    def planned_outputs(self):
        for job in self.jobs:
            yield job.save_as, job.source

    def generate_output(self, writer):
        written = set()
        for job in self.jobs:
            if job.save_as in written:
                continue  # one image used twice by the same source (e.g. an inline SVG)
            written.add(job.save_as)
            claim = getattr(writer, "claim_file", None)
            if claim is not None:
                claim(job.save_as, job.source)
            cache.write_if_changed(os.path.join(self.output_path, job.save_as), self.images.get(job.key, job.make))
