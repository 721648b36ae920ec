"""The course's Voila server (`ros1-course app` runs it): Voila serving the notebooks folder, with the course's
own pages where Voila would show its file tree.

Voila's application is used as it is. This subclass changes only the routes and the kernel pools:
- `/` is the course's contents page (static HTML rendered from the content: no kernel), and with the learning
  record on, `/my-progress.html` is the record's dated summary;
- `/voila/render/<page>` renders only the course's pages (the lessons of `content/data/lessons.yaml` and the case
  app); any other path, and Voila's file tree and contents API, are not served;
- kernels are kept preheated for the pages a class opens first (the case app and the first lesson); the other
  lessons start a kernel when opened;
- a preheated page whose kernel died or whose run failed is never served, and at most `max_visitors` kernels
  run at once; past that a visitor gets a polite "course is full" page (`kernel_guard`);
- a failed cell is one line in the log, not a dump of the cell;
- the pictures `ros1-course app` drew are served read-only from their store at `/ros1-course/pictures/...`, and
  the kernels refer to them there instead of sending each picture inside the page;
- with `ros1-course app --room`, the phones' light pages of "Ask the room" are served under `/room/`
  (`room_server`), from the run's room file;
- kernels are forked from a warm process that has made the imports every course kernel makes (`kernel_forks`),
  so a visitor's kernel costs a fraction of a cold start's CPU.

Run as `python -m ros1_course.server NOTEBOOKS_DIR [Voila options]` from the project root (voila.json).
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import tornado.web
from jupyter_client.provisioning.factory import KernelProvisionerFactory
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from nbclient.exceptions import CellExecutionError
from traitlets import Bool, Int
from voila.app import Voila
from voila.execute import VoilaExecutor
from voila.exporter import VoilaExporter
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from content import load_guidance
from widgets import pictures
from widgets.render import environment
from widgets.style import css

from .documents import document_css, record_summary_html
from .kernel_forks import PROVISIONER_NAME, ForkServer
from .kernel_guard import PREFIX, KernelGuard
from .navigation import APP_FILE, PROGRESS_EXPORT, contents_html, course_pages
from .record import LearningRecord
from .room_access import ROOM_FILE_VARIABLE
from .room_server import room_handlers
from .room_store import RoomStore
from .serve import ALLOCATOR_MARK, SERVER_ALLOCATOR, remove_run_folders

FIRST_LESSON_POOL = 1
GUARD_SETTING = "ros1_course_guard"
CELL_ERROR = "Error at server while executing cell"


def full_page_html(visitors: int) -> str:
    """The page a visitor gets when the server is at its cap: try again in a minute, with Reload."""
    return environment("ros1_course").get_template("full.html.j2").render(
        title="The course is full right now", css=css("course.css") + document_css("contents.css"),
        visitors=visitors) + "\n"


class SharedBytecode(jinja2.BytecodeCache):
    """Compiled page templates, kept in memory for every Jinja environment of the server."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def share_compiled_page_templates() -> None:
    """Voila makes a new exporter, so a new Jinja environment, for every page it renders (a visitor's page and
    each preheated copy), and Jinja compiles the page's templates again for each: about 27 ms of the server's
    CPU per page, measured with cProfile. The environments of this server share one bytecode cache, keyed by
    template and checked against the template's source, so a template is compiled once per server. nbconvert
    has no setting for this; the course's workaround wraps its environment factory (remove it when nbconvert's
    TemplateExporter takes a bytecode cache)."""
    create = VoilaExporter._create_environment
    if getattr(create, "shares_bytecode", False):
        return
    cache = SharedBytecode()

    def create_with_shared_bytecode(exporter: VoilaExporter) -> jinja2.Environment:
        environment: jinja2.Environment = create(exporter)
        environment.bytecode_cache = cache
        return environment

    create_with_shared_bytecode.shares_bytecode = True  # type: ignore[attr-defined]
    VoilaExporter._create_environment = create_with_shared_bytecode


class OneLineCellErrors(logging.Filter):
    """Voila logs a failed cell with the whole cell and its traceback; the course logs one line: which
    exception, with its message's last line (the page shows the course's error message)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else record.msg
        if isinstance(record.msg, CellExecutionError) or str(record.msg).startswith(CELL_ERROR):
            lines = str(error).strip().splitlines() or [type(error).__name__]
            record.msg, record.args, record.exc_info, record.exc_text = (
                "%s a cell of a page raised %s; the page shows the course's error message", (PREFIX, lines[-1]),
                None, None)
        return True


class ContentsHandler(JupyterHandler):
    """The contents page; with the record on, each lesson's progress and the export link. Like every page of
    the server, it asks for the server's token when there is one."""

    def initialize(self, record: bool) -> None:
        self.record = record

    @tornado.web.authenticated
    def get(self) -> None:
        guidance = load_guidance()
        progress = LearningRecord().progress(guidance) if self.record else None
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
        self.finish(contents_html(guidance, progress))


class ProgressHandler(JupyterHandler):
    """The learning record's dated summary, as `ros1-course record --export` writes it."""

    @tornado.web.authenticated
    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
        self.finish(record_summary_html(LearningRecord().contents(), load_guidance()))


