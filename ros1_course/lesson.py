"""The lessons' panels: sourced facts, tables and figures rendered from the content by the same section
renderers as the widgets and the handout.

A `Lesson` remembers every source it shows, so its References section lists exactly those. Panels are
IPython HTML displays (stored in the notebook and readable without a kernel); interactive parts are the
widgets. Nothing clinical is written here: every statement comes from the guidance object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from IPython.display import HTML
from markupsafe import Markup

from content import Guidance, load_guidance
from widgets import Quiz, Recorder, sections
from widgets.activity import ActivitySignal
from widgets.citations import Citations
from widgets.pictures import fact_figure
from widgets.reflection import ReflectionBox
from widgets.render import box
from widgets.style import ROOT_CLASS, css

from .navigation import navigation
from .recording import activity_timing, recording_wanted
from .room_access import room_panel

if TYPE_CHECKING:
    from .record import LearningRecord


def html_display(markup: str) -> HTML:
    """IPython's HTML display of `markup`, made without the check IPython makes of whether a text names a file:
    on the static site each check is a round trip to the browser's drive (one for every panel)."""
    shown = HTML()
    shown.data = markup
    return shown


def _in_kernel() -> bool:
    """Whether this code runs in a Jupyter kernel (a lesson), not a plain Python process."""
    from IPython import get_ipython

    return getattr(get_ipython(), "kernel", None) is not None


