"""Draw every picture the presenter app can show, into the shared picture store, before kernels start."""

from __future__ import annotations

import os
from pathlib import Path

from content import Guidance, load_guidance

from . import pictures
from .partners import COMPARE, FusionPartnerExplorer
from .pictures import PICTURE_STORE
from .resistance import ResistanceExplorer


def predraw(store: Path, guidance: Guidance | None = None) -> int:
    """Fill `store` by building the explorers through every partner and the comparison view, exactly as the
    app does; returns the number of pictures stored. Processes that should reuse them need
    $ROS1_COURSE_PICTURE_STORE set to `store`."""
    previous = os.environ.get(PICTURE_STORE)
    os.environ[PICTURE_STORE] = str(store)
    for draw in (pictures.fusion_schematic, pictures.frequency_chart, pictures.activity_heatmap):
        draw.cache_clear()  # pictures this process already holds must still reach the store
    try:
        g = guidance or load_guidance()
        explorer = FusionPartnerExplorer(guidance=g)
        for _label, symbol in explorer.partner.options:
            explorer.partner.value = symbol
        explorer.view.value = COMPARE
        ResistanceExplorer(guidance=g)
    finally:
        if previous is None:
            del os.environ[PICTURE_STORE]
        else:
            os.environ[PICTURE_STORE] = previous
    return len(list(store.glob("*.json")))
