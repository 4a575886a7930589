#!/usr/bin/python3
"""Generates the handwriting suite: pictures of single digits, the way people
photograph or draw them, for testing `tinyonnx digit` beyond MNIST.

    /usr/bin/python3 python/make_handwriting_suite.py OUT_DIR [--sheet SHEET.png]

The digits 0-9 come from 16 font families in Debian font packages
(fonts-dejavu-core, fonts-liberation, fonts-freefont-ttf, fonts-urw-base35),
drawn two ways:

  font   the glyph as the font draws it (regular, bold or italic faces);
  pen    the glyph's skeleton, slanted and wobbled a little at random,
         traced with a round pen of a chosen width, from 1 px (a hairline on
         a canvas of up to 1000 px) to bold, which looks like a digit
         written with a pen or a marker.

Canvases range from 28 to 1000 px, digits sit off-center at varied sizes and
slants, white on black ("wob") or black on white ("bow"), saved as PNG or
JPEG. Two sets follow the issue's own examples: "paper" (dark gray pen
strokes on light, unevenly lit, slightly noisy paper) and "thin" (a 1 px
white stroke on a black 400x300 canvas).

File names start with the true label: d7_freeserif_400x300_pen1_wob_123.png
is a 7. Everything is drawn from a fixed seed, so the suite is the same on
every run with the same font packages and Pillow.
"""

import argparse
import io
import os
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFont

SEED = 20240611

TT = "/usr/share/fonts/truetype"
OT = "/usr/share/fonts/opentype/urw-base35"
# family -> (package, [faces]); the first face is the regular one.
FAMILIES = {
    "dejavusans": ("fonts-dejavu-core", [f"{TT}/dejavu/DejaVuSans.ttf", f"{TT}/dejavu/DejaVuSans-Bold.ttf"]),
    "dejavuserif": ("fonts-dejavu-core", [f"{TT}/dejavu/DejaVuSerif.ttf", f"{TT}/dejavu/DejaVuSerif-Bold.ttf"]),
    "dejavumono": ("fonts-dejavu-core", [f"{TT}/dejavu/DejaVuSansMono.ttf", f"{TT}/dejavu/DejaVuSansMono-Bold.ttf"]),
    "liberationsans": ("fonts-liberation", [f"{TT}/liberation/LiberationSans-Regular.ttf",
                                            f"{TT}/liberation/LiberationSans-Bold.ttf",
                                            f"{TT}/liberation/LiberationSans-Italic.ttf"]),
    "liberationserif": ("fonts-liberation", [f"{TT}/liberation/LiberationSerif-Regular.ttf",
                                              f"{TT}/liberation/LiberationSerif-Bold.ttf",
                                              f"{TT}/liberation/LiberationSerif-Italic.ttf"]),
    "liberationmono": ("fonts-liberation", [f"{TT}/liberation/LiberationMono-Regular.ttf",
                                            f"{TT}/liberation/LiberationMono-Bold.ttf"]),
    "freesans": ("fonts-freefont-ttf", [f"{TT}/freefont/FreeSans.ttf", f"{TT}/freefont/FreeSansBold.ttf",
                                        f"{TT}/freefont/FreeSansOblique.ttf"]),
    "freeserif": ("fonts-freefont-ttf", [f"{TT}/freefont/FreeSerif.ttf", f"{TT}/freefont/FreeSerifBold.ttf",
                                         f"{TT}/freefont/FreeSerifItalic.ttf"]),
    "freemono": ("fonts-freefont-ttf", [f"{TT}/freefont/FreeMono.ttf", f"{TT}/freefont/FreeMonoBold.ttf"]),
    "nimbussans": ("fonts-urw-base35", [f"{OT}/NimbusSans-Regular.otf", f"{OT}/NimbusSans-Bold.otf",
                                        f"{OT}/NimbusSans-Italic.otf"]),
    "nimbusroman": ("fonts-urw-base35", [f"{OT}/NimbusRoman-Regular.otf", f"{OT}/NimbusRoman-Bold.otf",
                                         f"{OT}/NimbusRoman-Italic.otf"]),
    "nimbusnarrow": ("fonts-urw-base35", [f"{OT}/NimbusSansNarrow-Regular.otf",
                                          f"{OT}/NimbusSansNarrow-Bold.otf"]),
    "urwgothic": ("fonts-urw-base35", [f"{OT}/URWGothic-Book.otf", f"{OT}/URWGothic-Demi.otf"]),
    "urwbookman": ("fonts-urw-base35", [f"{OT}/URWBookman-Light.otf", f"{OT}/URWBookman-Demi.otf"]),
    "c059": ("fonts-urw-base35", [f"{OT}/C059-Roman.otf", f"{OT}/C059-Bold.otf", f"{OT}/C059-Italic.otf"]),
    "z003": ("fonts-urw-base35", [f"{OT}/Z003-MediumItalic.otf"]),
}