class Lesson:
    """Panels for lesson `number`, each citing its sources; `references()` lists every source shown.

    `record`: where the lesson's self-check keeps checked attempts; None (the default) means the user's own
    learning record when `recording_wanted` says so (in a Jupyter kernel, unless ROS1_COURSE_RECORD=0),
    False means none. The learner's own record (`own_record`) also keeps their reflections and the page's
    active time."""

    def __init__(self, number: int, guidance: Guidance | None = None,
                 record: Recorder | bool | None = None) -> None:
        self.number = number
        self.guidance = guidance or load_guidance()
        self.cite = Citations(self.guidance)
        if record is None:
            record = recording_wanted(in_kernel=_in_kernel())
        self.own_record: LearningRecord | None = None
        if record is True:
            from .record import LearningRecord  # its file lock: imported only when a record is kept

            record = self.own_record = LearningRecord()
        self.record: Recorder | None = record or None

    def __repr__(self) -> str:
        return f"Lesson({self.number})"

    @staticmethod
    def _panel(html: str) -> HTML:
        return html_display(Markup('<div class="{}">{}</div>').format(ROOT_CLASS, Markup(html)))

    def header(self) -> HTML:
        """The course's style (once for the page), the course navigation, the disclaimer, the content's review
        status and version."""
        g = self.guidance
        version = Markup('<p class="ros1-version">Content version {}: if the content changes, '
                         "<code>make notebooks</code> brings this lesson's outputs up to date.</p>"
                         ).format(g.knowledge.fingerprint)
        return html_display(Markup("<style>{}</style>").format(Markup(css("course.css"))) + self._navigation()
                            + self._panel(sections.disclaimer(self.cite) + sections.review_status(self.cite)
                                          + version).data)

    def navigation(self) -> HTML:
        """The course navigation again, at the end of the lesson: contents, previous and next."""
        return html_display(self._navigation())

    def _navigation(self) -> Markup:
        return navigation(self.guidance, self.guidance.lesson(self.number).file)

    def scenario(self) -> HTML:
        """The seed page's clinical scenario, quoted, with its source."""
        return self._panel(sections.scenario(self.cite))

    def errata(self, *erratum_ids: str) -> HTML:
        """Where the seed page is wrong or dated: what it says, what the course teaches, and the sources."""
        return self._panel(sections.errata(self.cite, *erratum_ids))

    def step(self, step_id: str) -> HTML:
        """One step of the case, with its sources."""
        step = next((s for s in self.guidance.steps if s.id == step_id), None)
        if step is None:
            return self._panel(box(f"The case has no step {step_id}.", "message"))
        return self._panel(sections.step(self.cite, step))

    def topic(self, topic: str, exclude: tuple[str, ...] = ()) -> HTML:
        """Every fact on a topic (except those named), each with its sources."""
        return self._panel(sections.topic_facts(self.cite, topic, *exclude))

    def facts(self, *fact_ids: str) -> HTML:
        """The named facts, each with its sources (a Summary's clinical points are rendered this way)."""
        return self._panel(sections.facts(self.cite, [self.guidance.fact(i) for i in fact_ids]))

    def figure(self, fact_id: str) -> HTML:
        """A fact's figures as a bar chart (with alt text), captioned by the fact and its sources."""
        fact = self.guidance.fact(fact_id)
        if not fact.figures:
            return self._panel(box("This statement reports no figures to draw.", "message"))
        return self._panel(fact_figure(self.guidance, fact_id).html(self.cite.fact(fact)))

    def ros1(self) -> HTML:
        """What every ROS1 fusion keeps of ROS1."""
        return self._panel(sections.fusion_protein(self.cite))

    def therapies(self) -> HTML:
        """Each therapy: class, binding type, headline results, intracranial activity and UK status by setting."""
        return self._panel(sections.therapies(self.cite))

    def options(self, line: str = "first") -> HTML:
        """Therapies as options in one line of treatment in the UK: funded or not in that line, and why."""
        return self._panel(sections.options(self.cite, line))

    def side_effects(self) -> HTML:
        """Each therapy's most common side effects (with frequencies) and what is monitored, with sources."""
        return self._panel(sections.side_effects(self.cite))

    def plain_side_effects(self) -> HTML:
        """Side effects in plain words, beside the clinical statement."""
        return self._panel(sections.plain_side_effects(self.cite))

    def brain(self) -> HTML:
        """Each therapy's activity in the brain, with sources."""
        return self._panel(sections.brain(self.cite))

    def mutations(self) -> HTML:
        """Each resistance mutation: HGVS name, region, frequency and notes, with sources."""
        return self._panel(sections.mutations(self.cite))

    def next_steps(self, after: str, mutation: str) -> HTML:
        """After progression on `after` with `mutation`: the other therapies' activity, their UK status after a
        ROS1 inhibitor, and the trials note."""
        found = [self.guidance.find("mutation", mutation)]
        return self._panel(sections.resistance(self.cite, found, self.guidance.therapy(after).name))

    def plain_language(self) -> HTML:
        """Each fact that has a plain-language version, beside the clinical statement."""
        return self._panel(sections.plain_language(self.cite))

    def quiz(self) -> Quiz:
        """The self-check for this lesson, keeping checked attempts in the lesson's record; with the learner's
        own record, below it their reflection on the lesson and the page's hidden report of active time and
        sections seen (`widgets.activity`); with a room (`ros1-course app --room`), the panel that asks its
        questions of the room."""
        quiz = Quiz(guidance=self.guidance, lesson=self.number, record=self.record)
        for question in quiz.questions:
            self.cite.cited += question.sources
        if self.own_record:
            from .record_format import MAX_REFLECTION_CHARS

            idle, every = activity_timing()
            quiz.children = (*quiz.children, ReflectionBox(self.number, self.own_record, MAX_REFLECTION_CHARS),
                             ActivitySignal(self.number, self.own_record, idle, every))
        ask_the_room = room_panel()
        if ask_the_room and quiz.questions:
            quiz.children = (*quiz.children, ask_the_room(self.guidance, quiz.questions))
        return quiz

    def references(self) -> HTML:
        """Every source this lesson has shown, numbered, in the order first cited."""
        if not self.cite.cited:
            return self._panel(box("This lesson has cited no sources yet: run it from the top.", "message"))
        return self._panel(self.cite.references())

    def glossary(self, *term_ids: str) -> HTML:
        """The named glossary terms as a definition list; each term is the target of the lesson's links
        (`#term-<id>`), and definitions that make a clinical claim show their sources."""
        return self._panel(sections.glossary(self.cite, *term_ids))
