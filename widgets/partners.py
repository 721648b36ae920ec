"""FusionPartnerExplorer: a ROS1 fusion partner's reported frequency, notes and fusion schematic, and a
comparison of partners' frequencies."""

from __future__ import annotations

import ipywidgets as w

from content import Guidance, load_guidance
from content.schema import Partner

from . import pictures
from .controls import labelled, resolve_typed
from .markup import bullet_list, cite, esc, note_box, percent, reference_list, statement
from .style import root, row, show, style
from .terms import with_terms

THIS_PARTNER, COMPARE = "This partner", "Compare partners"


def partner_label(partner: Partner) -> str:
    """The partner's symbol with its aliases: 'GOPC (FIG)'."""
    return f"{partner.symbol} ({', '.join(partner.aliases)})" if partner.aliases else partner.symbol


class FusionPartnerExplorer(w.VBox):
    """Choose a fusion partner (or find it by any name) and see what the course's sources say about it.

    Controls: `partner` (Dropdown of symbols), `find` (Text: a name or alias, resolved on Enter), `view`
    (ToggleButtons: this partner or the comparison). Shown: `find_message`, `details`, `schematic`,
    `comparison` (HTML widgets).
    """

    def __repr__(self) -> str:
        return f"FusionPartnerExplorer(partner={self.partner.value!r})"

    def __init__(self, guidance: Guidance | None = None, partner: str | None = None) -> None:
        self.guidance = guidance or load_guidance()
        partners = self.guidance.partners
        start = self.guidance.partner(partner).symbol if partner else partners[0].symbol
        self.partner = labelled(w.Dropdown(options=[(partner_label(p), p.symbol) for p in partners],
                                           value=start, description="Fusion partner"))
        self.find = labelled(w.Text(description="Find by name or alias",
                                    placeholder="type a name, press Enter", continuous_update=False))
        self.find_message = w.HTML()
        self.view = labelled(w.ToggleButtons(
            options=[THIS_PARTNER, COMPARE], description="View",
            tooltips=["One partner in detail", "Reported frequencies compared"]))
        self.details = w.HTML()
        self.details.add_class("ros1-partner-details")
        self.schematic = w.HTML()
        self.comparison = w.HTML()
        self._partner_pane = w.VBox([self.details, self.schematic])
        show(self.comparison, False)
        super().__init__([
            style(), w.HTML("<h3>ROS1 fusion partners</h3>"),
            row(self.partner, self.find),
            self.find_message, self.view, self._partner_pane, self.comparison,
        ])
        root(self, "ros1-partner-explorer")
        self.partner.observe(self._show_partner, "value")
        self.find.observe(self._find, "value")
        self.view.observe(self._switch_view, "value")
        self._show_partner()

    @property
    def chosen(self) -> Partner:
        """The partner shown."""
        return self.guidance.partner(self.partner.value)

    def _find(self, _change: object = None) -> None:
        found = resolve_typed(self.find, self.find_message, lambda query: self.guidance.find("partner", query))
        if found is None:
            return
        self.partner.value = found.entry.symbol
        self.view.value = THIS_PARTNER
        said = found.note or f"Showing {found.entry.symbol}."
        self.find_message.value = note_box(esc(said), "message")

    def _switch_view(self, _change: object = None) -> None:
        comparing = self.view.value == COMPARE
        if comparing and not self.comparison.value:
            self.comparison.value = self._comparison_html()
        show(self.comparison, comparing)
        show(self._partner_pane, not comparing)

    def _show_partner(self, _change: object = None) -> None:
        g, p, ros1 = self.guidance, self.chosen, self.guidance.ros1
        aliases = f"<p>Also called: {esc(', '.join(p.aliases))}</p>" if p.aliases else ""
        if p.frequency:
            frequency = (f"{percent(p.frequency.percent)} (cohort: {esc(p.frequency.cohort)}) "
                         f"{cite(g, p.frequency.sources)}")
            frequency_ids = p.frequency.sources
        else:
            frequency, frequency_ids = "Frequency not reported in the course's sources.", []
        notes = [statement(g, n.text, n.sources, n.checked) for n in p.notes]
        known = bullet_list(notes) if notes else (
            "<p>The course's sources hold no further notes on this partner.</p>")
        self.details.value = with_terms(g, (
            f"<h3>{esc(p.symbol)}-ROS1</h3>{aliases}"
            f"<p>Reported as a ROS1 fusion partner {cite(g, p.reported.sources)}</p>"
            f"<p><strong>Reported frequency:</strong> {frequency}</p>"
            f"<h4>What is known</h4>{known}"
        ))
        picture = pictures.fusion_schematic(p.symbol, p.breakpoint_exon, tuple(ros1.breakpoint_exons))
        caption = f"{esc(picture.alt)} {cite(g, ros1.sources)}"
        ids = [*p.reported.sources, *frequency_ids, *(s for n in p.notes for s in n.sources), *ros1.sources]
        self.schematic.value = picture.html(caption) + "<h4>References</h4>" + reference_list(g, ids)

    def _comparison_html(self) -> str:
        g = self.guidance
        with_figure = sorted((p for p in g.partners if p.frequency), key=lambda p: -p.frequency.percent)
        groups = list(dict.fromkeys((p.frequency.cohort, tuple(p.frequency.sources)) for p in with_figure))
        marks = {g_: f" ({chr(ord('a') + i)})" if len(groups) > 1 else "" for i, g_ in enumerate(groups)}
        bars = tuple(
            (p.symbol, p.frequency.percent, marks[(p.frequency.cohort, tuple(p.frequency.sources))])
            for p in with_figure
        )
        missing = tuple(p.symbol for p in g.partners if not p.frequency)
        picture = pictures.frequency_chart(bars, missing)
        cohorts = " ".join(
            f"{marks[group].strip()} Cohort: {esc(group[0])} {cite(g, group[1])}".strip() for group in groups
        )
        caution = " Figures from different cohorts are not directly comparable." if len(groups) > 1 else ""
        missing_words = (f" Not reported in the course's sources (no bar drawn): {esc(', '.join(missing))}."
                         if missing else "")
        caption = f"{cohorts}{caution}{missing_words}"
        sources = [s for group in groups for s in group[1]]
        return ("<h3>Reported frequency of each partner</h3>" + picture.html(caption)
                + "<h4>References</h4>" + reference_list(g, sources))
