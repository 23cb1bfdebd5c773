"""Settings of the member and group plugins, read once per run with defaults."""

DEFAULTS = {
    "KRING_MEMBERS_PATH": "members",
    "KRING_GROUPS_PATH": "groups",
    "MEMBER_URL": "members/{slug}/",
    "MEMBER_SAVE_AS": "members/{slug}/index.html",
    "MEMBER_FEED_ATOM": "members/{slug}/feed.atom.xml",
    "MEMBERS_URL": "members/",
    "MEMBERS_SAVE_AS": "members/index.html",
    "GROUP_URL": "groups/{slug}/",
    "GROUP_SAVE_AS": "groups/{slug}/index.html",
    "GROUP_FEED_ATOM": "groups/{slug}/feed.atom.xml",
    "GROUPS_URL": "groups/",
    "GROUPS_SAVE_AS": "groups/index.html",
}


def read(settings) -> dict:
    return {key: settings.get(key, default) for key, default in DEFAULTS.items()}
