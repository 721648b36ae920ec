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


def test_binder_link_environment_and_voila_settings_agree() -> None:
    import json
    import tomllib
    from urllib.parse import parse_qs, unquote, urlparse

    readme = (ROOT / "README.md").read_text()
    link = re.search(r"https://mybinder\.org/v2/gh/\S+?\?urlpath=[^\s)`]+", readme)
    assert link, "the README gives a Binder link that opens the app"
    urlpath = unquote(parse_qs(urlparse(link.group(0)).query)["urlpath"][0])
    assert urlpath.startswith("voila/render/")
    assert (ROOT / urlpath.removeprefix("voila/render/")).is_file(), f"{urlpath} names the app notebook"

    template = json.loads((ROOT / "voila.json").read_text())["VoilaConfiguration"]["template"]
    data_files = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    assert f"share/jupyter/voila/templates/{template}" in data_files, "the template is installed with the package"
    assert (ROOT / "share" / "jupyter" / "voila" / "templates" / template / "index.html.j2").is_file()

    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict))
    assert "." in pip_section, "Binder installs the course itself, not editable, so the template is installed"
    assert any(req.startswith("voila==") for req in pip_section)
