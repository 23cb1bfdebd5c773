"""JSON-LD for event and presentation pages (schema.org Event, PresentationDigitalDocument)."""

from __future__ import annotations

STATUS = {"confirmed": "EventScheduled", "tentative": "EventScheduled", "cancelled": "EventCancelled"}
SCHEMA = "https://schema.org/"


def _person(member, base: str) -> dict:
    return {"@type": "Person", "name": member.name, "url": f"{base}/{member.url}"}


def _moment(value) -> str:
    return value.isoformat()


def event_data(event, base: str) -> dict:
    shown = event.shown
    data = {
        "@type": "Event",
        "name": event.title,
        "url": f"{base}/{event.url}",
        "startDate": _moment(shown.start if shown else event.start),
        "endDate": _moment((shown.last_day if event.all_day else shown.end) if shown else event.end),
        "eventStatus": SCHEMA + STATUS.get(event.status, "EventScheduled"),
    }
    places = []
    if event.location:
        places.append({"@type": "Place", "name": event.location.split(",")[0].strip(), "address": event.location})
    if event.online:
        places.append({"@type": "VirtualLocation", "url": event.online})
    mode = "Mixed" if len(places) == 2 else "Online" if event.online else "Offline"
    data["eventAttendanceMode"] = f"{SCHEMA}{mode}EventAttendanceMode"
    if places:
        data["location"] = places[0] if len(places) == 1 else places
    if event.summary:
        data["description"] = event.summary
    if event.public_organisers:
        data["organizer"] = [_person(m, base) for m in event.public_organisers]
    if event.speakers:
        data["performer"] = [_person(m, base) for m in event.speakers]
    if event.registration:
        data["offers"] = {"@type": "Offer", "url": event.registration}
    return data


def presentation_data(talk, base: str) -> dict:
    data = {
        "@type": "PresentationDigitalDocument",
        "name": talk.title,
        "url": f"{base}/{talk.url}",
        "dateCreated": talk.date.isoformat(),
    }
    if talk.summary:
        data["description"] = talk.summary
    if talk.public_speakers:
        data["author"] = [_person(m, base) for m in talk.public_speakers]
    if talk.tags:
        data["keywords"] = list(talk.tags)
    if talk.slides and (talk.slides.save_as or talk.slides.link):
        data["encoding"] = {"@type": "MediaObject", "encodingFormat": "application/pdf",
                            "contentUrl": talk.slides.link or f"{base}/{talk.slides.save_as}"}
    if talk.event is not None:
        data["recordedAt"] = event_data(talk.event, base)
    return data
