"""ResistanceExplorer: each therapy's activity against one or several resistance mutations, with a
mutation x therapy heatmap beside the table."""

from __future__ import annotations

from collections.abc import Iterable

import ipywidgets as w

from content import Guidance, load_guidance

from . import pictures
from .controls import CheckboxGroup, labelled, resolve_typed
from .markup import ACTIVITY, activity_badge, activity_table, cite, esc, note_box, statement
from .style import root, row, style
from .terms import with_terms

NOT_STATED = ""
UK_STATUS_NEEDS_A_LINE = ("UK funding depends on the line of treatment. Choose the therapy the patient "
                          "progressed on to see each therapy's UK status after a ROS1 inhibitor.")


class ResistanceExplorer(w.VBox):
    """Choose the mutations a re-biopsy found and the therapy the patient progressed on; see every therapy's
    activity against each mutation, in words and symbols, with evidence, UK status, reason and sources.

    Controls: `mutations` (CheckboxGroup; `.value` a tuple of mutation names), `progressed_on` (Dropdown;
    '' when not stated), `find` (Text: add a mutation by any spelling, e.g. the seed's G2023R). Shown:
    `find_message`, `notes` (spelling notes such as the G2023R erratum), `table`, `heatmap` (HTML widgets).
    """

    def __repr__(self) -> str:
        return (f"ResistanceExplorer(mutations={self.mutations.value!r}, "
                f"progressed_on={self.progressed_on.value!r})")

    def __init__(self, guidance: Guidance | None = None, mutations: Iterable[str] = (),
                 progressed_on: str | None = None) -> None:
        self.guidance = g = guidance or load_guidance()
        self._notes: dict[str, tuple[str, str, tuple[str, ...]]] = {}
        start = [self._resolve(name) for name in mutations]
        self.mutations = CheckboxGroup([m.name for m in g.mutations], "Resistance mutations found", start)
        self.progressed_on = labelled(w.Dropdown(
            options=[("Not stated", NOT_STATED), *((t.name, t.name) for t in g.therapies)],
            value=g.therapy(progressed_on).name if progressed_on else NOT_STATED,
            description="Progressed on"))
        self.find = labelled(w.Text(description="Add a mutation by any spelling",
                                    placeholder="e.g. p.Gly2032Arg, press Enter", continuous_update=False))
        self.find_message = w.HTML()
        self.notes = w.HTML()
        self.table = w.HTML(layout=w.Layout(flex="3 1 560px"))
        self.heatmap = w.HTML(self._heatmap_html(), layout=w.Layout(flex="2 1 420px"))
        super().__init__([
            style(), w.HTML("<h3>Resistance mutations and therapy activity</h3>"),
            row(self.mutations, w.VBox([self.progressed_on, self.find, self.find_message])),
            self.notes,
            row(self.table, self.heatmap),
        ])
        root(self, "ros1-resistance-explorer")
        self.mutations.observe(self._update, "value")
        self.progressed_on.observe(self._update, "value")
        self.find.observe(self._find, "value")
        self._update()

    def _resolve(self, name: str) -> str:
        """The mutation's canonical name; remembers the note when `name` is a known misspelling."""
        found = self.guidance.find("mutation", name)
        if found.note:
            self._notes[found.entry.name] = (found.query, found.note, found.note_sources)
        return found.entry.name

    def _find(self, _change: object = None) -> None:
        name = resolve_typed(self.find, self.find_message, self._resolve)
        if name is None:
            return
        self.find_message.value = note_box(f"Showing {esc(name)}.", "message")
        if name in self.mutations.value:
            self._update()
        else:
            self.mutations.value = (*self.mutations.value, name)

    def _update(self, _change: object = None) -> None:
        chosen = self.mutations.value
        self.notes.value = "".join(
            note_box(f"<strong>{esc(query)} is shown as {esc(name)}.</strong> {esc(note)} "
                     f"{cite(self.guidance, sources)}", "warning")
            for name, (query, note, sources) in self._notes.items() if name in chosen
        )
        self.table.value = with_terms(self.guidance, self._table_html(chosen)) if chosen else note_box(
            "Choose at least one mutation to see each therapy's activity against it.", "message")

    def _table_html(self, chosen: tuple[str, ...]) -> str:
        g, after = self.guidance, self.progressed_on.value
        parts = []
        if len(chosen) > 1:
            parts.append(note_box(
                f"You chose {len(chosen)} mutations. The course has no data on these mutations together "
                "(a compound mutation): each mutation is shown on its own. Do not read the rows as an answer "
                "for the combination.", "warning"))
        steps = g.next_steps(after=after, mutation=chosen) if after else None
        if steps:
            parts.append(f"<p>Leaving out {esc(after)}, which the patient progressed on; best evidence of "
                         "activity first. UK status is shown as it stands after a ROS1 inhibitor.</p>")
        else:
            parts.append(note_box(UK_STATUS_NEEDS_A_LINE, "message"))
        for name in chosen:
            mutation = g.mutation(name)
            region = statement(g, mutation.region.text, mutation.region.sources, mutation.region.checked)
            parts.append(f"<h4>{esc(name)} ({esc(mutation.hgvs_p)})</h4><p>{region}</p>")
            if steps:
                own = g.activity_of(name, after)
                parts.append(f"<p>{esc(after)} against {esc(name)}: {activity_badge(own.activity)}</p>")
                rows = [row for row in steps.rows if row.mutation == name]
            else:
                rows = g.activity_rows(name)
            parts.append(activity_table(g, rows, f"Therapy activity against {name}"))
        if steps and steps.trials:
            trials = steps.trials
            parts.append(f"<p>{statement(g, trials.text, trials.sources, trials.checked)}</p>")
        return "".join(parts)

    def _heatmap_html(self) -> str:
        g = self.guidance
        rows = g.activity_rows()
        picture = pictures.activity_heatmap(
            tuple(m.name for m in g.mutations), tuple(t.name for t in g.therapies),
            tuple((row.activity, row.evidence) for row in rows))
        legend = ", ".join(f"{symbol} {word.lower()}" for symbol, word in ACTIVITY.values())
        caption = (f"All mutations at a glance. Key: {legend}; the second line is the kind of evidence. "
                   "The table gives each row's reason and sources.")
        return "<h4>At a glance</h4>" + picture.html(esc(caption))
