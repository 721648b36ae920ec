"""Ask the room's QR code: the join address drawn as SVG (segno), for the presenter's screen. Only the presenter's
panel imports this (with a room), so the static site's kernels never need segno."""

from __future__ import annotations

import io

import segno
from markupsafe import Markup


def qr_svg(address: str) -> Markup:
    """The address as a QR code, an SVG image named for screen readers."""
    out = io.BytesIO()
    segno.make(address, error="m").save(out, kind="svg", border=4, omitsize=True, xmldecl=False, svgclass="room-qr",
                                        lineclass=None, title=f"QR code for {address}")
    svg = out.getvalue().decode("utf-8").replace("<svg ", '<svg role="img" ', 1)
    return Markup(svg)  # segno writes the SVG and escapes the title
