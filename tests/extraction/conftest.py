"""Shared helpers for the extraction tests (no database needed)."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS_DEV = REPO_ROOT.parent / "shared" / "corpus" / "dev"
SYNTHETIC = Path(__file__).resolve().parent / "synthetic"
CORPUS_JA_DEV = REPO_ROOT.parent / "shared" / "corpus" / "ja-dev"
SYNTHETIC_JA = Path(__file__).resolve().parent / "synthetic_ja"
