"""Share images (og:image) and newsletter images, from real builds, opened with Pillow."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image

from issues_helpers import PUBLISH_SETTINGS, article, build_into, issue_file, people
from kring_core import BuildStopped
from sitekit import ROOT, group, member

SHARE_SIZE = (1200, 630)
COVER_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" aria-label="Omslag met een kring">'
    '<rect width="1200" height="675" fill="#f4f1de"/><circle cx="600" cy="337" r="200" fill="#e07a5f"/></svg>'
)
CHART_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150" width="300" height="150">'
    '<title>Groei van de groepen</title><rect width="300" height="150" fill="#81b29a"/></svg>'
)
EDITORIAL = """\
Een grafiek als SVG-bestand:

![Grafiek van de groei](/images/grafiek.svg)

Een brede foto en een kleine:

![Brede foto](/images/breed.png)

![](../../images/klein.jpg)

<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" aria-label="Een rode balk"><rect width="200" height="100" fill="#b3261e"/></svg>
"""


def raster_bytes(size, fmt, colour=(31, 111, 120)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt)
    return buffer.getvalue()


def magazine() -> dict[str, str]:
    files = {
        **people(),
        **dict([
            member("gerrit", "Gerrit Geheim", Visibility="hidden"),
            group("verborgen", "Verborgen groep", Visibility="hidden"),
            issue_file(1, "Samen weten we meer", "2026-03-01", Cover="images/omslag.svg"),
            issue_file(2, "Zonder omslag", "2026-06-01"),
            article("met-foto", "Een artikel met een foto", Authors="anna", Issue=1,
                    body="Tekst.\n\n![Het team aan tafel]({static}/images/team.jpg)\n"),
            article("met-grafiek", "Een artikel met een grafiek", Authors="bram", Issue=1,
                    body="![Grafiek van de groei]({static}/images/grafiek.svg)\n"),
            article("kaal", "Een artikel zonder beeld, met een titel die lang genoeg is om over drie regels te lopen "
                    "op de kaart die bij het delen wordt getoond", Authors="anna, Gerrit Geheim", Issue=2),
            article("concept", "Geheim concept", Authors="anna", Status="draft"),
        ]),
        "images/omslag.svg": COVER_SVG,
        "images/grafiek.svg": CHART_SVG,
    }
    files["issues/1.md"] = files["issues/1.md"].replace("Redactioneel van nummer 1.", EDITORIAL)
    return files


def build(folder: Path, files=None, settings=None, **overrides):
    """A build with its own cache folder (so tests never share or reuse images)."""
    content = folder / "content" / "images"
    content.mkdir(parents=True, exist_ok=True)
    (content / "breed.png").write_bytes(raster_bytes((1500, 500), "PNG"))
    (content / "klein.jpg").write_bytes(raster_bytes((320, 200), "JPEG"))
    (content / "team.jpg").write_bytes(raster_bytes((800, 800), "JPEG", (200, 120, 40)))
    overrides.setdefault("CACHE_PATH", str(folder / "cache"))
    extra = {"settings": settings} if settings else {}
    return build_into(folder, files or magazine(), **extra, **overrides)


def meta(soup, name: str) -> str | None:
    tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
    return tag["content"] if tag else None


def local_file(site, url: str) -> Path:
    return site.path(urlsplit(url).path)


def open_image(path: Path) -> Image.Image:
    assert path.is_file(), f"{path} is missing"
    image = Image.open(path)
    image.load()
    return image


def check_share_image(site, url: str) -> Path:
    """The page's og:image: its file exists, is a 1200x630 PNG or JPEG, and the page says so."""
    soup = site.soup(url)
    image_url = meta(soup, "og:image")
    assert image_url, f"{url} has no og:image"
    path = local_file(site, image_url)
    image = open_image(path)
    assert image.format in ("PNG", "JPEG") and image.size == SHARE_SIZE, (url, image.format, image.size)
    assert (meta(soup, "og:image:width"), meta(soup, "og:image:height")) == ("1200", "630")
    assert (meta(soup, "og:image:alt") or "").strip(), f"{url}: og:image:alt is empty"
    assert meta(soup, "twitter:card") == "summary_large_image"
    assert meta(soup, "og:title") and meta(soup, "og:type") and meta(soup, "og:url"), url
    return path


