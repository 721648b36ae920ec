"""`ros1-course app`: serve the course with Voila: the contents page at `/`, every lesson and the case app
(notebooks/app.ipynb) at `/voila/render/<file>` (the course's server, `ros1_course.server`).

Voila reads its settings from `voila.json` in the directory it starts in (and the Jupyter config path), so
the server runs from the project root; the Voila extension of a Jupyter server started there (Binder,
`jupyter lab`) reads the same file. The app's template (`share/jupyter/voila/templates/ros1`: the lab
template with nothing fetched from a CDN) is found on JUPYTER_PATH, which this command sets; a Jupyter server
started from the project root needs JUPYTER_PATH=share/jupyter too.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

import psutil

from content import load_guidance
from content.fingerprint import DEFAULT_CONTENT_DIR
from content.loader import load_knowledge
from content.snapshot import SNAPSHOT_VARIABLE, write_snapshot
from widgets import pictures, sections, shared

from .navigation import HOME_VARIABLE
from .recording import RECORD_VARIABLE
from .room_setup import prepare_room, room_announcement
from .room_store import BadRoomFile

PROJECT_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = PROJECT_ROOT / "notebooks"
APP_NOTEBOOK = NOTEBOOKS / "app.ipynb"
VOILA_SETTINGS = PROJECT_ROOT / "voila.json"
TEMPLATES_ROOT = PROJECT_ROOT / "share" / "jupyter"
# One visitor's kernel holds about 33 MiB of its own when forked and 58 MiB counting shared pages, and about 65
# MiB with --plain-kernels (README, measured by `make bench`); the cap allows 100 MiB each, keeps 400 MiB for the
# server and the machine's own use, and uses at most three quarters of the memory.
KERNEL_MIB, SERVER_MIB, MEMORY_SHARE = 100, 400, 0.75
CONTENT_PREFIX, PICTURES_PREFIX, SHARED_PREFIX = "ros1-course-content-", "ros1-course-pictures-", "ros1-course-html-"
# The server (not its kernels) allocates with the C allocator: after a class, `malloc_trim` then gives back
# the freed pages Python's own allocator would keep (arenas pinned by a few live objects). Measured on the
# machine `make bench` ran on: the server kept +26 MiB after 30 visitors with Python's allocator, +13 MiB with
# the C allocator. The server removes the setting from its environment at start, so kernels do not inherit it.
ALLOCATOR_MARK = "ROS1_COURSE_SERVER_ALLOCATOR"
SERVER_ALLOCATOR = {"PYTHONMALLOC": "malloc", ALLOCATOR_MARK: "1"}
RUN_FOLDERS = ((SNAPSHOT_VARIABLE, CONTENT_PREFIX), (pictures.PICTURE_STORE, PICTURES_PREFIX),
               (shared.SHARED_HTML_STORE, SHARED_PREFIX))


def default_max_visitors(total_bytes: int | None = None) -> int:
    """How many visitors' kernels this machine's memory holds with room to spare (at least 1)."""
    total_mib = (total_bytes if total_bytes is not None else psutil.virtual_memory().total) / 2**20
    return max(1, int((total_mib * MEMORY_SHARE - SERVER_MIB) // KERNEL_MIB))


def voila_defaults(settings_file: Path = VOILA_SETTINGS) -> tuple[str, int, int]:
    """The address, port and preheated-kernel pool size voila.json names (127.0.0.1:8866, pool 1 when it
    names none or is not there)."""
    settings = json.loads(settings_file.read_text(encoding="utf-8")) if settings_file.is_file() else {}
    voila, configuration = settings.get("Voila", {}), settings.get("VoilaConfiguration", {})
    return (str(voila.get("ip", "127.0.0.1")), int(voila.get("port", 8866)),
            int(configuration.get("default_pool_size", 1)))


def add_app_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `app` on the command line."""
    host, port, pool = voila_defaults()
    app = commands.add_parser("app", help="serve the course (contents, lessons, case app) with Voila")
    app.add_argument("--port", type=int, default=port, help=f"port to serve on (default {port})")
    app.add_argument("--host", default=host, help=f"address to bind (default {host}: this machine only)")
    app.add_argument("--no-browser", action="store_true", help="do not open a browser")
    sizing = app.add_mutually_exclusive_group()
    sizing.add_argument("--class-size", type=int, default=None, metavar="N",
                        help="the class about to arrive: N kernels of the case app are preheated before it comes "
                             "(each holds about 35 MiB of its own), so nobody waits for a kernel to start")
    sizing.add_argument("--pool", type=int, default=pool, metavar="N",
                        help=f"kernels kept preheated for the case app (default {pool}); the first lesson keeps "
                             "one more")
    app.add_argument("--max-visitors", type=int, default=None, metavar="N",
                     help="most visitors served at once (kernels, preheated ones included); past it a visitor "
                          "is asked to try again in a minute (default: from this machine's memory)")
    app.add_argument("--record", action="store_true",
                     help="keep self-check answers in the learning record on this computer (for a trainee's own "
                          "computer; off by default, for shared rooms)")
    app.add_argument("--token", default="", metavar="TEXT",
                     help="ask every visitor for this token (in the address the command prints), for a server "
                          "that others on the network can reach (default: none, for this machine only)")
    app.add_argument("--room", action="store_true",
                     help="ask the room: learners answer the self-check questions you put to them on their own "
                          "phones (a light page, no kernel per phone); prints the join address and your key")
    app.add_argument("--resume", action="store_true",
                     help="with --room: go on with the last run's rooms and answers (after a restart)")
    app.add_argument("--plain-kernels", action="store_true",
                     help="start each visitor's kernel as a new Python process instead of forking it from a warm "
                          "one (slower to start; for troubleshooting)")
    app.set_defaults(run=run_app)


