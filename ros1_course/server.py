"""The course's Voila server (`ros1-course app` runs it): Voila serving the notebooks folder, with the course's
own pages where Voila would show its file tree.

Voila's application is used as it is. This subclass changes only the routes and the kernel pools:
- `/` is the course's contents page (static HTML rendered from the content: no kernel), and with the learning
  record on, `/my-progress.html` is the record's dated summary;
- `/voila/render/<page>` renders only the course's pages (the lessons of `content/data/lessons.yaml` and the case
  app); any other path, and Voila's file tree and contents API, are not served;
- kernels are kept preheated for the pages a class opens first (the case app and the first lesson); the other
  lessons start a kernel when opened.

Run as `python -m ros1_course.server NOTEBOOKS_DIR [Voila options]` from the project root (voila.json).
"""

from __future__ import annotations

import sys
from typing import Any

import tornado.web
from traitlets import Bool, Int
from voila.app import Voila
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from content import load_guidance

from .documents import record_summary_html
from .navigation import APP_FILE, PROGRESS_EXPORT, contents_html, course_pages
from .record import LearningRecord

FIRST_LESSON_POOL = 1


class ContentsHandler(tornado.web.RequestHandler):
    """The contents page; with the record on, each lesson's progress and the export link."""

    def initialize(self, record: bool) -> None:
        self.record = record

    def get(self) -> None:
        guidance = load_guidance()
        progress = LearningRecord().progress(guidance) if self.record else None
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
        self.finish(contents_html(guidance, progress))


class ProgressHandler(tornado.web.RequestHandler):
    """The learning record's dated summary, as `ros1-course record --export` writes it."""

    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
        self.finish(record_summary_html(LearningRecord(), load_guidance()))


class CoursePageHandler(TornadoVoilaHandler):
    """Voila's page handler for the course's own pages only: any other path is 404, before a kernel starts."""

    def initialize(self, **kwargs: Any) -> None:
        self.course_files: frozenset[str] = kwargs.pop("course_files")
        super().initialize(**kwargs)

    async def get(self, path: str | None = None) -> None:
        if path not in self.course_files:
            raise tornado.web.HTTPError(404)
        await super().get(path)


class CourseVoila(Voila):
    """Voila with the course's contents page and pages, and kernel pools per page."""

    record = Bool(False, config=True, help="Keep each visitor's self-check answers in the learning record "
                                           "on this computer (a trainee's own computer, not a shared room).")
    app_pool = Int(-1, config=True, help="Kernels kept preheated for the case app (default: "
                                         "VoilaConfiguration.default_pool_size).")

    def init_settings(self) -> dict[str, Any]:
        app_pool = self.app_pool if self.app_pool >= 0 else self.voila_configuration.default_pool_size
        first_lesson = load_guidance().lessons[0].file
        self.config.VoilaKernelManager.kernel_pools_config = {
            "default": {"pool_size": 0},
            APP_FILE: {"pool_size": max(app_pool, 0)},
            first_lesson: {"pool_size": FIRST_LESSON_POOL if app_pool > 0 else 0},
        }
        settings: dict[str, Any] = super().init_settings()
        return settings

    def init_handlers(self) -> list[Any]:
        course_files = frozenset(page.file for page in course_pages(load_guidance()))
        handlers: list[Any] = []
        for handler in super().init_handlers():
            pattern, handler_class, *options = handler
            if handler_class in (TornadoVoilaTreeHandler, VoilaContentsHandler):
                continue  # Voila's file tree and contents API: the contents page replaces them
            if handler_class is TornadoVoilaHandler:
                handler = (pattern, CoursePageHandler, {**options[0], "course_files": course_files})
            handlers.append(handler)
        root = self.server_url.rstrip("/")
        handlers.insert(0, (root + "/", ContentsHandler, {"record": self.record}))
        if self.record:
            handlers.insert(1, (f"{root}/{PROGRESS_EXPORT}", ProgressHandler))
        return handlers


def main(argv: list[str] | None = None) -> None:
    """Run the course's Voila server with these command-line arguments."""
    CourseVoila.launch_instance(argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    main()
