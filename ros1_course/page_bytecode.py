"""Byte code for the static site's pages, compiled once when the site is built instead of at every kernel start.

A page's kernel imports about 700 modules as it starts (the package manager, the Pyodide kernel, IPython, the
widgets, the course), and the Pyodide core ships its standard library as source, as every wheel is: so each
visit compiled them all again, about 2 s of a first working control's 6.5 s on the machine the bench ran on.

The build starts the site's own Pyodide in Node.js as a page's kernel starts it (the site's lock, packages and
environment), imports what the kernel and the pages import, and keeps an unchecked-hash .pyc (PEP 552) of each
module it compiled: made by the interpreter that loads it, so its magic number and cache tag match by
construction, and loaded without comparing it with its source. The zip and the wheels keep the source, for
tracebacks. A module imported later, by a learner's action, is compiled on the page as before. The same step puts
the site's `sitecustomize` (in_pyodide/sitecustomize.py) into the standard library.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from IPython.core.inputtransformer2 import TransformerManager

from .pyodide_packages import record_row, zip_entry

IN_PYODIDE = Path(__file__).parent / "in_pyodide"
# What the Pyodide kernel (jupyterlite-pyodide-kernel's worker) imports before a page's first cell runs.
KERNEL_START_IMPORTS = ("micropip", "piplite.piplite", "pyodide_kernel")
SITECUSTOMIZE = "sitecustomize.py"
RUN_SECONDS = 600


@dataclass(frozen=True)
class Bytecode:
    """The .pyc of each module a page imports: by its source's name in the standard library's zip, and by its
    path under site-packages (as a wheel names it); the cache tag of the interpreter that made them."""

    cache_tag: str
    stdlib: dict[str, bytes]
    site: dict[str, bytes]
    failed: dict[str, str]


def page_imports(notebooks: Iterable[Path]) -> list[str]:
    """The modules the kernel imports at start, and those the notebooks' code cells import (absolute imports),
    in order, each once. A cell that IPython could not run either is an error naming its notebook."""
    modules = dict.fromkeys(KERNEL_START_IMPORTS)
    as_ipython_runs = TransformerManager()  # a magic (%time, !pip) becomes a call
    for notebook in notebooks:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            try:
                tree = ast.parse(as_ipython_runs.transform_cell(source))
            except SyntaxError as error:
                raise ValueError(f"{notebook}: a code cell is not Python ({error.msg}, line {error.lineno})") from None
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    modules.update(dict.fromkeys(alias.name for alias in node.names))
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    modules[node.module] = None
    return list(modules)


def node_command() -> str | None:
    """The Node.js that runs the site's Pyodide at build time, if this computer has one."""
    return shutil.which("node")


