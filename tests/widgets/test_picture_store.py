"""The picture store: every picture the course shows is named in the catalogue and drawn once per content
version; kernels of the app read them and never import matplotlib; a picture missing from the store is drawn
where asked and named in a warning, never silently."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from content import load_guidance
from ros1_course.documents import handout_html
from ros1_course.lesson import Lesson
from widgets import FusionPartnerExplorer, PresenterApp, ResistanceExplorer, pictures
from widgets.partners import COMPARE

BUILD_APP_WIDGETS = """
import json, sys
from content import load_guidance
from widgets import FusionPartnerExplorer, ResistanceExplorer
from widgets.partners import COMPARE
explorer = FusionPartnerExplorer(partner="EZR")
explorer.view.value = COMPARE
resistance = ResistanceExplorer(mutations=["G2032R"])
print(json.dumps({"matplotlib": "matplotlib" in sys.modules, "schematic": explorer.schematic.value,
                  "comparison": explorer.comparison.value, "heatmap": resistance.heatmap.value,
                  "fingerprint": load_guidance().knowledge.fingerprint}))
"""


def build_in_new_process(store: Path | None) -> tuple[dict, str]:
    """Build the app's explorers in a fresh Python process; what they showed, and what it warned."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
    if store is not None:
        env[pictures.PICTURE_STORE] = str(store)
    result = subprocess.run([sys.executable, "-c", BUILD_APP_WIDGETS], capture_output=True, text=True,
                            env=env, check=True, timeout=120)
    return json.loads(result.stdout), result.stderr


def test_the_store_holds_the_whole_catalogue_and_kernels_reuse_it(tmp_path: Path, guidance) -> None:
    folder = pictures.fill_store(guidance, tmp_path)
    assert folder == tmp_path / guidance.knowledge.fingerprint
    assert {p.name for p in folder.glob("*.json")} == {n.file_name for n in pictures.catalogue(guidance)}
    reused, warnings = build_in_new_process(tmp_path)
    assert reused["matplotlib"] is False, "a kernel that finds its pictures does not import matplotlib"
    assert "not in the store" not in warnings
    drawn, _ = build_in_new_process(None)
    assert drawn["matplotlib"] is True
    for part in ("schematic", "comparison", "heatmap"):
        assert reused[part] == drawn[part]


def test_every_picture_the_course_shows_is_in_the_catalogue(tmp_path: Path, guidance, monkeypatch) -> None:
    pictures.fill_store(guidance, tmp_path)
    monkeypatch.setenv(pictures.PICTURE_STORE, str(tmp_path))
    monkeypatch.setattr(pictures, "_drawn", {})
    drawn: list[pictures.PictureName] = []
    monkeypatch.setattr(pictures, "draw", lambda g, name: drawn.append(name))
    explorer = FusionPartnerExplorer(guidance)
    for partner in guidance.partners:
        explorer.partner = partner.symbol
    explorer.view.value = COMPARE
    names = [m.name for m in guidance.mutations]
    for first in names:
        for second in names:
            ResistanceExplorer(guidance, mutations=[first, second])
            handout_html(guidance, "CD74", [first, second], "crizotinib")
    lesson = Lesson(3, guidance, record=False)
    for fact in guidance.facts():
        if fact.figures:
            lesson.figure(fact.id)
    app = PresenterApp(guidance)
    for title in ("The fusion", "Progression and resistance"):
        app.section(title)
    assert drawn == [], f"pictures shown but missing from pictures.catalogue: {drawn}"


def test_a_damaged_stored_picture_is_drawn_again_with_a_warning(tmp_path: Path, guidance) -> None:
    folder = pictures.fill_store(guidance, tmp_path)
    schematic = folder / pictures.PictureName("schematic", ("EZR",)).file_name
    schematic.write_text("{not json", encoding="utf-8")
    rebuilt, warnings = build_in_new_process(tmp_path)
    assert rebuilt["matplotlib"] is True and "<img" in rebuilt["schematic"]
    assert "schematic-EZR.json is not in the store" in warnings
    assert json.loads(schematic.read_text())["png"], "the picture it drew is stored again"


