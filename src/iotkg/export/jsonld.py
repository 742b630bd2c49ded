"""JSON-LD of canonical statements by pyoxigraph, with an inline ``@context`` of the prefixes the graph uses."""

from __future__ import annotations

import json

import pyoxigraph as ox

from iotkg.export.canonical import Canonical

_GEN_DELIMS = frozenset(":/?#[]@")  # in JSON-LD 1.1 only a namespace that ends in one of them makes compact IRIs


def jsonld_context(prefixes: dict[str, str], iris: frozenset[str]) -> dict[str, object]:
    """The ``@context``: the used ``prefixes`` that make compact IRIs, less any named like a scheme of ``iris``."""
    schemes = {iri.partition(":")[0] for iri in iris}
    return {"@context": {p: ns for p, ns in prefixes.items() if p not in schemes and ns[-1:] in _GEN_DELIMS}}


def jsonld_bytes(graph: Canonical, context: dict[str, object]) -> bytes:
    """pyoxigraph's JSON-LD of canonical statements, ``context`` inline, a node object per line (small diffs)."""
    nodes = json.loads(ox.serialize(ox.parse(graph.nquads, format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.JSON_LD))
    head = json.dumps(context["@context"], indent=2, sort_keys=True, ensure_ascii=False).replace("\n", "\n  ")
    lines = ",\n".join(json.dumps(node, ensure_ascii=False) for node in nodes)
    return f'{{\n  "@context": {head},\n  "@graph": [\n{lines}\n  ]\n}}\n'.encode()
