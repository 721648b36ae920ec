"""The course's sections as HTML, one renderer each: the explorers, the lessons' panels and the handout all
call these, so each sentence is written once. Each takes a `Citations` (which cites the sources and
remembers them for a reference list) and returns safe HTML rendered from a template in `widgets/templates`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, get_args

from markupsafe import Markup

from content import Guidance
from content.guidance import AFTER_ROS1_INHIBITOR, SETTING_NAMES, ActivityRow, Found, best_evidence_first, uk_setting
from content.vocabulary import UK_SETTINGS, Topic

from . import pictures
from .citations import Citations
from .render import box, render
from .shared import shared
from .words import ACTIVITY

if TYPE_CHECKING:
    from content.schema import Fact, Mutation, Partner, Step


@shared("disclaimer")
def disclaimer(cite: Citations) -> Markup:
    """The course's disclaimer (education only, not for treatment decisions), in a box that stands out."""
    return render("disclaimer.html.j2", page=cite.guidance.page)


@shared("disclaimer-line")
def disclaimer_line(cite: Citations) -> Markup:
    """The disclaimer in one line, its full text behind a click (presenter mode on a projector)."""
    return render("disclaimer_line.html.j2", page=cite.guidance.page)


def keyboard() -> Markup:
    """How to use the app with the keyboard alone."""
    return render("keyboard.html.j2")


@shared("review-status")
def review_status(cite: Citations) -> Markup:
    """When the seed page and the course were last reviewed and are next due (and whether that is past, on the
    citations' day), what came of the course's review, and how many statements are past their review date or
    rest on sources the course has not verified."""
    g, today = cite.guidance, cite.today or dt.date.today()
    return render("review_status.html.j2", page=g.page, seed_due_past=g.page.next_review_due < today,
                  course_due_past=g.page.course_review.next_review_due < today, overdue=len(g.overdue(today)),
                  unverified=len(g.unverified_sources()), weak=len(g.weak_statements()))


def facts(cite: Citations, chosen: Sequence[Fact]) -> Markup:
    """The facts as a list, each with its sources ('reported' ones say so)."""
    return render("facts.html.j2", items=[cite.fact(fact) for fact in chosen])


@shared("topic")
def topic_facts(cite: Citations, topic: str, *exclude: str) -> Markup:
    """Every fact on one topic (except those named), as `facts` lists them."""
    return facts(cite, [fact for fact in cite.guidance.facts(topic) if fact.id not in exclude])


@shared("sources")
def all_sources(cite: Citations) -> Markup:
    """Every source of the course as a numbered reference list (cited in no statement of its own)."""
    return cite.references([source.id for source in cite.guidance.sources])


def what_if(cite: Citations, partner: Partner, view: str) -> Markup:
    """When a view shows another partner than the case's, a note that says so as a what-if, never as a
    contradiction of the case (`view` says who shows it: "this handout explores"); else nothing."""
    case = cite.guidance.case_partner.symbol
    if partner.symbol == case:
        return Markup("")
    return box(f"What if: the case's fusion is {case}-ROS1; {view} {partner.symbol}-ROS1 instead.",
               "message")


def partner_details(cite: Citations, partner: Partner, note: str | None = None, level: int = 3,
                    title: str | None = None) -> Markup:
    """A fusion partner: how it was named (`note`, for an alias), aliases, reported, frequency with its cohort,
    and what is known, with sources, under a heading of `level`."""
    return render("partner.html.j2", cite=cite, partner=partner, note=note, level=level,
                  title=title or f"{partner.symbol}-ROS1", notes=[cite.sourced(n) for n in partner.notes])


def fusion_picture(cite: Citations, partner: Partner, brief: bool = False, inline: bool = False) -> Markup:
    """The fusion schematic, captioned by its alt text (`brief`: a short caption; the alt text stays on the
    picture) and the source of the ROS1 breakpoints (`inline`: the picture in the HTML, for a document)."""
    picture = pictures.schematic(cite.guidance, partner.symbol)
    caption = f"The {partner.symbol}-ROS1 fusion protein, not to scale." if brief else picture.alt
    return picture.html(Markup("{} {}").format(caption, cite.cite(cite.guidance.ros1.sources)), inline)


def fusion_protein(cite: Citations) -> Markup:
    """What every ROS1 fusion keeps of ROS1, with its sources."""
    return Markup("<p>{}</p>").format(cite.sourced(cite.guidance.ros1))


def partner_comparison(cite: Citations) -> Markup:
    """The partners' reported frequencies as a chart, captioned by each cohort and its sources."""
    g = cite.guidance
    groups = list(dict.fromkeys(pictures.frequency_groups(g).values()))
    missing = [p.symbol for p in g.partners if not p.frequency]
    caption = render("comparison.html.j2", cite=cite, groups=[
        {"mark": group.mark.strip(), "cohort": group.cohort, "sources": group.sources} for group in groups],
        missing=missing)
    return pictures.partner_frequencies(g).html(caption)


