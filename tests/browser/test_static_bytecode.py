"""The static site's Pyodide, run in Node.js as a page's kernel starts it (the site's own core, lock, wheels and
environment): what the pages import loads from the byte code the build compiled, not from source, and nothing is
imported from the learner's drive (the site's `sitecustomize`). No browser is needed: Node.js runs the same core."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ros1_course.page_bytecode import node_command, page_imports, run_in_pyodide
from ros1_course.static_site import kernel_environment, start_packages

from .conftest import missing_in_ci_fails

# A module of the standard library that no page imports: importing it must compile its source.
NOT_IMPORTED_BY_PAGES = "tomllib"

COUNT_COMPILES = '''
import builtins, importlib, json
from pathlib import Path

request = json.loads(Path("/out/request.json").read_text())
compiled = []
real_compile = builtins.compile


def counting_compile(source, filename, mode, *args, **kwargs):
    if mode == "exec" and str(filename).endswith(".py"):
        compiled.append(str(filename))
    return real_compile(source, filename, mode, *args, **kwargs)


builtins.compile = counting_compile
failed = {}
for name in request["modules"]:
    try:
        importlib.import_module(name)
    except Exception as error:
        failed[name] = repr(error)
by_pages = list(compiled)
importlib.import_module(request["other"])
report = {"by_pages": by_pages, "other": compiled[len(by_pages):], "failed": failed}
Path("/out/report.json").write_text(json.dumps(report))
'''

IMPORT_FROM_FOLDERS = '''
import importlib, json, os, sys
from pathlib import Path

results = {}
for folder, module in (("/drive/lessons", "placed_in_the_drive"), ("/tmp/elsewhere", "placed_elsewhere")):
    os.makedirs(folder, exist_ok=True)
    Path(folder, module + ".py").write_text("FOUND = True\\n")
    os.chdir(folder)
    importlib.invalidate_caches()
    try:
        results[module] = importlib.import_module(module).FOUND
    except ModuleNotFoundError:
        results[module] = False
results["cwd_on_path"] = "" in sys.path
Path("/out/report.json").write_text(json.dumps(results))
'''


@pytest.fixture(scope="module")
def node() -> str:
    found = node_command()
    if found is None:
        missing_in_ci_fails("node not found: install Debian's nodejs package to run the site's Pyodide in Node.js")
    assert found
    return found


def run(node: str, site: Path, tmp_path: Path, script: str, **request: object) -> dict[str, object]:
    path = tmp_path / "script.py"
    path.write_text(script, encoding="utf-8")
    core = site / "static" / "pyodide"
    python = json.loads((core / "pyodide-lock.json").read_text(encoding="utf-8"))["info"]["python"]
    return run_in_pyodide(node, core, path, tmp_path / "out",
                          {"packages": start_packages(), "env": kernel_environment(python), **request})


def test_what_the_pages_import_loads_compiled_and_only_the_rest_compiles_from_source(
        node: str, static_site: Path, tmp_path: Path) -> None:
    modules = page_imports(sorted((static_site / "files").glob("*.ipynb")))
    assert {"pyodide_kernel", "ros1_course.lesson", "widgets", "ros1_course.progress_page"} <= set(modules)
    report = run(node, static_site, tmp_path, COUNT_COMPILES, modules=modules, other=NOT_IMPORTED_BY_PAGES)
    assert report["failed"] == {}
    assert report["by_pages"] == [], "these were compiled from source on the page"
    zipped = "/lib/python313.zip/tomllib/"
    assert sorted(set(report["other"])) == [zipped + name for name in ("__init__.py", "_parser.py", "_re.py",
                                                                       "_types.py")]


def test_nothing_is_imported_from_the_drive_but_a_folder_elsewhere_still_imports(
        node: str, static_site: Path, tmp_path: Path) -> None:
    report = run(node, static_site, tmp_path, IMPORT_FROM_FOLDERS)
    assert report == {"placed_in_the_drive": False, "placed_elsewhere": True, "cwd_on_path": True}
