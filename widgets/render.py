"""HTML from the course's Jinja2 templates (`widgets/templates`), autoescaped: text from the content is
escaped where it is placed, never by hand."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from content.vocabulary import WEAK_KINDS

from . import words


@cache
def environment(package: str = "widgets") -> Environment:
    """The environment of a package's `templates` folder, built once per process: autoescape on, undefined
    names are errors, the course's words and formats at hand."""
    env = Environment(loader=PackageLoader(package, "templates"), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(ACTIVITY=words.ACTIVITY, EVIDENCE=words.EVIDENCE, UK_STATUS=words.UK_STATUS,
                       WEAK_KINDS=WEAK_KINDS)
    env.filters.update(percent=words.percent, long_date=words.long_date, plural=words.plural, link_site=words.link_site,
                       duration=words.duration,
                       brief_citation=lambda source: words.brief_citation(source.kind, source.citation))
    return env


def render(template: str, **context: Any) -> Markup:
    """A template of `widgets/templates` rendered with `context`, as safe HTML."""
    return Markup(environment().get_template(template).render(**context).strip())


def box(content: str, kind: str = "note") -> Markup:
    """A bordered box that stands out (kind: 'note', 'message' or 'warning'), announced to screen readers
    ('message' as a status). `content` is text, or safe HTML (Markup)."""
    return render("box.html.j2", content=content, kind=kind)
