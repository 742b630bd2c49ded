"""The queryable graph: asserted and inferred triples in an Oxigraph store, cached between commands."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from iotkg import cache, paths
from iotkg.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH
from iotkg.pipeline.inputs import Inputs, framed_digest, read_inputs
from iotkg.version import __version__

if TYPE_CHECKING:
    from iotkg.pipeline.reason import Reasoned

ASSERTED = ox.NamedNode(ASSERTED_GRAPH)
INFERRED = ox.NamedNode(INFERRED_GRAPH)


@dataclass
class GraphStore:
    """An Oxigraph store holding the asserted and inferred graphs, and the prefixes the input files declare."""

    store: ox.Store
    prefixes: dict[str, str]

    def compact(self, iri: str) -> str:
        """``prefix:local`` for an IRI under a declared prefix (longest match), else ``<iri>``."""
        if (best := max((ns for ns in self.prefixes.values() if iri.startswith(ns)), key=len, default=None)) is None:
            return f"<{iri}>"
        return f"{next(p for p, ns in sorted(self.prefixes.items()) if ns == best)}:{iri[len(best) :]}"

    def select(self, query: str, prefixes: dict[str, str] | None = None) -> list[dict[str, str | None]]:
        """The rows of a SELECT query over both graphs: variable name → value (None where unbound)."""
        solutions = self.store.query(query, prefixes=prefixes, use_default_graph_as_union=True)
        return [{v.value: None if row[v] is None else row[v].value for v in solutions.variables} for row in solutions]

    def union_ntriples(self) -> tuple[bytes, int]:
        """The union of the asserted and inferred graphs as sorted N-Triples, and its number of triples."""
        triples = sorted({quad.triple for quad in self.store}, key=str)
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), len(triples)


@functools.cache
def _code_digest() -> str:
    """SHA-256 of iotkg's own code and the views: a change to either never serves an entry made before it."""
    files = sorted(Path(__file__).parent.rglob("*.py")) + sorted(paths.queries_dir().glob("*.rq"))
    return framed_digest([__version__.encode(), *(path.read_bytes() for path in files)])


def cache_key(inputs: Inputs) -> str:
    """The name of the cache entry of these inputs, read by this code."""
    return framed_digest([inputs.located_digest.encode(), _code_digest().encode()])


def from_reasoned(reasoned: Reasoned, inputs: Inputs | None = None) -> GraphStore:
    """A store of an already reasoned graph, saved as the cache entry of ``inputs`` if given."""
    from iotkg.terms import to_oxigraph

    store = ox.Store()
    for graph, triples in ((ASSERTED, reasoned.asserted_triples), (INFERRED, reasoned.inferred_triples)):
        store.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), graph) for s, p, o in triples)
    graph = GraphStore(store, {prefix: str(namespace) for prefix, namespace in sorted(reasoned.namespaces()) if prefix})
    if inputs is not None:
        save(graph, cache_key(inputs))
    return graph


def save(graph: GraphStore, key: str) -> None:
    """Save a store as the cache entry ``key``: a line of its prefixes (JSON), then its N-Quads."""
    prefixes = json.dumps(graph.prefixes, sort_keys=True).encode("utf-8")
    cache.write(f"{key}.nq", prefixes + b"\n" + graph.store.dump(format=ox.RdfFormat.N_QUADS))


def open_store(instances: Path | None = None) -> GraphStore:
    """The asserted + inferred graph of these inputs, reasoned only on a cache miss (CheckFailed: inconsistent)."""
    inputs = read_inputs(instances)
    if (entry := cache.read(f"{cache_key(inputs)}.nq")) is not None:  # whole (its checksum checked), or None
        prefixes, _, quads = entry.partition(b"\n")
        store = ox.Store()
        store.bulk_load(quads, format=ox.RdfFormat.N_QUADS)
        return GraphStore(store, json.loads(prefixes))
    from iotkg.pipeline.load import load
    from iotkg.pipeline.reason import check_consistent, reason

    reasoned = reason(load(inputs=inputs))
    check_consistent(reasoned)
    return from_reasoned(reasoned, inputs)
