"""The printable handout: the case as chosen (fusion partner, first-line therapy progressed on, resistance
mutations found) on one self-contained HTML page that opens offline and prints on A4.

Everything clinical comes from the guidance object; pictures are inline PNG data, the CSS is inline, and the
only links are the sources' plain <a href> links. Every source cited is listed, numbered, under References.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from content import Guidance
from content.guidance import Found
from content.schema import Mutation

from . import pictures
from .markup import activity_badge, activity_table, bullet_list, cite, esc, note_box, percent, reference_list
from .markup import statement as sourced
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


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


class _Handout:
    """Renders the sections, remembering every source cited for the reference list."""

    def __init__(self, guidance: Guidance, today: dt.date) -> None:
        self.g = guidance
        self.today = today
        self.cited: list[str] = []

    def cite(self, sources: Iterable[str]) -> str:
        sources = list(sources)
        self.cited += sources
        return cite(self.g, sources)

    def statement(self, text: str, sources: Iterable[str], checked: dt.date | None = None) -> str:
        sources = list(sources)
        self.cited += sources
        return sourced(self.g, text, sources, checked, self.today)

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
        rows = "".join(
            f'<tr><th scope="row">{esc(o.therapy)}</th><td>{"Yes" if o.funded else "No"}</td>'
            f"<td>{esc(o.status)}</td><td>{self.statement(o.reason, o.sources)}</td></tr>"
            for o in self.g.option_rows(line="first", setting="UK")
        )
        head = "".join(f'<th scope="col">{h}</th>' for h in ("Therapy", "Funded", "UK status", "Why"))
        return ('<h2>First-line options in the UK</h2><table class="ros1-table"><caption>Therapies as first-line '
                f"options, with UK funding status</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody>"
                "</table>")

    def resistance(self, after: str, found: Sequence[Found[Mutation]]) -> str:
        g = self.g
        steps = g.next_steps(after=after, mutation=[f.entry.name for f in found])
        parts = [f"<h2>After progression on {esc(steps.after)}</h2>"]
        if not steps.mutations:
            return parts[0] + note_box("No resistance mutation was chosen for this handout.", "message")
        if len(steps.mutations) > 1:
            parts.append(note_box(
                f"{len(steps.mutations)} mutations were chosen. The course has no data on these mutations together "
                "(a compound mutation): each mutation is shown on its own. Do not read the rows as an answer "
                "for the combination.", "warning"))
        parts.append(f"<p>Leaving out {esc(steps.after)}, which the patient progressed on; best evidence of "
                     "activity first.</p>")
        parts += [
            note_box(f"<strong>{esc(f.query)} is shown as {esc(f.entry.name)}.</strong> {esc(f.note)} "
                     f"{self.cite(f.note_sources)}", "warning")
            for f in found if f.note
        ]
        for name in steps.mutations:
            mutation = g.mutation(name)
            region = self.statement(mutation.region.text, mutation.region.sources, mutation.region.checked)
            own = g.activity_of(name, steps.after)
            rows = [row for row in steps.rows if row.mutation == name]
            for row in rows:
                self.cited += row.sources
            parts += [
                f"<h3>{esc(name)} ({esc(mutation.hgvs_p)})</h3><p>{region}</p>",
                f"<p>{esc(steps.after)} against {esc(name)}: {activity_badge(own.activity)}</p>",
                activity_table(g, rows, f"Therapy activity against {name}, after {steps.after}"),
            ]
        grid = g.activity_rows(*steps.mutations)
        picture = pictures.activity_heatmap(steps.mutations, tuple(t.name for t in g.therapies),
                                            tuple((row.activity, row.evidence) for row in grid))
        parts.append(picture.html("At a glance: every therapy against the chosen mutations. The tables above "
                                  "give each row's reason and sources."))
        if steps.trials:
            trials = steps.trials
            parts.append(f"<p>{self.statement(trials.text, trials.sources, trials.checked)}</p>")
        return "".join(parts)


def handout_html(guidance: Guidance, partner: str, mutations: Iterable[str], after: str,
                 today: dt.date | None = None) -> str:
    """The handout as one self-contained HTML document. Names may be in any accepted spelling (aliases,
    the seed's misspellings); raises UnknownEntryError, before rendering anything, for a name it does not know."""
    g, today = guidance, today or dt.date.today()
    found_partner = g.find("partner", partner)
    found = [g.find("mutation", m) for m in mutations]
    progressed_on = g.therapy(after).name
    h = _Handout(g, today)
    symbol = found_partner.entry.symbol
    names = list(dict.fromkeys(f.entry.name for f in found))
    sections = {
        "scenario": h.scenario(),
        "fusion": h.fusion(symbol, found_partner.note),
        "first-line": h.first_line(),
        "resistance": h.resistance(progressed_on, found),
        "references": "<h2>Key references</h2>" + reference_list(g, h.cited),
        "review": "<h2>Review status of the content</h2>" + review_status_html(g, today),
    }
    chosen = (f"Fusion partner {esc(symbol)}; progressed on {esc(progressed_on)}; resistance mutation"
              f"{'s' if len(names) != 1 else ''} found: {esc(', '.join(names)) or 'none chosen'}.")
    meta = (f'<p class="ros1-meta">Generated <time datetime="{today.isoformat()}">{_long_date(today)}</time>. '
            f"Content version {esc(g.knowledge.fingerprint)}.</p>")
    body = "".join(f'<section id="{name}">{html}</section>' for name, html in sections.items())
    title = f"ROS1 case handout: {symbol}-ROS1, after {progressed_on}, {', '.join(names) or 'no mutation'}"
    return (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}{HANDOUT_CSS}</style></head>\n"
        f'<body><main class="{ROOT_CLASS} ros1-handout">'
        f'<header id="top"><h1>ROS1-rearranged lung cancer: case handout</h1>{disclaimer_html(g)}'
        f'<p id="choices"><strong>This handout follows the case as chosen:</strong> {chosen}</p>{meta}</header>'
        f'{body}<footer id="bottom">{disclaimer_html(g)}{meta}</footer></main></body></html>\n'
    )
