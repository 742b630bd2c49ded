"""The export's serializations on a small graph with the awkward cases (blank nodes, lists, escapes, odd local
names, literals of every kind): every file re-parses to the same graph in rdflib and in pyoxigraph, the bytes do not
depend on the order or the blank node labels of the input, and only the prefixes the graph uses are declared."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from iotkg.export.canonical import canonical, serialize, turtle_text, used_prefixes
from iotkg.export.jsonld import jsonld_bytes, jsonld_context

PREFIXES = {
    "ex": "http://example.org/ns#",
    "id": "http://example.org/id/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "unused": "http://example.org/unused/",
    "urn": "http://example.org/urn-prefix/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
TURTLE = (
    "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    + r"""
id:a a ex:Thing, ex:Other ;
    rdfs:label "A", "Ä \"quoted\"\nline two\ttab \\ back \u2028"@de, "a"@en ;
    ex:count 3, -0, "007"^^xsd:integer, 12345678901234567890, 0 ;
    ex:flag true, "1"^^xsd:boolean ;
    ex:ratio 1.50, 2.5e3 ;
    ex:when "2024-01-01"^^xsd:date ;
    ex:custom "x"^^ex:myType ;
    ex:list ( id:b "two" ( id:c ) ) ;
    ex:nested [ ex:p id:b ; ex:q [ ex:r "deep" ] ] ;
    ex:odd <http://example.org/id/a/b>, <http://example.org/id/a%20b>, <http://example.org/id/(x)>,
        <http://example.org/id/>, <http://example.org/id//double>, <http://elsewhere.org/x>, <urn:isbn:123> .
id:b a [ a owl:Class ], "a literal type" ; rdfs:comment "one , two", "three" .
_:left ex:p _:right .
_:right ex:p _:left .
"""
)
NAME = "http://example.org/graph"


def _graph(text: str = TURTLE) -> Graph:
    return Graph(bind_namespaces="none").parse(data=text, format="turtle")


def _shuffled(graph: Graph) -> Graph:
    """The same graph, its N-Triples read back in reverse order (fresh blank node labels, another insertion order)."""
    lines = [line for line in graph.serialize(format="nt").split("\n") if line.strip()]  # (not at U+2028)
    return Graph().parse(data="\n".join(reversed(lines)), format="nt")


def _written(graph: Graph) -> dict[str, bytes]:
    """Every serialization of the graph, as the export writes it."""
    alone, named = canonical([(graph, None)]), canonical([(graph, NAME)])
    used = used_prefixes(PREFIXES, alone.iris)
    written = {
        key: serialize(alone, rdf_format, used)
        for key, rdf_format in [
            ("ttl", ox.RdfFormat.TURTLE),
            ("nt", ox.RdfFormat.N_TRIPLES),
            ("owl", ox.RdfFormat.RDF_XML),
        ]
    }
    written["trig"] = serialize(named, ox.RdfFormat.TRIG, used_prefixes(PREFIXES, named.iris))
    written["nq"] = serialize(named, ox.RdfFormat.N_QUADS, {})
    written["jsonld"] = jsonld_bytes(alone, jsonld_context(used, alone.iris))
    return written


@pytest.mark.parametrize(
    ("key", "rdflib_format", "ox_format"),
    [
        ("ttl", "turtle", ox.RdfFormat.TURTLE),
        ("nt", "nt", ox.RdfFormat.N_TRIPLES),
        ("owl", "xml", ox.RdfFormat.RDF_XML),
        ("jsonld", "json-ld", ox.RdfFormat.JSON_LD),
    ],
)
def test_each_graph_format_reparses_to_the_same_graph_in_both_parsers(
    key: str, rdflib_format: str, ox_format: ox.RdfFormat
) -> None:
    graph = _graph()
    text = _written(graph)[key]
    parsed = Graph().parse(data=text, format=rdflib_format)
    assert len(parsed) == len(graph) > 30
    assert isomorphic(parsed, graph)
    assert _canonical_by_pyoxigraph(text, ox_format) == canonical([(graph, None)]).nquads


def _canonical_by_pyoxigraph(data: bytes, rdf_format: ox.RdfFormat) -> bytes:
    """The statements pyoxigraph reads, as a dataset canonicalized whole by RDFC-1.0, sorted N-Quads."""
    dataset = ox.Dataset(ox.parse(data, format=rdf_format))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return b"".join(sorted(ox.serialize(dataset, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)))


@pytest.mark.parametrize(("key", "rdflib_format"), [("trig", "trig"), ("nq", "nquads")])
def test_dataset_formats_reparse_to_the_graph_in_its_named_graph(key: str, rdflib_format: str) -> None:
    graph = _graph()
    text = _written(graph)[key]
    assert isomorphic(Dataset().parse(data=text, format=rdflib_format).graph(URIRef(NAME)), graph)
    quads = list(ox.parse(text, format=ox.RdfFormat.TRIG if key == "trig" else ox.RdfFormat.N_QUADS))
    assert {str(q.graph_name) for q in quads} == {f"<{NAME}>"} and len(quads) == len(graph)


def test_bytes_do_not_depend_on_input_order_or_blank_node_labels() -> None:
    first, second = _written(_graph()), _written(_shuffled(_graph()))
    assert first == second
    assert b"_:c14n0" in first["ttl"] and b'"_:c14n0"' in first["jsonld"]


def test_statements_are_pyoxigraphs_rdfc_canonical_form_of_the_whole_dataset_sorted() -> None:
    """Only the statements with blank nodes go through the canonicalized dataset: the labels are those of the
    whole dataset canonicalized."""
    graph = _graph()
    expected = _canonical_by_pyoxigraph(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    assert canonical([(graph, None)]).nquads == expected and expected.count(b"\n") == len(graph)
    assert expected.count(b"_:c14n") > 10


def test_only_the_used_prefixes_are_declared_sorted() -> None:
    written = _written(_graph())
    header = [line.split()[1][:-1] for line in written["ttl"].decode().splitlines() if line.startswith("@prefix")]
    assert header == sorted(header) == ["ex", "id", "owl", "rdf", "rdfs", "xsd"]  # not "unused", not "urn"
    context = json.loads(written["jsonld"])["@context"]
    assert sorted(context) == ["ex", "id", "owl", "rdf", "rdfs", "xsd"]  # "urn" would turn urn:isbn:123 into a CURIE


def test_turtle_text_declares_the_graphs_own_prefixes_that_it_uses() -> None:
    graph = _graph()  # binds the eight prefixes the Turtle declares
    text = turtle_text(graph)
    assert text.encode("utf-8") == _written(graph)["ttl"]
    assert isomorphic(Graph().parse(data=text, format="turtle"), graph)
    bare = Graph(bind_namespaces="none")
    bare += graph
    assert "@prefix" not in turtle_text(bare)  # no prefix of its own: full IRIs


def test_an_empty_graph_gives_empty_files() -> None:
    written = _written(Graph())
    assert written["ttl"] == written["nt"] == written["nq"] == b""
    assert json.loads(written["jsonld"]) == {"@context": {}, "@graph": []}
