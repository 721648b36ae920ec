"""How the static build adds the pages' byte code (`ros1_course.page_bytecode`): what the pages import, .pyc files
in the wheels' `__pycache__` folders (listed in RECORD) and beside their source in the standard library's zip,
the site's `sitecustomize`, and a build without Node.js. Whether Pyodide then loads them: test_static_bytecode."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from ros1_course import page_bytecode, static_site
from ros1_course.page_bytecode import (
    IN_PYODIDE,
    KERNEL_START_IMPORTS,
    SITECUSTOMIZE,
    Bytecode,
    add_sitecustomize,
    add_to_stdlib,
    add_to_wheel,
    page_imports,
)
from ros1_course.pyodide_packages import record_row, write_wheel


def notebook(path: Path, *cells: tuple[str, str]) -> Path:
    """A notebook of (cell type, source) cells."""
    path.write_text(json.dumps({"cells": [{"cell_type": kind, "source": source, "metadata": {}}
                                          for kind, source in cells]}), encoding="utf-8")
    return path


def bytecode(**site: bytes) -> Bytecode:
    return Bytecode("cpython-313", stdlib={}, site={name.replace("__", "/") + ".py": data
                                                     for name, data in site.items()}, failed={})


def test_the_pages_imports_are_the_kernels_and_every_absolute_import_of_their_code_cells(tmp_path: Path) -> None:
    first = notebook(tmp_path / "a.ipynb", ("markdown", "import not_code"),
                     ("code", "from widgets import Quiz\nimport ros1_course.lesson, json\n"),
                     ("code", ["def later():\n", "    import xml.dom.minidom\n", "from . import relative\n"]),
                     ("code", "%load_ext autoreload\n!pip list\nimport textwrap"))
    second = notebook(tmp_path / "b.ipynb", ("code", "from widgets import Quiz\nimport ipywidgets as w"))
    assert page_imports([first, second]) == [*KERNEL_START_IMPORTS, "widgets", "ros1_course.lesson", "json",
                                             "xml.dom.minidom", "textwrap", "ipywidgets"]


def test_a_code_cell_that_is_not_python_is_named_with_its_notebook(tmp_path: Path) -> None:
    page = notebook(tmp_path / "broken.ipynb", ("code", "x = 1"), ("code", "%matplotlib inline\nif x\n"))
    with pytest.raises(ValueError, match=r"broken\.ipynb: a code cell is not Python \(expected ':', line 2\)"):
        page_imports([page])


def test_a_wheels_pyc_goes_into_its_pycache_and_its_record(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": b"", "pkg/mod.py": b"x = 1\n", "top.py": b"y = 2\n", "pkg/data.txt": b"text"}
    wheel = write_wheel(tmp_path, "pkg", "1.0", files)
    before = {name: data for name, data in _entries(wheel).items() if not name.endswith("RECORD")}
    assert add_to_wheel(wheel, bytecode(pkg__mod=b"PYC-MOD", top=b"PYC-TOP", other__missing=b"-")) == 2
    after = _entries(wheel)
    assert after["pkg/__pycache__/mod.cpython-313.pyc"] == b"PYC-MOD"
    assert after["__pycache__/top.cpython-313.pyc"] == b"PYC-TOP"
    assert {name: after[name] for name in before} == before, "every other file is as it was"
    rows = list(csv.reader(io.StringIO(after["pkg-1.0.dist-info/RECORD"].decode())))
    assert [r[0] for r in rows][-1] == "pkg-1.0.dist-info/RECORD", "RECORD still lists itself last, unhashed"
    listed = {r[0]: (r[1], int(r[2])) for r in rows[:-1]}
    assert set(listed) == set(after) - {"pkg-1.0.dist-info/RECORD"}
    for name, (digest, size) in listed.items():
        assert (name, digest, size) == record_row(name, after[name]), name


def test_a_wheel_with_nothing_compiled_is_left_as_it_was(tmp_path: Path) -> None:
    wheel = write_wheel(tmp_path, "plain", "1.0", {"plain.py": b"z = 3\n"})
    original = wheel.read_bytes()
    assert add_to_wheel(wheel, bytecode(other=b"PYC")) == 0
    assert wheel.read_bytes() == original


def test_the_standard_librarys_pyc_goes_beside_its_source_and_sitecustomize_is_added_once(tmp_path: Path) -> None:
    stdlib = tmp_path / "python_stdlib.zip"
    with zipfile.ZipFile(stdlib, "w") as archive:
        archive.writestr("json/__init__.py", b"# json")
        archive.writestr("textwrap.py", b"# textwrap")
        archive.writestr(SITECUSTOMIZE, b"# an older one")
    add_sitecustomize(stdlib)
    add_sitecustomize(stdlib)
    compiled = Bytecode("cpython-313", stdlib={"json/__init__.py": b"PYC-JSON"}, site={}, failed={})
    assert add_to_stdlib(stdlib, compiled) == 1
    entries = _entries(stdlib)
    assert list(entries) == ["json/__init__.py", "json/__init__.pyc", "textwrap.py", SITECUSTOMIZE]
    assert entries["json/__init__.pyc"] == b"PYC-JSON" and entries["textwrap.py"] == b"# textwrap"
    assert entries[SITECUSTOMIZE] == (IN_PYODIDE / SITECUSTOMIZE).read_bytes()
    assert not list(tmp_path.glob("*.part")), "nothing half-written is left"


def test_a_zip_whose_rewriting_fails_is_left_whole_with_nothing_half_written(tmp_path: Path) -> None:
    wheel = write_wheel(tmp_path, "whole", "1.0", {"whole.py": b"w = 4\n", "other.py": b"o = 5\n"})
    original = wheel.read_bytes()

    def failing(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if name == "whole.py":
            raise OSError("disk full")
        return [(name, data)]

    with pytest.raises(OSError, match="disk full"):
        page_bytecode._rewrite_zip(wheel, failing)
    assert wheel.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == [wheel.name]


def test_without_node_the_build_says_the_pages_compile_as_they_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    core = tmp_path / "pyodide"
    core.mkdir()
    with zipfile.ZipFile(core / "python_stdlib.zip", "w") as archive:
        archive.writestr("textwrap.py", b"# textwrap")
    monkeypatch.setattr(static_site, "node_command", lambda: None)
    said: list[str] = []
    static_site.precompile(core, [], [], "3.13.2", said.append)
    assert said == ["Node.js not found: the pages will compile their Python as each starts (about 2 s slower)"]
    assert list(_entries(core / "python_stdlib.zip")) == ["textwrap.py", SITECUSTOMIZE]


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
