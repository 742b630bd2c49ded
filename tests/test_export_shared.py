"""The export makes its files from parts they share (each graph's sorted statements; pyoxigraph's Turtle of the runs
of subjects that the asserted graph's files have in common): every file reads as if it were written alone, straight
from its own canonical statements by pyoxigraph."""

from __future__ import annotations

import gc
import random
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from iotkg import export, paths
from iotkg.export import canonical, turtle_writer
from iotkg.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH
from iotkg.pipeline.load import Sources, load
from iotkg.pipeline.reason import Reasoned
from iotkg.terms import to_oxigraph

PREFIXES = {
    "dc": "http://purl.org/dc/terms/",  # sorts before rdf:type: its statements come first in N-Triples order
    "ex": "http://example.org/ns#",
    "id": "http://example.org/id/",
    "idx": "http://example.org/id/x/",  # inside id:
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
TURTLE = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()) + (
    r"""
id:a a ex:Thing ; dc:title "A , with a comma" ; ex:p id:b, [ ex:q "in a blank node" ] .
id:b dc:title "B" ; rdfs:label "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> in a literal" .
id:c a ex:Thing, ex:Other ; ex:list ( id:a id:b ) ; ex:odd <http://example.org/id/with.dot.> .
idx:d a ex:Thing ; dc:title "D" .
id:e ex:p idx:d ; ex:n 3, "x"@en .
_:lonely ex:p _:lonely .
"""
)


def _graph(text: str = TURTLE) -> Graph:
    return Graph(bind_namespaces="none").parse(data=text, format="turtle")


def _alone(graph: Graph) -> Graph:
    """The same triples in another graph object (nothing remembered of the first)."""
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def _pyoxigraph_trig(parts: list[export.Part], prefixes: dict[str, str]) -> str:
    """TriG as pyoxigraph writes the canonical quads, sorted by graph then statement (the export's layout)."""
    used = canonical.prefixes_for(prefixes, parts)
    text = "\n".join(canonical.canonical_nquads(parts)) + "\n"
    trig = ox.serialize(ox.parse(text, format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.TRIG, prefixes=used)
    lines = trig.decode("utf-8").split("\n")
    return "\n".join(turtle_writer.tidy(line, used, False) if "\\." in line else line for line in lines)


def test_trig_reads_as_pyoxigraph_writes_the_sorted_quads() -> None:
    first, second = _graph(), _graph("@prefix ex: <http://example.org/ns#> .\nex:s a ex:T ; ex:p [ ex:q 1 ] .\n")
    parts: list[export.Part] = [(first, "http://example.org/graph/one"), (second, "http://example.org/graph/two")]
    canonical.forget()
    written = turtle_writer.canonical_trig(parts, PREFIXES)
    expected = _pyoxigraph_trig(parts, PREFIXES)
    assert written == expected
    assert "dc:title" in written and '"A , with a comma"' in written and "_:c14n" in written
    assert "\tid:a ex:p id:b , _:c14n" in written  # sorted: not rdf:type first as in Turtle


def test_the_asserted_graphs_files_read_as_each_written_alone(
    tmp_path: Path, reasoned: Reasoned, shipped: Sources
) -> None:
    export.export(reasoned, tmp_path, shipped, ["turtle", "trig"])
    files = [paths.ontology_dir() / "iotkg.ttl", *shipped.files, paths.ontology_dir() / "shapes.ttl"]
    prefixes = export.declared_prefixes(files)
    alone = {
        "iotkg.ttl": turtle_writer.canonical_turtle(_alone(reasoned.asserted), prefixes),
        "inferred.ttl": turtle_writer.canonical_turtle(_alone(reasoned.inferred), prefixes),
        "instances.ttl": turtle_writer.canonical_turtle(canonical.Statements.of(shipped.instance_triples), prefixes),
    }
    assert "_:c14n" in alone["instances.ttl"]  # blank nodes among the instances too: relabelled by themselves
    for name, text in alone.items():
        assert (tmp_path / name).read_text(encoding="utf-8") == text, name
    named = [(_alone(reasoned.asserted), ASSERTED_GRAPH), (_alone(reasoned.inferred), INFERRED_GRAPH)]
    assert (tmp_path / "iotkg.trig").read_text(encoding="utf-8") == _pyoxigraph_trig(named, prefixes)


def test_instances_of_sources_the_graph_was_not_made_from_are_their_own_statements(
    tmp_path: Path, reasoned: Reasoned, shipped: Sources
) -> None:
    other = load()  # the same files, read again: its asserted graph is not the reasoned one
    export.export(reasoned, tmp_path / "shared", shipped, ["turtle"])
    export.export(reasoned, tmp_path / "own", other, ["turtle"])
    assert "asserted" not in vars(other)  # (the export did not make it)
    for name in ("instances.ttl", "iotkg.ttl"):
        assert (tmp_path / "own" / name).read_bytes() == (tmp_path / "shared" / name).read_bytes(), name


@pytest.mark.parametrize("blank", [True, False])
def test_nquads_are_the_remembered_lines_relabelled_as_sorting_the_canonical_quads_gives(blank: bool) -> None:
    first = _graph() if blank else _graph(TURTLE.split("id:a a", 1)[0] + "id:s a ex:T ; ex:p id:o .\n")
    second = _graph("@prefix ex: <http://example.org/ns#> .\nex:s a ex:T ; ex:p [ ex:q 1 ], ex:o .\n")
    parts: list[export.Part] = [(first, "http://example.org/graph/one"), (second, "http://example.org/graph/two")]
    canonical.forget()
    canonical.sorted_quads(parts)  # remembered first, as dataset_nquads leaves them before an export
    written = canonical.sorted_nquads(parts)
    assert written == "".join(sorted(line + "\n" for line in canonical.canonical_nquads(parts)))
    assert written.count("_:c14n") > (4 if blank else 1)


def _types_first_one_by_one(statements: list[bytes]) -> list[bytes]:
    """Each subject's rdf:type statements moved to the front of its run, statement by statement."""
    ordered: list[bytes] = []
    runs: dict[bytes, tuple[list[bytes], list[bytes]]] = {}
    for statement in statements:
        subject, _, rest = statement.partition(b" ")
        types, others = runs.setdefault(subject, ([], []))
        (types if rest.startswith(canonical.RDF_TYPE_TERM + b" ") else others).append(statement)
    for types, others in runs.values():
        ordered += types + others
    return ordered


@pytest.mark.parametrize("seed", range(20))
def test_rdf_type_first_moves_only_the_types_of_each_subject(seed: int) -> None:
    chooser = random.Random(seed)
    subjects = [b"<http://e.org/a>", b"<http://e.org/a/b>", b"<http://e.org/b>", b"_:b0", b"_:b01"]
    predicates = [
        b"<http://purl.org/dc/terms/title>",
        canonical.RDF_TYPE_TERM,
        b"<http://x.org/p>",
        b"<http://a.org/p>",
    ]
    objects = [b"<http://e.org/T>", b"<http://e.org/U>", b'"x"', b'"' + canonical.RDF_TYPE_MID + b'"', b"_:b0"]
    statements = sorted(
        {b" ".join((chooser.choice(subjects), chooser.choice(predicates), chooser.choice(objects))) for _ in range(25)}
    )
    moved = turtle_writer.types_first_text(statements)
    assert moved == b"".join(line + b" .\n" for line in _types_first_one_by_one(statements))


def test_pyoxigraph_writes_an_iri_by_the_prefixes_it_falls_under_whatever_the_others() -> None:
    """What the shared runs of Turtle rely on: a file with more prefixes declared writes the runs the same."""
    iris = ["http://e.org/a/b/c", "http://e.org/a/b#x", "http://e.org/a/bc", "http://e.org/a/b/c.d", "http://e.org/a/"]
    matching = {"e": "http://e.org/", "ea": "http://e.org/a/", "eab": "http://e.org/a/b/", "z": "http://e.org/a/b"}
    others = {f"x{n}": f"http://x{n}.org/" for n in range(30)}
    triples = [ox.Triple(ox.NamedNode(iri), ox.NamedNode(iri), ox.NamedNode(iri)) for iri in iris]

    def body(prefixes: dict[str, str]) -> bytes:
        return turtle_writer.after_prefixes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes))

    alone = body(matching)
    assert b"eab:c " in alone and b"z:c " in alone  # the longest prefix
    chooser = random.Random(7)
    for _ in range(30):
        entries = [*matching.items(), *chooser.sample(sorted(others.items()), chooser.randint(1, 30))]
        chooser.shuffle(entries)
        assert body(dict(entries)) == alone


