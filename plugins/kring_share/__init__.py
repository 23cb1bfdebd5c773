"""Images for outside the site: share images (og:image) and newsletter rasters.

Every article, issue, member profile and group page gets a 1200x630 share
image made at build time (``share``), and every image of an issue's
newsletter becomes a PNG or JPEG with its size (``newsletter``), because
e-mail clients do not show SVG. Images are cached by a hash of their inputs
(``cache``); ``theme/templates/partials/share_meta.html`` puts them in <head>.
"""

from pelican import signals

from kring_core import defaults

from .settings import DEFAULTS as SETTING_DEFAULTS
from .generator import ShareGenerator

__all__ = ["ShareGenerator", "register"]


def get_generators(_pelican):
    return ShareGenerator


def register():
    defaults.declare(__name__, SETTING_DEFAULTS)
    signals.get_generators.connect(get_generators)
