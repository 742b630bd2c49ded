"""Two runs give the same bytes: ``iotkg build`` and ``iotkg export`` in separate processes under different
``PYTHONHASHSEED`` values (set iteration order and rdflib's random blank node labels both change between them)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # the full suite only (see pyproject.toml)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _env(seed: str, cache: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONHASHSEED": seed, "IOTKG_CACHE_DIR": str(cache)}


def test_two_builds_under_different_hash_seeds_write_identical_bytes(tmp_path: Path, cli) -> None:
    runs = {}
    for seed in ("1", "2"):
        out = tmp_path / f"dist-{seed}"
        result = cli("build", "--out", str(out), env=_env(seed, tmp_path / f"cache-{seed}"))
        assert result.returncode == 0, result.stderr
        runs[seed] = _files(out)
    first, second = runs["1"], runs["2"]
    assert any(name.startswith("graph/") for name in first) and any(name.startswith("views/") for name in first)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    graph_files = {name for name in first if name.startswith("graph/")}
    assert {"graph/manifest.json", "graph/ontology.owl", "graph/merged.jsonld", "graph/iotkg.trig"} <= graph_files


def test_exports_under_three_more_hash_seeds_write_identical_bytes(tmp_path: Path, cli) -> None:
    runs = []
    for seed in ("0", "3", "4242"):
        out = tmp_path / f"graph-{seed}"
        result = cli("export", "--to", str(out), env=_env(seed, tmp_path / "cache"))
        assert result.returncode == 0, result.stderr
        runs.append(_files(out))
    assert len(runs[0]) > 10
    assert runs[0] == runs[1] == runs[2]
