"""Read back the text of a QR code drawn by segno as SVG (tests only).

segno writes QR codes but does not read them, and no decoder ships with the project. The symbols
here are clean (generated, never printed or photographed), so reading one needs no error
correction: rebuild the module grid from the SVG path, find the format (error level and mask)
by comparing with segno's own format patterns, unmask, read the codewords in placement order,
de-interleave the data blocks and parse the segments. segno's tables keep this in step with it.
"""

from __future__ import annotations

import re

from segno import consts
from segno.encoder import (
    add_alignment_patterns,
    add_finder_patterns,
    add_format_info,
    add_version_info,
    get_data_mask_functions,
    make_matrix,
)

_PATH = re.compile(r'<path[^>]*class="qrline"[^>]*\sd="([^"]+)"')
_STEP = re.compile(r"([Mmhv])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?")
BORDER = 2


def grid_from_svg(svg: str) -> list[list[int]]:
    """The dark (1) and light (0) modules of a segno SVG drawn with border=2."""
    match = _PATH.search(svg)
    if match is None:
        raise ValueError("no segno QR path in the SVG")
    dark: set[tuple[int, int]] = set()
    x = y = 0.0
    for command, first, second in _STEP.findall(match.group(1)):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        elif command == "h":
            length = int(float(first))
            for step in range(length):
                dark.add((int(y), int(x) + step))
            x += length
        else:
            raise ValueError(f"unexpected path command {command}")
    size = max(max(r, c) for r, c in dark) + 1 - BORDER
    return [[1 if (r + BORDER, c + BORDER) in dark else 0 for c in range(size)] for r in range(size)]


def _format(grid, version: int) -> tuple[int, int]:
    size = len(grid)
    reserved = make_matrix(size, size)
    cells = [(i, j) for i in range(size) for j in range(size) if reserved[i][j] == 0x0]
    for error in (consts.ERROR_LEVEL_L, consts.ERROR_LEVEL_M, consts.ERROR_LEVEL_Q, consts.ERROR_LEVEL_H):
        for mask in range(8):
            probe = make_matrix(size, size)
            add_format_info(probe, version, error, mask)
            add_version_info(probe, version)
            if all(probe[i][j] == grid[i][j] for i, j in cells):
                return error, mask
    raise ValueError("format information not found")


def _codewords(grid, version: int, mask: int) -> list[int]:
    size = len(grid)
    function = make_matrix(size, size)
    add_finder_patterns(function, size, size)
    add_alignment_patterns(function, size, size)
    function[-8][8] = 0x1
    pattern = get_data_mask_functions(False)[mask]
    bits: list[int] = []
    for right in range(size - 1, 0, -2):
        if right <= 6:
            right -= 1
        for vertical in range(size):
            for z in range(2):
                j = right - z
                upwards = ((right & 2) == 0) ^ (j < 6)
                i = (size - 1 - vertical) if upwards else vertical
                if function[i][j] == 0x2:
                    bits.append(grid[i][j] ^ pattern(i, j))
    return [int("".join(map(str, bits[k : k + 8])), 2) for k in range(0, len(bits) - 7, 8)]


def _data(codewords: list[int], version: int, error: int) -> list[int]:
    blocks: list[list[int]] = []
    for info in consts.ECC[version][error]:
        blocks += [[] for _ in range(info.num_blocks)]
    sizes = [info.num_data for info in consts.ECC[version][error] for _ in range(info.num_blocks)]
    position = 0
    for index in range(max(sizes)):
        for block, size in zip(blocks, sizes, strict=True):
            if index < size:
                block.append(codewords[position])
                position += 1
    return [byte for block in blocks for byte in block]


def decode_svg(svg: str) -> str:
    grid = grid_from_svg(svg)
    version = (len(grid) - 17) // 4
    error, mask = _format(grid, version)
    data = _data(_codewords(grid, version, mask), version, error)
    bits = "".join(f"{byte:08b}" for byte in data)
    text = b""
    pos = 0
    while pos + 4 <= len(bits):
        mode = int(bits[pos : pos + 4], 2)
        pos += 4
        if mode == 0:
            break
        if mode != consts.MODE_BYTE:
            raise ValueError(f"mode {mode} is not read by this test decoder")
        width = 8 if version <= 9 else 16
        count = int(bits[pos : pos + width], 2)
        pos += width
        text += bytes(int(bits[pos + 8 * k : pos + 8 * k + 8], 2) for k in range(count))
        pos += 8 * count
    return text.decode("utf-8")
