"""The Turtle and JSON-LD writers on a small graph with the awkward cases (blank nodes, lists, escapes, odd local
names, literals of every kind): both files re-parse to the same graph in rdflib and in pyoxigraph, the bytes do not
depend on the order or the blank node labels of the input, and the layout is the documented one."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from iotkg import export
from iotkg.export import canonical, jsonld_writer, turtle_writer
from iotkg.pipeline.load import Sources
from iotkg.pipeline.reason import Reasoned

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
    ex:odd <http://example.org/id/with.dot.>, <http://example.org/id/a/b>, <http://example.org/id/a%20b>,
        <http://example.org/id/(x)>, <http://example.org/id/>, <http://example.org/id//double>,
        <http://example.org/id///triple>,
        <http://elsewhere.org/x>, <urn:isbn:123> .
id:b a [ a owl:Class ], "a literal type" ; rdfs:comment "one , two", "three" .
_:left ex:p _:right .
_:right ex:p _:left .
"""
)


def _graph(text: str = TURTLE) -> Graph:
    return Graph(bind_namespaces="none").parse(data=text, format="turtle")


def _shuffled(graph: Graph) -> Graph:
    """The same graph, its N-Triples read back in reverse order (fresh blank node labels, another insertion order)."""
    lines = [line for line in graph.serialize(format="nt").split("\n") if line.strip()]  # (not at U+2028)
    return Graph().parse(data="\n".join(reversed(lines)), format="nt")


def _oxigraph(data: str, fmt: ox.RdfFormat) -> set[str]:
    dataset = ox.Dataset(ox.parse(data, format=fmt))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(quad) for quad in dataset}


def _written(graph: Graph) -> dict[str, str]:
    canonical.forget()
    context = jsonld_writer.jsonld_context(graph, PREFIXES)
    return {
        "ttl": turtle_writer.canonical_turtle(graph, PREFIXES),
        "jsonld": jsonld_writer.canonical_jsonld(graph, context),
        "nt": canonical.sorted_ntriples(graph),
        "owl": turtle_writer.rdf_xml(graph, PREFIXES),
    }


@pytest.mark.parametrize(
    ("key", "rdflib_format", "ox_format"),
    [("ttl", "turtle", ox.RdfFormat.TURTLE), ("jsonld", "json-ld", ox.RdfFormat.JSON_LD)],
)
def test_turtle_and_jsonld_reparse_to_the_same_graph_in_both_parsers(
    key: str, rdflib_format: str, ox_format: ox.RdfFormat
) -> None:
    graph = _graph()
    text = _written(graph)[key]
    parsed = Graph().parse(data=text, format=rdflib_format)
    assert len(parsed) == len(graph) > 30
    assert isomorphic(parsed, graph)
    assert _oxigraph(text, ox_format) == _oxigraph(_written(graph)["nt"], ox.RdfFormat.N_TRIPLES)


def test_trig_reparses_to_the_same_graph_in_both_parsers() -> None:
    graph, name = _graph(), "http://example.org/graph"
    text = turtle_writer.canonical_trig([(graph, name)], PREFIXES)
    assert isomorphic(Dataset().parse(data=text, format="trig").graph(URIRef(name)), graph)
    assert {str(q.graph_name) for q in ox.parse(text, format=ox.RdfFormat.TRIG)} == {f"<{name}>"}
    assert len(_oxigraph(text, ox.RdfFormat.TRIG)) == len(graph)


def test_bytes_do_not_depend_on_input_order_or_blank_node_labels() -> None:
    first, second = _written(_graph()), _written(_shuffled(_graph()))
    assert first == second
    assert "_:c14n0" in first["ttl"] and '"_:c14n0"' in first["jsonld"]


