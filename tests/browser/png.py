"""Enough of PNG to tell a blank screenshot from a drawn one, without an imaging library."""

from __future__ import annotations

import struct
import zlib

CHANNELS = {2: 3, 6: 4}  # truecolour, truecolour with alpha: what Chromium writes


def colours(png: bytes) -> int:
    """How many distinct pixel values the image has (a blank panel has one or two)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    at, data, header = 8, b"", b""
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, body = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        at += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            data += body
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or colour not in CHANNELS or interlace:
        raise ValueError(f"an 8-bit RGB(A) PNG without interlace, not {depth, colour, interlace}")
    size = CHANNELS[colour]
    stride = width * size
    raw = zlib.decompress(data)
    seen: set[bytes] = set()
    previous = bytearray(stride)
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        _unfilter(kind, line, previous, size)
        seen.update(bytes(line[i : i + size]) for i in range(0, stride, size * 7))  # sampled
        previous = line
    return len(seen)


def _unfilter(kind: int, line: bytearray, up: bytearray, size: int) -> None:
    for i in range(len(line)):
        left = line[i - size] if i >= size else 0
        above = up[i]
        corner = up[i - size] if i >= size else 0
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 2:
            line[i] = (line[i] + above) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (left + above) // 2) & 0xFF
        elif kind == 4:
            line[i] = (line[i] + _paeth(left, above, corner)) & 0xFF


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c
