"""Glossary terms in widget text: the first use of each term becomes a focusable term whose definition
shows on hover and keyboard focus and is read by screen readers (the WAI tooltip pattern:
`aria-describedby` pointing at the definition). HTML is read with the standard library's parser."""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from markupsafe import Markup

from content import Guidance

if TYPE_CHECKING:
    from content.schema import Term

# Text inside these elements is never explained (links, headings, labels of tables and controls, styles).
_SKIP_INSIDE = {"a", "style", "script", "h1", "h2", "h3", "h4", "caption", "th", "summary", "button", "dt"}
_ids = itertools.count(1)


@lru_cache(maxsize=4)
def _matcher(guidance: Guidance) -> tuple[re.Pattern[str], dict[str, Term]]:
    by_form = {form.lower(): term for term in guidance.glossary for form in term.forms}
    alternatives = "|".join(re.escape(form) for form in sorted(by_form, key=len, reverse=True))
    return re.compile(rf"(?<![\w\-])({alternatives})(?![\w\-])", re.IGNORECASE), by_form


def _wrap(word: str, term: Term) -> str:
    tip = f"ros1-term-{next(_ids)}"
    return Markup('<span class="ros1-term" tabindex="0" aria-describedby="{tip}">{word}</span>'
                  '<span class="ros1-term-tip" role="tooltip" id="{tip}"><strong>{term}:</strong> {definition}</span>'
                  ).format(tip=tip, word=Markup(word), term=term.term, definition=term.definition)


class _Explainer(HTMLParser):
    """Copies HTML through unchanged, except that the first use of each term in text is explained."""

    def __init__(self, guidance: Guidance) -> None:
        super().__init__(convert_charrefs=False)
        self.pattern, self.by_form = _matcher(guidance)
        self.out: list[str] = []
        self.seen: set[str] = set()
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")
        self.skipping += tag in _SKIP_INSIDE

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        self.skipping -= tag in _SKIP_INSIDE and self.skipping > 0

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_data(self, data: str) -> None:
        self.out.append(data if self.skipping else self.pattern.sub(self._explain, data))

    def _explain(self, match: re.Match[str]) -> str:
        term = self.by_form[match.group(1).lower()]
        if term.id in self.seen:
            return match.group(0)
        self.seen.add(term.id)
        return _wrap(match.group(1), term)


def with_terms(guidance: Guidance, html: str) -> str:
    """`html` with the first use of each glossary term (outside links, headings and styles) explained."""
    explainer = _Explainer(guidance)
    explainer.feed(str(html))
    explainer.close()
    return "".join(explainer.out)
