"""Printing a course document to PDF with the machine's Chromium (headless, offline, no page header or footer):
the same engine the handout is printed with in the tests."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
PRINT_SECONDS = 120


class PrintError(RuntimeError):
    """The PDF could not be printed (no Chromium, or Chromium failed); says what to do."""


def chromium() -> Path:
    """The machine's Chromium, or a PrintError that says how to get one."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise PrintError("printing to PDF needs Chromium (Debian: apt-get install chromium); or write the HTML "
                     "(-o FILE.html) and print it from any browser")


def print_pdf(html: str, output: Path) -> None:
    """Print the HTML document to `output` (A4, as its CSS says), written whole, then moved into place."""
    browser = chromium()
    with tempfile.TemporaryDirectory(prefix="ros1-course-print-") as scratch:
        page = Path(scratch) / "document.html"
        page.write_text(html, encoding="utf-8")
        printed = Path(scratch) / "document.pdf"
        result = subprocess.run(
            [str(browser), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-pdf-header-footer",
             "--disable-background-networking", "--disable-component-update", f"--user-data-dir={scratch}/profile",
             f"--print-to-pdf={printed}", page.as_uri()],
            capture_output=True, text=True, timeout=PRINT_SECONDS, check=False)
        if result.returncode != 0 or not printed.is_file():
            raise PrintError(f"Chromium could not print the PDF (exit {result.returncode}): "
                             f"{result.stderr.strip()[-500:]}")
        shutil.move(printed, output.with_name(output.name + ".partial"))
        output.with_name(output.name + ".partial").replace(output)
