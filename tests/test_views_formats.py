"""The W3C SPARQL 1.1 result formats (checked on the specs' own example table) and the registry of formats."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest

from iotkg import views
from iotkg.errors import InputError
from iotkg.views import Rows, Term

X = Term("uri", "http://example/x")
INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
# The example table of "SPARQL 1.1 Query Results CSV and TSV Formats" (W3C Recommendation, 21 March 2013), section 1.1.
SPEC_EXAMPLE = Rows(
    ["x", "literal"],
    [
        (X, Term("literal", "String")),
        (X, Term("literal", 'String-with-dquote"')),
        (Term("bnode", "b0"), Term("literal", "Blank node")),
        (None, Term("literal", "Missing 'x'")),
        (None, None),
        (X, None),
        (Term("bnode", "b1"), Term("literal", "String-with-lang", language="en")),
        (Term("bnode", "b1"), Term("literal", "123", datatype=INTEGER)),
    ],
)
# Formats that hold every term, with the parser that reads them back.
PARSED_BACK = {"json": ox.QueryResultsFormat.JSON, "tsv": ox.QueryResultsFormat.TSV, "xml": ox.QueryResultsFormat.XML}


def read_back(text: str, fmt: str) -> Rows:
    return Rows.from_solutions(ox.parse_query_results(text, format=PARSED_BACK[fmt]))


def test_the_registry_keeps_the_build_file_names_and_gives_each_format_a_media_type() -> None:
    suffixes = {name: fmt.suffix for name, fmt in views.FORMATS.items()}
    assert suffixes == {"table": "txt", "csv": "csv", "tsv": "tsv", "json": "srj", "xml": "srx", "md": "md"}
    assert views.FORMATS["json"].media_type == "application/sparql-results+json"
    assert views.FORMATS["xml"].media_type == "application/sparql-results+xml"
    assert all("/" in fmt.media_type for fmt in views.FORMATS.values())


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
    assert views.render(SPEC_EXAMPLE, "csv") == expected


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
    assert views.render(SPEC_EXAMPLE, "tsv") == expected


def test_tsv_escapes_tabs_and_newlines_and_never_uses_long_quotes() -> None:
    awkward = Term("literal", 'tab\there\nnew "line"\\ and\r', language="en")
    typed = Term("literal", "2024-03-25", datatype="http://www.w3.org/2001/XMLSchema#date")
    text = views.render(Rows(["a", "b"], [(awkward, typed)]), "tsv")
    lines = text.split("\n")
    assert (
        lines[1] == '"tab\\there\\nnew \\"line\\"\\\\ and\\r"@en\t"2024-03-25"^^<http://www.w3.org/2001/XMLSchema#date>'
    )
    assert '"""' not in text and len(lines) == 3
    assert read_back(text, "tsv").rows == [(awkward, typed)]


def test_json_is_the_w3c_query_results_json_format() -> None:
    document = json.loads(views.render(SPEC_EXAMPLE, "json"))
    assert document["head"] == {"vars": ["x", "literal"]}
    bindings = document["results"]["bindings"]
    assert bindings[0] == {
        "x": {"type": "uri", "value": "http://example/x"},
        "literal": {"type": "literal", "value": "String"},
    }
    assert bindings[2]["x"] == {"type": "bnode", "value": "b0"}
    assert bindings[4] == {}  # unbound variables are left out of a solution
    assert bindings[6]["literal"] == {"type": "literal", "value": "String-with-lang", "xml:lang": "en"}
    assert bindings[7]["literal"] == {"type": "literal", "value": "123", "datatype": INTEGER}


def test_xml_is_the_w3c_query_results_xml_format() -> None:
    text = views.render(SPEC_EXAMPLE, "xml")
    assert 'xmlns="http://www.w3.org/2005/sparql-results#"' in text
    assert '<variable name="x"/><variable name="literal"/>' in text
    assert '<literal xml:lang="en">String-with-lang</literal>' in text


@pytest.mark.parametrize("fmt", PARSED_BACK)
def test_json_tsv_and_xml_read_back_to_the_same_terms(fmt: str) -> None:
    back = read_back(views.render(SPEC_EXAMPLE, fmt), fmt)
    assert back.variables == SPEC_EXAMPLE.variables
    assert back.rows == SPEC_EXAMPLE.rows


def test_csv_reads_back_to_the_same_values() -> None:
    rows = list(csv.reader(io.StringIO(views.render(SPEC_EXAMPLE, "csv"), newline="")))
    assert rows[0] == ["x", "literal"]
    expected = [
        ["" if t is None else ("_:" if t.kind == "bnode" else "") + t.value for t in r] for r in SPEC_EXAMPLE.rows
    ]
    assert rows[1:] == expected


def test_no_variables_and_no_rows_are_still_w3c_documents() -> None:
    empty = Rows([], [])
    assert json.loads(views.render(empty, "json")) == {"head": {"vars": []}, "results": {"bindings": []}}
    assert views.render(empty, "csv") == "\r\n"
    assert views.render(Rows(["a"], []), "tsv") == "?a\n"


def test_render_refuses_an_unknown_format_and_names_the_known_ones() -> None:
    with pytest.raises(InputError, match="unknown format 'yaml'") as raised:
        views.render(SPEC_EXAMPLE, "yaml")
    assert all(name in (raised.value.hint or "") for name in views.FORMATS)
