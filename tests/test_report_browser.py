"""The example's report in a real browser: headless Chromium renders it from disk with no
network, the screenshots are decoded (zlib and struct, no imaging library) and must show the
header, the coverage matrix and the heat map; the page must log no console error; printing
must give A4 pages. `.ci/run` installs Debian's chromium, so this runs in CI."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from pathlib import Path

import pytest

from techfile.cli import main
from test_report import parse

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium; .ci/run installs it in CI)",
)

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
WIDTH, HEIGHT = 1366, 900
# fills of the report's CSS and SVG (report.css, html_heatmap.py): the red background of the
# threat that reaches no risk row and of the wrong citation, and the heat map's regions
RED_CELL = (0xFB, 0xDC, 0xDB)
ACCEPTABLE, REDUCE_AFAP, UNACCEPTABLE = (0xA9, 0xDB, 0xB5), (0xFF, 0xD9, 0x7A), (0xF1, 0x9B, 0x9B)


def chromium(tmp: Path, *args: str, url: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp / "chromium-profile"
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args, url],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="module")
def report_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    target = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["report", "--example", "--output", str(target)]) == 0
    return target.resolve().as_uri()


# --- PNG -------------------------------------------------------------------------------------


def _add(a: bytes, b: bytes) -> bytes:
    """Bytewise (a + b) mod 256, on whole rows at once (carries kept inside each byte)."""
    n = len(a)
    x, y = int.from_bytes(a, "big"), int.from_bytes(b, "big")
    low, high = int.from_bytes(b"\x7f" * n, "big"), int.from_bytes(b"\x80" * n, "big")
    return (((x & low) + (y & low)) ^ ((x ^ y) & high)).to_bytes(n, "big")


def decode_png(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """(width, height, bytes per pixel, rows) of an 8-bit, non-interlaced RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks, header = 8, [], b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and interlace == 0 and colour in (2, 6), (depth, colour, interlace)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], raw[start + 1 : start + 1 + stride]
        if kind == 0:
            row = line
        elif kind == 2:
            row = _add(line, prev)
        else:
            out = bytearray(line)
            for x in range(stride):
                a = out[x - bpp] if x >= bpp else 0
                if kind == 1:
                    out[x] = (out[x] + a) & 255
                elif kind == 3:
                    out[x] = (out[x] + ((a + prev[x]) >> 1)) & 255
                else:
                    b, c = prev[x], prev[x - bpp] if x >= bpp else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                    out[x] = (out[x] + pred) & 255
            row = bytes(out)
        rows.append(row)
        prev = row
    return width, height, bpp, rows


def pixels(rows: list[bytes], bpp: int, top: int, bottom: int) -> Counter[tuple[int, ...]]:
    found: Counter[tuple[int, ...]] = Counter()
    for row in rows[top:bottom]:
        found.update(zip(row[0::bpp], row[1::bpp], row[2::bpp], strict=True))
    return found


def assert_not_blank(colours: Counter[tuple[int, ...]], where: str) -> None:
    total = sum(colours.values())
    assert len(colours) >= 20, f"{where}: only {len(colours)} colours"
    assert colours.most_common(1)[0][1] < total * 0.97, f"{where}: one colour fills it"


# --- the tests -------------------------------------------------------------------------------


def test_screenshot_of_the_first_screen_is_not_blank(tmp_path: Path, report_url: str) -> None:
    png = tmp_path / "report.png"
    done = chromium(
        tmp_path, f"--screenshot={png}", f"--window-size={WIDTH},{HEIGHT}", url=report_url
    )
    assert png.is_file(), done.stderr[-2000:]
    width, height, bpp, rows = decode_png(png.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    # header, summary tiles, start of the coverage matrix: each band shows something
    for top, bottom, where in ((0, 220, "header"), (220, 460, "tiles"), (460, 900, "matrix")):
        assert_not_blank(pixels(rows, bpp, top, bottom), where)
    dark = sum(n for (r, g, b, *_), n in pixels(rows, bpp, 0, 120).items() if r + g + b < 200)
    assert dark > 500, "no dark text in the header"


def test_full_page_shows_the_red_marks_and_the_heat_map(tmp_path: Path, report_url: str) -> None:
    png = tmp_path / "full.png"
    chromium(
        tmp_path,
        f"--screenshot={png}",
        "--force-device-scale-factor=0.5",
        f"--window-size={WIDTH},7000",
        url=report_url,
    )
    _, height, bpp, rows = decode_png(png.read_bytes())
    colours = pixels(rows, bpp, 0, height)
    assert colours[RED_CELL] > 200, "no red mark (T-06, the wrong citation at 7.2)"
    for fill in (ACCEPTABLE, REDUCE_AFAP, UNACCEPTABLE):
        assert colours[fill] > 2000, f"heat map region {fill} not drawn"


def test_page_loads_without_console_errors_and_has_its_parts(
    tmp_path: Path, report_url: str
) -> None:
    done = chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom", url=report_url)
    assert done.returncode == 0, done.stderr[-2000:]
    console = [
        line
        for line in done.stderr.splitlines()
        if "CONSOLE" in line or "Uncaught" in line or "Failed to load resource" in line
    ]
    assert not console, console
    page = parse(done.stdout)
    matrix = page.find_all("table", class_="matrix")
    assert len(matrix) == 2
    row = matrix[0].find("tr", data_clause="7.2")
    assert row.attrs["data-state"] == "green" and row.attrs["data-wrong"] == "ISMS-SOA-001"
    assert page.find("section", id="signoff").find("table", class_="signoff")
    cells = page.find("section", id="heatmap").find_all("g", class_="cell")
    assert len(cells) == 50
    assert page.find("tr", data_threat="TM-001:T-06").attrs["data-state"] == "missing"


def test_report_prints_on_a4(tmp_path: Path, report_url: str) -> None:
    pdf = tmp_path / "report.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", url=report_url)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert len(boxes) >= 2, "expected several pages"
    for width, height in boxes:  # A4 is 595.28 x 841.89 points
        assert abs(float(width) - 595.3) < 2 and abs(float(height) - 841.9) < 2


def test_the_console_check_sees_errors(tmp_path: Path) -> None:
    """The scan above must not pass only because Chromium stopped logging the console."""
    page = tmp_path / "broken.html"
    page.write_text("<p>x</p><script>console.error('boom'); missingFunction();</script>")
    done = chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom", url=page.as_uri())
    assert any("CONSOLE" in line and "boom" in line for line in done.stderr.splitlines())
    assert any("Uncaught" in line for line in done.stderr.splitlines())