@shared("options")
def options(cite: Citations, line: str, caption: str | None = None, brief: bool = False) -> Markup:
    """The licensed ROS1 therapies as options in one line of treatment in the UK, each with its status in
    that line only, funded ones first (`brief`, for paper: the sources cited at the end of each reason, no
    column, and the therapies whose status is not confirmed named in one line under the table, each dated)."""
    setting = uk_setting(line)
    rows = cite.guidance.option_rows(line=setting, setting="UK")
    unconfirmed = [row for row in rows if brief and row.status == "not confirmed"]  # on paper: one line for them
    return render("options_table.html.j2", cite=cite, rows=[row for row in rows if row not in unconfirmed],
                  unconfirmed=unconfirmed, brief=brief,
                  status_heading=f"UK status {SETTING_NAMES[setting]}",
                  caption=caption or f"Options in the UK, {SETTING_NAMES[setting]}: funded ones first")


def resistance(cite: Citations, found: Sequence[Found[Mutation]], after: str | None, level: int = 4,
               brief: bool = False) -> Markup:
    """Each therapy's activity against each mutation found, best evidence first. With `after` (the therapy
    progressed on) that therapy is left out, its own activity is named, and every UK status is the one
    after a ROS1 inhibitor; without it, no UK status is shown (it depends on the line). Spelling notes (the
    seed's G2023R) come first; the note on clinical trials last. `brief` (a printed page) cites each row's sources
    at the end of its reason instead of in a column of their own, and gives the UK statuses once, in a table of
    the options after a ROS1 inhibitor, not again in each mutation's table."""
    g = cite.guidance
    names = tuple(dict.fromkeys(f.entry.name for f in found))
    if after:
        steps = g.next_steps(after=after, mutation=names)
        rows, trials = list(steps.rows), steps.trials
    else:
        rows = sorted(g.activity_rows(*names), key=best_evidence_first)
        trials = g.fact("clinical-trials")
    shown = [dataclasses.replace(row, uk=None) for row in rows] if brief else rows
    tables = {
        name: activity_table(cite, [row for row in shown if row.mutation == name],
                             f"Therapy activity against {name}" + (f", after {after}" if after else ""), brief)
        for name in names
    }
    own = {name: g.activity_of(name, after) for name in names} if after else {}
    statuses = options(cite, AFTER_ROS1_INHIBITOR, brief=True, caption=(
        f"Options in the UK {SETTING_NAMES[AFTER_ROS1_INHIBITOR]}, with their UK status")) if after and brief else ""
    return render("resistance.html.j2", cite=cite, notes=[f for f in found if f.note], after=after,
                  mutations=[g.mutation(name) for name in names], own=own, tables=tables, level=level,
                  trials=cite.fact(trials) if trials else "", statuses=statuses)


def activity_table(cite: Citations, rows: Sequence[ActivityRow], caption: str, brief: bool = False) -> Markup:
    """Rows of therapy activity as an accessible table: activity in words and symbols, evidence, the UK
    status in the rows' setting with its conditions (no column when they carry none), why, and sources (`brief`:
    at the end of the reason, and the therapies with no data named in one line under the table)."""
    settings = {row.uk.setting for row in rows if row.uk}
    if len(settings) > 1:
        raise ValueError(f"one table shows UK status in one setting, not {sorted(settings)}")
    uk = [f"UK status {SETTING_NAMES[next(iter(settings))]}"] if settings else []
    no_data = [row.therapy for row in rows if brief and not row.recorded]  # on paper: one line, not a row each
    return render("activity_table.html.j2", cite=cite, rows=[row for row in rows if row.therapy not in no_data],
                  caption=caption, brief=brief, no_data=no_data,
                  headings=["Therapy", "Activity", "Evidence", *uk, "Why", *([] if brief else ["Sources"])])


def activity_key() -> str:
    """How to read the activity grid."""
    legend = ", ".join(f"{symbol} {word.lower()}" for symbol, word in ACTIVITY.values())
    return f"Key: {legend}; the second line is the kind of evidence. The tables give each row's reason and sources."


def activity_picture(cite: Citations, mutations: tuple[str, ...] = (), caption: str | None = None,
                     inline: bool = False) -> Markup:
    """The mutation x therapy grid (all mutations when none are named), captioned with its key (`inline`: the
    picture in the HTML, for a document)."""
    return pictures.activity_grid(cite.guidance, mutations).html(caption or activity_key(), inline)


