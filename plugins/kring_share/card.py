"""The generated share card: the page's title and the magazine's mark, in the theme's colours.

Drawn with Pillow from fonts found on the machine (the first of the
configured candidates), or Pillow's own font when none is installed, so a
build never fails for want of a font. ``font_identity`` names the font used:
it is part of the cache key, so another font means another card.
"""

from __future__ import annotations

import functools
import hashlib
import threading

import PIL
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
AVATAR = 240  # diameter of a member's picture on their card


def load_font(candidates: tuple[str, ...], size: int):
    """The font at ``size``; each thread has its own (FreeType faces are not shared between threads)."""
    return _load_font(candidates, size, threading.get_ident())


@functools.lru_cache(maxsize=128)
def _load_font(candidates: tuple[str, ...], size: int, _thread: int):
    for name in candidates:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


@functools.lru_cache(maxsize=16)
def font_identity(candidates: tuple[str, ...]) -> str:
    """The content hash of the font file used (or Pillow's version, for its own font)."""
    path = getattr(load_font(candidates, 12), "path", None)
    if isinstance(path, str):
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    return f"pillow-default-{PIL.__version__}"


def wrap(text: str, font, width: int, max_lines: int) -> list[str]:
    """Words in lines no wider than ``width``; the last line ends in … when text is left over."""
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < max_lines:
        line = words.pop(0)
        while words and font.getlength(f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        lines.append(line)
    if words or (lines and font.getlength(lines[-1]) > width):
        last = lines[-1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1].rstrip()
        lines[-1] = last + "…"
    return lines


def fit_title(title: str, fonts: tuple[str, ...], width: int):
    """The largest title size (76 down to 48 px) at which the title fits in three lines."""
    for size in (76, 68, 60, 54, 48):
        font = load_font(fonts, size)
        lines = wrap(title, font, width, 3)
        if not lines[-1].endswith("…"):
            return font, lines
    return font, lines


def draw_mark(draw: ImageDraw.ImageDraw, x: int, y: int, colour: str) -> None:
    """The magazine's mark ◎ (the brand glyph of the site header), drawn so no font needs it."""
    draw.ellipse((x, y, x + 44, y + 44), outline=colour, width=6)
    draw.ellipse((x + 14, y + 14, x + 30, y + 30), fill=colour)


def circle(image: Image.Image, diameter: int) -> Image.Image:
    """The image cropped to a square and shown in a circle (RGBA)."""
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    square = image.crop((left, top, left + side, top + side)).resize((diameter, diameter), Image.Resampling.LANCZOS)
    scale = 4  # an antialiased edge: draw the mask large, then shrink it
    mask = Image.new("L", (diameter * scale, diameter * scale), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, diameter * scale - 1, diameter * scale - 1), fill=255)
    mask = mask.resize((diameter, diameter), Image.Resampling.LANCZOS)
    result = square.convert("RGBA")
    result.putalpha(Image.composite(result.getchannel("A"), mask, mask) if "A" in square.getbands() else mask)
    return result


def draw_card(title: str, subtitle: str, site_name: str, colours: dict, title_fonts: tuple[str, ...],
              text_fonts: tuple[str, ...], avatar: Image.Image | None = None) -> Image.Image:
    card = Image.new("RGB", (WIDTH, HEIGHT), colours["background"])
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, 16, HEIGHT), fill=colours["accent"])  # the accent edge, like a magazine's spine
    draw_mark(draw, MARGIN, MARGIN - 8, colours["accent"])
    draw.text((MARGIN + 64, MARGIN + 14), site_name, font=load_font(title_fonts, 40), fill=colours["text"], anchor="lm")
    text_width = WIDTH - 2 * MARGIN
    if avatar is not None:
        text_width -= AVATAR + 48
        picture = circle(avatar, AVATAR)
        card.paste(picture, (WIDTH - MARGIN - AVATAR, (HEIGHT - AVATAR) // 2), picture)
    font, lines = fit_title(title, title_fonts, text_width)
    line_height = round(font.size * 1.18)
    text_font = load_font(text_fonts, 32)
    sub_lines = wrap(subtitle, text_font, text_width, 2) if subtitle else []
    block = line_height * len(lines) + (24 + 44 * len(sub_lines) if sub_lines else 0)
    y = max(MARGIN + 80, (HEIGHT + MARGIN + 40 - block) // 2)
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=colours["text"])
        y += line_height
    y += 24
    for line in sub_lines:
        draw.text((MARGIN, y), line, font=text_font, fill=colours["muted"])
        y += 44
    draw.rectangle((MARGIN, HEIGHT - MARGIN + 24, MARGIN + 120, HEIGHT - MARGIN + 30), fill=colours["accent"])
    return card
