"""A view's rows come in one order, whatever order the store was loaded in.

The build loads its store from the reasoner's statements; a later ``iotkg query`` loads the cache's N-Quads.
Where two protocols share a draft section (copies of the shipped entries, or a user's entry numbered like one of
the draft's), rows that tie on every ``ORDER BY`` key would come out in the store's order, so each view's order
ends with keys that tell such rows apart."""

from __future__ import annotations

import dataclasses
import sys

import pyoxigraph as ox
import pytest

from iotkg import paths, views
from iotkg.pipeline.load import load
from iotkg.pipeline.reason import reason
from iotkg.store import GraphStore, from_reasoned

sys.path.insert(0, str(paths.project_root() / "benchmarks"))
from generate import generate


@pytest.fixture(scope="module")
def two_loads(tmp_path_factory: pytest.TempPathFactory) -> tuple[GraphStore, GraphStore]:
    """Two copies of the shipped -02 protocols (the views read -02; each copy's protocols share the draft sections
    of the other's), in a
    store loaded as the build loads it and in one loaded from its N-Quads in reverse order."""
    folder = tmp_path_factory.mktemp("copies")
    generate(paths.instances_dir(), folder, 2)
    as_built = from_reasoned(reason(load(folder)))
    reversed_quads = b"".join(sorted(as_built.store.dump(format=ox.RdfFormat.N_QUADS).splitlines(True), reverse=True))
    store = ox.Store()
    store.load(reversed_quads, format=ox.RdfFormat.N_QUADS)
    assert len(store) == len(as_built.store)
    return as_built, dataclasses.replace(as_built, store=store)


@pytest.mark.parametrize(  # players (the view grouped below) in the edit loop, every view in the full suite
    "view",
    [pytest.param(v, id=v.name) for v in views.list_views()],
)
@pytest.mark.slow
def test_a_view_gives_its_rows_in_the_same_order_from_either_load(
    view: views.View, two_loads: tuple[GraphStore, GraphStore]
) -> None:
    as_built, reloaded = two_loads
    rows = views.run_view(view, as_built, edition="02").rows
    assert rows, f"{view.name} gives no rows on two copies of the shipped protocols"
    assert rows == views.run_view(view, reloaded, edition="02").rows


@pytest.mark.slow
def test_rows_of_protocols_that_share_a_section_are_grouped_by_protocol(
    two_loads: tuple[GraphStore, GraphStore],
) -> None:
    rows = views.run_view(views.find_view("players"), two_loads[0], edition="02").rows
    protocols = [str(row[0]) for row in rows]
    runs = [name for i, name in enumerate(protocols) if i == 0 or protocols[i - 1] != name]
    assert len(runs) == len(set(protocols)) > 11  # each protocol's players in one run, for both copies of each
