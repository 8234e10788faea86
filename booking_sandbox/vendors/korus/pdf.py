"""A minimal PDF 1.4 writer, by hand: enough for the sandbox's Korus e-ticket documents.

Korus serves its order documents as PDF files behind a signed URL (reference §6.6); what is in
them is not documented. The sandbox writes a small, valid file with no dependency: a catalog, a
page tree, the standard Helvetica fonts (no embedding, WinAnsiEncoding so French accents print),
an Info dictionary, one uncompressed content stream per page, and a classic cross-reference
table whose byte offsets are computed from the bytes actually written. Text streams stay
uncompressed on purpose: a test (or a curious developer) can find a voucher with `grep`.

The output is deterministic: the same pages, title and date give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 50
FONTS = {"regular": "Helvetica", "bold": "Helvetica-Bold"}
# Helvetica at size 11 averages ~5.5pt a character: keep lines inside the margins.
_WRAP_AT = 88


@dataclass(frozen=True)
class Line:
    """One line of text; `gap` is extra space above it, in points."""

    text: str
    size: float = 11
    bold: bool = False
    gap: float = 0


def literal(text: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding: `(` `)` `\\` escaped, controls as octal."""
    raw = text.encode("cp1252", errors="replace")
    out = bytearray(b"(")
    for byte in raw:
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif byte < 0x20 or byte == 0x7F:
            out += f"\\{byte:03o}".encode("ascii")
        else:
            out.append(byte)
    return bytes(out + b")")


def wrap(text: str, width: int = _WRAP_AT) -> list[str]:
    """Greedy word wrap; a word longer than `width` is cut."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return lines


def _content(lines: Sequence[Line]) -> bytes:
    """One BT/ET block per line, each placed absolutely from the top margin down."""
    out = bytearray()
    y: float = PAGE_HEIGHT - MARGIN
    for line in lines:
        font = "/F2" if line.bold else "/F1"
        gap: float = line.gap  # above the first wrapped part only
        for part in wrap(line.text):
            y -= line.size * 1.3 + gap
            gap = 0
            if y < MARGIN:  # the page is full: the rest is dropped rather than drawn off-page
                return bytes(out)
            out += b"BT %s %s Tf %d %s Td " % (
                font.encode(),
                _number(line.size),
                MARGIN,
                _number(y),
            )
            out += literal(part) + b" Tj ET\n"
    return bytes(out)


def _number(value: float) -> bytes:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.encode("ascii")


def _date(moment: datetime) -> bytes:
    """A PDF date string, in UTC: (D:20250129075553+00'00')."""
    utc = moment.astimezone(UTC)
    return f"(D:{utc:%Y%m%d%H%M%S}+00'00')".encode("ascii")


def render(
    pages: Sequence[Sequence[Line]], *, title: str, created: datetime | None = None
) -> bytes:
    """The complete file. Objects: 1 catalog, 2 pages, 3-4 fonts, 5 info, then page/content
    pairs. At least one page is written, blank if `pages` is empty."""
    pages = list(pages) or [[]]
    page_ids = [6 + 2 * i for i in range(len(pages))]
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % p for p in page_ids), len(pages)),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"
        % FONTS["regular"].encode(),
        4: b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"
        % FONTS["bold"].encode(),
    }
    info = b"<< /Title %s /Producer (booking-sandbox)" % literal(title)
    if created is not None:
        info += b" /CreationDate %s" % _date(created)
    objects[5] = info + b" >>"
    for page_id, lines in zip(page_ids, pages, strict=True):
        stream = _content(lines)
        objects[page_id] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>"
            % (PAGE_WIDTH, PAGE_HEIGHT, page_id + 1)
        )
        objects[page_id + 1] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
    # The header's second line is a comment of high bytes: it tells transfer tools the file
    # is binary (PDF 1.4 §3.4.1).
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        # Every entry is exactly 20 bytes: 10-digit offset, 5-digit generation, `n`, " \n".
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        xref,
    )
    return bytes(out)
