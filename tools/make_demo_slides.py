"""Writes the demo's slide decks: small real PDFs with text a PDF reader can extract.

A minimal PDF writer (one font, Helvetica in WinAnsiEncoding, so Dutch
accents work; filled rectangles for the colour bands): every slide's text is
a real text object, which is what pypdfium2 extracts and the site search
indexes. Run it again after changing a deck:

    .venv/bin/python tools/make_demo_slides.py
"""

from __future__ import annotations

import os
import sys

WIDTH, HEIGHT = 720, 405  # 16:9, in points
HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = os.path.join(os.path.dirname(HERE), "content", "presentations")

DECKS = {
    "klantreis-als-gespreksstof.pdf": ("De klantreis als gespreksstof", [
        ("Waarom een getekende klantreis?", ["Teams praten over de klant, niet over de afdeling",
                                             "Eén beeld van begin tot eind", "Knelpunten worden zichtbaar"]),
        ("Zo tekenen we samen", ["Post-its op de muur: elke stap een kaart", "Emoties erboven, systemen eronder",
                                 "Maximaal negentig minuten"]),
        ("Wat we hoorden bij het meeluisteren", ["Bellers vragen drie keer hetzelfde", "Wachttijd voelt langer dan ze is",
                                                 "Een terugbelbelofte werkt"]),
        ("Van tekening naar verbetering", ["Kies één knelpunt per sprint", "Meet het effect in het klantcontactcentrum",
                                           "Vier het resultaat met het team"]),
        ("Vragen?", ["Sluit aan bij de groep Klantcontact", "Dank voor het meeluisteren"]),
    ]),
    "itil-4-waardestromen.pdf": ("ITIL 4 waardestromen in de praktijk", [
        ("Van processen naar waardestromen", ["Het servicewaardesysteem in één plaat", "Wat verandert er voor de servicedesk?"]),
        ("Een waardestroom in kaart", ["Incident tot herstel in zeven stappen", "Wachttijd is het grootste verlies"]),
        ("Change enablement zonder CAB-vergadering", ["Standaardwijzigingen vooraf goedgekeurd",
                                                      "Het change advisory board in een chatkanaal"]),
        ("Meten wat telt", ["Doorlooptijd in plaats van aantallen tickets", "Klanttevredenheid per waardestroom"]),
        ("Lessen", ["Begin klein, met één stroom", "Betrek de tweede lijn vanaf dag één"]),
        ("Tot slot", ["Slides en notities staan op Kring"]),
    ]),
    "prince2-in-een-agile-wereld.pdf": ("PRINCE2 in een agile wereld", [
        ("Past PRINCE2 nog?", ["Principes blijven, rituelen veranderen", "Managen per fase, leveren per sprint"]),
        ("De stuurgroep en de product owner", ["Wie beslist over scope?", "Toleranties als afspraak, niet als keurslijf"]),
        ("Business case als levend document", ["Elke fase-overgang een herijking", "Stoppen is ook een succes"]),
        ("Praktijkvoorbeeld", ["Gemeentelijk zaaksysteem in vijf fases", "Twaalf sprints, twee stuurgroepbesluiten"]),
    ]),
    "risicos-bespreekbaar-maken.pdf": ("Risico's bespreekbaar maken", [
        ("Risico's verbergen kost meer", ["Wat je niet deelt, kun je niet beheersen", "M_o_R: principes boven procedures"]),
        ("Het risicogesprek", ["Kwartier per week, vaste vragen", "Wat houdt je 's nachts wakker?"]),
        ("Een risicoregister dat leeft", ["Eigenaar, kans, impact en volgende stap", "Geen register zonder gesprek"]),
        ("Cultuur", ["Belonen wie een risico meldt", "De bestuurder doet het voor"]),
        ("Checklist", ["Vijf vragen voor je volgende overleg"]),
    ]),
    "p3o-dashboard-zonder-excel.pdf": ("Een P3O-dashboard zonder Excel", [
        ("Het probleem", ["Twintig spreadsheets, geen waarheid", "Elke maandag handwerk"]),
        ("Eén bron", ["Projectstatus uit de planningstool", "Risico's uit het register", "Financiën uit het grootboek"]),
        ("Wat het portfoliobord ziet", ["Rood, oranje, groen per programma", "Trend in plaats van momentopname"]),
        ("Resultaat", ["Vier uur per week bespaard", "Betere besluiten in de portfolioraad"]),
    ]),
    "samenwerken-in-het-open.pdf": ("Samenwerken in het open", [
        ("Waarom open werken?", ["Kennis die gedeeld wordt, groeit", "Minder mail, meer gesprek"]),
        ("Profielen en groepen", ["Wie weet wat: het kennisnetwerk", "Groepen als vakgemeenschap"]),
        ("Eigen blogs in de community", ["Leden schrijven, de redactie bundelt", "Het magazine verbindt"]),
        ("Aan de slag", ["Vul je profiel aan", "Volg twee groepen", "Schrijf één bericht per maand"]),
    ]),
}

