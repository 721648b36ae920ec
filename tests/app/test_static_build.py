"""How the static site chooses and packs the browser kernel's packages (`ros1_course.pyodide_packages`): pins
from the locks, requirements evaluated for Pyodide, pure wheels only, a lock that names only what it ships."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from ros1_course.pyodide_packages import (
    Wheel,
    WheelCache,
    kernel_wheels,
    locked_versions,
    needed,
    pyodide_markers,
    shipped_wheel,
    write_lock,
    write_wheel,
)

PYTHON = "3.13.2"


def test_a_lock_line_that_is_not_a_pin_is_refused_with_its_line(tmp_path: Path) -> None:
    lock = tmp_path / "requirements.lock"
    lock.write_text("# a comment\nJinja2==3.1.6  # why\nipython>=9\n")
    with pytest.raises(ValueError, match=r"requirements.lock:3: not a 'name==version' pin: 'ipython>=9'"):
        locked_versions(lock)
    lock.write_text("Jinja2==3.1.6  # why\nstack_data==0.6.3\n")
    assert locked_versions(lock) == {"jinja2": "3.1.6", "stack-data": "0.6.3"}


def test_requirements_are_evaluated_as_pyodide_sees_them() -> None:
    markers = pyodide_markers(PYTHON)
    requires = ['pexpect>4.3; sys_platform != "win32" and sys_platform != "emscripten"',
                'colorama; sys_platform == "win32"', 'exceptiongroup; python_version < "3.11"',
                "Traitlets>=5", 'pytest; extra == "test"']
    assert needed(requires, markers) == ["traitlets"]


def test_a_written_wheel_is_the_same_bytes_each_time_and_installable(tmp_path: Path) -> None:
    first = write_wheel(tmp_path, "ros1-course", "0.1.0+abc", {"content/__init__.py": b"x = 1\n"})
    data = first.read_bytes()
    again = write_wheel(tmp_path, "ros1-course", "0.1.0+abc", {"content/__init__.py": b"x = 1\n"})
    assert again.read_bytes() == data and first.name == "ros1_course-0.1.0+abc-py3-none-any.whl"
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        record = archive.read("ros1_course-0.1.0+abc.dist-info/RECORD").decode()
    assert "content/__init__.py" in names and "content/__init__.py,sha256=" in record
    wheel = shipped_wheel(first, ["jinja2"])
    assert (wheel.name, wheel.version, wheel.imports, wheel.depends) == ("ros1-course", "0.1.0+abc", ("content",),
                                                                        ("jinja2",))


def test_a_dependency_with_no_pin_is_named(tmp_path: Path) -> None:
    cache = WheelCache(tmp_path)
    write_wheel(tmp_path, "needs-thing", "1.0", {"needs_thing.py": b""}, requires=["thing>=2"])
    with pytest.raises(RuntimeError, match=r"needs thing, which requirements\.lock does not pin"):
        kernel_wheels(cache, {"needs-thing": "1.0"}, PYTHON, roots=["needs-thing"])


def test_the_kernel_closure_follows_requirements_and_leaves_out_what_is_never_imported(tmp_path: Path) -> None:
    write_wheel(tmp_path, "widgets-lib", "1.0", {"widgets_lib/__init__.py": b""},
                requires=["base-lib", "widgetsnbextension~=4.0", 'winonly; sys_platform == "win32"'])
    write_wheel(tmp_path, "base-lib", "2.0", {"base_lib.py": b""})
    wheels = kernel_wheels(WheelCache(tmp_path), {"widgets-lib": "1.0", "base-lib": "2.0"}, PYTHON,
                           roots=["widgets-lib"])
    assert [(w.name, w.depends) for w in wheels] == [("base-lib", ()), ("widgets-lib", ("base-lib",))]


def test_the_sites_lock_has_an_entry_per_shipped_wheel_and_refuses_a_missing_one(tmp_path: Path) -> None:
    core = tmp_path / "core-lock.json"
    core.write_text(json.dumps({"info": {"python": PYTHON}, "packages": {"numpy": {}}}))
    base = shipped_wheel(write_wheel(tmp_path, "base-lib", "2.0", {"base_lib.py": b""}))
    top = Wheel(write_wheel(tmp_path, "top-lib", "1.0", {"top_lib.py": b""}), "top-lib", "1.0", ("top_lib",),
                ("base-lib",))
    target = tmp_path / "pyodide-lock.json"
    write_lock(core, [base, top], target)
    lock = json.loads(target.read_text())
    assert lock["info"] == {"python": PYTHON} and sorted(lock["packages"]) == ["base-lib", "top-lib"]
    assert lock["packages"]["top-lib"]["depends"] == ["base-lib"]
    with pytest.raises(RuntimeError, match="names packages it does not ship: base-lib"):
        write_lock(core, [top], tmp_path / "other.json")
