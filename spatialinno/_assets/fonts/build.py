"""Build the CJK font the print figures use: a subset of Noto Sans CJK SC (SIL OFL 1.1).

A fresh machine often has no Chinese font, and matplotlib then draws every Chinese character as
an empty box. spatialinno therefore ships its own font, cut down to the characters it prints, so
figures render the same everywhere without the user installing anything.

Run from the repository root with the dev extra and Debian's ``fonts-noto-cjk`` installed (a
build input only: neither users nor the CI need it, the result is committed)::

    apt-get install -y fonts-noto-cjk
    python spatialinno/_assets/fonts/build.py     # writes SpatialinnoSansSC-Regular.ttf

What goes in (every character the source font has of):

* all of GB 2312 (7,445 characters: the 6,763 hanzi of levels 1 and 2, full-width forms,
  punctuation, Greek, Cyrillic, kana, box drawing);
* printable ASCII, Latin-1, Latin Extended-A/B (pinyin with tone marks), general punctuation,
  super- and subscripts, letterlike symbols, number forms, arrows, mathematical operators,
  geometric shapes, CJK symbols and punctuation, half- and full-width forms;
* every character of the package's own text: the ``.py``, ``.csv``, ``.md`` and ``.txt`` files
  under ``spatialinno/`` (names, data sets, code history, labels, UI words) and every text
  attribute of every layer of ``boundaries/china.gpkg`` (all region names).

What changes: the glyphs are converted from CFF to TrueType (quadratic) outlines, because
matplotlib embeds fonts in PDF as TrueType (``pdf.fonttype`` 42, ``FontFile2``) and a CFF font
there makes an invalid PDF; vertical metrics and hinting are dropped (matplotlib draws
horizontal, unhinted text). The family is renamed ``Spatialinno Sans SC``: a Modified Version
under the OFL, and "Noto" is a Google trademark. The copyright and licence records are kept.

The output is deterministic: the same source font and package text give the same file (the
font's own timestamp is kept).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["FAMILY", "OUTPUT", "build", "characters", "main"]

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parents[1]  # spatialinno/
REPO = PACKAGE.parent
OUTPUT = HERE / "SpatialinnoSansSC-Regular.ttf"
FAMILY = "Spatialinno Sans SC"
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SOURCE_FAMILY = "Noto Sans CJK SC"

# Unicode blocks always included (start, end inclusive)
BLOCKS: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x024F),  # Latin-1, Latin Extended-A and -B (pinyin tone marks)
    (0x2000, 0x206F),  # general punctuation
    (0x2070, 0x209F),  # super- and subscripts
    (0x2100, 0x218F),  # letterlike symbols, number forms (℃, №, Ⅳ)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators (≤, ≥, ∝, ±)
    (0x25A0, 0x25FF),  # geometric shapes
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFF00, 0xFFEF),  # half-width and full-width forms
)
TEXT_SUFFIXES = (".py", ".csv", ".md", ".txt")
DROP_TABLES = ["vhea", "vmtx", "VORG", "BASE"]
MAX_ERROR = 2.0  # font units (1,000 per em) the quadratic outlines may deviate: 0.005 mm at 7 pt


def gb2312() -> set[str]:
    """Every character of GB 2312 (rows 0xA1-0xF7, cells 0xA1-0xFE)."""
    out = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return out


def package_text() -> set[str]:
    """The characters of the package's text files and of the boundary layers' attributes."""
    import pyogrio

    chars: set[str] = set()
    for path in sorted(PACKAGE.rglob("*")):
        skip = "__pycache__" in path.parts or HERE in path.parents
        if path.is_file() and path.suffix in TEXT_SUFFIXES and not skip:
            chars.update(path.read_text(encoding="utf-8", errors="ignore"))
    gpkg = REPO / "boundaries" / "china.gpkg"
    for name, _ in pyogrio.list_layers(gpkg):
        frame = pyogrio.read_dataframe(gpkg, layer=name, read_geometry=False)
        for col in frame.columns:
            if frame[col].dtype == object:
                chars.update("".join(frame[col].dropna().astype(str)))
    return chars


def characters() -> tuple[set[str], set[str]]:
    """The characters the font must hold (GB 2312, the package's text) and the blocks' extra ones.

    Characters of the blocks that the source font lacks (rare Latin, arrows, operators) are drawn
    with matplotlib's own DejaVu Sans; a required one it lacks is reported by the build.
    """
    required = {c for c in gb2312() | package_text() if c.isprintable() and not c.isspace()}
    blocks = {chr(c) for start, end in BLOCKS for c in range(start, end + 1)}
    return required, {c for c in blocks if c.isprintable() or c == "\u3000"}


def _to_truetype(font: object) -> None:
    """Replace the CFF outlines of ``font`` by TrueType (quadratic) ones, in place."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name in order:
        advance, _ = hmtx[name]
        hmtx[name] = (advance, getattr(glyf[name], "xMin", 0))
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):  # fmt: skip
        setattr(maxp, field, 0)
    post = font["post"]
    post.formatType = 2.0  # glyph names: matplotlib's Type 3 and PostScript output use them
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"