class PictureHandler(JupyterHandler):
    """A picture of the store `ros1-course app` drew, by its address (content fingerprint and name). The address
    changes with the content, so the browser may keep a picture as long as it likes."""

    def initialize(self, store: Path) -> None:
        self.store = store

    @tornado.web.authenticated
    def get(self, fingerprint: str, name: str) -> None:
        png = pictures.picture_png(self.store, fingerprint, name)
        if png is None:
            raise tornado.web.HTTPError(404)
        self.set_header("Content-Type", "image/png")
        self.set_header("Cache-Control", "private, max-age=31536000, immutable")
        self.finish(png)


class CoursePageHandler(TornadoVoilaHandler):
    """Voila's page handler for the course's own pages only: any other path is 404, before a kernel starts."""

    def initialize(self, **kwargs: Any) -> None:
        self.course_files: frozenset[str] = kwargs.pop("course_files")
        super().initialize(**kwargs)

    @tornado.web.authenticated
    async def get(self, path: str | None = None) -> None:
        if path not in self.course_files:
            raise tornado.web.HTTPError(404)
        # Voila's page shuts its kernel down when the tab closes, with a POST that must carry the `_xsrf` cookie;
        # a page served from the preheated pool was sent without that cookie, so its kernel stayed until culled.
        _ = self.xsrf_token  # sets the cookie
        guard: KernelGuard | None = self.settings.get(GUARD_SETTING)
        if guard is None:
            await super().get(path)
            return
        if not guard.admit(path):
            self.set_status(503)
            self.set_header("Retry-After", "60")
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
            self.finish(full_page_html(guard.visitors()))
            return
        try:
            await guard.settle_pool(path)
            guard.make_room(path)
            await super().get(path)
        finally:
            guard.served()


class CourseVoila(Voila):
    """Voila with the course's contents page and pages, and kernel pools per page."""

    record = Bool(False, config=True, help="Keep each visitor's self-check answers in the learning record "
                                           "on this computer (a trainee's own computer, not a shared room).")
    app_pool = Int(-1, config=True, help="Kernels kept preheated for the case app (default: "
                                         "VoilaConfiguration.default_pool_size).")
    max_visitors = Int(100, config=True, help="Most kernels (visitors' and preheated) running at once; past "
                                              "it a visitor gets the 'course is full' page.")
    fork_kernels = Bool(True, config=True, help="Fork each kernel from a warm process that has made the course "
                                                "kernels' imports (False: start each kernel as a new process).")

    def init_settings(self) -> dict[str, Any]:
        share_compiled_page_templates()
        if self.picture_store():  # before any kernel starts: they take the address from their environment
            os.environ[pictures.PICTURE_URL] = url_path_join(self.base_url, pictures.PICTURE_ROUTE)
        if self.fork_kernels:
            KernelProvisionerFactory.instance(parent=self).default_provisioner_name = PROVISIONER_NAME
            ForkServer.start(self.log)
        wanted = self.app_pool if self.app_pool >= 0 else self.voila_configuration.default_pool_size
        app_pool = min(max(wanted, 0), self.max_visitors)  # Voila fills its pools before the guard is in place
        first_lesson = load_guidance().lessons[0].file
        self.config.VoilaKernelManager.kernel_pools_config = {
            "default": {"pool_size": 0},
            APP_FILE: {"pool_size": app_pool},
            first_lesson: {"pool_size": FIRST_LESSON_POOL if 0 < app_pool < self.max_visitors else 0},
        }
        settings: dict[str, Any] = super().init_settings()
        self.log.addFilter(OneLineCellErrors())
        if self.voila_configuration.preheat_kernel:
            error_text = self.config.VoilaExecutor.get("cell_error_instruction",
                                                       VoilaExecutor.cell_error_instruction.default_value)
            guard = KernelGuard(self.kernel_manager, self.log, str(error_text), self.max_visitors)
            guard.install()
            settings[GUARD_SETTING] = guard
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
        room_file = os.environ.get(ROOM_FILE_VARIABLE, "")
        if room_file:  # `ros1-course app --room`: the phones' pages
            handlers[:0] = room_handlers(root, RoomStore(Path(room_file)))
        store = self.picture_store()
        if store:
            handlers.insert(1, (f"{root}/{pictures.PICTURE_ROUTE}/({pictures.FINGERPRINT_PATTERN})/"
                                f"({pictures.NAME_PATTERN})\\.png", PictureHandler, {"store": store}))
        return handlers

    @staticmethod
    def picture_store() -> Path | None:
        """The folder of pictures `ros1-course app` drew for this server, if it drew them."""
        folder = os.environ.get(pictures.PICTURE_STORE, "")
        return Path(folder) if folder and Path(folder).is_dir() else None


def main(argv: list[str] | None = None) -> None:
    """Run the course's Voila server with these command-line arguments; when it stops, remove the snapshot,
    picture and shared-section folders `ros1-course app` made for it."""
    if os.environ.get(ALLOCATOR_MARK):  # this process's allocator only, not its kernels'
        for variable in SERVER_ALLOCATOR:
            os.environ.pop(variable, None)
    try:
        CourseVoila.launch_instance(argv if argv is not None else sys.argv[1:])
    finally:
        remove_run_folders(os.environ)


if __name__ == "__main__":
    main()
