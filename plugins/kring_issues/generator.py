"""Writes /issues/<n>/ (page, feed, newsletter) and the archive /issues/."""

from __future__ import annotations

from pelican.generators import Generator

from . import newsletter
from . import settings as plugin_settings
from .loader import KEY


class Rendition:
    """A template stand-in that builds an e-mail rendition only when the writer renders it.

    The writer's calls may be handed out over several processes; doing the
    work inside ``render`` means only the process that writes the file pays for it.
    """

    def __init__(self, make, *args):
        self._make, self._args = make, args

    def render(self, *_args, **_kwargs) -> str:
        return self._make(*self._args)


class IssuesGenerator(Generator):
    def generate_context(self):
        """Issues are read with the articles (see loader); this only writes."""
        self.conf = plugin_settings.read(self.settings)

    def issues(self) -> list:
        return self.context.get("issues", [])

    def outputs(self, issue) -> dict[str, str]:
        files = {"feed": issue.feed_url, "html": issue.newsletter_url, "text": issue.newsletter_text_url}
        return {kind: path for kind, path in files.items() if path}

    def planned_outputs(self):
        for issue in self.issues():
            yield issue.save_as, issue.source_path
            for path in self.outputs(issue).values():
                yield path, issue.source_path
        yield self.conf["ISSUES_SAVE_AS"], "the issue archive"

    def generate_output(self, writer):
        if KEY not in self.context:
            return
        relative = self.settings["RELATIVE_URLS"]
        template = self.get_template("issue")
        base = newsletter.base_url(self.settings, self.conf)
        for issue in self.issues():
            writer.write_file(issue.save_as, template, self.context, relative_urls=relative,
                              template_name="issue", url=issue.url, issue=issue)
            outputs = self.outputs(issue)
            if "feed" in outputs:
                writer.write_feed(issue.toc, self.context, outputs["feed"],
                                  feed_title=f"{self.settings.get('SITENAME', '')}: {issue.title}")
            if "html" in outputs:
                writer.write_file(outputs["html"], Rendition(self.newsletter_html, issue, base), self.context, issue=issue)
            if "text" in outputs:
                text = Rendition(newsletter.plain_text, issue, base, self.settings.get("SITENAME", ""))
                writer.write_file(outputs["text"], text, self.context, issue=issue)
        writer.write_file(self.conf["ISSUES_SAVE_AS"], self.get_template("issues"), self.context,
                          relative_urls=relative, template_name="issues", url=self.conf["ISSUES_URL"])

    def newsletter_html(self, issue, base: str) -> str:
        html = self.get_template("newsletter").render(
            {**self.context, "issue": issue, "BASE": base, "editorial": newsletter.absolutize(issue.editorial, base)})
        images = getattr(issue, "newsletter_images", None)  # kring_share: PNG/JPEG instead of SVG
        if images is not None:
            html = images.apply(html)
        return newsletter.inline(html)