def _rename(font: object) -> None:
    """The family renamed (a Modified Version); copyright, trademark and licence records kept."""
    name = font["name"]
    keep = {0: None, 7: None, 8: None, 9: None, 11: None, 12: None, 13: None, 14: None}
    for record in name.names:
        if record.platformID == 3 and record.langID == 0x409 and record.nameID in keep:
            keep[record.nameID] = record.toUnicode()
    version = font["head"].fontRevision
    new = {
        1: FAMILY,
        2: "Regular",
        3: f"{FAMILY} Regular; subset of {SOURCE_FAMILY} {version:.3f} by spatialinno",
        4: f"{FAMILY} Regular",
        5: f"Version {version:.3f}; subset of {SOURCE_FAMILY} for spatialinno",
        6: "SpatialinnoSansSC-Regular",
        10: f"A subset of {SOURCE_FAMILY} {version:.3f} (SIL OFL 1.1): GB 2312 and the "
        "characters spatialinno prints; TrueType outlines.",
    }
    new.update({k: v for k, v in keep.items() if v})
    name.names = []
    for name_id, text in sorted(new.items()):
        name.setName(text, name_id, 3, 1, 0x409)
        if name_id in (1, 2, 4, 6):
            name.setName(text, name_id, 1, 0, 0)


def build(source: Path = SOURCE, output: Path = OUTPUT) -> tuple[int, list[str]]:
    """Write the subset to ``output``; returns its number of characters and the required ones
    the source font lacks."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(source), fontNumber=_face(source), recalcTimestamp=False)
    cmap = font.getBestCmap()
    required, extra = characters()
    wanted = required | extra
    missing = sorted(c for c in required if ord(c) not in cmap)
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = ["*"]
    options.name_languages = [0x409]
    options.notdef_outline = True
    options.drop_tables += DROP_TABLES
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in wanted if ord(c) in cmap))
    subsetter.subset(font)
    _to_truetype(font)
    _rename(font)
    font.save(str(output))
    return len(font.getBestCmap()), missing


def _face(source: Path) -> int:
    """Index of the Simplified Chinese face in the collection (0 for a single font)."""
    from fontTools.ttLib import TTCollection

    if source.suffix.lower() not in (".ttc", ".otc"):
        return -1
    for i, face in enumerate(TTCollection(str(source), lazy=True).fonts):
        if face["name"].getDebugName(1) == SOURCE_FAMILY:
            return i
    raise SystemExit(f"{source} has no face named {SOURCE_FAMILY!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="NotoSansCJK-Regular.ttc")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    if not args.source.is_file():
        print(f"{args.source} not found: apt-get install -y fonts-noto-cjk", file=sys.stderr)
        return 1
    n, missing = build(args.source, args.output)
    size = args.output.stat().st_size / 1e6
    print(f"{args.output.name}: {n} characters, {size:.2f} MB")
    if missing:
        print(f"not in the source font ({len(missing)}): {''.join(missing)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