SIZES = [28, 32, 40, 64, 100, 160, 256, 400, 640, 1000]
SKELETON_HEIGHT = 200  # glyphs are skeletonized at this height


def check_fonts():
    missing = sorted({pkg for pkg, faces in FAMILIES.values() for f in faces if not os.path.exists(f)})
    if missing:
        sys.exit("make_handwriting_suite: missing fonts; apt-get install " + " ".join(missing))


def glyph_mask(face, digit, height):
    """The digit as an anti-aliased mask (float [0, 1]) whose ink is `height` px high."""
    probe = ImageFont.truetype(face, 200)
    x0, y0, x1, y1 = probe.getbbox(str(digit))
    size = max(4, int(round(200 * height / max(1, y1 - y0))))
    font = ImageFont.truetype(face, size)
    x0, y0, x1, y1 = font.getbbox(str(digit))
    image = Image.new("L", (x1 - x0 + 4, y1 - y0 + 4), 0)
    ImageDraw.Draw(image).text((2 - x0, 2 - y0), str(digit), fill=255, font=font)
    return np.asarray(image, dtype=np.float32) / 255.0


def zhang_suen(binary):
    """Thins a boolean image to a one-pixel skeleton (Zhang & Suen, 1984)."""
    img = binary.astype(np.uint8).copy()
    while True:
        changed = False
        for step in (0, 1):
            p = np.pad(img, 1)
            p2, p3, p4 = p[:-2, 1:-1], p[:-2, 2:], p[1:-1, 2:]
            p5, p6, p7 = p[2:, 2:], p[2:, 1:-1], p[2:, :-2]
            p8, p9 = p[1:-1, :-2], p[:-2, :-2]
            ring = [p2, p3, p4, p5, p6, p7, p8, p9, p2]
            neighbours = sum(ring[:8].copy())
            transitions = sum(((ring[k] == 0) & (ring[k + 1] == 1)).astype(np.uint8) for k in range(8))
            if step == 0:
                cond = (p2 * p4 * p6 == 0) & (p4 * p6 * p8 == 0)
            else:
                cond = (p2 * p4 * p8 == 0) & (p2 * p6 * p8 == 0)
            remove = (img == 1) & (neighbours >= 2) & (neighbours <= 6) & (transitions == 1) & cond
            if remove.any():
                img[remove] = 0
                changed = True
        if not changed:
            return img.astype(bool)


_skeletons = {}


def skeleton_segments(face, digit):
    """Segments (x0, y0, x1, y1) joining neighbouring skeleton pixels, in
    coordinates where the glyph is SKELETON_HEIGHT px high."""
    key = (face, digit)
    if key not in _skeletons:
        mask = glyph_mask(face, digit, SKELETON_HEIGHT) >= 0.5
        skel = zhang_suen(mask)
        ys, xs = np.nonzero(skel)
        points = set(zip(xs.tolist(), ys.tolist()))
        segments = []
        for x, y in points:
            for dx, dy in ((1, 0), (0, 1), (1, 1), (1, -1)):
                if (x + dx, y + dy) in points:
                    # Skip a diagonal when an L-shaped path joins the same pixels.
                    if dx and dy and ((x + dx, y) in points or (x, y + dy) in points):
                        continue
                    segments.append((x, y, x + dx, y + dy))
        _skeletons[key] = (np.array(sorted(segments), dtype=np.float64), np.array(sorted(points), dtype=np.float64))
    return _skeletons[key]


def transform(points, scale, angle, center):
    """Scales and rotates (degrees, clockwise on screen) around `center`."""
    c, s = np.cos(np.radians(angle)), np.sin(np.radians(angle))
    p = (points - center) * scale
    return np.stack([p[:, 0] * c - p[:, 1] * s, p[:, 0] * s + p[:, 1] * c], axis=1)