def check_newsletter(site, url: str) -> list:
    """No SVG in the newsletter; every image a PNG/JPEG file of exactly the size its <img> gives."""
    html = site.text(url)
    soup = site.soup(url)
    assert not soup.find("svg") and "<svg" not in html, f"{url} has an inline SVG"
    images = soup.find_all("img")
    for img in images:
        assert ".svg" not in img["src"].lower(), img
        assert img.get("alt") is not None and img.get("width") and img.get("height"), img
        image = open_image(local_file(site, img["src"]))
        assert image.format in ("PNG", "JPEG"), (img["src"], image.format)
        assert image.size == (int(img["width"]), int(img["height"])), (img["src"], image.size)
    return images


def image_files(site) -> dict[str, bytes]:
    return {str(p.relative_to(site.output)): p.read_bytes() for p in sorted(site.output.rglob("*"))
            if p.suffix in (".png", ".jpg") and p.is_file()}


# --- the demo ---


def test_every_demo_newsletter_has_only_raster_images_with_size_and_alt(demo_site):
    newsletters = sorted(demo_site.output.glob("issues/*/newsletter.html"))
    assert len(newsletters) >= 3
    covers = 0
    for path in newsletters:
        images = check_newsletter(demo_site, "/" + str(path.relative_to(demo_site.output)))
        covers += sum("cover" in (img.get("class") or []) for img in images)
        assert all(img["alt"].strip() for img in images), path
    assert covers >= 3  # the demo's issues with a cover show it, as PNG


def shareable_pages(site) -> list[str]:
    out = site.output
    pages = [*out.glob("articles/*/index.html"), *out.glob("articles/*/*/index.html"),
             *out.glob("issues/*/index.html"), *out.glob("members/*/index.html"), *out.glob("groups/*/index.html")]
    return ["/" + str(p.relative_to(out).parent) + "/" for p in pages]


def test_every_shareable_demo_page_has_its_own_1200x630_share_image(demo_site):
    pages = shareable_pages(demo_site)
    assert len(pages) > 50
    own = 0
    for url in pages:
        path = check_share_image(demo_site, url)
        if "draft" not in demo_site.text(url).lower() or "/members/" in url:
            # a published page's image is its own: the file is named after the page
            assert path.stem == url.rstrip("/").rsplit("/", 1)[-1], (url, path)
            own += 1
    assert own >= 50


def test_a_demo_article_with_a_lead_image_shares_that_image(demo_site):
    """Image:/Image-Alt: win over the first body image and the card: the picture and its alt text."""
    leads = [p for p in sorted((ROOT / "content" / "articles").rglob("*.md"))
             if re.search(r"^Image:", p.read_text(encoding="utf-8"), re.M)]
    assert len(leads) >= 3
    for source in leads:
        text = source.read_text(encoding="utf-8")
        slug = re.search(r"^Slug:\s*(\S+)", text, re.M).group(1)
        alt = re.search(r"^Image-Alt:\s*(.+)$", text, re.M).group(1).strip()
        lang = re.search(r"^Lang:\s*(\S+)", text, re.M)
        url = f"/articles/{slug}/" + (f"{lang.group(1)}/" if lang and lang.group(1) != "nl" else "")
        assert meta(demo_site.soup(url), "og:image:alt") == alt, url
        check_share_image(demo_site, url)  # the picture, fitted into 1200x630


# --- a small magazine with every kind of image ---


