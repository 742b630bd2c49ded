"""The result writers follow the W3C SPARQL 1.1 result formats (checked on the specs' own example table)."""

from __future__ import annotations

import io
import json

import pytest
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.query import Result

from iotkg import views
from iotkg.errors import InputError

X = URIRef("http://example/x")
# The example table of "SPARQL 1.1 Query Results CSV and TSV Formats" (W3C Recommendation, 21 March 2013), section 1.1.
SPEC_EXAMPLE = views.Rows(
    ["x", "literal"],
    [
        (X, Literal("String")),
        (X, Literal('String-with-dquote"')),
        (BNode("b0"), Literal("Blank node")),
        (None, Literal("Missing 'x'")),
        (None, None),
        (X, None),
        (BNode("b1"), Literal("String-with-lang", lang="en")),
        (BNode("b1"), Literal("123", datatype=rdflib.XSD.integer)),
    ],
)


def parsed(text: str, fmt: str) -> list[dict[str, object]]:
    """Read a serialized result back with rdflib's own SPARQL results parser."""
    result = Result.parse(io.StringIO(text), format=fmt)
    return [{str(k): v for k, v in row.items()} for row in result.bindings]


def test_csv_is_the_specs_example_byte_for_byte() -> None:
    expected = (
        "x,literal\r\n"
        "http://example/x,String\r\n"
        'http://example/x,"String-with-dquote"""\r\n'
        "_:b0,Blank node\r\n"
        ",Missing 'x'\r\n"
        ",\r\n"
        "http://example/x,\r\n"
        "_:b1,String-with-lang\r\n"
        "_:b1,123\r\n"
    )
    assert views.to_csv(SPEC_EXAMPLE) == expected


def test_tsv_is_the_specs_example_byte_for_byte() -> None:
    expected = (
        "?x\t?literal\n"
        '<http://example/x>\t"String"\n'
        '<http://example/x>\t"String-with-dquote\\""\n'
        '_:b0\t"Blank node"\n'
        "\t\"Missing 'x'\"\n"
        "\t\n"
        "<http://example/x>\t\n"
        '_:b1\t"String-with-lang"@en\n'
        "_:b1\t123\n"
    )
    assert views.to_tsv(SPEC_EXAMPLE) == expected


def test_tsv_escapes_tabs_and_newlines_and_never_uses_long_quotes() -> None:
    awkward = Literal('tab\there\nnew "line"\\ and\r', lang="en")
    typed = Literal("2024-03-25", datatype=rdflib.XSD.date)
    text = views.to_tsv(views.Rows(["a", "b"], [(awkward, typed)]))
    lines = text.split("\n")
    assert (
        lines[1] == '"tab\\there\\nnew \\"line\\"\\\\ and\\r"@en\t"2024-03-25"^^<http://www.w3.org/2001/XMLSchema#date>'
    )
    assert '"""' not in text and len(lines) == 3
    assert parsed(text, "tsv") == [{"a": awkward, "b": typed}]


def test_json_is_the_w3c_query_results_json_format() -> None:
    document = json.loads(views.to_json(SPEC_EXAMPLE))
    assert document["head"] == {"vars": ["x", "literal"]}
    bindings = document["results"]["bindings"]
    assert bindings[0] == {
        "x": {"type": "uri", "value": "http://example/x"},
        "literal": {"type": "literal", "value": "String"},
    }
    assert bindings[2]["x"] == {"type": "bnode", "value": "b0"}
    assert bindings[4] == {}  # unbound variables are left out of a solution
    assert bindings[6]["literal"] == {"type": "literal", "value": "String-with-lang", "xml:lang": "en"}
    assert bindings[7]["literal"] == {"type": "literal", "value": "123", "datatype": str(rdflib.XSD.integer)}


def test_json_and_tsv_read_back_with_rdflibs_parsers_to_the_same_terms() -> None:
    for fmt, text in (("json", views.to_json(SPEC_EXAMPLE)), ("tsv", views.to_tsv(SPEC_EXAMPLE))):
        rows = parsed(text, fmt)
        assert len(rows) == len(SPEC_EXAMPLE.rows), fmt
        for row, expected in zip(rows, SPEC_EXAMPLE.rows, strict=True):
            literal = expected[1]
            assert views.from_rdflib(row.get("literal")) == literal, fmt
            assert (row.get("x") is None) == (expected[0] is None), fmt
            if expected[0] is not None and expected[0].kind == "uri":
                assert views.from_rdflib(row["x"]) == expected[0], fmt


def test_csv_reads_back_with_rdflibs_parser() -> None:
    rows = parsed(views.to_csv(SPEC_EXAMPLE), "csv")
    assert [str(row.get("literal", "")) for row in rows] == [
        "String",
        'String-with-dquote"',
        "Blank node",
        "Missing 'x'",
        "",
        "",
        "String-with-lang",
        "123",
    ]


def test_markdown_table_escapes_pipes_and_line_breaks() -> None:
    rows = views.Rows(["name", "note"], [(Literal("a|b"), Literal("one\ntwo")), (Literal("c"), None)])
    assert views.to_markdown(rows) == "| name | note |\n| --- | --- |\n| a\\|b | one<br>two |\n| c |  |\n"


def test_table_is_drawn_by_tabulate_with_every_value_and_a_row_count() -> None:
    text = views.to_table(SPEC_EXAMPLE, "Example")
    assert text.splitlines()[1].startswith("┌")
    assert "Example" in text and "8 rows" in text
    for value in ("http://example/x", 'String-with-dquote"', "_:b0", "Missing 'x'", "String-with-lang", "123"):
        assert value in text


def test_table_wraps_long_cells_to_the_width() -> None:
    long = views.Rows(["a", "b"], [(Literal("word " * 60), Literal("x"))])
    text = views.to_table(long, width=80)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "".join(text.split()).count("word") == 60


def test_render_refuses_an_unknown_format() -> None:
    with pytest.raises(InputError, match="unknown format"):
        views.render(SPEC_EXAMPLE, "xml")


def test_bnode_labels_are_kept_in_csv_and_tsv() -> None:
    rows = views.Rows(["s"], [(BNode("n1"),)])
    assert views.to_csv(rows).splitlines()[1] == "_:n1"
    assert views.to_tsv(rows).splitlines()[1] == "_:n1"
