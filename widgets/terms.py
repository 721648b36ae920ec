"""Glossary terms in widget text: the first use of each term becomes a focusable term whose definition
shows on hover and keyboard focus and is read by screen readers (the WAI tooltip pattern:
`aria-describedby` pointing at the definition)."""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from content import Guidance
from content.schema import Term

from .markup import esc

_TAG = re.compile(r"(<[^>]+>)")
_SKIP_INSIDE = {"a", "style", "h1", "h2", "h3", "h4", "caption", "th", "summary", "button", "dt"}
_ids = itertools.count(1)


@lru_cache(maxsize=4)
def _matcher(guidance: Guidance) -> tuple[re.Pattern[str], dict[str, Term]]:
    by_form = {form.lower(): term for term in guidance.glossary for form in term.forms}
    alternatives = "|".join(re.escape(form) for form in sorted(by_form, key=len, reverse=True))
    return re.compile(rf"(?<![\w\-])({alternatives})(?![\w\-])", re.IGNORECASE), by_form


def _wrap(word: str, term: Term) -> str:
    tip = f"ros1-term-{next(_ids)}"
    return (f'<span class="ros1-term" tabindex="0" aria-describedby="{tip}">{word}</span>'
            f'<span class="ros1-term-tip" role="tooltip" id="{tip}"><strong>{esc(term.term)}:</strong> '
            f"{esc(term.definition)}</span>")


def with_terms(guidance: Guidance, html: str) -> str:
    """`html` with the first use of each glossary term (outside links, headings and styles) explained."""
    pattern, by_form = _matcher(guidance)
    seen: set[str] = set()
    out, skipping = [], 0
    for part in _TAG.split(html):
        if part.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            if name and name.group(1).lower() in _SKIP_INSIDE and not part.endswith("/>"):
                skipping += -1 if part.startswith("</") else 1
            out.append(part)
            continue
        if skipping > 0:
            out.append(part)
            continue

        def explain(match: re.Match[str]) -> str:
            term = by_form[match.group(1).lower()]
            if term.id in seen:
                return match.group(0)
            seen.add(term.id)
            return _wrap(match.group(1), term)

        out.append(pattern.sub(explain, part))
    return "".join(out)