def test_newsletter_images_are_rasters_of_the_size_shown(tmp_path):
    site = build(tmp_path, SITEURL="https://kring.example.nl", RELATIVE_URLS=False)
    images = check_newsletter(site, "/issues/1/newsletter.html")
    by_alt = {img["alt"]: img for img in images}
    cover = by_alt["Cover of issue 1"]
    assert (cover["width"], cover["height"]) == ("600", "338") and cover["src"].endswith(".png")
    assert by_alt["Grafiek van de groei"]["width"] == "300"  # an SVG at its own size (narrower than the text)
    wide = by_alt["Brede foto"]
    assert (wide["width"], wide["height"]) == ("536", "179")  # narrowed to the text column
    small = [img for img in images if img["src"].endswith("/images/klein.jpg")]
    assert small and (small[0]["width"], small[0]["height"]) == ("320", "200")  # kept as it is
    assert by_alt["Een rode balk"]["width"] == "200"  # the inline SVG, drawn as a PNG
    assert all(img["src"].startswith("https://kring.example.nl/") for img in images)


def test_pages_share_their_cover_their_first_image_or_a_card(tmp_path):
    site = build(tmp_path)
    for url in ("/articles/met-foto/", "/articles/met-grafiek/", "/articles/kaal/", "/issues/1/", "/issues/2/",
                "/members/anna/", "/members/bram/", "/groups/itil/"):
        check_share_image(site, url)
    photo = open_image(local_file(site, meta(site.soup("/articles/met-foto/"), "og:image")))
    assert photo.format == "JPEG" and photo.getpixel((600, 315))[:3] == pytest.approx((200, 120, 40), abs=8)
    assert meta(site.soup("/articles/met-foto/"), "og:image:alt") == "Het team aan tafel"
    cover = open_image(local_file(site, meta(site.soup("/issues/1/"), "og:image"))).convert("RGB")
    assert cover.getpixel((600, 315)) == pytest.approx((224, 122, 95), abs=8)  # the cover's circle
    assert meta(site.soup("/issues/1/"), "og:image:alt") == "Cover of issue 1: Samen weten we meer"
    card = open_image(local_file(site, meta(site.soup("/articles/kaal/"), "og:image"))).convert("RGB")
    assert card.getpixel((5, 300)) == (0xB3, 0x26, 0x1E)  # the theme's accent edge
    assert card.getpixel((1190, 620)) == (0xFB, 0xFA, 0xF7)  # on the theme's background
    # Each card is its own: the title is drawn on it.
    assert card.tobytes() != open_image(local_file(site, meta(site.soup("/groups/itil/"), "og:image"))).convert("RGB").tobytes()


def test_published_site_uses_absolute_image_urls_and_leaks_nothing_hidden(tmp_path):
    site = build(tmp_path, settings=PUBLISH_SETTINGS)
    assert meta(site.soup("/articles/kaal/"), "og:image") == "https://kring.example.nl/share/articles/kaal.png"
    names = {p.name for p in (site.output / "share").rglob("*") if p.is_file()}
    assert not {n for n in names if "gerrit" in n or "concept" in n or "verborgen" in n}, names
    assert "Gerrit" not in meta(site.soup("/articles/kaal/"), "og:image:alt")  # a hidden co-author is not named
    assert not site.exists("/members/gerrit/") and not site.exists("/drafts/articles/concept/")


def test_a_draft_in_preview_shows_the_site_card_not_its_own(tmp_path):
    site = build(tmp_path)
    draft = meta(site.soup("/drafts/articles/concept/"), "og:image")
    assert draft.endswith("/share/site.png")
    assert not (site.output / "share" / "drafts").exists()


def test_same_input_same_bytes_and_a_rebuild_rewrites_no_image(tmp_path, own_image_cache):
    first = build(tmp_path / "a")
    second = build(tmp_path / "b")  # its own cache: every image made again
    images = image_files(first)
    assert len(images) > 10 and images == image_files(second)

    files = sorted((first.output / "share").rglob("*.png")) + sorted((first.output / "issues").rglob("newsletter/*"))
    before = {p: p.stat().st_mtime_ns for p in files}
    cached = {p: p.stat().st_mtime_ns for p in (tmp_path / "a" / "cache").rglob("*") if "share-images" in str(p) and p.is_file()}
    changed = magazine()
    changed["articles/kaal.md"] = changed["articles/kaal.md"].replace("Title: Een artikel zonder beeld", "Title: Nieuwe titel")
    again = build(tmp_path / "a", changed)
    after = {p: p.stat().st_mtime_ns for p in files}
    rewritten = [p.name for p in files if after[p] != before[p]]
    assert rewritten == ["kaal.png"]  # only the image whose title changed
    assert {p: p.stat().st_mtime_ns for p in cached} == cached  # cached images are read, not made again
    assert image_files(again)["share/articles/kaal.png"] != images["share/articles/kaal.png"]


