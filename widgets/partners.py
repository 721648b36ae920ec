"""FusionPartnerExplorer: a ROS1 fusion partner's reported frequency, notes and fusion schematic, and a
comparison of partners' frequencies."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w
import traitlets
from markupsafe import Markup

from content import Guidance, load_guidance

from . import sections
from .citations import Citations
from .controls import labelled, resolve_typed
from .render import box
from .style import root, row, show, text
from .terms import with_terms

if TYPE_CHECKING:
    from content.schema import Partner

THIS_PARTNER, COMPARE = "This partner", "Compare partners"


def partner_label(partner: Partner) -> str:
    """The partner's symbol with its aliases: 'GOPC (FIG)'."""
    return f"{partner.symbol} ({', '.join(partner.aliases)})" if partner.aliases else partner.symbol


class FusionPartnerExplorer(w.VBox):
    """Choose a fusion partner (or find it by any name) and see what the course's sources say about it.

    State: `partner` (the symbol shown; set it, or observe it). Controls: `partner_menu` (Dropdown), `find`
    (Text: a name or alias, resolved on Enter), `view` (ToggleButtons: this partner or the comparison).
    Shown: `find_message`, `details`, `schematic`, `comparison` (HTML widgets).
    """

    partner = traitlets.Unicode(help="the symbol of the partner shown")

    def __repr__(self) -> str:
        return f"FusionPartnerExplorer(partner={self.partner!r})"

    def __init__(self, guidance: Guidance | None = None, partner: str | None = None) -> None:
        self.guidance = g = guidance or load_guidance()
        self.partner_menu = labelled(w.Dropdown(options=[(partner_label(p), p.symbol) for p in g.partners],
                                                description="Fusion partner"))
        self.find = labelled(w.Text(description="Find by name or alias",
                                    placeholder="type a name, press Enter", continuous_update=False))
        self.find.add_class("ros1-stack")
        self.find_message = text()
        self.view = labelled(w.ToggleButtons(
            options=[THIS_PARTNER, COMPARE], description="View",
            tooltips=["One partner in detail", "Reported frequencies compared"]))
        self.details = text()
        self.details.add_class("ros1-partner-details")
        self.schematic = text()
        self.comparison = w.HTML()
        self._partner_pane = w.VBox([self.details, self.schematic])
        show(self.comparison, False)
        super().__init__([
            text("<h3>ROS1 fusion partners</h3>"),
            row(self.partner_menu, self.find),
            self.find_message, self.view, self._partner_pane, self.comparison,
        ])
        root(self, "ros1-partner-explorer")
        self.partner = g.partner(partner).symbol if partner else g.partners[0].symbol
        traitlets.link((self, "partner"), (self.partner_menu, "value"))
        self.observe(self._show_partner, "partner")
        self._show_partner()
        self.find.observe(self._find, "value")
        self.view.observe(self._switch_view, "value")

    @property
    def chosen(self) -> Partner:
        """The partner shown."""
        return self.guidance.partner(self.partner)

    def _find(self, _change: object = None) -> None:
        found = resolve_typed(self.find, self.find_message, lambda query: self.guidance.find("partner", query))
        if found is None:
            return
        self.partner = found.entry.symbol
        self.view.value = THIS_PARTNER
        self.find_message.value = box(found.note or f"Showing {found.entry.symbol}.", "message")

    def _switch_view(self, _change: object = None) -> None:
        comparing = self.view.value == COMPARE
        if comparing and not self.comparison.value:
            cite = Citations(self.guidance)
            chart = sections.partner_comparison(cite)
            self.comparison.value = (Markup("<h3>Reported frequency of each partner</h3>") + chart
                                     + Markup("<h4>References</h4>") + cite.references())
        show(self.comparison, comparing)
        show(self._partner_pane, not comparing)

    def _show_partner(self, _change: object = None) -> None:
        cite = Citations(self.guidance)
        details = with_terms(self.guidance, sections.partner_details(cite, self.chosen))  # HTML, safe
        self.details.value = sections.what_if(cite, self.chosen, "you are looking at") + Markup(details)
        picture = sections.fusion_picture(cite, self.chosen)
        self.schematic.value = picture + Markup("<h4>References</h4>") + cite.references()
