"""PresenterApp: the whole case for a room, in tabbed sections, with the disclaimer always on screen, the
review status and every source one click away, a presenter mode for a projector, and (when given a handout
maker) a printable handout of the case as chosen in the explorers."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w
import traitlets
from markupsafe import Markup

from content import Guidance, load_guidance
from content.guidance import QuizQuestion

from . import panels, sections
from .case import CaseStepper
from .citations import Citations
from .partners import FusionPartnerExplorer
from .quiz import Quiz, Recorder
from .render import box
from .resistance import NOT_STATED, ResistanceExplorer
from .style import column, root, row, style, text

HANDOUT_FILE = "ros1-handout.html"
# Writes the handout for (guidance, partner, mutations, therapy progressed on or None) as one HTML document.
HandoutMaker = Callable[[Guidance, str, Sequence[str], str | None], str]
# Makes a panel that asks these self-check questions of a room (the application's "Ask the room").
RoomPanel = Callable[[Guidance, Sequence[QuizQuestion]], w.Widget]


class PresenterApp(w.VBox):
    """The case in six sections. Only the first section is built at once; each other is built the first
    time its tab is opened. The explorers' choices are the app's own state (`partner`, `mutations`,
    `progressed_on`), kept in step with the explorers once they are built; the handout follows them.

    Controls: `navigation` (Tab), `presenter` (ToggleButton), `prepare` (Button, with a handout maker), and
    the section menu presenter mode shows in place of the tabs: `section_menu` (Dropdown), `previous_section`
    and `next_section` (Buttons). Shown: `handout_link` (HTML). `section(title)` is a section's box, built on
    demand.
    """

    partner = traitlets.Unicode(help="the fusion partner chosen in the partner explorer")
    mutations = traitlets.Tuple(help="the mutations chosen in the resistance explorer")
    progressed_on = traitlets.Unicode(NOT_STATED, help="the therapy progressed on, '' if not stated")

    def __init__(self, guidance: Guidance | None = None, handout: HandoutMaker | None = None,
                 record: Recorder | None = None, course_links: str = "", room: RoomPanel | None = None) -> None:
        """`course_links`: HTML of the links to the rest of the course, shown above the app (below it in
        presenter mode, where the screen belongs to the case). `room`: what makes the Self-check section's
        panel for asking the room (the application gives one when the server has a room)."""
        self.guidance = g = guidance or load_guidance()
        self.record = record
        self.make_handout = handout
        self.partner = g.partners[0].symbol
        self._builders: dict[str, Callable[[], list[w.Widget]]] = {
            "The patient and the result": lambda: [CaseStepper(g)],
            "The fusion": self._fusion,
            "Who gets it": lambda: [self._facts("Who has a ROS1 fusion", "patients"),
                                    self._facts("The brain", "brain"),
                                    self._section("The drugs in the brain", sections.brain(Citations(g)))],
            "First-line treatment": lambda: [self._facts("Treatment", "treatment"),
                                             self._options("Options in the UK, first line", "first"),
                                             self._section("Side effects and what is monitored",
                                                           sections.side_effects(Citations(g)))],
            "Progression and resistance": self._progression,
            "Self-check": lambda: [Quiz(g, record=record), *([room(g, g.questions())] if room else [])],
        }
        self._built: dict[str, w.VBox] = {}
        self.navigation = w.Tab(children=[column() for _ in self._builders], titles=list(self._builders))
        self.navigation.observe(self._open_tab, "selected_index")
        self.section_menu = w.Dropdown(options=list(self._builders), description="Section",
                                       layout=w.Layout(width="auto"))
        traitlets.link((self.navigation, "selected_index"), (self.section_menu, "index"))
        self.previous_section = w.Button(description="Previous section", icon="arrow-left",
                                         layout=w.Layout(width="auto"))
        self.next_section = w.Button(description="Next section", icon="arrow-right", layout=w.Layout(width="auto"))
        self.previous_section.on_click(lambda _button: self._move(-1))
        self.next_section.on_click(lambda _button: self._move(+1))
        self.presenter = w.ToggleButton(value=False, description="Presenter mode", icon="expand",
                                        tooltip="Larger text and controls for a projector",
                                        layout=w.Layout(width="auto"))
        self.presenter.observe(self._set_presenter, "value")
        self.handout_link = text()
        self.prepare = w.Button(description="Prepare handout", layout=w.Layout(width="auto"),
                                tooltip="One printable HTML file of the case as chosen in the explorers")
        self.prepare.on_click(self._prepare_handout)
        self.observe(self._choices_changed, ["partner", "mutations", "progressed_on"])
        cite = Citations(g)
        about = column([
            self._disclosure("Review status of the content", sections.review_status(cite), "ros1-review-status"),
            self._disclosure("Sources", sections.all_sources(cite), "ros1-references"),
            self._disclosure("Keyboard", sections.keyboard(), "ros1-keyboard"),
        ])
        links = [panels.panel(Markup(course_links), "course-links")] if course_links else []
        super().__init__([
            style("course.css", "presenter.css"),
            *links,
            row(text("<h1>ROS1-rearranged lung cancer: a case</h1>"), self.presenter).add_class("ros1-app-bar"),
            panels.disclaimer(g).add_class("ros1-disclaimer-full"),
            panels.panel(sections.disclaimer_line(cite), "disclaimer-line"),
            row(self.section_menu, self.previous_section, self.next_section).add_class("ros1-section-menu"),
            self.navigation,
            *([self._handout_bar()] if handout else []),
            about,
        ])
        root(self, "ros1-app")
        self._open_tab()

    def __repr__(self) -> str:
        return f"PresenterApp(sections={list(self._builders)!r})"

    def section(self, title: str) -> w.VBox:
        """The section with this tab title, built the first time it is asked for."""
        if title not in self._built:
            box_ = self.navigation.children[list(self._builders).index(title)]
            box_.children = (text(Markup("<h2>{}</h2>").format(title)), *self._builders[title]())
            box_.add_class("ros1-section")
            self._built[title] = box_
        return self._built[title]

    def _open_tab(self, _change: object = None) -> None:
        self.section(list(self._builders)[self.navigation.selected_index or 0])

    def _move(self, step: int) -> None:
        """Open the section `step` places on from the current one (the section menu's buttons; at either end
        they stay where they are, and keep the keyboard's focus)."""
        index = (self.navigation.selected_index or 0) + step
        if 0 <= index < len(self._builders):
            self.navigation.selected_index = index

    def _facts(self, heading: str, topic: str) -> w.VBox:
        return column([text(Markup("<h3>{}</h3>").format(heading)), panels.facts(topic, self.guidance)])

    def _options(self, heading: str, line: str) -> w.VBox:
        return column([text(Markup("<h3>{}</h3>").format(heading)), panels.options(line, self.guidance)])

    @staticmethod
    def _section(heading: str, html: Markup) -> w.VBox:
        return column([text(Markup("<h3>{}</h3>").format(heading)), panels.panel(html, "section")])

    def _fusion(self) -> list[w.Widget]:
        explorer = FusionPartnerExplorer(self.guidance, partner=self.partner)
        traitlets.link((self, "partner"), (explorer, "partner"))
        return [self._facts("The ROS1 gene", "gene"), self._facts("ROS1 fusions", "fusions"), explorer,
                self._facts("How the fusion is found", "testing")]

    def _progression(self) -> list[w.Widget]:
        explorer = ResistanceExplorer(self.guidance, mutations=self.mutations, progressed_on=self.progressed_on)
        traitlets.link((self, "mutations"), (explorer, "mutations"))
        traitlets.link((self, "progressed_on"), (explorer, "progressed_on"))
        return [self._facts("Resistance", "resistance"), explorer,
                self._options("Options in the UK after a ROS1 inhibitor", "later"),
                self._facts("After progression in the NHS", "after-progression"),
                self._facts("New drugs and clinical trials", "trials")]

    @staticmethod
    def _disclosure(summary: str, html: str, name: str) -> w.HTML:
        """Content behind a native disclosure (<details>): opens with a click, Enter or Space."""
        opener = text(Markup("<details><summary>{}</summary>{}</details>").format(summary, Markup(html)))
        root(opener, "ros1-about", name)
        return opener

    def _set_presenter(self, change: dict[str, Any]) -> None:
        (self.add_class if change["new"] else self.remove_class)("ros1-presenter")

    def _handout_bar(self) -> w.VBox:
        return column([
            text("<h2>Handout</h2><p>A printable page of the case as chosen: the fusion partner under "
                   "<em>The fusion</em>, the mutations and the therapy progressed on under <em>Progression and "
                   "resistance</em>.</p>"),
            row(self.prepare, self.handout_link).add_class("ros1-handout-bar"),
        ])

    def choices_text(self) -> str:
        """The current choices in words: what a handout prepared now follows."""
        return (f"fusion partner {self.partner}; resistance mutations: {', '.join(self.mutations) or 'none chosen'}; "
                f"progressed on: {self.progressed_on or 'not stated'}")

    def _prepare_handout(self, _button: object = None) -> None:
        """Write the handout for the current choices and offer it as a download. The page travels inside the
        link (a data: URL), so the download works offline and the server keeps no file."""
        if self.make_handout is None:
            return
        self.handout_link.value = box("Preparing the handout…", "message")
        html = self.make_handout(self.guidance, self.partner, self.mutations, self.progressed_on or None)
        data = base64.b64encode(html.encode("utf-8")).decode("ascii")
        link = Markup('<a download="{}" href="data:text/html;charset=utf-8;base64,{}">Download handout (HTML)</a>'
                      ).format(HANDOUT_FILE, data)
        self.handout_link.value = box(Markup("Handout ready for {}. {}").format(self.choices_text(), link), "message")

    def _choices_changed(self, _change: object = None) -> None:
        """A handout prepared before no longer matches the choices: say so instead of offering it."""
        if self.handout_link.value:
            self.handout_link.value = box("The choices have changed: prepare the handout again.", "message")
