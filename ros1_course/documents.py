"""The course's documents, each one self-contained HTML file from a Jinja2 template (`templates/`, autoescaped):
the printable handout of the case as chosen, and the summary of a learning record.

Everything clinical comes from the guidance object through the same section renderers the widgets and
lessons use; pictures are inline PNG data and the CSS is inline, so a document opens offline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from content import Guidance
from content.guidance import FIRST_LINE, SETTING_NAMES
from widgets import sections
from widgets.citations import Citations
from widgets.render import environment
from widgets.style import css
from widgets.words import duration, utc_time

from .record_format import completed_lessons, lesson_summaries

if TYPE_CHECKING:
    from content.schema import Therapy

    from .record_format import RecordContents

COURSE_NAME = "ROS1-rearranged lung cancer: an interactive course"


@cache
def document_css(name: str) -> str:
    """A document's own style sheet from `ros1_course/static`."""
    return files("ros1_course").joinpath("static", name).read_text(encoding="utf-8")


def handout_html(guidance: Guidance, partner: str, mutations: Iterable[str], after: str | None,
                 today: dt.date | None = None) -> str:
    """The handout as one self-contained HTML document. `mutations` may be empty (the handout says none was
    chosen) and `after` None (the therapy progressed on was not stated: no therapy is left out, and no UK
    status is shown, since it depends on the line). Names may be in any accepted spelling (aliases, the seed's
    misspellings); raises UnknownEntryError, before rendering anything, for a name it does not know."""
    g, today = guidance, today or dt.date.today()
    found_partner = g.find("partner", partner)
    found = [g.find("mutation", m) for m in mutations]
    progressed_on = g.therapy(after).name if after is not None else None
    names = list(dict.fromkeys(f.entry.name for f in found))
    symbol = found_partner.entry.symbol
    what_if = what_if_words(g, symbol)
    cite = Citations(g, today)
    parts = {
        "scenario": sections.scenario(cite),
        "what_if": sections.what_if(cite, found_partner.entry, "this handout explores"),
        "fusion": sections.partner_details(cite, found_partner.entry, found_partner.note, level=2,
                                           title=f"What if the fusion were {symbol}-ROS1" if what_if
                                           else f"The fusion: {symbol}-ROS1"),
        "fusion_protein": sections.fusion_protein(cite),
        "fusion_picture": sections.fusion_picture(cite, found_partner.entry, brief=True, inline=True),
        "first_line": sections.options(cite, FIRST_LINE, caption=(
            f"Options in the UK, {SETTING_NAMES[FIRST_LINE]}, with their UK status"), brief=True),
        "resistance": sections.resistance(cite, found, progressed_on, level=3, brief=True) if names else "",
        "side_effects": sections.side_effects(cite, [t.name for t in case_therapies(g, names, progressed_on)],
                                              brief=True),
        # the grid only where it adds to the tables: several mutations side by side
        "grid": sections.activity_picture(cite, tuple(names), caption=(
            "At a glance: every therapy against the chosen mutations. " + sections.activity_key()), inline=True)
        if len(names) > 1 else "",
    }
    after_words = f"after {progressed_on}" if progressed_on else "therapy progressed on not stated"
    return environment("ros1_course").get_template("handout.html.j2").render(
        what_if_words=what_if,
        title=(f"ROS1 case handout: {symbol}-ROS1{what_if}, {after_words}, "
               f"{', '.join(names) or 'no mutation'}"),
        css=css("course.css") + document_css("handout.css"), today=today, fingerprint=g.knowledge.fingerprint,
        partner=symbol, after=progressed_on, mutations=names, disclaimer=sections.disclaimer(cite),
        disclaimer_text=g.page.disclaimer,
        references=cite.references(brief=True), review=sections.review_status(cite), **parts,
    ) + "\n"


def what_if_words(guidance: Guidance, symbol: str) -> str:
    """' (a what-if: the case's fusion is CD74-ROS1)' when `symbol` is not the case's partner, else ''."""
    case = guidance.case_partner.symbol
    return "" if symbol == case else f" (a what-if: the case's fusion is {case}-ROS1)"


