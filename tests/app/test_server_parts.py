"""The course server's parts that need no server: the visitor cap's default, the refusal of a bad cap, and the
one-line log of a failed cell."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import jinja2
import pytest
from nbclient.exceptions import CellExecutionError
from voila.exporter import VoilaExporter

from content.snapshot import SNAPSHOT_VARIABLE
from ros1_course.memory import return_freed_memory
from ros1_course.serve import (
    ALLOCATOR_MARK,
    CONTENT_PREFIX,
    KERNEL_MIB,
    MEMORY_SHARE,
    PICTURES_PREFIX,
    SERVER_MIB,
    SHARED_PREFIX,
    default_max_visitors,
    remove_run_folders,
    voila_environment,
)
from ros1_course.server import CELL_ERROR, OneLineCellErrors, SharedBytecode, share_compiled_page_templates
from widgets.pictures import PICTURE_STORE
from widgets.shared import SHARED_HTML_STORE

SCRIPT = shutil.which("ros1-course", path=str(Path(sys.executable).parent))
GIB = 2**30


def test_the_default_cap_follows_the_memory() -> None:
    assert default_max_visitors(8 * GIB) == int((8 * 1024 * MEMORY_SHARE - SERVER_MIB) // KERNEL_MIB)
    assert default_max_visitors(16 * GIB) > 2 * default_max_visitors(8 * GIB) - 5
    assert default_max_visitors(256 * 2**20) == 1  # never less than one visitor


def test_a_cap_below_one_is_refused_before_anything_starts() -> None:
    assert SCRIPT
    result = subprocess.run([SCRIPT, "app", "--max-visitors", "0", "--no-browser"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert result.stderr == "ros1-course: --max-visitors must be at least 1.\n"
    assert "Serving" not in result.stdout


def record(message: object, args: tuple[object, ...] = (), exc: BaseException | None = None) -> logging.LogRecord:
    return logging.LogRecord("voila", logging.ERROR, __file__, 1, message, args,
                             (type(exc), exc, None) if exc else None)


def test_a_failed_cell_is_one_line_in_the_log() -> None:
    cell = {"source": "x = 1\n" * 500, "outputs": []}
    error = CellExecutionError("Traceback...\n" + "  File 'x'\n" * 50 + "RuntimeError: internal-xyzzy", "", "")
    for logged in (record(CELL_ERROR + ": %r", (cell,), error), record(error)):
        assert OneLineCellErrors().filter(logged)
        line = logged.getMessage()
        assert line == "ros1-course: a cell of a page raised RuntimeError: internal-xyzzy; the page shows the " \
                       "course's error message"
        assert logged.exc_info is None


def test_other_log_lines_pass_unchanged() -> None:
    logged = record("Kernel started: %s", ("abc",))
    assert OneLineCellErrors().filter(logged) and logged.getMessage() == "Kernel started: abc"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's")
def test_freed_memory_goes_back_to_the_system() -> None:
    held = [bytearray(1024) for _ in range(200_000)]  # about 200 MiB in small blocks
    del held
    before, after = return_freed_memory()
    assert after < before - 100, (before, after)


def test_only_the_folders_this_run_made_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    snapshot, drawn = tmp_path / f"{CONTENT_PREFIX}run1", tmp_path / f"{PICTURES_PREFIX}run1"
    rendered = tmp_path / f"{SHARED_PREFIX}run1"
    for folder in (snapshot, drawn, rendered):
        folder.mkdir()
        (folder / "inside").write_text("made by the run")
    environ = {SNAPSHOT_VARIABLE: str(snapshot), PICTURE_STORE: str(drawn), SHARED_HTML_STORE: str(rendered)}
    assert remove_run_folders(environ) == [snapshot, drawn, rendered]
    assert not snapshot.exists() and not drawn.exists() and not rendered.exists()

    elsewhere, nested = tmp_path / "a-maintainers-folder", tmp_path / "deeper" / f"{CONTENT_PREFIX}run2"
    for folder in (elsewhere, nested):
        folder.mkdir(parents=True)
    for environ in ({SNAPSHOT_VARIABLE: str(elsewhere)}, {SNAPSHOT_VARIABLE: str(nested)}, {PICTURE_STORE: "/"},
                    {SNAPSHOT_VARIABLE: str(tmp_path)}, {}):
        assert remove_run_folders(environ) == []
    assert elsewhere.is_dir() and nested.is_dir()


def test_page_templates_are_compiled_once_for_every_environment_and_again_when_changed() -> None:
    cache = SharedBytecode()
    sources = {"page.html.j2": "<p>{{ who }}</p>"}
    first = jinja2.Environment(loader=jinja2.DictLoader(sources), bytecode_cache=cache)
    assert first.get_template("page.html.j2").render(who="a trainee") == "<p>a trainee</p>"
    assert len(cache.compiled) == 1

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    second = jinja2.Environment(loader=jinja2.DictLoader(sources), bytecode_cache=cache)
    second.compile = no_compiling  # type: ignore[method-assign]
    assert second.get_template("page.html.j2").render(who="an educator") == "<p>an educator</p>"

    changed = jinja2.Environment(loader=jinja2.DictLoader({"page.html.j2": "<b>{{ who }}</b>"}), bytecode_cache=cache)
    assert changed.get_template("page.html.j2").render(who="a maintainer") == "<b>a maintainer</b>"


def test_voila_page_environments_share_one_bytecode_cache() -> None:
    share_compiled_page_templates()
    share_compiled_page_templates()  # once is enough; a second call changes nothing
    one, other = VoilaExporter(template_name="lab").environment, VoilaExporter(template_name="lab").environment
    assert one is not other
    assert isinstance(one.bytecode_cache, SharedBytecode) and one.bytecode_cache is other.bytecode_cache


def test_the_server_gets_the_c_allocator_unless_one_was_chosen() -> None:
    assert voila_environment({})["PYTHONMALLOC"] == "malloc"
    chosen = voila_environment({"PYTHONMALLOC": "debug"})
    assert chosen["PYTHONMALLOC"] == "debug" and ALLOCATOR_MARK not in chosen
