"""The course's pages in order (the lessons of `content/data/lessons.yaml`, then the case app), each page's
navigation bar, and the contents page that `ros1-course app` serves at its root.

Links between pages are relative (`03-who-gets-it.ipynb`), so they work wherever the notebooks sit side by
side: in Voila under `ros1-course app`, under the Voila server extension of JupyterLab or JupyterHub, and in
JupyterLab itself. The contents page and the slides view exist only where `ros1-course app` serves the course;
it tells its kernels so through ROS1_COURSE_HOME (the contents page's address).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from content import Guidance, load_guidance
from widgets.render import environment
from widgets.style import css

from .documents import COURSE_NAME, document_css

if TYPE_CHECKING:
    from .record_format import LessonProgress

HOME_VARIABLE = "ROS1_COURSE_HOME"
# Set (to 1) in the kernels of the static site's pages, where a page is `<name>.html` beside the others.
STATIC_PAGES_VARIABLE = "ROS1_COURSE_STATIC_PAGES"
APP_FILE = "app.ipynb"
SLIDES_QUERY = "view=slides"
PROGRESS_EXPORT = "my-progress.html"


@dataclass(frozen=True)
class CoursePage:
    """One page of the course: a lesson (with its number) or the case app (number None)."""

    file: str
    title: str
    aim: str
    minutes: int | None = None
    number: int | None = None

    @property
    def label(self) -> str:
        """How the page is named in links: '02 · ROS1 and its fusions', 'The case app'."""
        return f"{self.number:02d} · {self.title}" if self.number is not None else self.title


CASE_APP = CoursePage(APP_FILE, "The case app", "The whole case for a room: the fusion, the first-line choice, "
                      "resistance and a self-check, with a presenter mode for a projector and a printable handout.")


def course_pages(guidance: Guidance) -> list[CoursePage]:
    """Every page in the order a trainee follows them: the lessons by number, then the case app."""
    lessons = [CoursePage(lesson.file, lesson.title, lesson.aim, lesson.minutes, lesson.number)
               for lesson in guidance.lessons]
    return [*lessons, CASE_APP]


def course_home(environ: Mapping[str, str] = os.environ) -> str | None:
    """The contents page's address when `ros1-course app` serves this kernel's page, else None."""
    return environ.get(HOME_VARIABLE, "").strip() or None


def served_page(file: str) -> str:
    """A page's address from the contents page of `ros1-course app`."""
    return f"voila/render/{file}"


def static_page(file: str) -> str:
    """A page's address from the contents page of the static site (Voici's rendered pages)."""
    return f"voici/render/{Path(file).stem}.html"


def sibling_page(file: str, environ: Mapping[str, str] = os.environ) -> str:
    """A page's address from another page: the notebook's name, or its rendered page on the static site."""
    return f"{Path(file).stem}.html" if environ.get(STATIC_PAGES_VARIABLE) == "1" else file


def navigation(guidance: Guidance, file: str, environ: Mapping[str, str] = os.environ) -> Markup:
    """The navigation bar of the page `file`: contents (when served), previous and next page, where this
    page is in the course, the case app, and (served lessons) "Present this lesson" as slides."""
    pages = course_pages(guidance)
    index = next((i for i, page in enumerate(pages) if page.file == file), None)
    if index is None:
        raise ValueError(f"{file!r} is not a page of the course; the pages are {[p.file for p in pages]}")
    page = pages[index]
    lessons = [p for p in pages if p.number is not None]
    return Markup(environment("ros1_course").get_template("navigation.html.j2").render(
        page=page, home=course_home(environ), link=lambda target: sibling_page(target, environ),
        previous=pages[index - 1] if index > 0 else None, next=pages[index + 1] if index + 1 < len(pages) else None,
        position=lessons.index(page) + 1 if page.number is not None else None, lessons=len(lessons),
        app=CASE_APP if page is not CASE_APP else None, slides=SLIDES_QUERY).strip())


def contents_html(guidance: Guidance, progress: list[LessonProgress] | None = None,
                  link: Callable[[str], str] = served_page, record_page: str | None = None) -> str:
    """The contents page: the course's title, the disclaimer, every lesson (number, title, aim, time to
    learn) and the case app, each linked by `link`; with `progress` (the learning record is on), "My progress"
    per lesson and the export link; with `record_page` (the static site, whose record is in the browser), the
    link to that page."""
    pages = course_pages(guidance)
    return environment("ros1_course").get_template("contents.html.j2").render(
        title=COURSE_NAME, css=css("course.css") + document_css("contents.css"), course=COURSE_NAME,
        page=guidance.page, link=link, lessons=[p for p in pages if p.number is not None], app=CASE_APP,
        progress={p.lesson: p for p in progress} if progress is not None else None,
        export=PROGRESS_EXPORT, record_page=record_page) + "\n"


def app_navigation(environ: Mapping[str, str] = os.environ) -> Markup:
    """The case app's navigation bar (the course's own content)."""
    return navigation(load_guidance(), APP_FILE, environ)
