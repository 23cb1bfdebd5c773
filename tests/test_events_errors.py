"""Every editor mistake in an event or presentation stops the build: file, field, fix (issue 13)."""

from __future__ import annotations

import pytest

from kring_core.errors import BuildStopped
from sitekit import group, member, write_files

from events_helpers import TODAY, deck, event, talk, write_binary

BASE = dict([
    group("klantcontact", "Klantcontact"),
    member("sanne-bakker", "Sanne Bakker", Groups="klantcontact"),
    member("noor", "Noor van den Berg", Groups="klantcontact"),
])
GOOD = dict(Start="2027-03-25 13:30", End="2027-03-25 17:00", Groups="klantcontact", Organisers="sanne-bakker")


def stopped(make_site, files: dict, pdfs: dict | None = None, tmp_path=None) -> str:
    for rel, data in (pdfs or {}).items():
        write_binary(tmp_path / "content", rel, data)  # where make_site writes the text files too
    with pytest.raises(BuildStopped) as info:
        make_site({**BASE, **files}, KRING_TODAY=TODAY, KRING_SEARCH_INDEX=False)
    message = str(info.value)
    assert "Traceback" not in message
    return message


@pytest.mark.parametrize("fields, expected", [
    (dict(GOOD, End="2027-03-25 12:00"), "events/x.md: End: '2027-03-25 12:00' is not after Start '2027-03-25 13:30'."),
    (dict(GOOD, Start="25-03-2027 13:30"), "events/x.md: Start: '25-03-2027 13:30' is not a date or time. Write YYYY-MM-DD HH:MM"),
    (dict(GOOD, Timezone="Europe/Amsterdm"), "events/x.md: Timezone: 'Europe/Amsterdm' is not a time zone. Did you mean 'Europe/Amsterdam'?"),
    (dict(GOOD, Repeat="FREQ=MONTLY;COUNT=3"), "events/x.md: Repeat: FREQ=MONTLY is not a frequency. Did you mean 'MONTHLY'?"),
    (dict(GOOD, Repeat="FREQ=WEEKLY;BYDAI=TU"), "events/x.md: Repeat: 'BYDAI' is not part of a recurrence rule. Did you mean 'BYDAY'?"),
    (dict(GOOD, Repeat="FREQ=WEEKLY;BYDAY=XX"), "events/x.md: Repeat: 'FREQ=WEEKLY;BYDAY=XX' is not a recurrence rule"),
    (dict(GOOD, Repeat="FREQ=WEEKLY;COUNT=3;UNTIL=2027-06-01"), "events/x.md: Repeat: has both UNTIL and COUNT."),
    (dict(GOOD, Repeat="COUNT=3"), "events/x.md: Repeat: has no FREQ."),
    (dict(GOOD, Organisers="Sane Bakker"), "events/x.md: Organisers: 'Sane Bakker' is not a member. Did you mean 'Sanne Bakker'?"),
    (dict(GOOD, Groups="klantcontakt"), "events/x.md: Groups: 'klantcontakt' is not a group. Did you mean 'klantcontact'?"),
    (dict(GOOD, Status="canceled"), "events/x.md: Status: 'canceled' is not a status here. Did you mean 'cancelled'?"),
    (dict(GOOD, Duration="2h"), "events/x.md: Duration: and End are both given. Keep one of the two."),
    (dict(Start="2027-03-25 13:30", Duration="twee uur"), "events/x.md: Duration: 'twee uur' is not a duration."),
    (dict(Start="2027-03-25", End="2027-03-26 10:00"), "events/x.md: End: '2027-03-26 10:00' and Start '2027-03-25' must both have a time"),
    (dict(GOOD, Online="meet.example.nl/x"), "events/x.md: Online: 'meet.example.nl/x' is not a web address."),
    (dict(GOOD, Sequence="een"), "events/x.md: Sequence: 'een' is not a whole number."),
    (dict(Title_="x"), "events/x.md: Start: is missing."),
])
def test_event_mistakes(make_site, fields, expected):
    fields = {k: v for k, v in fields.items() if not k.endswith("_")}
    assert expected in stopped(make_site, dict([event("x", "Bijeenkomst", **fields)]))


def test_a_slug_is_unique_across_members_groups_events_and_presentations(make_site):
    message = stopped(make_site, dict([
        event("noor", "Noor's bijeenkomst", **GOOD),
        event("sessie", "Sessie", **GOOD),
        talk("sessie", "Sessie", Date="2027-03-25", Speakers="noor"),
        talk("klantcontact", "Over klantcontact", Date="2027-03-25", Speakers="noor"),
    ]))
    assert "events/noor.md: the slug 'noor' is also used by" in message and "members/noor.md" in message
    assert "presentations/sessie.md: the slug 'sessie' is also used by" in message and "events/sessie.md" in message
    assert "presentations/klantcontact.md: the slug 'klantcontact' is also used by" in message


@pytest.mark.parametrize("fields, expected", [
    (dict(Speakers="Nor van den Berg"), "presentations/p.md: Speakers: 'Nor van den Berg' is not a member. Did you mean 'Noor van den Berg'?"),
    (dict(Event="sesie"), "presentations/p.md: Event: 'sesie' is not an event. Did you mean 'sessie'?"),
    (dict(Groups="klantcontac"), "presentations/p.md: Groups: 'klantcontac' is not a group. Did you mean 'klantcontact'?"),
    (dict(Slides="presentations/dek.pfd"), "presentations/p.md: Slides: 'presentations/dek.pfd' does not exist under"),
    (dict(Status="gepubliceerd"), "presentations/p.md: Status: 'gepubliceerd' is not a status here."),
    (dict(Video="youtube"), "presentations/p.md: Video: 'youtube' is not a web address."),
    (dict(Speakers=""), "presentations/p.md: Speakers: is missing."),
    (dict(Date="gisteren"), "presentations/p.md: Date: 'gisteren' is not a date."),
])
def test_presentation_mistakes(make_site, tmp_path, fields, expected):
    fields = {"Date": "2027-03-25", "Speakers": "noor", **fields}
    files = dict([event("sessie", "Sessie", **GOOD), talk("p", "Praatje", **fields)])
    message = stopped(make_site, files, {"presentations/dek.pdf": deck("Dek", [("Een", ["twee"])])}, tmp_path)
    assert expected in message
    if "dek.pfd" in expected:
        assert "Did you mean 'dek.pdf'?" in message


@pytest.mark.parametrize("data, expected", [
    (b"Dit is tekst, geen PDF.", "is not a PDF"),
    (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "is a damaged PDF"),
    (None, "is a damaged PDF"),  # a real PDF, cut in half
])
def test_slides_that_are_not_a_usable_pdf(make_site, tmp_path, data, expected):
    if data is None:
        whole = deck("Dek", [("Een", ["twee"]), ("Drie", ["vier"])])
        data = whole[: len(whole) // 3]
    files = dict([talk("p", "Praatje", Date="2027-03-25", Speakers="noor", Slides="presentations/kapot.pdf")])
    message = stopped(make_site, files, {"presentations/kapot.pdf": data}, tmp_path)
    assert "presentations/p.md: Slides: 'presentations/kapot.pdf' " + expected in message
    assert "Export the slides as PDF again" in message


def test_a_bad_kring_today_is_a_settings_error(make_site):
    with pytest.raises(BuildStopped) as info:
        make_site({**BASE}, KRING_TODAY="1 maart", KRING_SEARCH_INDEX=False)
    assert "KRING_TODAY: '1 maart' is not a date." in str(info.value)