@shared("therapies")
def therapies(cite: Citations) -> Markup:
    """Each therapy: class, binding type, headline results, intracranial activity, and its UK status in each
    setting (first line; after a ROS1 inhibitor), each under its own heading."""
    g = cite.guidance
    rows = [{"therapy": t, "cns": [cite.sourced(c) for c in t.cns],
             "results": [Markup("{} <em>Population: {}</em>").format(cite.sourced(r), r.population) for r in t.results],
             "uk": [g.uk_status(t.name, setting) for setting in UK_SETTINGS]} for t in g.therapies]
    headings = ["Therapy", "Class", "Binding", "Headline results", "Brain (CNS)",
                *(f"UK status {SETTING_NAMES[s]}" for s in UK_SETTINGS)]
    return render("therapies_table.html.j2", cite=cite, therapies=rows, headings=headings)


@shared("side-effects")
def side_effects(cite: Citations, therapies: Sequence[str] | None = None, brief: bool = False) -> Markup:
    """The named therapies' (every therapy's when None) most common side effects (with frequencies) and what is
    monitored, with sources (`brief`: the first statement of each only)."""
    g = cite.guidance
    chosen = g.therapies if therapies is None else [g.therapy(name) for name in therapies]
    shown = 1 if brief else None
    rows = [{"name": t.name, "side_effects": [cite.sourced(e) for e in t.side_effects[:shown]],
             "monitoring": [cite.sourced(m) for m in t.monitoring[:shown]]} for t in chosen]
    return render("side_effects.html.j2", therapies=rows)


@shared("brain")
def brain(cite: Citations) -> Markup:
    """Each therapy's activity in the brain (intracranial responses, CNS progression), with sources."""
    rows = [(t.name, [cite.sourced(c) for c in t.cns]) for t in cite.guidance.therapies]
    return render("brain.html.j2", therapies=rows)


def plain_side_effects(cite: Citations) -> Markup:
    """Each side-effect statement that has a plain version, beside the clinical statement."""
    effects = [(t.name, e) for t in cite.guidance.therapies for e in t.side_effects if e.plain]
    return render("plain_side_effects.html.j2", cite=cite, effects=effects)


def mutations(cite: Citations) -> Markup:
    """Each resistance mutation: HGVS name, region, frequency and notes, with sources."""
    return render("mutations_table.html.j2", cite=cite, mutations=cite.guidance.mutations)


def errata(cite: Citations, *erratum_ids: str) -> Markup:
    """Where the seed page is wrong or dated: what it says, what the course teaches, and the sources."""
    chosen = [e for e in cite.guidance.page.errata if not erratum_ids or e.id in erratum_ids]
    return render("errata.html.j2", cite=cite, errata=chosen)


def scenario(cite: Citations) -> Markup:
    """The seed page's clinical scenario, quoted, with its source."""
    page = cite.guidance.page
    return Markup("<blockquote>{} {}</blockquote>").format(page.scenario, cite.cite([page.source]))


def step(cite: Citations, shown: Step, choices: Sequence[tuple[str, str | None]] = (), level: int = 3) -> Markup:
    """One step of the case with its sources, the choices made so far and the facts it teaches."""
    g = cite.guidance
    known = {fact.id for fact in g.facts()}
    key_facts = [cite.sourced(g.fact(name)) for name in shown.teaches if name in known]
    return render("step.html.j2", cite=cite, step=shown, choices=choices, key_facts=key_facts, level=level)


def glossary(cite: Citations, *term_ids: str) -> Markup:
    """Glossary terms as a definition list (targets `#term-<id>`); definitions with claims show sources."""
    return Markup('<dl class="ros1-glossary">{}</dl>').format(Markup("").join(term(cite, i) for i in term_ids))


@shared("term")
def term(cite: Citations, term_id: str) -> Markup:
    """One glossary term and its definition, for a definition list."""
    return render("term.html.j2", cite=cite, term=cite.guidance.term(term_id))


def shared_catalogue(g: Guidance) -> list[tuple[Callable[..., Markup], tuple[str, ...]]]:
    """The shared sections the app and the lessons show, with their arguments: what `ros1-course app`
    renders once before any visitor arrives."""
    return [(disclaimer, ()), (disclaimer_line, ()), (review_status, ()), (all_sources, ()), (therapies, ()),
            (side_effects, ()), (brain, ()), *((options, (line,)) for line in ("first", "later")),
            *((topic_facts, (topic,)) for topic in get_args(Topic)), *((term, (t.id,)) for t in g.glossary)]


def plain_language(cite: Citations) -> Markup:
    """Each fact that has a plain-language version, beside the clinical statement."""
    return render("plain_language.html.j2", cite=cite, facts=[f for f in cite.guidance.facts() if f.plain])


def uk_status(cite: Citations, therapy: str, line: str) -> Markup:
    """A therapy's UK status in one setting, with the setting named: 'crizotinib in the UK, first line (...):
    Funded for routine use (NICE TA1021). ...'."""
    record = cite.guidance.uk_status(therapy, line)
    return Markup("<p>{} in the UK, {}: {}</p>").format(
        therapy, SETTING_NAMES[record.setting], render("uk_status.html.j2", cite=cite, uk=record))