def test_changed_content_is_a_new_version_of_the_store(edit_content, tmp_path: Path, guidance,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    pictures.fill_store(guidance, tmp_path)
    changed = load_guidance(edit_content("partners.yaml", "percent: 17.0", "percent: 18.0"))
    assert changed.knowledge.fingerprint != guidance.knowledge.fingerprint
    monkeypatch.setenv(pictures.PICTURE_STORE, str(tmp_path))
    chart = pictures.partner_frequencies(changed)
    assert "EZR 18.0%" in chart.alt, "the chart follows the changed content, not the stored one"
    assert (tmp_path / changed.knowledge.fingerprint / "partner-frequencies.json").is_file()


@pytest.fixture
def served_pictures(tmp_path: Path, guidance, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The store as `ros1-course app` fills it, with the server's picture address named for the kernels."""
    pictures.fill_store(guidance, tmp_path)
    monkeypatch.setenv(pictures.PICTURE_STORE, str(tmp_path))
    monkeypatch.setenv(pictures.PICTURE_URL, "/course/ros1-course/pictures")
    monkeypatch.setattr(pictures, "_drawn", {})
    return tmp_path


def test_a_served_page_refers_to_a_stored_picture_by_its_address(served_pictures: Path, guidance) -> None:
    fingerprint = guidance.knowledge.fingerprint
    explorer = FusionPartnerExplorer(guidance)
    explorer.partner = "EZR"
    schematic = pictures.schematic(guidance, "EZR")
    address = f"/course/ros1-course/pictures/{fingerprint}/schematic-EZR.png"
    width, height = schematic.size
    assert f'<img src="{address}" alt="' in explorer.schematic.value
    assert f'width="{width}" height="{height}"' in explorer.schematic.value
    assert "data:image/png" not in explorer.schematic.value
    assert pictures.picture_png(served_pictures, fingerprint, "schematic-EZR") == schematic.png
    # what a partner choice sends is the text around the picture, not the picture
    inline = schematic.html(schematic.alt, inline=True)
    assert len(explorer.schematic.value) < len(inline) - len(schematic.png)


def test_a_handout_carries_its_pictures_even_on_a_server_that_serves_them(served_pictures: Path, guidance) -> None:
    html = handout_html(guidance, "EZR", ["G2032R", "D2033N"], "crizotinib")
    assert "/ros1-course/pictures/" not in html
    assert html.count('<img src="data:image/png;base64,') == 2


def test_without_the_server_a_page_carries_its_pictures(tmp_path: Path, guidance, monkeypatch) -> None:
    pictures.fill_store(guidance, tmp_path)
    monkeypatch.setenv(pictures.PICTURE_STORE, str(tmp_path))
    monkeypatch.delenv(pictures.PICTURE_URL, raising=False)
    monkeypatch.setattr(pictures, "_drawn", {})
    assert '<img src="data:image/png;base64,' in FusionPartnerExplorer(guidance).schematic.value


@pytest.mark.parametrize("fingerprint, name", [
    ("{fingerprint}", "../schematic-EZR"), ("{fingerprint}", "schematic-EZR/../schematic-EZR"),
    ("{fingerprint}", ".schematic-EZR"), ("..", "schematic-EZR"), ("{fingerprint}", "schematic-NOPE"),
    ("0000000000ab", "schematic-EZR"), ("{fingerprint}/..", "schematic-EZR"),
])
def test_the_store_gives_only_its_own_pictures(served_pictures: Path, guidance, fingerprint: str, name: str) -> None:
    assert pictures.picture_png(served_pictures, fingerprint.format(fingerprint=guidance.knowledge.fingerprint),
                                name) is None
