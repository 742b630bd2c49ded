"""The fast writers give byte for byte what the plain library calls give: ``json.dumps(indent=2)`` and tabulate with
``maxcolwidths``."""

from __future__ import annotations

import json

import pytest
import tabulate

from iotkg import views
from iotkg.views import Rows, Term

IRI = "https://w3id.org/iotkg/protocol/bluetooth-mesh#provisioning-bearer-link-establishment"
TRICKY = [
    "plain",
    "False",
    "True",
    "1e5",
    " 12 ",
    "a\ttabbed\tvalue that is long enough to wrap somewhere",
    "trailing spaces   ",
    "two\nlines, the second one long enough to be wrapped",
    "windows\r\nline ends\r\n\r\nand a blank line",
    IRI,
    "non-breaking\u00a0space and a long-hyphenated-word-that-must-be-broken",
    "設定" * 20,
    "emoji 🔑 key " * 4,
    "e\u0301 combining accent " * 3,
    "\x1b[31mred\x1b[0m colour code",
    "",
]


def reference_json(rows: Rows) -> str:
    """The document as ``json.dumps`` lays it out."""
    bindings = [
        {var: views._json_term(value) for var, value in zip(rows.variables, row, strict=True) if value is not None}
        for row in rows.rows
    ]
    document = {"head": {"vars": rows.variables}, "results": {"bindings": bindings}}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def reference_table(cells: list[list[str]], headers: list[str], limits: list[int | None]) -> str:
    """The table as tabulate draws it with its own wrapping."""
    return tabulate.tabulate(
        cells, headers=headers, tablefmt="simple_outline", maxcolwidths=limits, disable_numparse=True
    )


@pytest.mark.parametrize(
    "rows",
    [
        Rows([], []),
        Rows(["x"], []),
        Rows(["x", "y"], [(None, None)]),
        Rows(
            ["x", "label", "ünïcode"],
            [
                (Term("uri", IRI), Term("literal", 'say "hi"\n\tand\\go', language="en"), None),
                (Term("bnode", "b0"), Term("literal", "3", datatype=views._XSD + "integer"), Term("literal", "ß ✓")),
                (Term("uri", IRI), Term("literal", 'say "hi"\n\tand\\go', language="en"), Term("literal", "\x00\x7f")),
            ],
        ),
    ],
)
def test_json_is_laid_out_as_json_dumps_does(rows: Rows) -> None:
    assert views.to_json(rows) == reference_json(rows)


@pytest.mark.parametrize("limits", [[None, None], [12, None], [None, 20], [12, 13]])
@pytest.mark.parametrize("values", [TRICKY, [v for v in TRICKY if v.isascii() and v.isprintable()]])
def test_wrapping_each_distinct_value_once_draws_what_maxcolwidths_draws(
    values: list[str], limits: list[int | None]
) -> None:
    cells = [[a, b] for a in values for b in values[::3]]
    wrapped = [row[:] for row in cells]
    views._wrap_columns(wrapped, limits)
    assert views._draw(wrapped, ["left", "right"]) == reference_table(cells, ["left", "right"], limits)


@pytest.mark.parametrize("values", [["ascii"], ["設定"]])
def test_drawing_leaves_tabulates_wide_character_switch_as_it_was(values: list[str]) -> None:
    before = tabulate.WIDE_CHARS_MODE
    views._draw([values], ["x"])
    assert before == tabulate.WIDE_CHARS_MODE


def test_table_of_repeated_terms_is_what_tabulate_draws_with_maxcolwidths() -> None:
    terms = [Term("uri", IRI), Term("literal", "x" * 200), Term("literal", "False"), None]
    rows = Rows(["a", "b", "c"], [tuple(terms[(i + k) % 4] for k in range(3)) for i in range(30)])
    cells = [[views._csv_value(v) for v in row] for row in rows.rows]
    limits = views._column_limits(cells, rows.variables, 80)
    assert any(limits)
    expected = "Title\n" + reference_table(cells, rows.variables, limits) + "\n30 rows\n"
    assert views.to_table(rows, "Title", width=80) == expected
