"""Settings of the events and presentations plugin, read once per run with defaults."""

DEFAULTS = {
    "KRING_EVENTS_PATH": "events",
    "KRING_PRESENTATIONS_PATH": "presentations",
    "EVENT_URL": "events/{slug}/",
    "EVENT_SAVE_AS": "events/{slug}/index.html",
    "EVENT_ICS_SAVE_AS": "events/{slug}/event.ics",
    "EVENTS_URL": "events/",
    "EVENTS_SAVE_AS": "events/index.html",
    "EVENTS_ICS_SAVE_AS": "events/calendar.ics",
    "GROUP_ICS_SAVE_AS": "groups/{slug}/calendar.ics",
    "MEMBER_ICS_SAVE_AS": "members/{slug}/calendar.ics",
    "PRESENTATION_URL": "presentations/{slug}/",
    "PRESENTATION_SAVE_AS": "presentations/{slug}/index.html",
    "PRESENTATIONS_URL": "presentations/",
    "PRESENTATIONS_SAVE_AS": "presentations/index.html",
    # "YYYY-MM-DD": the day the build counts as today ("upcoming"); empty: the
    # environment variable KRING_TODAY, else today in TIMEZONE.
    "KRING_TODAY": "",
    # Calendars keep events that ended at most this many days ago.
    "KRING_CALENDAR_PAST_DAYS": 180,
    # How many upcoming events the home page shows.
    "KRING_EVENTS_ON_HOME": 3,
    # An issue's newsletter lists the events of this many weeks after its date.
    "KRING_NEWSLETTER_EVENT_WEEKS": 4,
    # Width in pixels of the first slide's image on a presentation page.
    "KRING_SLIDE_PREVIEW_WIDTH": 640,
}


def read(settings) -> dict:
    return {key: settings.get(key, default) for key, default in DEFAULTS.items()}
