"""The terminal table and the Markdown table: drawn by tabulate, long cells wrapped to the width given."""

from __future__ import annotations

import pytest
import tabulate

from iotkg import views
from iotkg.views import Rows, Term

IRI = "https://w3id.org/iotkg/protocol/bluetooth-mesh#provisioning-bearer-link-establishment"
TRICKY = [
    "plain",
    "False",
    "1,000",
    "1e5",
    " 12 ",
    "a\ttabbed\tvalue that is long enough to wrap somewhere",
    "two\nlines, the second one long enough to be wrapped",
    "windows\r\nline ends\r\n\r\nand a blank line",
    IRI,
    "設定" * 20,
    "emoji 🔑 key " * 4,
    "",
]


def literal(value: str) -> Term:
    return Term("literal", value)


def test_a_table_that_fits_is_what_tabulate_draws_with_a_title_and_a_row_count() -> None:
    rows = Rows(["name", "note"], [(literal("a"), None), (Term("bnode", "b0"), literal("1,000"))])
    drawn = tabulate.tabulate(
        [["a", ""], ["_:b0", "1,000"]], headers=["name", "note"], tablefmt="simple_outline", disable_numparse=True
    )
    assert views.to_table(rows, "Title") == f"Title\n{drawn}\n2 rows\n"
    assert views.render(rows, "table", "Title") == views.to_table(rows, "Title")


@pytest.mark.parametrize("count", [0, 1])
def test_a_table_of_no_rows_or_one_has_its_headers(count: int) -> None:
    text = views.to_table(Rows(["name", "note"], [(literal("a"), None)] * count))
    assert "│ name   │ note   │" in text
    assert text.endswith(f"\n{count} rows\n") and text.count("│ a ") == count


def test_a_long_cell_is_wrapped_to_the_width_and_keeps_every_word() -> None:
    text = views.to_table(Rows(["a", "b"], [(literal("word " * 60), literal("x"))]), width=80)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "".join(text.split()).count("word") == 60


@pytest.mark.parametrize("width", [40, 80, 160])
def test_awkward_values_are_drawn_whatever_the_width(width: int) -> None:
    rows = Rows(["left", "right"], [(literal(a), literal(b)) for a in TRICKY for b in TRICKY[::3]])
    text = views.to_table(rows, width=width)
    assert text.endswith(f"\n{len(TRICKY) * len(TRICKY[::3])} rows\n")
    assert "│ 1,000 " in text and "│ False " in text  # neither taken for a number nor for a boolean
    assert all(len(line) <= width for line in text.splitlines() if line.isascii())
    cells = [value for row in rows.rows for value in map(str, row)]
    for word in ("plain", "wrap", "key", "lines", "blank", "tabbed"):  # wrapped between words, never inside one
        assert text.count(word) == sum(cell.count(word) for cell in cells), word


def test_markdown_is_a_github_table_with_pipes_escaped_and_line_breaks_as_br() -> None:
    rows = Rows(["name", "note"], [(literal("a|b"), literal("one\ntwo")), (literal("c"), None)])
    assert views.render(rows, "md") == (
        "| name   | note       |\n|--------|------------|\n| a\\|b   | one<br>two |\n| c      |            |\n"
    )
