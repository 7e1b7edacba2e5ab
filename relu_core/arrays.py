"""Read-only, checked float arrays: how relu_core's frozen dataclasses keep their weights."""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["frozen_array"]


def frozen_array(name: str, value: ArrayLike, *, shape: tuple[int, ...] | None = None,
                 ndim: int | None = None) -> np.ndarray:
    """A read-only float copy of `value`, checked for its shape (or only its rank) and finiteness.

    The copy means a caller who later changes their own array cannot change the frozen object.

    >>> frozen_array("v", [1, 2], shape=(2,)).tolist()
    [1.0, 2.0]
    >>> frozen_array("W", [1, 2], ndim=2)
    Traceback (most recent call last):
    ...
    ValueError: W must be a 2-D array, got shape (2,)
    """
    array = np.array(value, dtype=float)
    if shape is not None and array.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {array.shape}")
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite (it holds nan or inf)")
    array.setflags(write=False)
    return array
