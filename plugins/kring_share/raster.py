"""Image bytes in, PNG or JPEG bytes of a known size out (resvg for SVG, Pillow for the rest).

Everything here is a pure function of its arguments, so the same input gives
the same bytes: no timestamps or metadata are written into the files.
"""

from __future__ import annotations

import io
import os
import xml.etree.ElementTree as ElementTree
from urllib.parse import unquote, urlsplit

import resvg_py
from PIL import Image, ImageOps, ImageStat

PNG, JPEG, SVG = "png", "jpeg", "svg"
EXTENSIONS = {PNG: "png", JPEG: "jpg"}
JPEG_QUALITY = 85


class Unreadable(ValueError):
    """Not an image Kring can turn into PNG or JPEG."""


def kind_of(data: bytes) -> str | None:
    """PNG, JPEG, SVG, another format Pillow reads ("other"), or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if b"<svg" in data[:4096]:
        return SVG
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        return "other"
    except Exception:
        return None


def size_of(data: bytes) -> tuple[int, int]:
    """Pixel size of a raster image, as it is shown (EXIF rotation applied)."""
    with Image.open(io.BytesIO(data)) as image:
        return ImageOps.exif_transpose(image).size


def render_svg(data: bytes, width: int | None = None, resources_dir: str | None = None) -> Image.Image:
    """The SVG drawn ``width`` pixels wide (its own size when None), aspect ratio kept."""
    try:
        text = data.decode("utf-8-sig")
        _check_files_drawn(text, resources_dir)
        png = resvg_py.svg_to_bytes(svg_string=text, width=width, resources_dir=resources_dir)
    except Unreadable:
        raise
    except (UnicodeDecodeError, ValueError, ElementTree.ParseError) as exc:
        raise Unreadable(f"not a valid SVG image ({exc})") from None
    return Image.open(io.BytesIO(bytes(png))).convert("RGBA")


def _check_files_drawn(text: str, folder: str | None) -> None:
    """resvg draws any file an <image> or <feImage> names ('/home/…/key.png', '../../x.png'): only the
    SVG's own folder may be drawn from, or a public card could show a file from outside content/."""
    for element in ElementTree.fromstring(text).iter():  # entities expanded, as resvg would
        for name, value in element.attrib.items():
            if name.rsplit("}", 1)[-1] != "href":
                continue
            ref = value.strip()
            if not ref or ref.startswith("#") or urlsplit(ref).scheme.lower() in ("data", "http", "https"):
                continue  # a part of itself, inline data, or a web address (resvg fetches none)
            base = os.path.realpath(folder) if folder else None
            target = os.path.realpath(os.path.join(base, unquote(ref))) if base and not urlsplit(ref).scheme else None
            if target is None or not target.startswith(base.rstrip(os.sep) + os.sep):
                raise Unreadable(f"an SVG that draws '{ref[:80]}', a file outside its own folder")


