"""The main job writes the views and the graph into its output folder and prints a summary."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from rdflib import RDF, Graph

from iotkg.namespaces import IOTKG
from iotkg.pipeline.load import Sources


def test_build_writes_views_and_graph(built: tuple[Path, subprocess.CompletedProcess], shipped: Sources) -> None:
    out, result = built  # the session's ``iotkg build --out DIR`` (conftest.py): other tests read its site and graph
    assert result.returncode == 0, result.stderr
    protocols = set(shipped.instances.subjects(RDF.type, IOTKG.Protocol))
    summary = dict(line.split(":", 1) for line in result.stdout.splitlines() if ":" in line)
    assert int(summary["protocols"]) == len(protocols) > 0
    assert int(summary["triples asserted"]) == len(shipped.asserted)
    assert int(summary["triples inferred"]) > 0
    assert summary["validation"].strip().startswith("conforms")
    for edition in ("02", "07"):  # each edition's views in views/<edition>/
        assert (out / "views" / edition / "players.csv").read_text().startswith("protocol,player,category")
    assert not (out / "views" / "players.csv").exists()
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


@pytest.mark.slow
def test_build_reruns_into_its_own_folder(tmp_path: Path, cli) -> None:
    out = tmp_path / "dist"
    assert cli("build", "--out", str(out)).returncode == 0
    assert cli("build", "--out", str(out)).returncode == 0


def _instances_with(tmp_path: Path, extra: str) -> Path:
    import shutil

    from iotkg import paths

    folder = tmp_path / "instances"
    shutil.copytree(paths.instances_dir(), folder)
    (folder / "extra.ttl").write_text(extra)
    return folder


PREFIXES = """@prefix iotkg: <https://w3id.org/iotkg/ontology#> .
@prefix cat: <https://w3id.org/iotkg/id/category/> .
@prefix brski: <https://w3id.org/iotkg/id/brski/> .
"""


@pytest.mark.slow
def test_build_of_data_that_fails_validation_writes_nothing(tmp_path: Path, cli) -> None:
    """Validation's verdict, with its details, comes before any file is written."""
    folder = _instances_with(tmp_path, PREFIXES + "<https://w3id.org/iotkg/id/bare/protocol> a iotkg:Protocol .\n")
    out = tmp_path / "dist"
    result = cli("build", "--instances", str(folder), "--out", str(out))
    assert result.returncode == 1, result.stderr
    assert "validation failed" in result.stderr and "Protocol" in result.stderr  # the details themselves
    assert "Run 'iotkg validate' for details" not in result.stderr  # they were just printed
    assert not out.exists()


@pytest.mark.slow
def test_build_of_an_inconsistent_graph_writes_nothing(tmp_path: Path, cli) -> None:
    folder = _instances_with(tmp_path, PREFIXES + "brski:role-pledge iotkg:sameEntityAs brski:role-jrc .\n")
    out = tmp_path / "dist"
    result = cli("build", "--instances", str(folder), "--out", str(out))
    assert result.returncode == 1, result.stderr
    assert "inconsistent" in result.stderr and "brski:role-pledge iotkg:sameEntityAs brski:role-jrc" in result.stderr
    assert not out.exists()


@pytest.mark.slow
def test_a_build_leaves_the_cache_entry_that_a_later_query_reads(tmp_path: Path, monkeypatch) -> None:
    """The build saves the store it queried as the cache entry of its inputs: a later query does not reason."""
    from iotkg import store, views
    from iotkg.build import build
    from iotkg.pipeline import reason

    monkeypatch.setenv("IOTKG_CACHE_DIR", str(tmp_path / "cache"))
    build(tmp_path / "dist")
    assert [p for p in (tmp_path / "cache").iterdir() if p.name.endswith(".nq.iotkg-cache")]

    def reasons_again(*_: object) -> None:
        raise AssertionError("the query reasoned again: the build left no cache entry")

    monkeypatch.setattr(reason, "reason", reasons_again)
    later = store.open_store()
    players = views.render(views.run_view(views.find_view("players"), later), "csv")  # the latest edition, -07
    assert players.encode("utf-8") == (tmp_path / "dist" / "views" / "07" / "players.csv").read_bytes()


@pytest.mark.slow
def test_two_builds_write_the_same_bytes_whatever_the_hash_seed(tmp_path: Path, cli) -> None:
    def files(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    built = {}
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "IOTKG_CACHE_DIR": str(tmp_path / f"cache-{seed}")}
        result = cli("build", "--out", str(tmp_path / seed), env=env)
        assert result.returncode == 0, result.stderr
        built[seed] = files(tmp_path / seed)
    assert len(built["1"]) > 150 and built["1"].keys() == built["2"].keys()
    assert [name for name in built["1"] if built["1"][name] != built["2"][name]] == []