def pen_mask(face, digit, height, pen, angle, rng, canvas_w, canvas_h):
    """The skeleton traced with a round pen `pen` px wide, placed at random;
    a float mask of the canvas size."""
    segments, points = skeleton_segments(face, digit)
    center = points.mean(axis=0)
    glyph_h = points[:, 1].max() - points[:, 1].min() + 1
    scale = height / glyph_h
    # A hand is not a font: a slant and a slow wobble, different each time.
    slant = rng.uniform(-0.25, 0.25)
    amplitude = rng.uniform(0.0, 0.035) * SKELETON_HEIGHT
    freq, phase = rng.uniform(0.5, 1.5, size=2), rng.uniform(0, 2 * np.pi, size=2)

    def hand(p):
        y = (p[:, 1] - center[1]) / SKELETON_HEIGHT
        x = (p[:, 0] - center[0]) / SKELETON_HEIGHT
        return np.stack([p[:, 0] - slant * (p[:, 1] - center[1]) + amplitude * np.sin(2 * np.pi * freq[0] * y + phase[0]),
                         p[:, 1] + amplitude * np.sin(2 * np.pi * freq[1] * x + phase[1])], axis=1)

    a = transform(hand(segments[:, :2]), scale, angle, center)
    b = transform(hand(segments[:, 2:]), scale, angle, center)
    nodes = transform(hand(points), scale, angle, center)
    lo, hi = nodes.min(axis=0) - pen / 2, nodes.max(axis=0) + pen / 2
    offset = place(lo, hi, canvas_w, canvas_h, rng)
    ss = 4 if max(canvas_w, canvas_h) <= 256 else 2  # supersampling for anti-aliasing
    image = Image.new("L", (canvas_w * ss, canvas_h * ss), 0)
    draw = ImageDraw.Draw(image)
    width = max(1, int(round(pen * ss)))
    for (x0, y0), (x1, y1) in zip(a + offset, b + offset):
        draw.line([(x0 * ss, y0 * ss), (x1 * ss, y1 * ss)], fill=255, width=width)
    if width > 2:
        r = width / 2
        for x, y in nodes + offset:
            draw.ellipse([x * ss - r, y * ss - r, x * ss + r, y * ss + r], fill=255)
    image = image.resize((canvas_w, canvas_h), Image.BOX)
    return np.asarray(image, dtype=np.float32) / 255.0


