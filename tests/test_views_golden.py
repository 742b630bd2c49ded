"""Each view's output equals its committed golden file (tests/golden/<view>.csv, W3C SPARQL CSV).

The golden rows were written by hand from the draft (see tests/golden/README.md), not copied from the graph, so a
changed view or changed data shows up here as a reviewable diff. Where the graph and the draft-derived golden
disagree, tests/golden/DISAGREEMENTS.md says which row and why.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from rdflib import Graph

from iotkg import views
from iotkg.pipeline.reason import Reasoned
from iotkg.store import GraphStore, from_reasoned

GOLDEN = Path(__file__).parent / "golden"
# Views another issue added to queries/ and whose golden belongs to that issue; every other view must have one.
WITHOUT_GOLDEN = {"equivalent-roles": "added by the reasoning issue (pairs entailed by iotkg:playsSamePartAs)"}


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def combined(request, reasoned: Reasoned, tmp_path_factory) -> Graph | GraphStore:
    """Asserted plus inferred triples, in each engine a view can run on: the Oxigraph store the CLI uses, and rdflib."""
    if request.param == "rdflib":
        return reasoned.combined
    request.getfixturevalue("monkeypatch_module").setenv("IOTKG_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    return from_reasoned(reasoned)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def golden_names() -> list[str]:
    return sorted(path.stem for path in GOLDEN.glob("*.csv"))


def test_every_view_has_a_golden_file_and_every_golden_file_a_view() -> None:
    view_names = {view.name for view in views.list_views()}
    assert view_names, "no views found in queries/"
    assert set(golden_names()) <= view_names, "golden files without a view"
    assert view_names - set(golden_names()) == set(WITHOUT_GOLDEN), "views without a golden file"


@pytest.mark.parametrize("name", golden_names())
def test_view_output_equals_golden(name: str, combined: Graph | GraphStore) -> None:
    expected = (GOLDEN / f"{name}.csv").read_bytes().decode("utf-8")
    actual = views.to_csv(views.run_view(views.find_view(name), combined))
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), f"golden/{name}.csv", f"iotkg query {name}", lineterm=""
        )
        pytest.fail("view output differs from the golden file:\n" + "\n".join(diff))


def test_golden_files_are_w3c_csv_with_crlf_line_ends() -> None:
    for name in golden_names():
        data = (GOLDEN / f"{name}.csv").read_bytes()
        assert data.endswith(b"\r\n"), name
        assert data.count(b"\n") == data.count(b"\r\n"), f"{name}: a line ends without CR"


def test_every_view_gives_the_same_rows_on_oxigraph_and_rdflib(reasoned: Reasoned, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("IOTKG_CACHE_DIR", str(tmp_path))
    store = from_reasoned(reasoned)
    graph = reasoned.combined
    checked = 0
    for view in views.list_views():
        on_store = views.run_view(view, store)
        on_rdflib = views.run_view(view, graph)
        assert on_store.variables == on_rdflib.variables, view.name
        assert on_store.rows == on_rdflib.rows, view.name
        checked += bool(on_store.rows)
    assert checked == len(views.list_views())
