"""`ros1-course build-static -o DIR`: the whole course as a folder of static files (Voici, with each page's
kernel running in the browser on Pyodide), which any web server, an intranet or a file share serves.

Nothing is fetched at run time: the Pyodide core (from the npm registry, at the pinned version and checksum),
every wheel the kernel loads (`pyodide_packages`), the course's own code with its validated content snapshot
and its pictures drawn once, and the course's Voila template (no CDN) are all inside the folder. The build
itself reaches only the package registries (PyPI, npm), and keeps what it downloaded in a cache folder.

The pages are the lessons and the case app, as Voici renders them with the course's template; the folder's
`index.html` is the course's contents page. Each page's kernel starts with the course's packages loaded (the
Pyodide lock the site writes) and with the environment the course's server gives its kernels: the contents
page's address, the snapshot and the picture store. What the pages import is compiled ahead, in the site's own
Pyodide under Node.js (`page_bytecode`), so a visitor's browser does not compile it at every start.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from collections.abc import Callable
from dataclasses import replace
from importlib import metadata
from pathlib import Path

from content import load_guidance
from content.fingerprint import DEFAULT_CONTENT_DIR
from content.loader import load_knowledge
from content.snapshot import SNAPSHOT_VARIABLE, write_snapshot
from widgets import pictures

from .navigation import HOME_VARIABLE, STATIC_PAGES_VARIABLE, contents_html, course_pages, static_page
from .page_bytecode import (
    add_sitecustomize,
    add_to_stdlib,
    add_to_wheel,
    compile_page_imports,
    node_command,
    page_imports,
)
from .pyodide_packages import (
    INDEX_ROOTS,
    KERNEL_ROOTS,
    KERNEL_START_PACKAGES,
    Wheel,
    WheelCache,
    kernel_wheels,
    locked_versions,
    shipped_wheel,
    write_lock,
    write_wheel,
)
from .record import DATA_DIR_VARIABLE
from .recording import RECORD_VARIABLE
from .serve import NOTEBOOKS, PROJECT_ROOT, TEMPLATES_ROOT, VOILA_SETTINGS

# The Pyodide core: the npm registry's `pyodide` package, checked against the registry's published integrity.
PYODIDE_VERSION = "0.29.5"
PYODIDE_TARBALL = f"https://registry.npmjs.org/pyodide/-/pyodide-{PYODIDE_VERSION}.tgz"
PYODIDE_INTEGRITY = "sha512-TkYrUv9m8QmfImADKRmpwZulL48E0uUaBSO+dvRQKyAJc0qh9gu7jn8btyHPh3NZm1r2IH2YrJhIr7Q2B9urAw=="
# What a page needs of the npm package (not its consoles, type declarations or source maps).
PYODIDE_FILES = ("pyodide.js", "pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json", "package.json")
COURSE_VERSION = metadata.version("ros1-course")
LOCKS = (PROJECT_ROOT / "requirements.lock", PROJECT_ROOT / "requirements-browser.lock")
COURSE_PACKAGES = ("content", "widgets", "ros1_course")
SITE_DATA = "ros1_course_site"  # the snapshot and pictures, beside the course's packages in its wheel
LAB_EXTENSIONS = Path(sys.prefix) / "share/jupyter/labextensions"
# The JupyterLab extensions a page needs: the kernel and the widgets' manager. Others installed beside the course,
# such as jupytext's, would be loaded into every page and fail there.
PAGE_EXTENSIONS = ("@jupyterlite/pyodide-kernel-extension", "@jupyter-widgets/jupyterlab-manager")
KERNEL_EXTENSION = LAB_EXTENSIONS / "@jupyterlite/pyodide-kernel-extension/static/pypi"
# How the kernel's own wheels (jupyterlite-pyodide-kernel's) depend on one another and on the shipped packages.
KERNEL_OWN_DEPENDS = {"pyodide-kernel": ("ipykernel", "ipython", "comm", "piplite"), "piplite": ("micropip",),
                      "ipykernel": ()}
# The learning record's folder in the pages' shared drive, which the browser keeps in its storage for the site.
RECORD_FOLDER = "/drive/learning-record"
# The static site's own page of the record (not a notebook of the course: it is written at build time).
PROGRESS_PAGE = "my-progress.ipynb"
PROGRESS_CODE = "from ros1_course.progress_page import ProgressPage\n\nProgressPage()"
DEFAULT_CACHE = Path.home() / ".cache" / "ros1-course" / "static-build"
Progress = Callable[[str], None]


def site_packages(python: str) -> str:
    """Where Pyodide unpacks wheels, for its Python version ('3.13.2')."""
    major, minor = python.split(".")[:2]
    return f"/lib/python{major}.{minor}/site-packages"


def pyodide_core(cache: Path, progress: Progress) -> Path:
    """The npm package's tarball, downloaded once into the cache and checked against its integrity."""
    tarball = cache / f"pyodide-{PYODIDE_VERSION}.tgz"
    algorithm, expected = PYODIDE_INTEGRITY.split("-", 1)
    if not tarball.is_file() or _integrity(tarball, algorithm) != expected:
        progress(f"Downloading the Pyodide {PYODIDE_VERSION} core from the npm registry")
        cache.mkdir(parents=True, exist_ok=True)
        partial = tarball.with_suffix(".part")
        with urllib.request.urlopen(PYODIDE_TARBALL, timeout=300) as response, partial.open("wb") as out:
            shutil.copyfileobj(response, out)
        if _integrity(partial, algorithm) != expected:
            partial.unlink()
            raise RuntimeError(f"{PYODIDE_TARBALL} does not match its pinned integrity {PYODIDE_INTEGRITY}")
        partial.replace(tarball)
    return tarball


