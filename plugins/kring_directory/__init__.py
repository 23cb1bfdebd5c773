"""Members and groups: reads their files and links them to the articles.

The directory is rebuilt on every run (after the articles are read, before
Pelican files them under tags and authors) and shared with the other plugins
and the templates as ``directory`` in the context.
"""

from pelican import signals

from kring_core import defaults

from .settings import DEFAULTS as SETTING_DEFAULTS
from .loader import load_directory
from .model import Directory, Group, Member
from .resolve import resolve_articles

__all__ = ["Directory", "Group", "Member", "get_directory", "register"]


def get_directory(context) -> Directory:
    return context["directory"]


def build_directory(generator) -> None:
    directory = load_directory(generator)
    resolve_articles(directory, generator)
    generator.context["directory"] = directory


def register():
    defaults.declare(__name__, SETTING_DEFAULTS)
    signals.article_generator_pretaxonomy.connect(build_directory)
