"""The lessons' static panels: sourced facts, tables and figures, rendered from the content.

A `Lesson` remembers every source it shows, so its References section lists exactly those. Panels are
IPython HTML displays (stored in the notebook and readable without a kernel); interactive parts are the
widgets. Nothing clinical is written here: every statement comes from the guidance object.
"""

from __future__ import annotations

from collections.abc import Iterable

from IPython.display import HTML

from content import Guidance, load_guidance
from content.guidance import SETTING_NAMES, uk_setting
from content.schema import UK_SETTINGS, UkStatus

from .markup import Citations, activity_table, bullet_list, esc, note_box, options_table, uk_status_html
from .panels import disclaimer_html, review_status_html
from .pictures import figure_bars
from .quiz import Quiz
from .style import CSS, ROOT_CLASS


class Lesson(Citations):
    """Panels for lesson `number`, each citing its sources; `references()` lists every source shown."""

    def __init__(self, number: int, guidance: Guidance | None = None) -> None:
        super().__init__(guidance or load_guidance())
        self.number = number

    def __repr__(self) -> str:
        return f"Lesson({self.number})"

    # --- shared rendering -----------------------------------------------------------------------
    def _panel(self, html: str) -> HTML:
        return HTML(f'<div class="{ROOT_CLASS}">{html}</div>')

    # --- panels ---------------------------------------------------------------------------------
    def header(self) -> HTML:
        """The course's style, the disclaimer, the content's review status and the content version."""
        g = self.guidance
        version = (f'<p class="ros1-version">Content version {esc(g.knowledge.fingerprint)}: '
                   "if the content changes, <code>make notebooks</code> brings this lesson's outputs up to date.</p>")
        return HTML(f'<style>{CSS}</style><div class="{ROOT_CLASS}">{disclaimer_html(g)}'
                    f"{review_status_html(g)}{version}</div>")

    def scenario(self) -> HTML:
        """The seed page's clinical scenario, quoted, with its source."""
        page = self.guidance.page
        return self._panel(f"<blockquote>{self.statement(page.scenario, [page.source])}</blockquote>")

    def errata(self, *erratum_ids: str) -> HTML:
        """Where the seed page is wrong or dated: what it says, what the course teaches, and the sources."""
        chosen = [e for e in self.guidance.page.errata if not erratum_ids or e.id in erratum_ids]
        items = [
            f"<p><strong>The page says:</strong> {esc(e.seed_says)}</p>"
            f"<p><strong>The course teaches:</strong> {esc(e.course_says)} {self.cite(e.sources)}</p>"
            for e in chosen
        ]
        return self._panel("".join(note_box(item, "warning") for item in items))

    def step(self, step_id: str) -> HTML:
        """One step of the case, with its sources."""
        step = next((s for s in self.guidance.steps if s.id == step_id), None)
        if step is None:
            return self._panel(note_box(f"The case has no step {esc(step_id)}.", "message"))
        return self._panel(f"<h3>{esc(step.title)}</h3><p>{self.statement(step.text, step.sources)}</p>")

    def topic(self, topic: str, exclude: Iterable[str] = ()) -> HTML:
        """Every fact on a topic (except those named), each with its sources."""
        skip = set(exclude)
        return self._panel(bullet_list([self.fact(f) for f in self.guidance.facts(topic) if f.id not in skip]))

    def facts(self, *fact_ids: str) -> HTML:
        """The named facts, each with its sources."""
        return self._panel(bullet_list([self.fact(self.guidance.fact(i)) for i in fact_ids]))

    def figure(self, fact_id: str) -> HTML:
        """A fact's figures as a bar chart (with alt text), captioned by the fact and its sources."""
        fact = self.guidance.fact(fact_id)
        bars = tuple(
            (f"{f.label} (n={f.of:,})" if f.of else f.label, f.value, f.unit) for f in fact.figures
        )
        if not bars:
            return self._panel(note_box("This statement reports no figures to draw.", "message"))
        return self._panel(figure_bars("", bars).html(self.fact(fact)))

    def ros1(self) -> HTML:
        """What every ROS1 fusion keeps of ROS1."""
        gene = self.guidance.ros1
        return self._panel(f"<p>{self.statement(gene.text, gene.sources, gene.checked)}</p>")

    def therapies(self) -> HTML:
        """Each therapy: class, binding type, headline results, intracranial activity and UK status."""
        rows = []
        for t in self.guidance.therapies:
            binding = self.statement(t.binding.text, t.binding.sources) if t.binding else "Not stated"
            results = bullet_list([self.statement(r.text, r.sources, r.checked) for r in t.results]) or "None"
            cns = self.statement(t.cns.text, t.cns.sources, t.cns.checked) if t.cns else "No data"
            uk = "".join(f"<td>{self._uk_status(self.guidance.uk_status(t.name, s))}</td>" for s in UK_SETTINGS)
            kind = esc(t.drug_class) + (" <em>(investigational)</em>" if t.investigational else "")
            rows.append(f'<tr><th scope="row">{esc(t.name)}</th><td>{kind}</td><td>{binding}</td>'
                        f"<td>{results}</td><td>{cns}</td>{uk}</tr>")
        uk_heads = tuple(f"UK status {SETTING_NAMES[s]}" for s in UK_SETTINGS)
        head = "".join(f'<th scope="col">{esc(h)}</th>' for h in
                       ("Therapy", "Class", "Binding", "Headline results", "Brain (CNS)", *uk_heads))
        return self._panel(f'<table class="ros1-table"><caption>ROS1 therapies in the course</caption>'
                           f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")

    def _uk_status(self, uk: UkStatus) -> str:
        self.cited += uk.sources
        return uk_status_html(self.guidance, uk)

    def options(self, line: str = "first") -> HTML:
        """Therapies as options in a line of treatment in the UK: funded or not, and why."""
        rows = self.guidance.option_rows(line=line, setting="UK")
        caption = f"Options in the UK, {SETTING_NAMES[uk_setting(line)]}"
        return self._panel(options_table(rows, caption, self.cite))

    def mutations(self) -> HTML:
        """Each resistance mutation: HGVS name, region, frequency and notes, with sources."""
        rows = []
        for m in self.guidance.mutations:
            region = self.statement(m.region.text, m.region.sources, m.region.checked)
            frequency = "<br>".join(self.statement(f.text, f.sources, f.checked) for f in m.frequency)
            notes = "<br>".join(self.statement(n.text, n.sources, n.checked) for n in m.notes)
            rows.append(f'<tr><th scope="row">{esc(m.name)}</th><td>{esc(m.hgvs_p)}</td><td>{region}</td>'
                        f"<td>{frequency or 'Not reported'}</td><td>{notes}</td></tr>")
        head = "".join(f'<th scope="col">{h}</th>' for h in ("Mutation", "HGVS", "Where", "How often", "Notes"))
        return self._panel(f'<table class="ros1-table"><caption>ROS1 resistance mutations</caption>'
                           f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")

    def next_steps(self, after: str, mutation: str) -> HTML:
        """After progression on `after` with `mutation`: the other therapies' activity and the trials note."""
        steps = self.guidance.next_steps(after=after, mutation=mutation)
        for row in steps.rows:
            self.cited += [*row.sources, *(row.uk.sources if row.uk else ())]
        caption = f"After progression on {steps.after}, with {', '.join(steps.mutations)}"
        table = activity_table(self.guidance, steps.rows, caption)
        trials = f"<p>{self.fact(steps.trials)}</p>" if steps.trials else ""
        return self._panel(table + trials)

    def plain_language(self) -> HTML:
        """Each fact that has a plain-language version, beside the clinical statement."""
        rows = "".join(
            f"<tr><td>{self.fact(f)}</td><td>{esc(f.plain)}</td></tr>"
            for f in self.guidance.facts() if f.plain
        )
        head = '<th scope="col">What the clinician reads</th><th scope="col">What you might say</th>'
        return self._panel(f'<table class="ros1-table"><caption>Clinical statements in plain language</caption>'
                           f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")

    def quiz(self) -> Quiz:
        """The self-check for this lesson."""
        quiz = Quiz(guidance=self.guidance, lesson=self.number)
        for question in quiz.questions:
            self.cited += question.sources
        return quiz

    def references(self) -> HTML:
        """Every source this lesson has shown, numbered, in the order first cited."""
        if not self.cited:
            return self._panel(note_box("This lesson has cited no sources yet: run it from the top.", "message"))
        return self._panel(self.references_html())

    def glossary(self, *term_ids: str) -> HTML:
        """The named glossary terms as a definition list; each term is the target of the lesson's links
        (`#term-<id>`), and definitions that make a clinical claim show their sources."""
        items = []
        for term in (self.guidance.term(term_id) for term_id in term_ids):
            sources = f" {self.cite(term.sources)}" if term.sources else ""
            items.append(f'<dt id="term-{esc(term.id)}">{esc(term.term)}</dt>'
                         f"<dd>{esc(term.definition)}{sources}</dd>")
        return self._panel(f'<dl class="ros1-glossary">{"".join(items)}</dl>')