def font_mask(face, digit, height, angle, rng, canvas_w, canvas_h):
    """The glyph as the font draws it, rotated, placed at random."""
    glyph = Image.fromarray((glyph_mask(face, digit, height) * 255).astype(np.uint8))
    if angle:
        glyph = glyph.rotate(-angle, resample=Image.BICUBIC, expand=True)
    g = np.asarray(glyph, dtype=np.float32) / 255.0
    ys, xs = np.nonzero(g > 0.02)
    g = g[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    gh, gw = g.shape
    if gw > canvas_w or gh > canvas_h:  # a wide glyph on a narrow canvas
        f = min(canvas_w / gw, canvas_h / gh)
        glyph = Image.fromarray((g * 255).astype(np.uint8)).resize(
            (max(1, int(gw * f)), max(1, int(gh * f))), Image.BOX)
        g = np.asarray(glyph, dtype=np.float32) / 255.0
        gh, gw = g.shape
    ox, oy = place(np.array([0.0, 0.0]), np.array([gw, gh], dtype=np.float64), canvas_w, canvas_h, rng)
    mask = np.zeros((canvas_h, canvas_w), np.float32)
    ox, oy = int(round(ox)), int(round(oy))
    mask[oy:oy + gh, ox:ox + gw] = g
    return mask


def place(lo, hi, canvas_w, canvas_h, rng):
    """A random offset that puts the box [lo, hi) inside the canvas (with a
    margin when there is room): digits sit anywhere, not only in the middle."""
    w, h = hi - lo
    margin_x = min(0.05 * canvas_w, max(0.0, (canvas_w - w) / 2))
    margin_y = min(0.05 * canvas_h, max(0.0, (canvas_h - h) / 2))
    x = rng.uniform(margin_x, max(margin_x, canvas_w - w - margin_x))
    y = rng.uniform(margin_y, max(margin_y, canvas_h - h - margin_y))
    return np.array([x - lo[0], y - lo[1]])


def compose(mask, ink, background):
    """Ink over background; both may be scalars or per-pixel arrays in [0, 1]."""
    return background + (ink - background) * mask


def save(pixels, path, rng):
    image = Image.fromarray(np.clip(np.round(pixels * 255), 0, 255).astype(np.uint8))
    if path.endswith(".jpg"):
        image.save(path, quality=int(rng.integers(70, 96)))
    else:
        image.save(path, optimize=False)


def canvas_size(rng):
    side = int(rng.choice(SIZES))
    if side >= 64 and rng.random() < 0.4:  # some landscape or portrait canvases
        other = int(side * rng.uniform(0.7, 1.4))
        return (side, other) if rng.random() < 0.5 else (other, side)
    return side, side


def general_case(rng, family, faces, digit):
    """A digit in one of the families, with every other choice random."""
    w, h = canvas_size(rng)
    short = min(w, h)
    # Small canvases are filled like MNIST; large ones leave room around.
    lo_frac = 0.6 if short < 48 else 0.3
    height = rng.uniform(lo_frac, 0.85) * short
    angle = float(rng.uniform(-8, 8)) if rng.random() < 0.5 else 0.0
    if rng.random() < 0.5:
        face_index = int(rng.integers(len(faces)))
        mask = font_mask(faces[face_index], digit, height, angle, rng, w, h)
        style = ["font", "fontbold", "fontitalic"][min(face_index, 2)]
    else:
        # Pen width relative to the digit height: hairline, thin, medium, bold.
        kind = rng.choice(["hair", "thin", "medium", "bold"], p=[0.25, 0.25, 0.3, 0.2])
        pen = {"hair": 1.0,
               "thin": max(1.0, height * rng.uniform(0.02, 0.05)),
               "medium": max(1.0, height * rng.uniform(0.06, 0.12)),
               "bold": max(1.5, height * rng.uniform(0.13, 0.2))}[kind]
        mask = pen_mask(faces[0], digit, height, pen, angle, rng, w, h)
        style = f"pen{int(round(pen))}"
    if rng.random() < 0.5:
        polarity, ink, background = "wob", rng.uniform(0.8, 1.0), rng.uniform(0.0, 0.15)
    else:
        polarity, ink, background = "bow", rng.uniform(0.0, 0.2), rng.uniform(0.85, 1.0)
    pixels = compose(mask, ink, background)
    return f"{family}_{w}x{h}_{style}_{polarity}", pixels


def paper_case(rng, family, faces, digit):
    """Dark gray pen strokes on light paper, lit unevenly, with sensor noise."""
    w, h = int(rng.choice([160, 240, 320, 480, 640, 800])), 0
    h = int(w * rng.uniform(0.75, 1.33))
    short = min(w, h)
    height = rng.uniform(0.35, 0.8) * short
    pen = max(1.0, height * rng.uniform(0.025, 0.08))
    angle = float(rng.uniform(-10, 10))
    mask = pen_mask(faces[0], digit, height, pen, angle, rng, w, h)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    # Light falling off from one side plus a soft vignette.
    gx, gy = rng.uniform(-1, 1, size=2)
    light = 1.0 - 0.25 * rng.uniform(0.3, 1.0) * ((xx / w - 0.5) * gx + (yy / h - 0.5) * gy + 0.5)
    light -= 0.15 * rng.uniform(0, 1) * (((xx / w - 0.5) ** 2 + (yy / h - 0.5) ** 2) * 2)
    paper = rng.uniform(0.8, 0.95) * light
    ink = rng.uniform(0.15, 0.4) * light
    pixels = compose(mask, ink, paper)
    pixels = pixels + rng.normal(0, rng.uniform(0.01, 0.035), size=pixels.shape)
    return f"{family}_{w}x{h}_paper{int(round(pen))}_bow", pixels


def thin_case(rng, family, faces, digit):
    """A 1 px white stroke on a black 400x300 canvas."""
    w, h = 400, 300
    height = rng.uniform(0.3, 0.85) * h
    angle = float(rng.uniform(-6, 6))
    mask = pen_mask(faces[0], digit, height, 1.0, angle, rng, w, h)
    return f"{family}_{w}x{h}_thin1_wob", compose(mask, 1.0, 0.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--sheet", help="also write a contact sheet of all images (PNG)")
    args = parser.parse_args()
    check_fonts()
    os.makedirs(args.out_dir, exist_ok=True)
    rng = np.random.default_rng(SEED)
    families = list(FAMILIES)
    cases = []
    for family in families:  # every family, every digit, two random variants
        for digit in range(10):
            cases += [(general_case, family, digit)] * 2
    for digit in range(10):  # the examples, five of each digit
        for k in range(5):
            cases.append((paper_case, families[(digit * 5 + k) % len(families)], digit))
            cases.append((thin_case, families[(digit * 5 + k + 3) % len(families)], digit))
    names = []
    for index, (make, family, digit) in enumerate(cases):
        stem, pixels = make(rng, family, FAMILIES[family][1], digit)
        ext = ".jpg" if rng.random() < 0.3 else ".png"
        name = f"d{digit}_{stem}_{index:03d}{ext}"
        save(pixels, os.path.join(args.out_dir, name), rng)
        names.append(name)
    print(f"{len(names)} images in {args.out_dir}")
    if args.sheet:
        thumb, cols = 56, 20
        rows = (len(names) + cols - 1) // cols
        sheet = Image.new("L", (cols * thumb, rows * thumb), 128)
        for i, name in enumerate(names):
            im = Image.open(os.path.join(args.out_dir, name)).convert("L")
            im.thumbnail((thumb - 4, thumb - 4), Image.BOX)
            sheet.paste(im, ((i % cols) * thumb + 2, (i // cols) * thumb + 2))
        sheet.save(args.sheet)


if __name__ == "__main__":
    main()
