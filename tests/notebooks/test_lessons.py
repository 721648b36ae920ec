"""The lessons' structure and stored outputs: sections, no errors or warnings, sources that exist, outputs
made from the current content, and running a lesson writes nothing outside it. nbval (run by `make test`
with --nbval) re-executes each lesson and compares every stored output."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from IPython.display import HTML
from nbclient import NotebookClient

from content import Guidance
from ros1_course.lesson import Lesson
from ros1_course.navigation import HOME_VARIABLE, STATIC_PAGES_VARIABLE, navigation

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
OPENING = ["## Overview", "## Prerequisites", "## Time to learn"]
CLOSING = ["## Summary", "## Check your understanding", "## What's next", "## References"]


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _outputs(notebook: nbformat.NotebookNode) -> list[dict]:
    return [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]


def _html(notebook: nbformat.NotebookNode) -> str:
    return "\n".join(output.get("data", {}).get("text/html", "") for output in _outputs(notebook))


def _headings(notebook: nbformat.NotebookNode) -> list[str]:
    return [line.strip() for cell in notebook.cells if cell.cell_type == "markdown"
            for line in cell.source.splitlines() if line.startswith("## ")]


def test_there_are_lessons_00_to_07() -> None:
    assert [p.name[:2] for p in LESSONS] == [f"{n:02d}" for n in range(8)]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_has_the_fixed_sections_in_order(path: Path) -> None:
    notebook = _read(path)
    assert notebook.cells[0].source.startswith(f"# {path.name[:2]} · ")
    headings = _headings(notebook)
    assert headings[:3] == OPENING
    assert headings[-4:] == CLOSING
    overview = next(c.source for c in notebook.cells if c.cell_type == "markdown" and c.source.startswith(OPENING[0]))
    assert re.search(r"^1\. .+\n2\. ", overview, re.MULTILINE), "learning objectives are a numbered list"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_ends_with_its_quiz_and_its_references(path: Path) -> None:
    cells = _read(path).cells
    sources = [c.source for c in cells]
    quiz_heading = sources.index(next(s for s in sources if s.startswith("## Check your understanding")))
    assert cells[quiz_heading + 1].source == "lesson.quiz()"
    assert cells[-2].source == "lesson.references()"
    assert "ros1-references" in cells[-2].outputs[0]["data"]["text/html"]
    assert cells[-1].source == "lesson.navigation()"
    assert 'aria-label="Course"' in cells[-1].outputs[0]["data"]["text/html"]
    assert f"Lesson({path.name[:2].lstrip('0') or '0'})" in cells[1].source


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_the_lesson_list_agrees_with_the_lesson(path: Path, guidance: Guidance) -> None:
    """content/data/lessons.yaml (the contents page and every navigation bar) says what the lesson says: its
    title, and its time to learn."""
    text = path.with_suffix(".md").read_text(encoding="utf-8")
    listed = next((lesson for lesson in guidance.lessons if lesson.file == path.name), None)
    assert listed is not None, f"{path.name} is not in content/data/lessons.yaml"
    assert re.search(rf"^# {listed.number:02d} · {re.escape(listed.title)}$", text, re.M), listed.title
    assert re.search(rf"^## Time to learn\n\nAbout {listed.minutes} minutes\.$", text, re.M), listed.minutes


def test_every_lesson_is_in_the_lesson_list(guidance: Guidance) -> None:
    assert [lesson.file for lesson in guidance.lessons] == [path.name for path in LESSONS]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_the_stored_navigation_links_the_neighbouring_pages(path: Path, guidance: Guidance) -> None:
    files = [*(lesson.file for lesson in guidance.lessons), "app.ipynb"]
    index = files.index(path.name)
    html = "".join(cell.outputs[0]["data"]["text/html"] for cell in (_read(path).cells[1], _read(path).cells[-1]))
    nav = re.findall(r'<a href="([^"]+)" rel="(prev|next)"', html)
    expected = ([(files[index - 1], "prev")] if index else []) + [(files[index + 1], "next")]
    assert nav == expected * 2  # at the top and at the end
    assert "Contents" not in html  # the contents page exists only where `ros1-course app` serves the course


def test_on_the_static_site_the_navigation_links_the_rendered_pages(guidance: Guidance) -> None:
    environ = {STATIC_PAGES_VARIABLE: "1", HOME_VARIABLE: "../../index.html"}
    nav = str(navigation(guidance, "02-ros1-and-fusions.ipynb", environ))
    assert re.findall(r'<a href="([^"]+)"', nav) == ["../../index.html", "01-case-and-result.html",
                                                   "03-who-gets-it.html", "app.html", "?view=slides"]
    assert re.findall(r'<a href="([^"]+)"', str(navigation(guidance, "02-ros1-and-fusions.ipynb", {}))) == [
        "01-case-and-result.ipynb", "03-who-gets-it.ipynb", "app.ipynb"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_is_stored_executed_without_errors_or_warnings(path: Path) -> None:
    notebook = _read(path)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "every code cell is stored executed"
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), "executed top to bottom"
    outputs = _outputs(notebook)
    assert [o for o in outputs if o.output_type == "error"] == []
    assert [o for o in outputs if o.output_type == "stream"] == [], "no stray prints or warnings"
    assert "Warning" not in "".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_code_cells_are_short(path: Path) -> None:
    for cell in _read(path).cells:
        if cell.cell_type == "code":
            assert len(cell.source.splitlines()) <= 4, cell.source


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_cited_source_exists_and_is_referenced(path: Path, guidance: Guidance) -> None:
    notebook = _read(path)
    known = {source.id for source in guidance.sources}
    references = notebook.cells[-2].outputs[0]["data"]["text/html"]
    listed = re.findall(r'id="ros1-ref-([a-z0-9-]+)"', references)
    assert listed and set(listed) <= known
    cited = set(re.findall(r'title="[^"]*">([a-z0-9-]+)</a>', _html(notebook)))
    assert cited <= known
    assert cited <= set(listed), f"cited but missing from References: {cited - set(listed)}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_images_have_alt_text(path: Path) -> None:
    notebook = _read(path)
    for tag in re.findall(r"<img\b[^>]*>", _html(notebook)):
        assert re.search(r'alt="[^"]{20,}"', tag), tag[:120]
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            assert not re.search(r"!\[\s*\]\(", cell.source), "markdown images need alt text"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_stored_outputs_were_made_from_the_current_content(path: Path, guidance: Guidance) -> None:
    stored = re.search(r"Content version ([0-9a-f]{12})", _html(_read(path)))
    assert stored, "the lesson's header shows the content version"
    assert stored.group(1) == guidance.knowledge.fingerprint, (
        f"{path.name} was executed against other content: run `make notebooks` to refresh its outputs"
    )


def _tree_state() -> str:
    status = subprocess.run(["git", "status", "--porcelain", "--ignored=no"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout
    content = subprocess.run(["git", "hash-object", *sorted(map(str, (ROOT / "content" / "data").iterdir()))],
                             capture_output=True, text=True, check=True).stdout
    return status + content


@pytest.mark.parametrize("name", ["05-progression-and-resistance", "07-putting-it-together"])
def test_running_a_lesson_writes_nothing_outside_it(name: str, tmp_path: Path) -> None:
    copy = tmp_path / f"{name}.ipynb"
    shutil.copy(ROOT / "notebooks" / f"{name}.ipynb", copy)
    before_repo, before_dir = _tree_state(), sorted(tmp_path.iterdir())
    notebook = _read(copy)
    client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    assert _tree_state() == before_repo
    assert sorted(tmp_path.iterdir()) == before_dir


@pytest.mark.parametrize("path", [*LESSONS, ROOT / "notebooks" / "app.ipynb"], ids=lambda p: p.stem)
def test_the_text_source_and_the_executed_notebook_agree(path: Path) -> None:
    """Each notebook has its text source (MyST Markdown, paired by jupytext), which a maintainer edits;
    `make notebooks` carries an edit into the .ipynb and executes it."""
    import jupytext

    text = jupytext.read(path.with_suffix(".md"))
    executed = _read(path)
    assert [(c.cell_type, c.source) for c in text.cells] == [(c.cell_type, c.source) for c in executed.cells], (
        f"{path.with_suffix('.md').name} and {path.name} differ: run `make notebooks`")


def test_summaries_render_their_clinical_claims_from_the_content() -> None:
    """A Summary's clinical points are rendered from fact ids (so `ros1-course check` sees them)."""
    for path in LESSONS:
        cells = _read(path).cells
        start = next(i for i, c in enumerate(cells) if c.cell_type == "markdown" and "## Summary" in c.source)
        end = next(i for i, c in enumerate(cells) if i > start and c.cell_type == "markdown" and "## " in c.source)
        rendered = [c for c in cells[start:end] if c.cell_type == "code" and c.source.startswith("lesson.facts(")]
        stem = path.stem[:2]
        if stem in ("01", "02", "03", "04", "05"):
            assert rendered, f"{path.name}: the Summary's clinical claims are typed, not rendered from content"


def test_a_panel_is_made_without_asking_the_file_system_whether_its_html_names_a_file(
        guidance: Guidance, monkeypatch: pytest.MonkeyPatch) -> None:
    # IPython's HTML(text) asks os.path.exists(text) first; on the static site each ask is a round trip to the drive.
    asked: list[str] = []
    real_exists = os.path.exists
    monkeypatch.setattr(os.path, "exists", lambda path: asked.append(str(path)) or real_exists(path))
    lesson = Lesson(2, guidance, record=False)
    shown = [lesson.header(), lesson.scenario(), lesson.navigation()]
    assert all(isinstance(panel, HTML) and panel.data.startswith("<") for panel in shown)
    assert [panel._repr_html_() for panel in shown] == [panel.data for panel in shown]
    assert not [path for path in asked if path.startswith("<")]
    assert HTML("<p>made the usual way</p>") and [path for path in asked if path.startswith("<p>")], \
        "the check this avoids is made by IPython's own HTML(text)"
