"""The project's set-up files agree with each other: pins, environment, commands."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version.strip()
    return pins


def test_environment_pins_agree_with_the_lock() -> None:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict))
    lock = _lock()
    pinned = {}
    for requirement in pip_section:
        if "==" in requirement:
            name, version = requirement.split("==")
            pinned[re.sub(r"[-_.]+", "-", name).lower()] = version
    assert pinned, "environment.yml pins its packages"
    assert {name: lock.get(name) for name in pinned} == pinned
    assert {"voila", "ipywidgets", "jupyterlab-widgets"} <= set(pinned), "pinned together"
    assert "-c requirements.lock" in pip_section and "." in pip_section


def test_project_dependencies_are_all_locked() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    lock = _lock()
    names = [re.sub(r"[-_.]+", "-", re.split(r"[<>=!\[ ]", d)[0]).lower() for d in declared]
    assert [n for n in names if n not in lock] == []


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make app" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.rstrip().splitlines()[-1] == "make test"