def run_in_pyodide(node: str, core: Path, script: Path, out: Path, request: dict[str, object]) -> dict[str, Any]:
    """Run the Python file `script` in the Pyodide of a site's `core` folder (its core, lock and wheels) under
    Node.js, as a page's kernel starts: `request` names the `packages` to load and the `env`, and whatever else
    the script reads from /out/request.json. `out` is the script's /out; return what it wrote to report.json."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "request.json").write_text(json.dumps(request), encoding="utf-8")
    result = subprocess.run([node, str(IN_PYODIDE / "run.mjs"), str(core), str(out), str(script)],
                            capture_output=True, text=True, timeout=RUN_SECONDS, check=False)
    report = out / "report.json"
    if result.returncode != 0 or not report.is_file():
        raise RuntimeError(f"{script.name} in Pyodide (Node.js {node}) failed:\n{result.stderr[-4000:]}")
    answer: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return answer


def compile_page_imports(node: str, core: Path, packages: Sequence[str], modules: Sequence[str],
                         environment: dict[str, str]) -> Bytecode:
    """Start the site's Pyodide in Node.js with `packages` loaded, import `modules` and return the byte code of
    every module compiled on the way."""
    with tempfile.TemporaryDirectory(prefix="ros1-course-bytecode-") as scratch:
        out = Path(scratch)
        report = run_in_pyodide(node, core, IN_PYODIDE / "compile_imports.py", out,
                                {"packages": list(packages), "modules": list(modules), "env": environment})
        return Bytecode(report["cache_tag"], _sources_and_pyc(out / "stdlib"), _sources_and_pyc(out / "site"),
                        report["failed"])


def _sources_and_pyc(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix()[:-1]: path.read_bytes() for path in sorted(folder.rglob("*.pyc"))}


def add_sitecustomize(stdlib_zip: Path) -> None:
    """Put the site's `sitecustomize` at the top of the standard library's zip (replacing any earlier one)."""
    source = (IN_PYODIDE / SITECUSTOMIZE).read_bytes()
    _rewrite_zip(stdlib_zip, lambda name, data: [] if name == SITECUSTOMIZE else [(name, data)],
                 [(SITECUSTOMIZE, source)])


def add_to_stdlib(stdlib_zip: Path, bytecode: Bytecode) -> int:
    """Put each compiled module's .pyc beside its source in the standard library's zip (where zipimport looks
    first); the number added."""
    with zipfile.ZipFile(stdlib_zip) as archive:
        added = sum(1 for name in archive.namelist() if name in bytecode.stdlib)

    def with_pyc(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if name in bytecode.stdlib:
            return [(name, data), (name[:-3] + ".pyc", bytecode.stdlib[name])]
        return [(name, data)]

    _rewrite_zip(stdlib_zip, with_pyc)
    return added


def add_to_wheel(wheel: Path, bytecode: Bytecode) -> int:
    """Put each compiled module's .pyc into the wheel's `__pycache__` folders, listed in its RECORD; the number
    added (a wheel with none is left as it was)."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    cached = {name: _cache_path(name, bytecode.cache_tag) for name in names if name in bytecode.site}
    if not cached:
        return 0
    record_name = next(name for name in names if name.endswith(".dist-info/RECORD"))
    rows = [record_row(pyc_name, bytecode.site[name]) for name, pyc_name in cached.items()]

    def with_pyc(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if name == record_name:
            return [(name, _with_rows(data, rows))]
        if name in cached:
            return [(name, data), (cached[name], bytecode.site[name])]
        return [(name, data)]

    _rewrite_zip(wheel, with_pyc)
    return len(cached)


def _cache_path(source: str, cache_tag: str) -> str:
    folder, _, file = source.rpartition("/")
    cache = f"{folder}/__pycache__" if folder else "__pycache__"
    return f"{cache}/{file.removesuffix('.py')}.{cache_tag}.pyc"


def _with_rows(record: bytes, rows: list[tuple[str, str, int]]) -> bytes:
    lines = record.decode("utf-8").splitlines(keepends=True)
    own = [line for line in lines if line.split(",", 1)[0].endswith(".dist-info/RECORD")]
    others = [line for line in lines if line not in own]
    extra = io.StringIO()
    csv.writer(extra, lineterminator="\n").writerows(rows)
    text = "".join(others)
    if text and not text.endswith("\n"):
        text += "\n"
    return (text + extra.getvalue() + "".join(own)).encode("utf-8")


def _rewrite_zip(path: Path, entries: Callable[[str, bytes], list[tuple[str, bytes]]],
                 appended: Sequence[tuple[str, bytes]] = ()) -> None:
    """Rewrite the zip at `path`, each entry replaced by what `entries` gives for it, then `appended`: written
    beside it and moved into place, so a failure leaves the old zip whole. Kept entries keep their attributes."""
    partial = path.with_name(path.name + ".part")
    try:
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                for name, data in entries(info.filename, source.read(info)):
                    target.writestr(info if name == info.filename else zip_entry(name, info.date_time), data)
            for name, data in appended:
                target.writestr(zip_entry(name), data)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
