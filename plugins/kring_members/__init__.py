"""Member profiles at /members/<slug>/, the directory at /members/, feeds and avatars.

A member without an ``Avatar`` gets a generated SVG with their initials, so no
page needs a third-party avatar service.
"""

from __future__ import annotations

import colorsys
import hashlib

from pelican import signals

from kring_core.pages import ObjectPagesGenerator
from kring_directory import get_directory
from kring_directory import settings as directory_settings


def avatar_hue(slug: str) -> int:
    """A stable hue per member, so the same person always looks the same."""
    return int(hashlib.sha1(slug.encode()).hexdigest()[:4], 16) % 360


def _luminance(rgb: tuple[float, float, float]) -> float:
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_with_white(rgb: tuple[float, float, float]) -> float:
    return 1.05 / (_luminance(rgb) + 0.05)


def avatar_colour(slug: str, minimum: float = 4.6) -> str:
    """The member's hue, dark enough that white initials on it meet WCAG AA (4.5:1):
    a yellow or green at the same lightness as a blue is far too light. (4.6: a margin
    for rounding to whole RGB values.)"""
    hue = avatar_hue(slug) / 360
    lightness = 0.42
    rgb = colorsys.hls_to_rgb(hue, lightness, 0.5)
    while contrast_with_white(rgb) < minimum:
        lightness -= 0.01
        rgb = colorsys.hls_to_rgb(hue, lightness, 0.5)
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)


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
                writer.write_file(member.avatar, template, self.context, member=member, colour=avatar_colour(member.slug))


def get_generators(_pelican):
    return MembersGenerator


def register():
    signals.get_generators.connect(get_generators)
