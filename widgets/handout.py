"""The printable handout: the case as chosen (fusion partner, first-line therapy progressed on, resistance
mutations found) on one self-contained HTML page that opens offline and prints on A4.

Everything clinical comes from the guidance object; pictures are inline PNG data, the CSS is inline, and the
only links are the sources' plain <a href> links. Every source cited is listed, numbered, under References.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from content import Guidance
from content.guidance import FIRST_LINE, SETTING_NAMES, Found, best_evidence_first
from content.schema import Mutation

from . import pictures
from .markup import (
    Citations,
    activity_badge,
    activity_table,
    bullet_list,
    esc,
    long_date,
    note_box,
    options_table,
    percent,
)
from .panels import disclaimer_html, review_status_html
from .style import CSS, ROOT_CLASS

HANDOUT_CSS = """
body { margin: 0; background: #ffffff; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial,
  sans-serif; }
.ros1-handout { margin: 0 auto; padding: 16px 24px; }
.ros1-handout h1 { font-size: 1.7em; margin: 0.2em 0; }
.ros1-handout h2 { font-size: 1.35em; margin: 1.1em 0 0.3em; border-bottom: 2px solid #1a4f8b; }
.ros1-handout blockquote { margin: 0.5em 0; padding-left: 12px; border-left: 4px solid #6b6b6b; }
.ros1-handout .ros1-meta { font-size: 0.95em; }
@media print {
  @page { size: A4; margin: 15mm; }
  .ros1-handout { font-size: 10.5pt; max-width: none; padding: 0; }
  .ros1-handout h2, .ros1-handout h3, .ros1-handout h4 { break-after: avoid; page-break-after: avoid; }
  .ros1-handout table, .ros1-handout tr, .ros1-handout figure, .ros1-handout .ros1-box {
    break-inside: avoid; page-break-inside: avoid; }
  .ros1-handout thead { display: table-header-group; }
  .ros1-handout img { max-width: 100%; }
}
"""


class _Handout(Citations):
    """Renders the sections, remembering every source cited for the reference list."""

    @property
    def g(self) -> Guidance:
        return self.guidance

    def scenario(self) -> str:
        page = self.g.page
        return f"<h2>The scenario</h2><blockquote>{self.statement(page.scenario, [page.source])}</blockquote>"

    def fusion(self, symbol: str, note: str | None) -> str:
        p, ros1 = self.g.partner(symbol), self.g.ros1
        aliases = f"<p>Also called: {esc(', '.join(p.aliases))}</p>" if p.aliases else ""
        said = note_box(esc(note), "message") if note else ""
        if p.frequency:
            frequency = (f"{percent(p.frequency.percent)} (cohort: {esc(p.frequency.cohort)}) "
                         f"{self.cite(p.frequency.sources)}")
        else:
            frequency = "Not reported in the course's sources."
        notes = [self.statement(n.text, n.sources, n.checked) for n in p.notes]
        picture = pictures.fusion_schematic(p.symbol, p.breakpoint_exon, tuple(ros1.breakpoint_exons))
        return (
            f"<h2>The fusion: {esc(p.symbol)}-ROS1</h2>{said}{aliases}"
            f"<p>Reported as a ROS1 fusion partner {self.cite(p.reported.sources)}</p>"
            f"<p><strong>Reported frequency:</strong> {frequency}</p>"
            f"<h3>What is known</h3>"
            + (bullet_list(notes) if notes else "<p>The course's sources hold no further notes on this partner.</p>")
            + f"<h3>The fusion protein</h3><p>{self.statement(ros1.text, ros1.sources, ros1.checked)}</p>"
            + picture.html(esc(picture.alt))
        )

    def first_line(self) -> str:
        rows = self.g.option_rows(line=FIRST_LINE, setting="UK")
        return "<h2>First-line options in the UK</h2>" + options_table(
            rows, f"Options in the UK, {SETTING_NAMES[FIRST_LINE]}, with their UK status", self.cite)

    def resistance(self, after: str | None, found: Sequence[Found[Mutation]]) -> str:
        g = self.g
        names = tuple(dict.fromkeys(f.entry.name for f in found))
        heading = f"After progression on {esc(after)}" if after else "After progression (therapy not stated)"
        parts = [f"<h2>{heading}</h2>"]
        if not names:
            return parts[0] + note_box("No resistance mutation was chosen for this handout.", "message")
        if len(names) > 1:
            parts.append(note_box(
                f"{len(names)} mutations were chosen. The course has no data on these mutations together "
                "(a compound mutation): each mutation is shown on its own. Do not read the rows as an answer "
                "for the combination.", "warning"))
        if after:
            steps = g.next_steps(after=after, mutation=names)
            all_rows, trials = list(steps.rows), [steps.trials] if steps.trials else []
            parts.append(f"<p>Leaving out {esc(after)}, which the patient progressed on; best evidence of "
                         "activity first. UK status is shown as it stands after a ROS1 inhibitor.</p>")
        else:
            all_rows = sorted(g.activity_rows(*names), key=best_evidence_first)
            trials = g.facts("trials")
            parts.append("<p>The therapy the patient progressed on was not stated: every therapy is shown; "
                         "best evidence of activity first. UK funding depends on the line of treatment, so "
                         "no UK status is shown.</p>")
        parts += [
            note_box(f"<strong>{esc(f.query)} is shown as {esc(f.entry.name)}.</strong> {esc(f.note)} "
                     f"{self.cite(f.note_sources)}", "warning")
            for f in found if f.note
        ]
        for name in names:
            mutation = g.mutation(name)
            region = self.statement(mutation.region.text, mutation.region.sources, mutation.region.checked)
            rows = [row for row in all_rows if row.mutation == name]
            for row in rows:
                self.cited += [*row.sources, *(row.uk.sources if row.uk else ())]
            parts.append(f"<h3>{esc(name)} ({esc(mutation.hgvs_p)})</h3><p>{region}</p>")
            if after:
                parts.append(f"<p>{esc(after)} against {esc(name)}: "
                             f"{activity_badge(g.activity_of(name, after).activity)}</p>")
            caption = f"Therapy activity against {name}" + (f", after {after}" if after else "")
            parts.append(activity_table(g, rows, caption))
        grid = g.activity_rows(*names)
        picture = pictures.activity_heatmap(names, tuple(t.name for t in g.therapies),
                                            tuple((row.activity, row.evidence) for row in grid))
        parts.append(picture.html("At a glance: every therapy against the chosen mutations. The tables above "
                                  "give each row's reason and sources."))
        parts += [f"<p>{self.statement(fact.text, fact.sources, fact.checked)}</p>" for fact in trials]
        return "".join(parts)


def handout_html(guidance: Guidance, partner: str, mutations: Iterable[str], after: str | None,
                 today: dt.date | None = None) -> str:
    """The handout as one self-contained HTML document. `mutations` may be empty (the handout says none was
    chosen) and `after` None (the therapy progressed on was not stated: no therapy is left out). Names may be in
    any accepted spelling (aliases, the seed's misspellings); raises UnknownEntryError, before rendering
    anything, for a name it does not know."""
    g, today = guidance, today or dt.date.today()
    found_partner = g.find("partner", partner)
    found = [g.find("mutation", m) for m in mutations]
    progressed_on = g.therapy(after).name if after is not None else None
    h = _Handout(g, today)
    symbol = found_partner.entry.symbol
    names = list(dict.fromkeys(f.entry.name for f in found))
    sections = {
        "scenario": h.scenario(),
        "fusion": h.fusion(symbol, found_partner.note),
        "first-line": h.first_line(),
        "resistance": h.resistance(progressed_on, found),
        "references": "<h2>Key references</h2>" + h.references_html(),
        "review": "<h2>Review status of the content</h2>" + review_status_html(g, today),
    }
    progressed = f"progressed on {esc(progressed_on)}" if progressed_on else "therapy progressed on not stated"
    chosen = (f"Fusion partner {esc(symbol)}; {progressed}; resistance mutation"
              f"{'s' if len(names) != 1 else ''} found: {esc(', '.join(names)) or 'none chosen'}.")
    meta = (f'<p class="ros1-meta">Generated <time datetime="{today.isoformat()}">{long_date(today)}</time>. '
            f"Content version {esc(g.knowledge.fingerprint)}.</p>")
    body = "".join(f'<section id="{name}">{html}</section>' for name, html in sections.items())
    after_words = f"after {progressed_on}" if progressed_on else "therapy progressed on not stated"
    title = f"ROS1 case handout: {symbol}-ROS1, {after_words}, {', '.join(names) or 'no mutation'}"
    return (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}{HANDOUT_CSS}</style></head>\n"
        f'<body><main class="{ROOT_CLASS} ros1-handout">'
        f'<header id="top"><h1>ROS1-rearranged lung cancer: case handout</h1>{disclaimer_html(g)}'
        f'<p id="choices"><strong>This handout follows the case as chosen:</strong> {chosen}</p>{meta}</header>'
        f'{body}<footer id="bottom">{disclaimer_html(g)}{meta}</footer></main></body></html>\n'
    )
