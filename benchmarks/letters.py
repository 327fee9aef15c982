"""Benchmark: the QR code a survey letter carries, drawn as `lofte.surveys.letters` draws it and as
ReportLab's own `QrCodeWidget` draws it (the peer), for the same addresses on A4 pages.

    .venv/bin/python benchmarks/letters.py [--letters 200]

Target (issue 24): a wave's letters at least 10 a second; 400 letters took 99 s on a loaded machine.
"""

import argparse
import io
import os
import platform
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lofte.config.settings")
os.environ.setdefault("LOFTE_DEBUG", "1")  # no secret key needed; no database is opened
django.setup()

from reportlab.graphics import renderPDF  # noqa: E402
from reportlab.graphics.barcode.qr import QrCodeWidget  # noqa: E402
from reportlab.graphics.shapes import Drawing  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from lofte.surveys import codes, letters  # noqa: E402


def widget(pdf, data, x, y, size):
    """The peer: ReportLab's widget in a drawing scaled to `size` points."""
    qr = QrCodeWidget(data)
    left, bottom, right, top = qr.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(qr)
    renderPDF.draw(drawing, pdf, x, y)


def pages(draw, addresses):
    """Seconds to draw each address's code on a page of its own and save the PDF."""
    started = time.perf_counter()
    pdf = canvas.Canvas(io.BytesIO())
    for address in addresses:
        draw(pdf, address, 150 * mm, 25 * mm, 40 * mm)
        pdf.showPage()
    pdf.save()
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=200)
    args = parser.parse_args()
    salt = codes.new_salt()
    addresses = [f"https://lofte.example.se/enkat/#{codes.code_for(salt, n)}" for n in range(1, args.letters + 1)]
    ours, peer = pages(letters._qr, addresses), pages(widget, addresses)
    print(f"{platform.machine()}, Python {platform.python_version()}; {args.letters} QR codes on A4 pages")
    print(f"letters._qr      {ours:6.2f} s  {args.letters / ours:6.1f} a second")
    print(f"QrCodeWidget     {peer:6.2f} s  {args.letters / peer:6.1f} a second")
    print(f"ratio (ours / peer) {ours / peer:.2f}")


if __name__ == "__main__":
    main()
