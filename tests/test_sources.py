"""The loaded sources: the prefixes their graphs bind are rdflib's choice, worked out once."""

from __future__ import annotations

import shutil
from pathlib import Path

from rdflib import Graph

from iotkg import paths
from iotkg.pipeline.load import load


def _bound_one_by_one(declared: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """What rdflib binds when each declaration is bound in turn, as a graph of the files would."""
    graph = Graph()
    for prefix, namespace in dict.fromkeys(declared):
        graph.bind(prefix, namespace, override=False)
    return [(prefix, str(namespace)) for prefix, namespace in graph.namespaces()]


def test_graphs_bind_what_rdflib_binds_one_by_one_even_where_files_disagree(tmp_path: Path) -> None:
    folder = tmp_path / "instances"
    shutil.copytree(paths.instances_dir(), folder)
    # a second file declaring a prefix of the shipped files for another namespace, and a namespace of theirs
    # under another prefix: rdflib numbers the first and keeps the namespace's earlier prefix for the second
    (folder / "zz-other.ttl").write_text(
        "@prefix iotkg: <https://example.org/not-iotkg#> .\n"
        "@prefix again: <https://w3id.org/iotkg/ontology#> .\n"
        "<https://example.org/x> iotkg:p again:Protocol .\n",
        encoding="utf-8",
    )
    sources = load(folder)
    expected = _bound_one_by_one(sources.instance_prefixes)
    assert ("iotkg", "https://w3id.org/iotkg/ontology#") in expected
    assert "https://example.org/not-iotkg#" in {namespace for _, namespace in expected}
    assert "again" not in {prefix for prefix, _ in expected}

    for graph in (sources.prefixes_graph(), sources.instances, sources.asserted):
        assert [(prefix, str(namespace)) for prefix, namespace in graph.namespaces()] == expected
    assert len(sources.asserted) == len(sources.ontology) + len(set(sources.instance_triples))