def open_raster(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Exception as exc:
        raise Unreadable(f"not an image Pillow can read ({exc})") from None
    image = ImageOps.exif_transpose(image)
    return image.convert("RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else "RGB")


def draw(data: bytes, resources_dir: str | None = None, width: int | None = None,
         box: tuple[int, int] | None = None, enlarge: bool = True) -> Image.Image:
    """Any image as a Pillow image: ``width`` pixels wide, or as large as fits in ``box`` (aspect kept).

    ``enlarge=False``: never wider than the image itself. An SVG is drawn at the size
    asked for when that is known in advance, else once at its own size (to learn it)
    and again only to be enlarged, which is sharper than scaling up.
    """
    svg = kind_of(data) == SVG
    if svg and width and enlarge and box is None:
        return render_svg(data, width, resources_dir)
    image = render_svg(data, None, resources_dir) if svg else open_raster(data)
    w, h = image.size
    if box is not None:
        width = max(1, min(box[0], round(w * box[1] / h)))
    if not width or width == w or (width > w and not enlarge):
        return image
    if svg and width > w:
        return render_svg(data, width, resources_dir)
    return image.resize((width, max(1, round(h * width / w))), Image.Resampling.LANCZOS)


def edge_colour(image: Image.Image) -> tuple[int, int, int]:
    """The mean colour of the image's border: the letterbox around it then looks like part of it."""
    rgb = flatten(image, (255, 255, 255))
    w, h = rgb.size
    border = Image.new("RGB", (2 * (w + h), 1))
    border.paste(rgb.crop((0, 0, w, 1)), (0, 0))
    border.paste(rgb.crop((0, h - 1, w, h)), (w, 0))
    border.paste(rgb.crop((0, 0, 1, h)).rotate(90, expand=True), (2 * w, 0))
    border.paste(rgb.crop((w - 1, 0, w, h)).rotate(90, expand=True), (2 * w + h, 0))
    return tuple(round(channel) for channel in ImageStat.Stat(border).mean)


def flatten(image: Image.Image, background) -> Image.Image:
    """RGB: transparent parts painted over ``background``."""
    if image.mode != "RGBA":
        return image.convert("RGB")
    canvas = Image.new("RGB", image.size, background)
    canvas.paste(image, mask=image.getchannel("A"))
    return canvas


def letterbox(data: bytes, box_w: int, box_h: int, resources_dir: str | None = None) -> Image.Image:
    """The image scaled to fit box_w x box_h, centred on its own edge colour."""
    image = draw(data, resources_dir, box=(box_w, box_h))
    if image.height > box_h:  # rounding
        image = image.resize((max(1, round(image.width * box_h / image.height)), box_h), Image.Resampling.LANCZOS)
    background = edge_colour(image)
    canvas = Image.new("RGB", (box_w, box_h), background)
    canvas.paste(flatten(image, background), ((box_w - image.width) // 2, (box_h - image.height) // 2))
    return canvas


def encode(image: Image.Image, kind: str, colours: int | None = None, exact: tuple = ()) -> bytes:
    """PNG or JPEG bytes, without metadata (so the same pixels give the same bytes).

    ``colours``: a PNG with a palette of that many colours, for drawings of a few flat colours
    (a third of the bytes, and several times faster to compress than full colour); the
    ``exact`` colours (RGB tuples) keep their exact values in it.
    """
    buffer = io.BytesIO()
    if colours and kind == PNG:
        paletted = flatten(image, (255, 255, 255)).quantize(colours, method=Image.Quantize.FASTOCTREE,
                                                            dither=Image.Dither.NONE)
        paletted.putpalette(exact_palette(paletted.getpalette(), exact))
        paletted.save(buffer, "PNG")
    elif kind == JPEG:
        flatten(image, (255, 255, 255)).save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        image.save(buffer, "PNG")
    return buffer.getvalue()


def blend_palette(background: tuple, colours: tuple, steps: int = 21) -> Image.Image:
    """A palette image holding every blend of ``background`` with each of ``colours``.

    A card drawn only in the theme's colours needs nothing else (antialiased
    edges are such blends), and mapping onto a known palette costs a fifth of
    working one out per image.
    """
    entries = []
    for colour in colours:
        entries += [tuple(round(b + (c - b) * i / (steps - 1)) for b, c in zip(background, colour)) for i in range(steps)]
    entries = list(dict.fromkeys(entries))[:256]
    palette = Image.new("P", (1, 1))
    palette.putpalette([value for entry in entries for value in entry])
    return palette


def encode_on_palette(image: Image.Image, palette: Image.Image) -> bytes:
    """PNG bytes of ``image`` mapped onto ``palette`` (see ``blend_palette``)."""
    buffer = io.BytesIO()
    rgb = image if image.mode == "RGB" else image.convert("RGB")  # a card is drawn in RGB: no copy
    rgb.quantize(palette=palette, dither=Image.Dither.NONE).save(buffer, "PNG")
    return buffer.getvalue()


def exact_palette(palette: list[int], exact: tuple, tolerance: int = 12) -> list[int]:
    """The palette with each ``exact`` colour put in place of the entry nearest to it."""
    entries = [tuple(palette[i:i + 3]) for i in range(0, len(palette), 3)]
    for colour in exact:
        distances = [max(abs(a - b) for a, b in zip(entry, colour)) for entry in entries]
        nearest = min(range(len(entries)), key=distances.__getitem__)
        if distances[nearest] <= tolerance:
            entries[nearest] = tuple(colour)
    return [value for entry in entries for value in entry]
