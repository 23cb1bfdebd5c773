"""Settings of the knowledge map, read once per run with their defaults."""

DEFAULTS = {
    "EXPERTS_URL": "experts/",
    "EXPERTS_SAVE_AS": "experts/index.html",
    "EXPERT_URL": "experts/{slug}/",
    "EXPERT_SAVE_AS": "experts/{slug}/index.html",
    # Spellings of one topic: {"ITIL 4": "ITIL", "itil": "ITIL"}.
    "KRING_TOPIC_ALIASES": {},
    # How much each piece of evidence counts when ranking who knows a topic.
    "KRING_EXPERTISE_WEIGHTS": {"declared": 3, "article": 2, "presentation": 2, "post": 1},
    # Members shown per topic on /experts/ (the topic page shows everyone).
    "KRING_EXPERTS_PER_TOPIC": 5,
    # Neighbours drawn around a member on their profile.
    "KRING_GRAPH_NEIGHBOURS": 12,
    # Months in a group's activity chart, ending with this month ("YYYY-MM");
    # None: the month of the newest article or post, so builds are repeatable.
    "KRING_ACTIVITY_MONTHS": 12,
    "KRING_ACTIVITY_END": None,
}


def read(settings) -> dict:
    return {key: settings.get(key, default) for key, default in DEFAULTS.items()}
