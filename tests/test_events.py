"""Events: pages, listings, home, groups, profiles, newsletter, JSON-LD and calendars (issue 13)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys

import pytest
import recurring_ical_events
from icalendar import Calendar

from kring.build import build
from sitekit import DEV_SETTINGS, ROOT, Site, article, group, member, write_files

from events_helpers import TODAY, check_rfc5545, event, talk

UTC = dt.timezone.utc


def community() -> dict:
    return dict([
        group("itil", "Servicemanagement", Summary="ITIL in de praktijk", Moderators="anna"),
        group("prince2", "Projectmanagement", Members="bram"),
        member("anna", "Anna de Vries", Role="Servicemanager", Groups="itil", Email="anna@example.nl"),
        member("bram", "Bram Mulder", Groups="prince2", Email="bram@example.nl"),
        member("geheim", "Gerrit Geheim", Visibility="hidden", Groups="itil", Email="gerrit@example.nl"),
        article("samen", "Samen sterk", Authors="anna", Groups="itil"),
        ("issues/1.md", "Number: 1\nTitle: Maartnummer\nDate: 2027-03-01\n\nHet redactioneel.\n"),
    ])


EVENTS = dict([
    event("zomersessie", "Zomersessie", Start="2027-06-10 13:30", End="2027-06-10 17:00", Groups="itil",
          Organisers="Anna de Vries", Location="Zaal 1, Utrecht", Registration="https://example.nl/aanmelden",
          Summary="Een **middag** met [link](https://example.nl/).",
          body="Koffie, thee; en een \\ schuine streep.\n\nTweede alinea met é en ü."),
    event("wintersessie", "Wintersessie", Start="2027-01-14 13:30", Duration="1h30m", Groups="itil", Organisers="bram"),
    event("londen", "Londense werkplaats", Start="2027-03-04 14:00", End="2027-03-04 16:00", Timezone="Europe/London",
          Online="https://meet.example.nl/londen", Organisers="bram", Groups="prince2"),
    event("afgelast", "Afgelaste rondetafel", Start="2027-03-20 10:00", Duration="2h", Status="cancelled",
          Sequence="2", Location="Kantoor", Groups="prince2", Organisers="geheim"),
    event("congres", "Congres", Start="2027-04-01", End="2027-04-02", Groups="itil"),
    event("cafe", "Risicocafé", Start="2026-11-10 16:00", Duration="1h30m", Repeat="FREQ=MONTHLY;BYDAY=2TU;COUNT=6",
          Groups="itil", Organisers="anna"),
    event("wekelijks", "Wekelijkse stand-up", Start="2027-05-03 09:00", Duration="15m",
          Repeat="FREQ=WEEKLY;UNTIL=2027-06-30", Groups="prince2"),
    event("oud", "Heel oude bijeenkomst", Start="2025-05-01 10:00", Duration="1h", Groups="itil"),
    event("vorigjaar", "Bijeenkomst vorig jaar", Start="2026-12-01 10:00", Duration="1h", Groups="itil"),
    talk("praatje", "Een praatje", Date="2027-01-14", Speakers="bram", Event="wintersessie", Groups="itil", Tags="ITIL"),
])


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    base = tmp_path_factory.mktemp("events")
    write_files(base / "content", {**community(), **EVENTS})
    build(DEV_SETTINGS, {"PATH": str(base / "content"), "OUTPUT_PATH": str(base / "output"),
                         "KRING_FEED_ARCHIVE": str(base / "var.sqlite"), "KRING_TODAY": TODAY,
                         "KRING_SEARCH_INDEX": False, "KRING_EVENTS_ON_HOME": 2})
    return Site(base / "output")


def ics(site: Site, url: str) -> Calendar:
    return check_rfc5545(site.path(url).read_bytes(), url)


def vevents(cal: Calendar) -> dict:
    return {str(e["UID"]).split("@")[0]: e for e in cal.walk("VEVENT")}


def test_listing_upcoming_soonest_first_then_past_by_year(site):
    page = site.soup("/events/")
    upcoming = page.select_one("#events-upcoming").find_parent("section")
    titles = [a.get_text() for a in upcoming.select(".card__title a")]
    # On 2027-03-01: the café's next date (9 March), London (4 March) ...
    assert titles == ["Londense werkplaats", "Risicocafé", "Afgelaste rondetafel", "Congres", "Wekelijkse stand-up",
                      "Zomersessie"]
    years = [h.get_text() for h in page.select("h2[id^=events-2]")]
    assert years == ["Past events in 2027", "Past events in 2026", "Past events in 2025"] or \
        years == ["Eerdere bijeenkomsten in 2027", "Eerdere bijeenkomsten in 2026", "Eerdere bijeenkomsten in 2025"]
    past_2026 = page.select_one("#events-2026").find_parent("section").get_text()
    assert "Bijeenkomst vorig jaar" in past_2026 and "Wintersessie" not in past_2026


def test_today_moves_with_kring_today(make_site):
    files = {**community(), **dict([event("een", "Eén", Start="2027-03-10 10:00")])}
    before = make_site(files, KRING_TODAY="2027-03-09", KRING_SEARCH_INDEX=False)
    assert "Eén" in before.soup("/events/").select_one("#events-upcoming").find_parent("section").get_text()
    same_day = make_site(files, KRING_TODAY="2027-03-10", KRING_SEARCH_INDEX=False)
    assert "Eén" in same_day.soup("/events/").select_one("#events-upcoming").find_parent("section").get_text()
    after = make_site(files, KRING_TODAY="2027-03-11", KRING_SEARCH_INDEX=False)
    assert "Eén" not in after.soup("/events/").select_one("#events-upcoming").find_parent("section").get_text()


def test_event_page_shows_the_time_in_the_site_zone_with_the_zone_named(site):
    page = site.soup("/events/londen/")
    facts = page.select_one(".event__facts").get_text(" ", strip=True)
    assert "15:00–17:00" in facts  # 14:00 in London is 15:00 in Amsterdam
    assert "Europe/Amsterdam" in facts and "CET" in facts
    assert page.select_one(".event__facts a[href='https://meet.example.nl/londen']")
    summer = site.soup("/events/zomersessie/").select_one(".event__facts").get_text(" ", strip=True)
    assert "13:30–17:00" in summer and "CEST" in summer


def test_event_page_place_registration_organisers_talks_and_calendar(site):
    page = site.soup("/events/zomersessie/")
    facts = page.select_one(".event__facts")
    assert "Zaal 1, Utrecht" in facts.get_text()
    assert facts.select_one("a[href='https://example.nl/aanmelden']")
    organiser = facts.select_one("a.person")
    assert organiser.get_text(strip=True) == "Anna de Vries" and organiser["href"].endswith("members/anna/")
    assert organiser.select_one("img.avatar")
    add = facts.select_one("a[href$='event.ics']")
    assert add is not None and site.exists("/events/zomersessie/event.ics")
    winter = site.soup("/events/wintersessie/")
    assert [a.get_text() for a in winter.select("#event-talks ~ .cards .card__title a")] == ["Een praatje"]


def test_cancelled_event_stays_listed_marked_and_hides_its_hidden_organiser(site):
    page = site.soup("/events/afgelast/")
    assert page.select_one(".event-flag--cancelled")
    assert "Gerrit" not in page.get_text()
    card = [c for c in site.soup("/events/").select(".event-card") if "Afgelaste" in c.get_text()][0]
    assert "event-card--cancelled" in card["class"]


def test_home_shows_the_next_events(site):
    home = site.soup("/").select_one(".events-home")
    assert [a.get_text() for a in home.select(".card__title a")] == ["Londense werkplaats", "Risicocafé"]


def test_group_page_and_profile_list_events_and_link_their_calendars(site):
    group_page = site.soup("/groups/itil/")
    section = group_page.select_one("#group-events").find_parent("section")
    titles = [a.get_text() for a in section.select(".card__title a")]
    assert titles == ["Risicocafé", "Congres", "Zomersessie"]  # upcoming only
    assert section.select_one("a[href$='groups/itil/calendar.ics']")
    profile = site.soup("/members/bram/")
    events = profile.select_one("#member-events").find_parent("section").get_text()
    assert "Wintersessie" in events and "Londense werkplaats" in events  # speaks at one, organises the other
    talks = profile.select_one("#member-talks").find_parent("section").get_text()
    assert "Een praatje" in talks
    assert not site.exists("/members/geheim/calendar.ics")


def test_newsletter_lists_the_events_of_the_weeks_after_its_date(site):
    letter = site.soup("/issues/1/newsletter.html").get_text(" ", strip=True)
    for title in ("Londense werkplaats", "Risicocafé", "Afgelaste rondetafel"):
        assert title in letter
    assert "Congres" not in letter and "Zomersessie" not in letter  # more than 4 weeks later
    assert "Wintersessie" not in letter  # before the issue
    text = site.text("/issues/1/newsletter.txt")
    assert "* Londense werkplaats (donderdag 4 maart 2027, 15:00–17:00, Europe/Amsterdam, CET)" in text
    assert "http://localhost:8000/events/londen/" in text and "Zomersessie" not in text


def test_event_json_ld(site):
    data = json.loads(site.soup("/events/londen/").select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "Event" and data["name"] == "Londense werkplaats"
    assert data["startDate"] == "2027-03-04T14:00:00+00:00"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://meet.example.nl/londen"}
    assert data["organizer"] == [{"@type": "Person", "name": "Bram Mulder", "url": "http://localhost:8000/members/bram/"}]
    cancelled = json.loads(site.soup("/events/afgelast/").select_one('script[type="application/ld+json"]').string)
    assert cancelled["eventStatus"] == "https://schema.org/EventCancelled"
    assert cancelled["location"]["@type"] == "Place" and "organizer" not in cancelled  # hidden organiser
    winter = json.loads(site.soup("/events/wintersessie/").select_one('script[type="application/ld+json"]').string)
    assert [p["name"] for p in winter["performer"]] == ["Bram Mulder"]


# Calendars


def test_every_calendar_is_rfc_5545(site):
    files = sorted(p for p in site.output.rglob("*.ics"))
    names = {str(p.relative_to(site.output)) for p in files}
    assert {"events/calendar.ics", "events/zomersessie/event.ics", "groups/itil/calendar.ics",
            "members/anna/calendar.ics", "members/bram/calendar.ics"} <= names
    for path in files:
        check_rfc5545(path.read_bytes(), str(path))


def test_summer_and_winter_times_in_utc(site):
    summer = vevents(ics(site, "/events/zomersessie/event.ics"))["zomersessie"]
    assert summer["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert summer["DTSTART"].dt.astimezone(UTC) == dt.datetime(2027, 6, 10, 11, 30, tzinfo=UTC)
    winter = vevents(ics(site, "/events/wintersessie/event.ics"))["wintersessie"]
    assert winter["DTSTART"].dt.astimezone(UTC) == dt.datetime(2027, 1, 14, 12, 30, tzinfo=UTC)
    assert winter["DTEND"].dt.astimezone(UTC) == dt.datetime(2027, 1, 14, 14, 0, tzinfo=UTC)
    london = vevents(ics(site, "/events/londen/event.ics"))["londen"]
    assert london["DTSTART"].params["TZID"] == "Europe/London"
    assert london["DTSTART"].dt.astimezone(UTC) == dt.datetime(2027, 3, 4, 14, 0, tzinfo=UTC)


def test_all_day_event_is_a_date_with_an_exclusive_end(site):
    raw = site.path("/events/congres/event.ics").read_bytes()
    assert b"DTSTART;VALUE=DATE:20270401\r\n" in raw and b"DTEND;VALUE=DATE:20270403\r\n" in raw
    page = site.soup("/events/congres/").select_one(".event__facts").get_text(" ", strip=True)
    assert "1 april 2027" in page and "2 april 2027" in page


def test_text_is_escaped_plain_and_folded(site):
    raw = site.path("/events/zomersessie/event.ics").read_bytes()
    unfolded = raw.replace(b"\r\n ", b"")
    assert b"Koffie\\, thee\\; en een \\\\ schuine streep." in unfolded
    assert b"\\n" in unfolded  # paragraphs are escaped newlines
    event_ = vevents(Calendar.from_ical(raw))["zomersessie"]
    description = str(event_["DESCRIPTION"])
    assert description.startswith("Een middag met link.")  # the Markdown summary, as text
    assert "Koffie, thee; en een \\ schuine streep." in description and "é en ü" in description
    assert "<" not in description


def test_uid_url_status_organizer_and_no_email_anywhere(site):
    events = vevents(ics(site, "/events/calendar.ics"))
    assert str(events["zomersessie"]["UID"]) == "zomersessie@localhost"
    assert str(events["zomersessie"]["URL"]) == "http://localhost:8000/events/zomersessie/"
    assert str(events["afgelast"]["STATUS"]) == "CANCELLED" and int(events["afgelast"]["SEQUENCE"]) == 2
    assert str(events["londen"]["STATUS"]) == "CONFIRMED"
    organizer = events["zomersessie"]["ORGANIZER"]
    assert str(organizer) == "http://localhost:8000/members/anna/" and organizer.params["CN"] == "Anna de Vries"
    assert "ORGANIZER" not in events["afgelast"]  # the only organiser is hidden
    for path in site.all_files():
        if path.suffix in (".ics", ".html", ".xml", ".txt", ".json"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "@example.nl" not in text, path


def test_uid_stays_and_sequence_and_stamp_come_from_the_source(make_site):
    files = {**community(), **dict([event("x", "Eerste titel", Start="2027-05-01 10:00", Duration="1h")])}
    first = make_site(files, KRING_TODAY=TODAY, KRING_SEARCH_INDEX=False)
    one = first.path("/events/x/event.ics").read_bytes()
    again = make_site(files, KRING_TODAY=TODAY, KRING_SEARCH_INDEX=False).path("/events/x/event.ics").read_bytes()
    assert one == again  # no clock in the calendar: the same source gives the same bytes
    moved = {**community(), **dict([event("x", "Andere titel", Start="2027-05-08 11:00", Duration="1h", Sequence="1",
                                          Modified="2027-04-02 09:15", body="Nieuwe tekst.")])}
    two = make_site(moved, KRING_TODAY=TODAY, KRING_SEARCH_INDEX=False).path("/events/x/event.ics").read_bytes()
    a, b = vevents(Calendar.from_ical(one))["x"], vevents(Calendar.from_ical(two))["x"]
    assert a["UID"] == b["UID"]
    assert int(a["SEQUENCE"]) == 0 and int(b["SEQUENCE"]) == 1
    assert a["DTSTAMP"].dt == dt.datetime(2027, 5, 1, 8, 0, tzinfo=UTC)  # no Modified: the first start
    assert b["DTSTAMP"].dt == b["LAST-MODIFIED"].dt == dt.datetime(2027, 4, 2, 7, 15, tzinfo=UTC)


def test_an_event_beyond_the_horizon_is_still_listed(make_site):
    files = {**community(), **dict([event("ver", "Ver weg", Start="2031-05-01 10:00", Repeat="FREQ=YEARLY")])}
    site = make_site(files, KRING_TODAY=TODAY, KRING_SEARCH_INDEX=False)
    assert "Ver weg" in site.soup("/events/").select_one("#events-upcoming").find_parent("section").get_text()
    assert "1 mei 2031" in site.soup("/events/ver/").select_one(".event__facts").get_text()


def test_calendars_keep_recent_past_events_only(site):
    uids = set(vevents(ics(site, "/events/calendar.ics")))
    assert "vorigjaar" in uids  # 90 days ago, within the default 180
    assert "oud" not in uids  # almost two years ago
    assert site.exists("/events/oud/") and site.exists("/events/oud/event.ics")


def test_past_days_setting(make_site):
    files = {**community(), **dict([event("vorig", "Vorige maand", Start="2027-02-01 10:00")])}
    short = make_site(files, KRING_TODAY=TODAY, KRING_SEARCH_INDEX=False, KRING_CALENDAR_PAST_DAYS=7)
    assert "vorig" not in vevents(ics(short, "/events/calendar.ics"))


def test_group_and_member_calendars_hold_their_own_events(site):
    assert set(vevents(ics(site, "/groups/prince2/calendar.ics"))) == {"londen", "afgelast", "wekelijks"}
    assert set(vevents(ics(site, "/members/bram/calendar.ics"))) == {"wintersessie", "londen"}


def test_recurrences_expand_across_the_change_to_summer_time(site):
    cal = ics(site, "/groups/itil/calendar.ics")
    cafe = [o for o in recurring_ical_events.of(cal).between(dt.date(2026, 1, 1), dt.date(2028, 1, 1))
            if str(o["UID"]).startswith("cafe@")]
    starts = [o["DTSTART"].dt for o in cafe]
    assert [s.date() for s in starts] == [dt.date(2026, 11, 10), dt.date(2026, 12, 8), dt.date(2027, 1, 12),
                                          dt.date(2027, 2, 9), dt.date(2027, 3, 9), dt.date(2027, 4, 13)]
    assert all((s.hour, s.minute) == (16, 0) for s in starts)  # the wall clock stays
    assert starts[0].astimezone(UTC).hour == 15 and starts[-1].astimezone(UTC).hour == 14
    weekly = ics(site, "/events/wekelijks/event.ics")
    assert re.search(rb"RRULE:FREQ=WEEKLY;UNTIL=20270630T\d{6}Z", weekly.to_ical())
    mondays = list(recurring_ical_events.of(weekly).between(dt.date(2027, 1, 1), dt.date(2028, 1, 1)))
    assert len(mondays) == 9 and mondays[-1]["DTSTART"].dt.date() == dt.date(2027, 6, 28)


def test_recurring_event_page_lists_its_next_dates(site):
    facts = site.soup("/events/cafe/").select_one(".event__facts").get_text(" ", strip=True)
    assert "9 maart 2027" in facts and "13 april 2027" in facts
    assert "10 november 2026" not in facts  # past dates are not offered


def test_moving_an_event_without_raising_sequence_is_warned_about(make_site, caplog):
    def files(start, seq):
        return {**community(), **dict([event("x", "Sessie", Start=start, Duration="1h", Sequence=seq)])}

    make_site(files("2027-05-01 10:00", "0"), KRING_TODAY=TODAY, KRING_SEARCH_INDEX=False)
    caplog.clear()
    make_site(files("2027-05-08 10:00", "0"), KRING_TODAY=TODAY, KRING_SEARCH_INDEX=False)
    warned = [r.getMessage() for r in caplog.records if "Sequence" in r.getMessage()]
    assert len(warned) == 1 and "events/x.md: Sequence: the time changed" in warned[0]
    assert "Write 'Sequence: 1'" in warned[0]
    caplog.clear()
    make_site(files("2027-05-08 10:00", "1"), KRING_TODAY=TODAY, KRING_SEARCH_INDEX=False)
    assert not [r for r in caplog.records if "Sequence" in r.getMessage()]


def test_a_calendar_is_the_same_bytes_in_every_process(tmp_path):
    """Its time zones were listed in the order of a set of names, which differs with PYTHONHASHSEED."""
    files = dict([event("londen", "In Londen", Start="2027-02-04 14:00", Timezone="Europe/London"),
                  event("utrecht", "In Utrecht", Start="2027-02-05 14:00"),
                  event("new-york", "In New York", Start="2027-02-06 14:00", Timezone="America/New_York"),
                  event("tokio", "In Tokio", Start="2027-02-07 14:00", Timezone="Asia/Tokyo")])
    write_files(tmp_path / "content", files)
    calendars = set()
    for seed in ("1", "2", "3", "4"):
        out = tmp_path / f"out-{seed}"
        code = (f"from kring.build import build; build({DEV_SETTINGS!r}, {{'PATH': {str(tmp_path / 'content')!r}, "
                f"'OUTPUT_PATH': {str(out)!r}, 'CACHE_PATH': {str(tmp_path / ('cache-' + seed))!r}, "
                f"'KRING_FEED_ARCHIVE': {str(tmp_path / 'var.sqlite')!r}, 'KRING_SEARCH_INDEX': False, "
                f"'KRING_TODAY': {TODAY!r}}})")
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
        calendars.add((out / "events" / "calendar.ics").read_bytes())
    assert len(calendars) == 1
    assert check_rfc5545(calendars.pop()).walk("VTIMEZONE")
