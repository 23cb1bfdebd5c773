"""Settings of the responses plugin, read once per run with their defaults."""

DEFAULTS = {
    "KRING_RESPONSES_PATH": "responses",  # content/responses/<article slug>/<name>.md
    "KRING_RESPONSE_EMAIL": "",  # the "Respond" address; empty: no button
    "KRING_RESPONSE_EXCERPT_LENGTH": 280,  # characters of a community post shown under an article
    "KRING_SITE_ADDRESSES": [],  # more addresses of the site (the published one, in development), besides
    # KRING_PUBLIC_URL, SITEURL and FEED_DOMAIN: a community post linking to any of them responds
    "RESPONSES_FEED_ATOM": "articles/{slug}/responses.atom.xml",  # per article with responses (empty: none)
}


def read(settings) -> dict:
    return {key: settings.get(key, default) for key, default in DEFAULTS.items()}
