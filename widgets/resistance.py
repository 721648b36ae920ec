"""ResistanceExplorer: each therapy's activity against one or several resistance mutations, with a
mutation x therapy heatmap beside the table."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import ipywidgets as w
import traitlets
from markupsafe import Markup

from content import Guidance, load_guidance
from content.guidance import Found

from . import sections
from .citations import Citations
from .controls import CheckboxGroup, labelled, resolve_typed
from .render import box
from .style import column, root, row, text
from .terms import with_terms

if TYPE_CHECKING:
    from content.schema import Mutation

NOT_STATED = ""


class ResistanceExplorer(w.VBox):
    """Choose the mutations a re-biopsy found and the therapy the patient progressed on; see every therapy's
    activity against each mutation, in words and symbols, with evidence, reason, sources and (once the
    therapy progressed on is chosen) the UK status after a ROS1 inhibitor.

    State: `mutations` (tuple of mutation names) and `progressed_on` ('' when not stated); set or observe
    them. Controls: `mutation_boxes` (CheckboxGroup), `progressed_on_menu` (Dropdown), `find` (Text: add a
    mutation by any spelling, e.g. the seed's G2023R). Shown: `find_message`, `table`, `heatmap`.
    """

    mutations = traitlets.Tuple(help="the names of the mutations chosen")
    progressed_on = traitlets.Unicode(NOT_STATED, help="the therapy the patient progressed on, '' if not stated")

    def __repr__(self) -> str:
        return f"ResistanceExplorer(mutations={self.mutations!r}, progressed_on={self.progressed_on!r})"

    def __init__(self, guidance: Guidance | None = None, mutations: Iterable[str] = (),
                 progressed_on: str | None = None) -> None:
        self.guidance = g = guidance or load_guidance()
        self._spellings: dict[str, Found[Mutation]] = {}
        self.mutation_boxes = CheckboxGroup([m.name for m in g.mutations], "Resistance mutations found")
        self.progressed_on_menu = labelled(w.Dropdown(
            options=[("Not stated", NOT_STATED), *((t.name, t.name) for t in g.therapies)],
            description="Progressed on"))
        self.find = labelled(w.Text(description="Add a mutation by any spelling",
                                    placeholder="e.g. p.Gly2032Arg, press Enter", continuous_update=False))
        self.find.add_class("ros1-stack")
        self.find_message = text()
        self.table = w.HTML(layout=w.Layout(flex="3 1 560px"))
        self.heatmap = w.HTML(self._heatmap_html(), layout=w.Layout(flex="2 1 420px"))
        super().__init__([
            text("<h3>Resistance mutations and therapy activity</h3>"),
            row(self.mutation_boxes, column([self.progressed_on_menu, self.find, self.find_message])),
            row(self.table, self.heatmap),
        ])
        root(self, "ros1-resistance-explorer")
        traitlets.link((self, "mutations"), (self.mutation_boxes, "value"))
        traitlets.link((self, "progressed_on"), (self.progressed_on_menu, "value"))
        self.mutations = tuple(self._resolve(name) for name in mutations)
        self.progressed_on = g.therapy(progressed_on).name if progressed_on else NOT_STATED
        self.observe(self._update, ["mutations", "progressed_on"])
        self.find.observe(self._find, "value")
        self._update()

    def _resolve(self, name: str) -> str:
        """The mutation's canonical name; remembers how it was spelled when that needs a note (G2023R)."""
        found: Found[Mutation] = self.guidance.find("mutation", name)
        if found.note:
            self._spellings[found.entry.name] = found
        return found.entry.name

    def _find(self, _change: object = None) -> None:
        name = resolve_typed(self.find, self.find_message, self._resolve)
        if name is None:
            return
        self.find_message.value = box(f"Showing {name}.", "message")
        if name in self.mutations:
            self._update()
        else:
            self.mutations = (*self.mutations, name)

    def _update(self, _change: object = None) -> None:
        if not self.mutations:
            self.table.value = box("Choose at least one mutation to see each therapy's activity against it.",
                                   "message")
            return
        found = [self._spellings.get(name) or self.guidance.find("mutation", name) for name in self.mutations]
        html = sections.resistance(Citations(self.guidance), found, self.progressed_on or None)
        self.table.value = with_terms(self.guidance, html)

    def _heatmap_html(self) -> Markup:
        return Markup("<h4>At a glance</h4>") + sections.activity_picture(Citations(self.guidance), caption=(
            "All mutations at a glance. " + sections.activity_key()))