def test_an_image_file_in_the_way_of_a_share_image_stops_the_build(tmp_path):
    files = magazine()
    files["share/articles/kaal.png"] = "not really a png"
    with pytest.raises(BuildStopped) as stopped:
        build(tmp_path, files, STATIC_PATHS=["images", "share"])
    assert "share/articles/kaal.png" in str(stopped.value) and "articles/kaal.md" in str(stopped.value)


def test_a_broken_cover_stops_the_build_naming_the_file_and_field(tmp_path):
    files = magazine()
    files["images/omslag.svg"] = "<svg xmlns='http://www.w3.org/2000/svg' width="
    with pytest.raises(BuildStopped) as stopped:
        build(tmp_path, files)
    assert "issues/1.md: Cover: 'images/omslag.svg' is not a valid SVG image" in str(stopped.value)


def test_cards_are_drawn_without_the_configured_fonts(tmp_path):
    site = build(tmp_path, KRING_SHARE_TITLE_FONTS=["no-such-font.ttf"], KRING_SHARE_TEXT_FONTS=[])
    check_share_image(site, "/articles/kaal/")


def test_image_links_lead_only_to_files_inside_the_content_folder(tmp_path):
    from kring_share.sources import LocalFiles

    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    (content / "images" / "a.png").write_bytes(raster_bytes((4, 4), "PNG"))
    (tmp_path / "geheim.png").write_bytes(raster_bytes((4, 4), "PNG"))
    files = LocalFiles({}, {"PATH": str(content), "SITEURL": "https://kring.example.nl"})
    article = str(content / "articles" / "x.md")
    want = str(content / "images" / "a.png")
    assert files.find("{static}/images/a.png", "articles/x/", article) == want
    assert files.find("{static}../images/a.png", "articles/x/", article) == want
    assert files.find("../../images/a.png", "articles/x/") == want
    assert files.find("https://kring.example.nl/images/a.png") == want
    assert files.find("https://elders.example.com/images/a.png") is None
    assert files.find("{static}../../geheim.png", "articles/x/", article) is None
    assert files.find("../../../geheim.png", "articles/x/") is None


@pytest.mark.parametrize("href", ["{secret}", "../../geheim.png", "file://{secret}", "&#47;{secret_tail}", "team-link.png"])
def test_an_svg_never_draws_a_file_from_outside_its_folder_into_a_share_image(tmp_path, href):
    secret = tmp_path / "geheim.png"
    secret.write_bytes(raster_bytes((4, 4), "PNG"))
    (tmp_path / "content" / "images").mkdir(parents=True)
    (tmp_path / "content" / "images" / "team-link.png").symlink_to(secret)
    href = href.format(secret=secret, secret_tail=str(secret)[1:])
    files = magazine()
    files["images/omslag.svg"] = ("<svg xmlns='http://www.w3.org/2000/svg' width='40' height='30'>"
                                  f"<image width='40' height='30' href='{href}'/></svg>")
    with pytest.raises(BuildStopped) as stopped:
        build(tmp_path, files)
    assert "issues/1.md: Cover: 'images/omslag.svg' is an SVG that draws" in str(stopped.value)
    assert "a file outside its own folder" in str(stopped.value)


def test_an_svg_may_draw_an_image_beside_it(tmp_path):
    files = magazine()
    files["images/omslag.svg"] = ("<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink' "
                                  "width='40' height='30'><image width='40' height='30' xlink:href='team.jpg'/></svg>")
    site = build(tmp_path, files)
    check_share_image(site, "/issues/1/")
