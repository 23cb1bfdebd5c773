"""Group pages at /groups/<slug>/, the directory at /groups/, and group feeds."""

from pelican import signals

from kring_core.pages import ObjectPagesGenerator
from kring_directory import get_directory
from kring_directory import settings as directory_settings


class GroupsGenerator(ObjectPagesGenerator):
    kind = "group"
    defaults = directory_settings.DEFAULTS

    def objects(self):
        return get_directory(self.context).public_groups


def get_generators(_pelican):
    return GroupsGenerator


def register():
    signals.get_generators.connect(get_generators)
