"""Glossary links: every term a lesson uses is linked at its first use, links point at defined terms, the
lesson's Key terms section defines exactly the linked terms, and no glossary entry goes unused."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from content import Guidance

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
PROTECTED = re.compile(r"\[[^\]]*\]\([^)]*\)|`[^`]*`|https?://\S+|^#.*$", re.MULTILINE)
LINK = re.compile(r"\[([^\]]+)\]\(#term-([a-z0-9-]+)\)")


def _markdown(path: Path) -> str:
    cells = nbformat.read(path, as_version=4).cells
    return "\n\n".join(cell.source for cell in cells if cell.cell_type == "markdown")


def _plain_uses(text: str, forms: list[str]) -> list[int]:
    """Where the term is used outside links, code and headings."""
    alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w\-#\[/])({alternatives})(?![\w\-])", re.IGNORECASE)
    protected = [match.span() for match in PROTECTED.finditer(text)]
    return [m.start() for m in pattern.finditer(text) if not any(a <= m.start() < b for a, b in protected)]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_term_used_is_linked_at_its_first_use(path: Path, guidance: Guidance) -> None:
    text = _markdown(path)
    links = {term_id: match.start() for match in reversed(list(LINK.finditer(text)))
             for term_id in [match.group(2)]}
    unlinked = []
    for term in guidance.glossary:
        uses = _plain_uses(text, term.forms)
        if uses and (term.id not in links or links[term.id] > uses[0]):
            unlinked.append(f"{term.id} (first used at: {text[uses[0]:uses[0] + 40]!r})")
    assert unlinked == []


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_links_point_at_terms_defined_in_the_lesson(path: Path, guidance: Guidance) -> None:
    linked = {match.group(2) for match in LINK.finditer(_markdown(path))}
    assert linked <= {term.id for term in guidance.glossary}
    cells = nbformat.read(path, as_version=4).cells
    call = next(cell for cell in cells if cell.cell_type == "code" and cell.source.startswith("lesson.glossary("))
    defined = {arg.value for arg in ast.parse(call.source).body[0].value.args}
    assert defined == linked
    html = call.outputs[0]["data"]["text/html"]
    assert set(re.findall(r'<dt id="term-([a-z0-9-]+)">', html)) == linked


def test_no_glossary_entry_goes_unused(guidance: Guidance) -> None:
    linked = {match.group(2) for path in LESSONS for match in LINK.finditer(_markdown(path))}
    assert {term.id for term in guidance.glossary} - linked == set()