def _integrity(path: Path, algorithm: str) -> str:
    return base64.b64encode(hashlib.new(algorithm, path.read_bytes()).digest()).decode("ascii")


def unpack_core(tarball: Path, target: Path) -> dict[str, str]:
    """Unpack the page's part of the Pyodide core into `target`; its lock file's `info` (Python version...)."""
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball) as archive:
        for name in PYODIDE_FILES:
            member = archive.extractfile(f"package/{name}")
            if member is None:
                raise RuntimeError(f"{tarball} has no package/{name}")
            (target / name).write_bytes(member.read())
    info: dict[str, str] = json.loads((target / "pyodide-lock.json").read_text(encoding="utf-8"))["info"]
    return info


def course_wheel(folder: Path, python: str, progress: Progress) -> tuple[Path, str]:
    """The course's own packages as a wheel, with the validated content snapshot (made for where the wheel
    unpacks in Pyodide) and every picture drawn once; its version names the content's fingerprint."""
    files: dict[str, bytes] = {}
    for package in COURSE_PACKAGES:
        root = PROJECT_ROOT / package
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and not path.name.startswith("."):
                files[path.relative_to(PROJECT_ROOT).as_posix()] = path.read_bytes()
    knowledge = load_knowledge(DEFAULT_CONTENT_DIR)
    in_browser = replace(knowledge, directory=Path(site_packages(python)) / "content" / "data")
    with tempfile.TemporaryDirectory() as scratch:
        snapshot = write_snapshot(in_browser, Path(scratch))
        files[f"{SITE_DATA}/snapshots/{snapshot.name}"] = snapshot.read_bytes()
        progress("Drawing the course's pictures once for every visitor")
        store = Path(scratch) / "pictures"
        pictures.fill_store(load_guidance(), store)
        for path in sorted(store.rglob("*.json")):
            files[f"{SITE_DATA}/pictures/{path.relative_to(store).as_posix()}"] = path.read_bytes()
    version = f"{COURSE_VERSION}+{knowledge.fingerprint}"
    return write_wheel(folder, "ros1-course", version, files), knowledge.fingerprint


def kernel_environment(python: str) -> dict[str, str]:
    """What a page's kernel finds in os.environ: what the course's server tells its own kernels."""
    data = f"{site_packages(python)}/{SITE_DATA}"
    return {HOME_VARIABLE: "../../index.html", STATIC_PAGES_VARIABLE: "1", SNAPSHOT_VARIABLE: f"{data}/snapshots",
            pictures.PICTURE_STORE: f"{data}/pictures", RECORD_VARIABLE: "1", DATA_DIR_VARIABLE: RECORD_FOLDER,
            "HOME": "/home/pyodide"}


def voila_settings() -> dict[str, object]:
    """The app's Voila settings (voila.json), which the static pages follow as the server's pages do."""
    settings: dict[str, object] = json.loads(VOILA_SETTINGS.read_text(encoding="utf-8"))["VoilaConfiguration"]
    return settings


def start_packages() -> list[str]:
    """What a page's kernel loads as it starts: the Pyodide kernel's own packages and the course."""
    return sorted({*KERNEL_START_PACKAGES, "ros1-course"})


def lite_settings(python: str) -> dict[str, object]:
    """The JupyterLite settings of the site: the Pyodide core inside the folder, every package loaded at
    kernel start from the site's own lock, no package index."""
    return {"jupyter-lite-schema-version": 0, "jupyter-config-data": {
        "appName": "ROS1 course", "disabledExtensions": [],
        "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": {
            "pyodideUrl": "./static/pyodide/pyodide.js", "disablePyPIFallback": True, "pipliteUrls": [],
            "loadPyodideOptions": {"packages": start_packages(), "env": kernel_environment(python)}}}}}


def build_config() -> dict[str, object]:
    """The JupyterLite build's own settings: only the page's extensions, not every one in this environment."""
    return {"LiteBuildConfig": {"ignore_sys_prefix": True,
                                "federated_extensions": [str(LAB_EXTENSIONS / name) for name in PAGE_EXTENSIONS]}}


