"""Member profiles at /members/<slug>/, the directory at /members/, feeds and avatars.

A member without an ``Avatar`` gets a generated SVG with their initials, so no
page needs a third-party avatar service.
"""

from __future__ import annotations

import hashlib

from pelican import signals

from kring_core.pages import ObjectPagesGenerator
from kring_directory import get_directory
from kring_directory import settings as directory_settings


def avatar_hue(slug: str) -> int:
    """A stable colour per member, so the same person always looks the same."""
    return int(hashlib.sha1(slug.encode()).hexdigest()[:4], 16) % 360


class MembersGenerator(ObjectPagesGenerator):
    kind = "member"
    defaults = directory_settings.DEFAULTS

    def generate_context(self):
        for member in get_directory(self.context).members.values():
            if not member.avatar:
                member.avatar = f"{member.url}avatar.svg"
                member.avatar_generated = True
        self.env.filters.setdefault("avatar_hue", avatar_hue)

    def objects(self):
        return get_directory(self.context).public_members

    def planned_outputs(self):
        yield from super().planned_outputs()
        for member in self.objects():
            if member.avatar_generated:
                yield member.avatar, member.source_path

    def generate_output(self, writer):
        super().generate_output(writer)
        template = self.env.get_template("avatar.svg")
        for member in self.objects():
            if member.avatar_generated:
                writer.write_file(member.avatar, template, self.context, member=member, hue=avatar_hue(member.slug))


def get_generators(_pelican):
    return MembersGenerator


def register():
    signals.get_generators.connect(get_generators)
