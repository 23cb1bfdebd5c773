"""`invoke import-response`: the .eml corpus in tests/mail/ becomes response files, then a page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from feeds_helpers import unsafe_parts
from sitekit import ROOT, article, member, write_files
from kring.mail import import_response
from kring.scaffold import ScaffoldError

MAIL = Path(__file__).parent / "mail"


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    write_files(folder, dict([
        member("eva", "Eva Smit"),
        article("sla-gesprekken-zonder-rapportcijfers", "SLA-gesprekken zonder rapportcijfers", Authors="eva"),
        article("klantreis-samen-tekenen", "De klantreis samen tekenen, met klant en collega's", Authors="eva"),
        article("moderator-zijn-is-een-vak", "Moderator zijn is een vak", Authors="eva"),
    ]))
    return folder


def imported(content: Path, name: str, **options) -> tuple[Path, dict, str]:
    path = import_response(MAIL / name, content, **options)
    header, _, text = path.read_text(encoding="utf-8").partition("\n\n")
    fields = dict(line.split(": ", 1) for line in header.splitlines())
    return path, fields, text.strip()


# file, article, author, date, text that must be there, text that must not
CORPUS = [
    ("plain.eml", "sla-gesprekken-zonder-rapportcijfers", "Jan Peeters", "2026-11-21 10:15",
     "klanttevredenheidsvraag na elk verzoek", ["jan.peeters@example.org"]),
    ("html-only.eml", "klantreis-samen-tekenen", "Sara Willems", "2026-11-23 15:02",
     "Wij tekenden de klantreis met twaalf collega's.\n\nTip: begin bij de klacht", ["<b>", "<p>", "sara@"]),
    ("alternative.eml", "moderator-zijn-is-een-vak", "Pieter Jansen", "2026-11-24 08:30",
     "de tekstdeel-versie", ["HTML-versie"]),
    ("qp-latin1.eml", "klantreis-samen-tekenen", "Renée Müller", "2026-11-25 19:45",
     "Een café-gesprek over de klantreis leverde ons méér op dan een workshop van een hele dag. Naïef?", ["=E9", "=\n"]),
    ("base64-utf8.eml", "klantreis-samen-tekenen", "Zoë Özdemir", "2026-11-26 07:05",
     "Één ding wil ik toevoegen: zet de klant écht aan tafel.", []),
    ("top-posted.eml", "moderator-zijn-is-een-vak", "Lotte de Graaf", "2026-11-27 12:00",
     "de moderator verdient ook een budget.", ["schreef", "Beste Lotte", ">", "redactie@"]),
    ("bottom-quoted.eml", "sla-gesprekken-zonder-rapportcijfers", "Mark de Boer", "2026-11-28 16:20",
     "Het watermeloeneffect herken ik uit de zorg.", ["wrote", "Wat vond je", ">"]),
    ("signature.eml", "moderator-zijn-is-een-vak", "Fatima Amrani", "2026-11-29 10:00",
     "Mooi dat moderatie eindelijk als vak wordt gezien.", ["Communitymanager", "06-12345678", "fatima@", "--"]),
    ("html-script.eml", "klantreis-samen-tekenen", "Eve Aanvaller", "2026-11-30 11:11",
     "Leuk artikel", ["script", "document.cookie", "evil.example", "javascript", "Oude tekst", "onclick"]),
]


@pytest.mark.parametrize("name, slug, author, date, wanted, unwanted", CORPUS, ids=[c[0] for c in CORPUS])
def test_each_mail_of_the_corpus_becomes_a_clean_response(content, name, slug, author, date, wanted, unwanted):
    path, fields, text = imported(content, name)
    assert path.parent == content / "responses" / slug
    assert fields == {"Author": author, "Date": date}  # the name, never the address
    assert wanted in text
    for word in unwanted:
        assert word not in text, word
    assert "@" not in path.read_text(encoding="utf-8")


def test_the_article_may_be_named_and_a_second_mail_gets_its_own_file(content):
    first, _, _ = imported(content, "no-article.eml", article="moderator-zijn-is-een-vak")
    second, _, _ = imported(content, "no-article.eml", article="moderator-zijn-is-een-vak")
    assert first != second and first.parent == second.parent


def test_no_matching_article_is_a_clear_error(content):
    with pytest.raises(ScaffoldError, match="No article matches the subject 'Vraag over mijn lidmaatschap'"):
        import_response(MAIL / "no-article.eml", content)
    with pytest.raises(ScaffoldError, match="Did you mean 'moderator-zijn-is-een-vak'"):
        import_response(MAIL / "plain.eml", content, article="moderator-zijn-een-vak")


def test_imported_responses_build_into_the_article_page(content, make_site, tmp_path):
    for name, *_ in CORPUS:
        import_response(MAIL / name, content)
    site = make_site({}, KRING_SEARCH_INDEX=False, DEFAULT_LANG="en")
    page = site.soup("/articles/klantreis-samen-tekenen/")
    texts = "".join(str(t) for t in page.select(".responses--readers .response__text"))
    assert "Zoë" in page.select_one(".responses--readers").get_text() and "Leuk artikel" in texts
    assert unsafe_parts(texts) == [] and "evil.example" not in str(page)


def test_the_invoke_task_writes_the_file_and_reports_errors_without_a_traceback(content):
    invoke = [sys.executable, "-m", "invoke", "import-response"]
    ok = subprocess.run(invoke + [str(MAIL / "signature.eml"), "--content", str(content)], cwd=ROOT,
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "Wrote" in ok.stdout and (content / "responses" / "moderator-zijn-is-een-vak").is_dir()
    bad = subprocess.run(invoke + [str(MAIL / "no-article.eml"), "--content", str(content)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "No article matches" in bad.stderr and "Traceback" not in bad.stderr


def test_a_sender_without_a_name_needs_author_and_the_address_never_leaks(content, tmp_path):
    mail = tmp_path / "bare.eml"
    mail.write_bytes(b"From: lezer.x@example.org\r\nSubject: Re: Moderator zijn is een vak\r\n"
                     b"Date: Mon, 30 Nov 2026 11:11:00 +0100\r\nContent-Type: text/plain; charset=windows-1252\r\n\r\n"
                     b"Mail me op lezer.x@example.org \x96 of niet.\r\n")
    with pytest.raises(ScaffoldError, match="--author"):
        import_response(mail, content)
    path = import_response(mail, content, author="Een lezer")
    text = path.read_text(encoding="utf-8")
    assert "Author: Een lezer" in text and "lezer.x@example.org" not in text and "– of niet." in text
