"""The one registry of the explainer's scenes: which scene comes when, and where each one lives.

Stitching, the tests and the command line (`relu-explainer list`, `render`) all read it from here.

>>> STORY[:2]
('ReluUnit', 'ApproximateSquare')
>>> scene_class("ApproximateSquare").__name__
'ApproximateSquare'
>>> written()[1]  # scenes listed but not written yet
[]
"""
from __future__ import annotations

import importlib
import importlib.util

__all__ = ["STORY", "MODULES", "scene_class", "story_classes", "is_written", "written"]

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
    # the answer, and what the story implies
    "WhatFollows": "scenes.what_follows",
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


def is_written(name: str) -> bool:
    """Whether the module of story scene `name` exists (a scene may be listed before it is written)."""
    try:
        return importlib.util.find_spec(MODULES[name]) is not None
    except (ImportError, ValueError):
        return False


def written() -> tuple[list[str], list[str]]:
    """(story scenes whose module exists, those not written yet), both in story order."""
    have = [name for name in STORY if is_written(name)]
    return have, [name for name in STORY if name not in have]
