"""The shared picture store: kernels of the app reuse pictures drawn once, and never import matplotlib."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from widgets.predraw import predraw

BUILD_APP_WIDGETS = """
import json, sys
from widgets import FusionPartnerExplorer, ResistanceExplorer
explorer = FusionPartnerExplorer(partner="EZR")
resistance = ResistanceExplorer(mutations=["G2032R"])
print(json.dumps({"matplotlib": "matplotlib" in sys.modules,
                  "schematic": explorer.schematic.value, "heatmap": resistance.heatmap.value}))
"""


def build_in_new_process(store: Path | None) -> dict:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
    if store is not None:
        env["ROS1_COURSE_PICTURE_STORE"] = str(store)
    result = subprocess.run([sys.executable, "-c", BUILD_APP_WIDGETS], capture_output=True, text=True,
                            env=env, check=True, timeout=120)
    return json.loads(result.stdout)


def test_predraw_fills_the_store_and_kernels_reuse_it(tmp_path: Path) -> None:
    stored = predraw(tmp_path)
    assert stored >= 3, "every partner's schematic, the comparison chart and the heatmap"
    reused = build_in_new_process(tmp_path)
    assert reused["matplotlib"] is False, "a kernel that finds its pictures does not import matplotlib"
    drawn = build_in_new_process(None)
    assert drawn["matplotlib"] is True
    assert reused["schematic"] == drawn["schematic"] and reused["heatmap"] == drawn["heatmap"]
    assert len(list(tmp_path.glob("*.json"))) == stored, "reusing writes nothing new"


def test_a_damaged_stored_picture_is_drawn_again(tmp_path: Path) -> None:
    predraw(tmp_path)
    for path in tmp_path.glob("*.json"):
        path.write_text("{not json", encoding="utf-8")
    rebuilt = build_in_new_process(tmp_path)
    assert rebuilt["matplotlib"] is True and "<img" in rebuilt["schematic"]
    def readable(path: Path) -> bool:
        try:
            return bool(json.loads(path.read_text())["png"])
        except ValueError:
            return False

    assert sum(map(readable, tmp_path.glob("*.json"))) >= 2, "the schematic and heatmap it drew are stored again"