def review_html(guidance: Guidance, today: dt.date | None = None) -> str:
    """The reviewer's report: every clinical statement (facts, activity calls, UK statuses, results, quiz keys,
    glossary claims, case steps, errata) with its sources, their kinds and verified flags, and its checked
    date, grouped by file, with the counts at the top."""
    g, today = guidance, today or dt.date.today()
    sources = {source.id: source for source in g.sources}
    weak = {(w.file, w.field): w.why for w in g.weak_statements()}
    overdue = {(o.file, o.field) for o in g.overdue(today)}
    items: list[dict[str, object]] = [
        {"file": i.file, "field": i.field, "line": i.line, "says": i.says, "checked": i.checked,
         "sources": [sources[s] for s in i.sources], "weak": weak.get((i.file, i.field), ""),
         "overdue": (i.file, i.field) in overdue}
        for i in g.review_items()
    ]
    groups: dict[str, list[dict[str, object]]] = {}
    for item in items:
        groups.setdefault(str(item["file"]), []).append(item)
    return environment("ros1_course").get_template("review.html.j2").render(
        title=f"Reviewer's report: {COURSE_NAME}", css=document_css("record.css"), course=COURSE_NAME,
        today=today, fingerprint=g.knowledge.fingerprint, page=g.page, items=items, groups=list(groups.items()),
        unchecked=sum(item["checked"] is None for item in items), weak=len(weak), overdue=len(overdue),
        sources=g.sources,
    ) + "\n"


def case_therapies(guidance: Guidance, mutations: Iterable[str], after: str | None) -> list[Therapy]:
    """The licensed therapies of the case as chosen: the one progressed on (when not stated, those funded
    first-line in the UK), and those active against a mutation found."""
    names = list(mutations)
    active = {row.therapy for row in guidance.activity_rows(*names) if row.activity == "active"} if names else set()
    first_line = {t.name for t in guidance.therapies if after is None and guidance.uk_status(t.name, FIRST_LINE).funded}
    return [t for t in guidance.therapies if not t.investigational and t.name in {after, *active, *first_line}]


def lesson_title(guidance: Guidance, number: int) -> str:
    """A lesson's title as the course's contents name it (`Lesson N` when the content has no such lesson)."""
    return next((lesson.title for lesson in guidance.lessons if lesson.number == number), f"Lesson {number}")


def record_summary_html(contents: RecordContents, guidance: Guidance, today: dt.date | None = None) -> str:
    """A dated, print-ready HTML page of the record: per lesson the self-check, the active time, the sections
    seen and whether it is completed; the learner's reflections (their words, escaped); then every attempt."""
    today = today or dt.date.today()
    prompts = {question.id: question.prompt for question in guidance.questions()}
    summaries = lesson_summaries(contents, guidance)
    attempts = [
        (a.when, a.lesson, prompts.get(a.question, f"{a.question} (no longer in the course)"),
         "; ".join(a.answer), "Correct" if a.correct else "Not correct")
        for a in contents.attempts
    ]
    lessons = [(lesson_title(guidance, s.progress.lesson), s.progress.questions, s.progress.attempted,
                s.progress.correct, duration(s.visit.seconds if s.visit else None),
                f"{len(s.visit.seen)} of {len(s.visit.sections)}" if s.visit else "not recorded",
                utc_time(s.completed.when) if s.completed else "not yet") for s in summaries]
    reflections = [(lesson_title(guidance, r.lesson), r) for r in contents.reflections]
    return environment("ros1_course").get_template("record.html.j2").render(
        title=f"Learning record: {COURSE_NAME}", css=document_css("record.css"), course=COURSE_NAME, today=today,
        fingerprint=guidance.knowledge.fingerprint, disclaimer=guidance.page.disclaimer, attempts=attempts,
        lessons=lessons, reflections=reflections, utc=utc_time,
        correct=sum(s.progress.correct for s in summaries), questions=sum(s.progress.questions for s in summaries),
        seconds=sum(s.visit.seconds for s in summaries if s.visit),
    ) + "\n"


def certificate_html(contents: RecordContents, guidance: Guidance, name: str,
                     today: dt.date | None = None) -> str:
    """One A4 page for a portfolio: the learner's name as typed, the lessons completed with when, the active time
    and the score, the total time, the content's version and review status, and the disclaimer."""
    today = today or dt.date.today()
    completed = completed_lessons(contents, guidance)
    rows = [{"title": lesson_title(guidance, done.lesson), "when": utc_time(done.when), "time": duration(done.seconds),
             "correct": done.correct, "questions": done.questions} for done in completed]
    timed = [done.seconds for done in completed if done.seconds is not None]
    review = guidance.page.course_review
    return environment("ros1_course").get_template("certificate.html.j2").render(
        title=f"Certificate: {COURSE_NAME}", css=document_css("certificate.css"), course=COURSE_NAME, name=name,
        completed=rows, lessons=len({q.lesson for q in guidance.questions()}), today=today,
        correct=sum(done.correct for done in completed), questions=sum(done.questions for done in completed),
        seconds=sum(timed), untimed=len(completed) - len(timed),
        fingerprint=guidance.knowledge.fingerprint, review=review, review_past=review.next_review_due < today,
        seed=f"{guidance.page.title} ({guidance.page.publisher})", disclaimer=guidance.page.disclaimer,
    ) + "\n"