def test_turtle_layout_one_block_per_subject_types_first_used_prefixes_sorted() -> None:
    text = _written(_graph())["ttl"]
    header, _, body = text.partition("\n\n")
    declared = [line.split()[1][:-1] for line in header.splitlines()]
    assert declared == sorted(declared) == ["ex", "id", "owl", "rdf", "rdfs", "xsd"]  # not "unused", not "urn"
    blocks = body.rstrip("\n").split("\n\n")
    subjects = [block.split(" ", 1)[0] for block in blocks]
    assert len(subjects) == len(set(subjects))  # one block per subject
    block = blocks[subjects.index("id:a")]
    assert block.startswith("id:a a ex:Other ,\n        ex:Thing ;\n    ")  # rdf:type first, objects with ","
    assert block.endswith(" .") and block.count(" ;\n    ") == 9  # 10 predicates grouped with ";"
    assert "    ex:count 0 ,\n        12345678901234567890 ,\n        3 ,\n        7 ;\n" in block  # one per line
    assert '    rdfs:comment "one , two" ,\n        "three" .' in blocks[subjects.index("id:b")]  # not in a literal
    assert " <http://example.org/id/with.dot.> " in block  # not id:with.dot\. (rdflib cannot read it)
    assert "\t" not in text and text.endswith(" .\n")


def test_jsonld_is_compact_with_its_context_and_native_values() -> None:
    document = json.loads(_written(_graph())["jsonld"])
    assert set(document) == {"@context", "@graph"}
    assert document["@context"] == {p: ns for p, ns in PREFIXES.items() if p not in ("unused", "urn")}
    nodes = {node["@id"]: node for node in document["@graph"]}
    assert len(nodes) == len(document["@graph"])  # one node object per subject
    a = nodes["id:a"]
    assert a["@type"] == ["ex:Other", "ex:Thing"]
    # canonical integers native; one too long for every JSON reader as a value object ("007" was read as 7)
    assert a["ex:count"] == [0, {"@type": "xsd:integer", "@value": "12345678901234567890"}, 3, 7]
    assert a["ex:flag"] is True  # one value alone, not in an array ("1"^^xsd:boolean was read as true)
    assert a["ex:ratio"] == [{"@type": "xsd:decimal", "@value": "1.50"}, {"@type": "xsd:double", "@value": "2500.0"}]
    assert a["rdfs:label"][:2] == ["A", {"@language": "en", "@value": "a"}]
    assert a["ex:odd"] == [
        {"@id": "http://elsewhere.org/x"},
        {"@id": "id:(x)"},
        {"@id": "http://example.org/id///triple"},  # "id://triple" would read as an absolute IRI
        {"@id": "id:/double"},
        {"@id": "id:"},
        {"@id": "id:a%20b"},
        {"@id": "id:a/b"},
        {"@id": "id:with.dot."},
        {"@id": "urn:isbn:123"},  # no "urn" prefix in the context
    ]
    assert nodes["id:b"]["rdf:type"][0] == "a literal type"  # a literal is no @type
    assert nodes[nodes["id:b"]["rdf:type"][1]["@id"]]["@type"] == "owl:Class"


def test_a_compact_iri_never_stands_for_an_iri_with_a_prefix_as_its_scheme() -> None:
    graph = _graph()
    with pytest.raises(ValueError, match="urn:isbn:123"):
        jsonld_writer.canonical_jsonld(graph, {"@context": PREFIXES})


def test_an_empty_graph_gives_a_header_and_an_empty_graph_array() -> None:
    written = _written(Graph())
    assert written["ttl"] == "" and written["nt"] == ""
    assert json.loads(written["jsonld"]) == {"@context": {}, "@graph": []}


def test_export_without_the_sources_differs_only_in_the_instances(
    tmp_path: Path, reasoned: Reasoned, shipped: Sources
) -> None:
    """Without the sources the instances are the asserted statements minus the ontology file's (whose blank nodes,
    parsed anew, stay in): every other file is the same."""
    export.export(reasoned, tmp_path / "with", shipped)
    export.export(reasoned, tmp_path / "without")
    files = {folder: {p.name: p.read_bytes() for p in (tmp_path / folder).iterdir()} for folder in ("with", "without")}
    assert set(files["with"]) == set(files["without"])
    different = sorted(name for name in files["with"] if files["with"][name] != files["without"][name])
    assert different == ["instances.ttl", "manifest.json"]
    instances = Graph().parse(data=files["without"]["instances.ttl"].decode(), format="turtle")
    assert len(instances) >= len(shipped.instances)
