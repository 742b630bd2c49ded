"""Each view's output, for each edition, equals its committed golden file (tests/golden/<edition>/<view>.csv, W3C
SPARQL CSV): tests/golden/02/ from draft -02, tests/golden/07/ from draft -07.

The golden rows were written by hand from the draft (see tests/golden/README.md), not copied from the graph, so a
changed view or changed data shows up here as a reviewable diff. Where the graph and the draft-derived golden
disagree, tests/golden/DISAGREEMENTS.md says which row and why.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from iotkg import views

GOLDEN = Path(__file__).parent / "golden"
# Views another issue added to queries/ and whose golden belongs to that issue; every other view must have one.
WITHOUT_GOLDEN = {"equivalent-roles": "added by the reasoning issue (pairs entailed by iotkg:playsSamePartAs)"}


EDITIONS = ("02", "07")


def golden_names(edition: str = "02") -> list[str]:
    return sorted(path.stem for path in (GOLDEN / edition).glob("*.csv"))


def golden_files() -> list[tuple[str, str]]:
    return [(edition, name) for edition in EDITIONS for name in golden_names(edition)]


def test_every_view_has_a_golden_file_and_every_golden_file_a_view() -> None:
    view_names = {view.name for view in views.list_views()}
    assert view_names, "no views found in queries/"
    assert set(golden_names()) <= view_names, "golden files without a view"
    assert view_names - set(golden_names()) == set(WITHOUT_GOLDEN), "views without a golden file"
    assert set(golden_names("07")) <= view_names, "-07 golden files without a view"


@pytest.mark.parametrize(("edition", "name"), golden_files(), ids=lambda value: value)
def test_view_output_equals_golden(edition: str, name: str, shipped_rows: Callable[..., views.Rows]) -> None:
    expected = (GOLDEN / edition / f"{name}.csv").read_bytes().decode("utf-8")
    actual = views.render(shipped_rows(name, edition), "csv")  # views.run_view on the shipped store (conftest.py)
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(),
            actual.splitlines(),
            f"golden/{edition}/{name}.csv",
            f"iotkg query {name} --edition {edition}",
            lineterm="",
        )
        pytest.fail("view output differs from the golden file:\n" + "\n".join(diff))


def test_golden_files_are_w3c_csv_with_crlf_line_ends() -> None:
    for edition, name in golden_files():
        data = (GOLDEN / edition / f"{name}.csv").read_bytes()
        assert data.endswith(b"\r\n"), name
        assert data.count(b"\n") == data.count(b"\r\n"), f"{name}: a line ends without CR"


# Views that give no rows in the latest edition (-07): their formats are checked on -02's rows.
NO_ROWS_IN_THE_LATEST = {"third-party": "-07's Section 3.2 has neither the external third party nor -02's manufacturer"}


@pytest.mark.parametrize("view", views.list_views(), ids=lambda view: view.name)
def test_every_format_of_a_view_holds_its_rows(view: views.View, shipped_rows: Callable[..., views.Rows]) -> None:
    rows = shipped_rows(view.name, "02" if view.name in NO_ROWS_IN_THE_LATEST else None)
    assert rows.rows, view.name
    for fmt, results_format in (("json", ox.QueryResultsFormat.JSON), ("tsv", ox.QueryResultsFormat.TSV)):
        back = views.Rows.from_solutions(ox.parse_query_results(views.render(rows, fmt), format=results_format))
        assert (back.variables, back.rows) == (rows.variables, rows.rows), fmt
    back = views.Rows.from_solutions(
        ox.parse_query_results(views.render(rows, "xml"), format=ox.QueryResultsFormat.XML)
    )
    assert back.rows == rows.rows
    values = [["" if term is None else term.value for term in row] for row in rows.rows]
    assert list(csv.reader(io.StringIO(views.render(rows, "csv"), newline="")))[1:] == values
    markdown = views.render(rows, "md").splitlines()[2:]
    cells = [[cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line)[1:-1]] for line in markdown]
    assert cells == [[value.replace("\\", "\\\\").replace("\n", "<br>") for value in row] for row in values]
    assert views.render(rows, "table").endswith(f"\n{len(rows.rows)} rows\n")