def app_url(host: str, port: int, token: str = "") -> str:
    """The address a browser opens (IPv6 literals in brackets), with the token when there is one."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/" + (f"?token={quote(token)}" if token else "")


def voila_command(port: int, host: str, open_browser: bool, pool: int, record: bool = False,
                  max_visitors: int = 100, fork_kernels: bool = True, token: str = "") -> list[str]:
    """The command line of the course's Voila server; every other setting comes from voila.json."""
    command = [sys.executable, "-m", "ros1_course.server", str(NOTEBOOKS), f"--port={port}", f"--Voila.ip={host}",
               f"--CourseVoila.app_pool={max(pool, 0)}", f"--CourseVoila.record={record}",
               f"--CourseVoila.max_visitors={max_visitors}", f"--CourseVoila.fork_kernels={fork_kernels}"]
    if token:
        command.append(f"--Voila.token={token}")
    if not open_browser:
        command.append("--no-browser")
    return command


def voila_environment(base: dict[str, str], record: bool = False) -> dict[str, str]:
    """`base` with the course's template directory first on JUPYTER_PATH, the contents page's address for
    the pages' navigation, the learning record off in the kernels unless `record` (a server is usually
    shared by a room, so one visitor's answers must not mix with another's), and the server's allocator
    (`SERVER_ALLOCATOR`, unless `base` chooses one)."""
    paths = [str(TEMPLATES_ROOT), *filter(None, base.get("JUPYTER_PATH", "").split(os.pathsep))]
    allocator = {} if "PYTHONMALLOC" in base else SERVER_ALLOCATOR
    return {**base, **allocator, "JUPYTER_PATH": os.pathsep.join(paths), "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            RECORD_VARIABLE: "1" if record else "0", HOME_VARIABLE: "/"}


def port_in_use(host: str, port: int) -> bool:
    """True when something already listens on host:port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def run_folders(environ: Mapping[str, str]) -> list[Path]:
    """The snapshot, picture and shared-section folders `ros1-course app` made for this run, as the environment
    names them: only folders directly in the temporary folder with the course's prefixes, so nothing else is ever
    named."""
    found = []
    for variable, prefix in RUN_FOLDERS:
        folder = Path(environ.get(variable, "") or "/")
        if folder.parent == Path(tempfile.gettempdir()) and folder.name.startswith(prefix) and folder.is_dir():
            found.append(folder)
    return found


def remove_run_folders(environ: Mapping[str, str]) -> list[Path]:
    """Remove this run's snapshot, picture and shared-section folders (when the server stops); the folders removed."""
    folders = run_folders(environ)
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    return folders


def prepare_snapshot() -> None:
    """Validate the content once and write the snapshot every kernel of the server loads instead (named in
    the environment they inherit, in a folder only this server writes): kernels skip validation and never
    import pydantic. Invalid content stops the command here, with every problem listed."""
    store = Path(tempfile.mkdtemp(prefix=CONTENT_PREFIX))
    write_snapshot(load_knowledge(DEFAULT_CONTENT_DIR), store)
    os.environ[SNAPSHOT_VARIABLE] = str(store)


def prepare_pictures() -> None:
    """Draw every picture of the course once (the explicit catalogue, for this content), into a fresh folder
    its kernels share (named in the environment they inherit), so no visitor's kernel imports matplotlib or
    draws: less CPU and memory per visitor."""
    guidance = load_guidance()
    store = Path(tempfile.mkdtemp(prefix=PICTURES_PREFIX))

    def progress(done: int, total: int) -> None:
        print(f"\rDrawing the course's pictures once for all visitors: {done} of {total}", end="", flush=True)

    pictures.fill_store(guidance, store, progress)
    print(flush=True)
    os.environ[pictures.PICTURE_STORE] = str(store)


def prepare_shared_sections() -> None:
    """Render the sections every visitor sees alike (disclaimer, review status, sources, facts by topic, options,
    glossary terms) once, for this content and today, into a fresh folder its kernels read (named in the
    environment they inherit)."""
    guidance = load_guidance()
    store = Path(tempfile.mkdtemp(prefix=SHARED_PREFIX))
    shared.fill_store(sections.shared_catalogue(guidance), guidance, store)
    os.environ[shared.SHARED_HTML_STORE] = str(store)


def run_app(args: argparse.Namespace) -> int:
    """Print the address, then become Voila (run from the project root), so signals reach it directly."""
    if not APP_NOTEBOOK.is_file():
        print(f"ros1-course: the presenter app {APP_NOTEBOOK} is not there yet.", file=sys.stderr)
        return 2
    if port_in_use(args.host, args.port):
        print(f"ros1-course: port {args.port} on {args.host} is in use; choose another with --port.",
              file=sys.stderr)
        return 2
    if args.max_visitors is not None and args.max_visitors < 1:
        print("ros1-course: --max-visitors must be at least 1.", file=sys.stderr)
        return 2
    if min(args.pool, args.class_size if args.class_size is not None else 0) < 0:
        print("ros1-course: --class-size and --pool cannot be negative.", file=sys.stderr)
        return 2
    if args.resume and not args.room:
        print("ros1-course: --resume goes with --room.", file=sys.stderr)
        return 2
    prepare_snapshot()
    prepare_pictures()
    prepare_shared_sections()
    max_visitors = args.max_visitors or default_max_visitors()
    how = "as asked" if args.max_visitors else (
        f"from {psutil.virtual_memory().total / 2**30:.1f} GiB of memory at about {KERNEL_MIB} MiB per visitor; "
        "change it with --max-visitors")
    print(f"Serving the ROS1 course on {app_url(args.host, args.port, args.token)} (Ctrl+C to stop)", flush=True)
    print(f"At most {max_visitors} visitors at once ({how}).", flush=True)
    if args.record:
        print("The learning record is on: self-check answers are kept on this computer.", flush=True)
    if args.room:
        try:
            room = prepare_room(args.host, args.port, args.resume)
        except BadRoomFile as error:
            print(f"ros1-course: {error}", file=sys.stderr)
            return 2
        print(room_announcement(room, args.host), flush=True)
    os.chdir(PROJECT_ROOT)
    pool = args.class_size if args.class_size is not None else args.pool
    if pool + 1 > max_visitors:
        print(f"Note: {pool} preheated kernels and one for lesson 00 exceed the cap of {max_visitors} visitors; "
              f"only {max_visitors} start.", flush=True)
    print(f"Kernels preheated for the case app: {pool}"
          + (" (for the class)." if args.class_size is not None else "; for a class, --class-size N."), flush=True)
    command = voila_command(args.port, args.host, not args.no_browser, pool, args.record, max_visitors,
                            not args.plain_kernels, args.token)
    os.execve(command[0], command, voila_environment(dict(os.environ), args.record))
