"""The main job writes the views and the graph into its output folder and prints a summary."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, Graph

from iotkg.namespaces import IOTKG
from iotkg.sources import Sources


def test_build_writes_views_and_graph(tmp_path: Path, cli, shipped: Sources) -> None:
    out = tmp_path / "dist"
    result = cli("build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    protocols = set(shipped.instances.subjects(RDF.type, IOTKG.Protocol))
    summary = dict(line.split(":", 1) for line in result.stdout.splitlines() if ":" in line)
    assert int(summary["protocols"]) == len(protocols) > 0
    assert int(summary["triples asserted"]) == len(shipped.asserted)
    assert int(summary["triples inferred"]) > 0
    assert summary["validation"].strip().startswith("conforms")
    assert (out / "views" / "players.csv").read_text().startswith("protocol,player,category")
    exported = Graph().parse(out / "graph" / "iotkg.ttl")
    assert len(exported) == len(shipped.asserted)


def test_build_refuses_a_folder_it_did_not_write(tmp_path: Path, cli) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my notes")
    result = cli("build", "--out", str(out))
    assert result.returncode == 2
    assert "did not write" in result.stderr
    assert (out / "notes.txt").read_text() == "my notes"
    assert not (out / "views").exists()


def test_build_reruns_into_its_own_folder(tmp_path: Path, cli) -> None:
    out = tmp_path / "dist"
    assert cli("build", "--out", str(out)).returncode == 0
    assert cli("build", "--out", str(out)).returncode == 0