COLOURS = [(0.071, 0.208, 0.357), (0.784, 0.333, 0.239), (0.180, 0.420, 0.333)]


def _text(value: str) -> str:
    """A PDF string literal in WinAnsiEncoding (cp1252), escaped."""
    data = value.encode("cp1252")
    out = []
    for byte in data:
        char = chr(byte)
        if char in "()\\":
            out.append("\\" + char)
        elif 32 <= byte < 127:
            out.append(char)
        else:
            out.append(f"\\{byte:03o}")
    return "(" + "".join(out) + ")"


def _page(deck_title: str, number: int, total: int, title: str, bullets: list[str], colour) -> bytes:
    r, g, b = colour
    ops = [
        f"{r:.3f} {g:.3f} {b:.3f} rg 0 {HEIGHT - 80} {WIDTH} 80 re f",
        "BT 1 1 1 rg /F2 26 Tf 40 {} Td {} Tj ET".format(HEIGHT - 52, _text(title)),
        "0.2 0.2 0.2 rg",
    ]
    y = HEIGHT - 130
    for bullet in bullets:
        ops.append(f"BT /F1 20 Tf 56 {y} Td {_text('• ' + bullet)} Tj ET")
        y -= 40
    ops.append(f"BT 0.45 0.45 0.45 rg /F1 11 Tf 40 24 Td {_text(f'{deck_title} · {number}/{total}')} Tj ET")
    return "\n".join(ops).encode("latin-1")


def _title_page(deck_title: str, total: int) -> bytes:
    r, g, b = COLOURS[0]
    ops = [
        f"{r:.3f} {g:.3f} {b:.3f} rg 0 0 {WIDTH} {HEIGHT} re f",
        f"0.784 0.333 0.239 rg 40 {HEIGHT // 2 - 20} 120 6 re f",
        f"BT 1 1 1 rg /F2 34 Tf 40 {HEIGHT // 2 + 10} Td {_text(deck_title)} Tj ET",
        f"BT 0.85 0.88 0.92 rg /F1 16 Tf 40 {HEIGHT // 2 - 56} Td {_text(f'Kring kennisnetwerk · {total} dia' + chr(39) + 's')} Tj ET",
    ]
    return "\n".join(ops).encode("latin-1")


def make_pdf(deck_title: str, slides: list) -> bytes:
    """A complete PDF: catalog, pages, two fonts, one content stream per slide."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below, once the pages object exists
    pages = add(b"")
    regular = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    bold = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    kids = []
    total = len(slides) + 1
    for i, slide in enumerate([None] + list(slides), start=1):
        if slide is None:
            stream = _title_page(deck_title, total)
        else:
            stream = _page(deck_title, i, total, slide[0], slide[1], COLOURS[(i - 1) % len(COLOURS)])
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> >>" % (pages, WIDTH, HEIGHT, content, regular, bold)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages
    objects[pages - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)


def main(target: str = TARGET) -> None:
    os.makedirs(target, exist_ok=True)
    for name, (title, slides) in DECKS.items():
        with open(os.path.join(target, name), "wb") as f:
            f.write(make_pdf(title, slides))
        print(f"{name}: {len(slides)} slides")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else TARGET)
