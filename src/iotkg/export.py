"""Serializations of the graph in canonical forms, so that diffs of generated files mean something."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from iotkg.output import write_text
from iotkg.reason import Reasoned


def canonical_turtle(graph: Graph) -> str:
    """rdflib's ``longturtle``: subjects and predicates sorted, stable across runs and hash seeds."""
    return graph.serialize(format="longturtle")


def sorted_ntriples(graph: Graph) -> str:
    """N-Triples, one triple a line, lines sorted."""
    lines = sorted(line for line in graph.serialize(format="nt").splitlines() if line.strip())
    return "\n".join(lines) + ("\n" if lines else "")


def export(reasoned: Reasoned, folder: Path) -> list[Path]:
    """Write the asserted, inferred and combined graphs into ``folder``; return the files written."""
    return [
        write_text(folder / "iotkg.ttl", canonical_turtle(reasoned.asserted)),
        write_text(folder / "inferred.ttl", canonical_turtle(reasoned.inferred)),
        write_text(folder / "iotkg.nt", sorted_ntriples(reasoned.asserted)),
        write_text(folder / "inferred.nt", sorted_ntriples(reasoned.inferred)),
    ]


def dataset_nquads(reasoned: Reasoned) -> str:
    """N-Quads, lines sorted: asserted triples in the asserted named graph, inferred ones in the inferred graph."""
    from rdflib import URIRef

    from iotkg.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH

    lines: list[str] = []
    for graph, name in ((reasoned.asserted, ASSERTED_GRAPH), (reasoned.inferred, INFERRED_GRAPH)):
        context = URIRef(name).n3()
        for line in graph.serialize(format="nt").splitlines():
            if line.strip():
                lines.append(f"{line[:-1].rstrip()} {context} .")
    lines.sort()
    return "\n".join(lines) + "\n"
