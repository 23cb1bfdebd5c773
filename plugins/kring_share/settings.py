"""Settings of kring_share, read once per run with defaults (documented in the README)."""

# The theme's light colours (theme/static/css/kring.css: --bg, --fg, --muted, --accent).
THEME_COLOURS = {"background": "#fbfaf7", "text": "#1d1f23", "muted": "#5b6170", "accent": "#b3261e"}

DEFAULTS = {
    "KRING_SHARE_IMAGES": True,  # a 1200x630 share image for every article, issue, profile and group
    "KRING_SHARE_SAVE_AS": "share/{path}.{ext}",  # {path}: the page's URL without its trailing slash
    "KRING_SHARE_COLOURS": THEME_COLOURS,  # of the generated cards (a partial dict keeps the others)
    # Font files (names Pillow finds in the system's font folders, or paths); the first one found is used,
    # Pillow's own font when none is.
    "KRING_SHARE_TITLE_FONTS": ["LiberationSerif-Bold.ttf", "DejaVuSerif-Bold.ttf"],
    "KRING_SHARE_TEXT_FONTS": ["LiberationSans-Regular.ttf", "DejaVuSans.ttf"],
    "KRING_NEWSLETTER_IMAGES_SAVE_AS": "issues/{number}/newsletter/{name}.{ext}",
    "KRING_NEWSLETTER_WIDTH": 600,  # the newsletter's table width: the cover's width in pixels
    "KRING_NEWSLETTER_TEXT_WIDTH": 536,  # widest image inside the text (600 minus the padding)
}


def read(settings) -> dict:
    values = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    values["KRING_SHARE_COLOURS"] = {**THEME_COLOURS, **(values["KRING_SHARE_COLOURS"] or {})}
    return values