def test_dataset_nquads_is_every_statement_once_in_its_graph_sorted(reasoned: Reasoned) -> None:
    canonical.forget()
    lines = canonical.dataset_nquads(reasoned).split("\n")
    assert lines[-1] == ""
    expected = sorted(
        f"{ox.Quad(*(to_oxigraph(term) for term in triple), ox.NamedNode(name))} ."
        for graph, name in ((reasoned.asserted, ASSERTED_GRAPH), (reasoned.inferred, INFERRED_GRAPH))
        for triple in graph
    )
    assert lines[:-1] == sorted(set(expected)) and len(expected) > 1000


def test_prefix_declarations_are_found_as_the_pattern_finds_them() -> None:
    text = (
        "@prefix a: <http://a.org/> .\n"
        "   PREFIX b: <http://b.org/>\n"
        "@Prefix c: <http://c.org/prefix/> . @prefix d: <http://d.org/> .\n"  # one per line start
        "@prefix : <http://empty.org/> .\n"
        "\n\n  @prefix\n  e: <http://e.org/> .\n"  # the word on a line of its own
        "# prefix f: <http://f.org/>\n"
        '<http://a.org/x> <http://a.org/p> "prefix g: <http://g.org/>" .\n'
        "prefix: <http://prefix.org/>\n"  # not a declaration
    )
    expected = export._PREFIX_LINE.findall(text)
    assert sorted(export._declarations(text)) == sorted(expected)
    assert ("", "http://empty.org/") in expected and ("e", "http://e.org/") in expected and len(expected) == 5
    unicode = text + '<http://a.org/y> <http://a.org/p> "Ärger" .\n'  # not ASCII: the pattern itself
    assert sorted(export._declarations(unicode)) == sorted(expected)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_export_leaves_the_garbage_collector_as_it_found_it(
    tmp_path: Path, reasoned: Reasoned, shipped: Sources, enabled: bool
) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        export.export(reasoned, tmp_path, shipped, ["nquads"])
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