def build_static(output: Path, cache: Path = DEFAULT_CACHE, progress: Progress = print) -> Path:
    """Build the static course into `output` (made new: an existing folder is replaced only when the build has
    succeeded) and return it."""
    guidance = load_guidance()
    output = output.resolve()
    with tempfile.TemporaryDirectory(prefix="ros1-course-static-") as scratch:
        work = Path(scratch)
        lite, contents, built = work / "lite", work / "contents", work / "site"
        core = lite / "static" / "pyodide"
        info = unpack_core(pyodide_core(cache / "npm", progress), core)
        python = info["python"]
        progress(f"Collecting the kernel's wheels for Python {python} (Pyodide {PYODIDE_VERSION})")
        pins: dict[str, str] = {}
        for lock in LOCKS:
            pins.update(locked_versions(lock))
        wheel_cache = WheelCache(cache / "wheels")
        wheels = kernel_wheels(wheel_cache, pins, python, roots=INDEX_ROOTS)
        for name, depends in KERNEL_OWN_DEPENDS.items():
            path = next(KERNEL_EXTENSION.glob(f"{name.replace('-', '_')}-*-py3-none-any.whl"))
            wheels.append(shipped_wheel(path, depends))
        own, fingerprint = course_wheel(work, python, progress)
        wheels.append(shipped_wheel(own, KERNEL_ROOTS))
        for wheel in wheels:
            shutil.copy2(wheel.path, core / wheel.path.name)
        shipped = [replace(w, path=core / w.path.name) for w in wheels]
        write_lock(core / "pyodide-lock.json", shipped, core / "pyodide-lock.json")  # precompile loads them
        (lite / "jupyter_lite_config.json").write_text(json.dumps(build_config(), indent=1), "utf-8")
        (lite / "jupyter-lite.json").write_text(json.dumps(lite_settings(python), indent=1), "utf-8")
        contents.mkdir()
        for page in course_pages(guidance):
            shutil.copy2(NOTEBOOKS / page.file, contents / page.file)
        write_progress_notebook(contents / PROGRESS_PAGE)
        precompile(core, shipped, sorted(contents.glob("*.ipynb")), python, progress)
        write_lock(core / "pyodide-lock.json", shipped, core / "pyodide-lock.json")  # the wheels' new checksums
        progress("Rendering the pages with Voici")
        run_voici(lite, contents, built)
        (built / "index.html").write_text(contents_html(guidance, None, static_page, static_page(PROGRESS_PAGE)),
                                          encoding="utf-8")
        (built / "ros1-course-site.json").write_text(json.dumps(
            {"content": fingerprint, "pyodide": PYODIDE_VERSION, "course": COURSE_VERSION}, indent=1) + "\n", "utf-8")
        if output.exists():
            shutil.rmtree(output)
        shutil.move(str(built), output)
    return output


def precompile(core: Path, wheels: list[Wheel], pages: list[Path], python: str, progress: Progress) -> None:
    """Put the site's `sitecustomize` into the core's standard library, and the byte code of what the pages
    import into it and into the wheels (page_bytecode), so no visitor's browser compiles it. Without Node.js
    the pages compile it as they start, as they did before: slower, and said."""
    stdlib = core / "python_stdlib.zip"
    add_sitecustomize(stdlib)
    node = node_command()
    if node is None:
        progress("Node.js not found: the pages will compile their Python as each starts (about 2 s slower)")
        return
    progress("Compiling what the pages import, in the site's own Pyodide (Node.js)")
    bytecode = compile_page_imports(node, core, start_packages(), page_imports(pages), kernel_environment(python))
    for module, error in bytecode.failed.items():
        progress(f"Not imported at build time (a page that imports it compiles it): {module}: {error}")
    added = add_to_stdlib(stdlib, bytecode) + sum(add_to_wheel(wheel.path, bytecode) for wheel in wheels)
    progress(f"{added} modules compiled ahead for every page")


def write_progress_notebook(path: Path) -> None:
    """The *My progress* page's notebook: one cell showing the record kept in the browser."""
    notebook = {"cells": [{"cell_type": "code", "execution_count": None, "id": "my-progress", "metadata": {},
                           "outputs": [], "source": PROGRESS_CODE}],
                "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                             "title": "My progress"},
                "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(notebook, indent=1) + "\n", encoding="utf-8")


def run_voici(lite: Path, contents: Path, output: Path) -> None:
    """Render every page with the course's template and settings (voila.json) into `output`."""
    settings = voila_settings()
    command = [sys.executable, "-c", "from voici_core.app import main; main()", "build", "--lite-dir", str(lite),
               "--contents", str(contents), "--output-dir", str(output), "--template", str(settings["template"]),
               "--theme", str(settings["theme"]), f"--strip_sources={settings['strip_sources']}",
               f"--show_tracebacks={settings['show_tracebacks']}", "--no-sourcemaps"]
    environment = {**os.environ, "JUPYTER_PATH": os.pathsep.join(
        p for p in (str(TEMPLATES_ROOT), os.environ.get("JUPYTER_PATH", "")) if p)}
    result = subprocess.run(command, cwd=lite, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"voici build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")


def folder_size(folder: Path) -> int:
    """The bytes of every file under `folder`."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
