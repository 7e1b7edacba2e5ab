"""The explainer's story order: which scene comes when, and where each one lives.

>>> STORY[:2]
('ReluUnit', 'ApproximateSquare')
>>> scene_class("ApproximateSquare").__name__
'ApproximateSquare'
"""
from __future__ import annotations

import importlib

__all__ = ["STORY", "MODULES", "scene_class", "story_classes"]

MODULES = {
    # the seeds' story
    "ReluUnit": "scenes.relu_unit",
    "ApproximateSquare": "scenes.approximate_square",
    "ZoomToLine": "scenes.zoom_to_line",
    "RulerAndProtractor": "scenes.ruler_and_protractor",
    "TwoNeuronRegions": "scenes.two_neuron_regions",
    "Interaction": "scenes.interaction",
    # beyond the seeds
    "DepthCascade": "scenes.depth_cascade",
    "TrainingKinks": "scenes.training_kinks",
    "WhereKinksGo": "scenes.where_kinks_go",
}
STORY = tuple(MODULES)


def scene_class(name: str) -> type:
    """The scene class called `name`; a KeyError names the known scenes."""
    if name not in MODULES:
        raise KeyError(f"unknown scene {name!r}; known scenes: {', '.join(STORY)}")
    return getattr(importlib.import_module(MODULES[name]), name)


def story_classes() -> list[type]:
    """Every scene class, in story order."""
    return [scene_class(name) for name in STORY]
