"""The fast writers give byte for byte what the plain library calls give: ``json.dumps(indent=2)`` and tabulate (with
``maxcolwidths``); tables are laid out without tabulate only where tabulate would measure text by its length."""

from __future__ import annotations

import json
import random

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


def tabulated(cells: list[list[str]], headers: list[str]) -> str:
    """The cells as tabulate draws them, wrapped by no one."""
    return tabulate.tabulate(cells, headers=headers, tablefmt="simple_outline", disable_numparse=True)


def columns_of(cells: list[list[str]], headers: list[str]) -> list[tuple[str, ...]]:
    return [tuple(row[i] for row in cells) for i in range(len(headers))]


def refuse(*_: object) -> str:
    raise AssertionError("this way of drawing was not meant to be taken")


@pytest.mark.parametrize("limits", [[None, None], [12, None], [None, 20], [12, 13]])
@pytest.mark.parametrize("values", [TRICKY, [v for v in TRICKY if v.isascii() and v.isprintable()]])
def test_wrapping_each_distinct_value_once_draws_what_maxcolwidths_draws(
    values: list[str], limits: list[int | None]
) -> None:
    cells = [[a, b] for a in values for b in values[::3]]
    wrapped = views._wrap_columns(columns_of(cells, ["left", "right"]), limits)
    assert views._draw(wrapped, ["left", "right"]) == reference_table(cells, ["left", "right"], limits)


def test_a_value_tabulate_cannot_wrap_is_wrapped_as_text() -> None:
    # tabulate takes "1,000" for an integer, then int() refuses the comma: its maxcolwidths raises ValueError
    with pytest.raises(ValueError):
        reference_table([["1,000"]], ["n"], [3])
    long = "a long value " * 4
    rows = Rows(["n", "text"], [(Term("literal", "1,000"), Term("literal", long)), (Term("literal", long), None)])
    table = views.to_table(rows, width=40)
    lines = table.splitlines()
    assert any(line.startswith("│ 1,000 ") for line in lines), table
    widths = {len(line) for line in lines[:-1]}
    assert len(widths) == 1 and widths.pop() <= 40, table  # every column wrapped to fit
    assert views._wrap_value("1,000 and 2,000", 6) == "1,000\nand\n2,000"


PLAIN_TABLES = {
    "multi-line cells in several columns": (
        ["a", "b", "c"],
        [["one\ntwo\nthree", "x", "y\nz"], ["", "b\n", "  z  "], ["short", "two\nlines", ""]],
    ),
    "empty strings, single-line": (["a", "b"], [["", ""], ["x", ""], ["", "y"]]),
    "a row of empty cells among multi-line ones": (["a", "b"], [["", ""], ["p\nq", "r"], ["  ", "\n"]]),
    "a single row": (["only"], [["value"]]),
    "no rows": (["a", "bb", "a longer header"], []),
    "a cell wider than its header": (["h", "i"], [["a cell much wider than its header", "x"], ["y", "z"]]),
    "leading and trailing spaces": (["a", "b"], [["  lead", "trail  "], ["  both  ", " "], ["x y", "   z"]]),
    "spaces around lines of a multi-line cell": (["a", "b"], [["  a\n  b  ", "c  \n\n  d"], ["\n\nlast\n", "e"]]),
    "true and false only (tabulate's bool column)": (["flag", "other"], [["False", "True"], ["True", ""], ["", "x"]]),
    "headers with spaces": ([" padded ", "x"], [["1", "2"]]),
    "one-column-wide text beyond ASCII": (["a", "b"], [["em — dash", "it\u2019s"], ["ÿ", "ŋ\n—"]]),
}


@pytest.mark.parametrize("headers, cells", PLAIN_TABLES.values(), ids=PLAIN_TABLES.keys())
def test_plain_text_is_laid_out_here_as_tabulate_draws_it(
    headers: list[str], cells: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "_draw_with_tabulate", refuse)
    assert views._draw(columns_of(cells, headers), headers) == tabulated(cells, headers)


OTHER_TEXT = {
    "wide characters": "設定",
    "a combining accent": "e\u0301",
    "an emoji": "key 🔑",
    "a colour code": "\x1b[31mred\x1b[0m",
    "a tab": "a\tb",
    "a carriage return": "a\r\nb",
    "a non-breaking space": "a\u00a0b",
    "tabulate's separating-line mark": "\x01",
}


@pytest.mark.parametrize("text", OTHER_TEXT.values(), ids=OTHER_TEXT.keys())
@pytest.mark.parametrize("in_header", [False, True])
def test_other_text_is_left_to_tabulate(text: str, in_header: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    headers = ["h", text if in_header else "i"]
    cells = [["plain", "x"], ["two\nlines", text]]
    monkeypatch.setattr(views, "_draw_outline", refuse)
    assert views._draw(columns_of(cells, headers), headers) == tabulated(cells, headers)


def test_a_table_without_headers_is_left_to_tabulate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "_draw_outline", refuse)
    assert views._draw([], []) == tabulated([], [])


def test_random_plain_tables_are_laid_out_as_tabulate_draws_them() -> None:
    pieces = ["", " ", "  ", "a", "word", "False", "True", "\n", "\n\n", "—", "1e5", "x" * 30]
    names = ["a", "bb", " h ", "a long header name"]
    generator = random.Random(20240611)
    for _ in range(400):
        headers = generator.sample(names, generator.randint(1, 4))
        cells = [
            ["".join(generator.choices(pieces, k=generator.randint(0, 4))) for _ in headers]
            for _ in range(generator.randint(0, 5))
        ]
        columns = columns_of(cells, headers)
        distinct = [dict.fromkeys(column) for column in columns]
        assert views._is_plain(columns, headers, distinct)
        assert views._draw_outline(columns, distinct, headers) == tabulated(cells, headers), (headers, cells)


@pytest.mark.parametrize("values", [["ascii"], ["設定"]])
def test_drawing_leaves_tabulates_wide_character_switch_as_it_was(values: list[str]) -> None:
    before = tabulate.WIDE_CHARS_MODE
    views._draw([tuple(values)], ["x"])
    assert before == tabulate.WIDE_CHARS_MODE


def test_table_of_repeated_terms_is_what_tabulate_draws_with_maxcolwidths() -> None:
    terms = [Term("uri", IRI), Term("literal", "x" * 200), Term("literal", "False"), None]
    rows = Rows(["a", "b", "c"], [tuple(terms[(i + k) % 4] for k in range(3)) for i in range(30)])
    cells = [[views._csv_value(v) for v in row] for row in rows.rows]
    limits = views._column_limits(views._text_columns(rows), rows.variables, 80)
    assert any(limits)
    expected = "Title\n" + reference_table(cells, rows.variables, limits) + "\n30 rows\n"
    assert views.to_table(rows, "Title", width=80) == expected


@pytest.mark.parametrize("count", [0, 1])
def test_table_of_no_rows_or_one_is_what_tabulate_draws(count: int) -> None:
    rows = Rows(["name", "note"], [(Term("literal", "a"), None)] * count)
    expected = tabulated([["a", ""]] * count, ["name", "note"]) + f"\n{count} rows\n"
    assert views.to_table(rows) == expected
