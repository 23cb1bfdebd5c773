"""Base generator for Kring's own pages: one page per object, plus a directory.

Members and groups (and later plugins) each have a profile-like page at
``obj.url`` listing ``obj.articles`` (paginated), an Atom feed of those
articles, and a directory page that lists every public object.
"""

from __future__ import annotations

from pelican.generators import Generator


class ObjectPagesGenerator(Generator):
    """Subclasses set ``kind`` and implement ``objects`` and the URL settings."""

    kind = ""  # template name and the template's variable, e.g. "member"
    defaults: dict = {}  # the plugin's URL settings and their defaults

    def objects(self) -> list:
        raise NotImplementedError

    def setting(self, key: str):
        return self.settings.get(key, self.defaults.get(key))

    def generate_context(self):
        """Objects are read elsewhere; this plugin only writes them."""

    def feed_path(self, obj) -> str:
        pattern = self.setting(f"{self.kind.upper()}_FEED_ATOM")
        return pattern.format(slug=obj.slug) if pattern else ""

    def directory_outputs(self) -> list[tuple[str, str]]:
        """(save_as, description) of the directory page; override to add more."""
        return [(self.setting(f"{self.kind.upper()}S_SAVE_AS"), f"the {self.kind} directory")]

    def planned_outputs(self):
        for obj in self.objects():
            yield obj.save_as, obj.source_path
            if self.feed_path(obj):
                yield self.feed_path(obj), obj.source_path
        yield from self.directory_outputs()

    def write_objects(self, writer) -> None:
        template = self.get_template(self.kind)
        for obj in self.objects():
            writer.write_file(
                obj.save_as,
                template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                paginated={"articles": obj.articles},
                template_name=self.kind,
                url=obj.url,
                **{self.kind: obj},
            )
            if self.feed_path(obj):
                writer.write_feed(
                    obj.articles,
                    self.context,
                    self.feed_path(obj),
                    feed_title=obj.name,
                )

    def write_directory(self, writer) -> None:
        save_as = self.setting(f"{self.kind.upper()}S_SAVE_AS")
        writer.write_file(
            save_as,
            self.get_template(f"{self.kind}s"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            **{f"{self.kind}s": self.objects()},
        )

    def generate_output(self, writer):
        self.write_objects(writer)
        self.write_directory(writer)
