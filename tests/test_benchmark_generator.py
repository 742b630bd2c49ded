"""The benchmark's synthetic graphs (``benchmarks/generate.py``) have the shape the README says they have."""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph

from iotkg import paths
from iotkg.namespaces import IOTKG
from iotkg.pipeline.load import load
from iotkg.pipeline.reason import reason
from iotkg.pipeline.validate import validate

sys.path.insert(0, str(paths.project_root() / "benchmarks"))
from generate import generate


def _pairs(graph: Graph) -> int:
    return len(set(graph.subject_objects(IOTKG.playsSamePartAs)))


def _roles_per_category(graph: Graph) -> Counter:
    """How many roles each category has (the categories are entailed from the placements: read the closure)."""
    return Counter(graph.objects(None, IOTKG.hasRoleCategory))


@pytest.mark.slow
@pytest.mark.parametrize("categories", ["per-copy", "shared"])
def test_three_copies_conform_and_their_equivalent_pairs_grow_as_the_shape_says(
    categories: str, tmp_path: Path
) -> None:
    # the generator copies the -02 entries (instances/*.ttl); compare with those, reasoned alone
    shipped = tmp_path / "shipped-02"
    shipped.mkdir()
    for path in paths.instances_dir().glob("*.ttl"):
        shutil.copy(path, shipped / path.name)
    reasoned = reason(load(shipped).asserted)
    generate(paths.instances_dir(), tmp_path / "copies", 3, categories)
    sources = load(tmp_path / "copies")
    assert validate(sources).conforms
    copies = reason(sources.asserted)
    assert copies.errors == []
    shipped_sizes = _roles_per_category(reasoned.combined)
    assert _pairs(reasoned.inferred) > 0 and shipped_sizes  # so that "three times" below means something
    # every protocol three times, each copy under its own name
    shipped_names = set(reasoned.asserted.objects(None, IOTKG.shortName))
    copy_names = {str(name) for name in copies.asserted.objects(None, IOTKG.shortName)}
    assert copy_names == {str(name) + suffix for name in shipped_names for suffix in ("", "-1", "-2")}
    if categories == "per-copy":
        # three independent surveys: three times the shipped pairs, none across copies
        assert _pairs(copies.inferred) == 3 * _pairs(reasoned.inferred)
        assert len(_roles_per_category(copies.combined)) == 3 * len(shipped_sizes)
    else:
        # one survey of 33 protocols: each category has three times the roles, and the pairs are every two members
        # of a category (a pair of roles that share two categories counted once)
        assert _roles_per_category(copies.combined) == Counter({c: 3 * n for c, n in shipped_sizes.items()})
        members: dict = {}
        for role, category in copies.combined.subject_objects(IOTKG.hasRoleCategory):
            members.setdefault(category, set()).add(role)
        expected = len({(a, b) for group in members.values() for a in group for b in group if a != b})
        assert _pairs(copies.inferred) == expected
        assert _pairs(copies.inferred) > 3 * _pairs(reasoned.inferred)
