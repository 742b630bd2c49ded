"""The main job writes the views and the graph into its output folder and prints a summary."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, Graph

from iotkg.namespaces import IOTKG
from iotkg.pipeline.load import Sources


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


def test_build_of_data_that_fails_validation_writes_nothing(tmp_path: Path, cli) -> None:
    """The view queries run while validation does; its verdict still comes before any file is written."""
    folder = _instances_with(tmp_path, PREFIXES + "<https://w3id.org/iotkg/id/bare/protocol> a iotkg:Protocol .\n")
    out = tmp_path / "dist"
    result = cli("build", "--instances", str(folder), "--out", str(out))
    assert result.returncode == 1, result.stderr
    assert "validation failed" in result.stderr
    assert not out.exists()


def test_build_of_an_inconsistent_graph_writes_nothing(tmp_path: Path, cli) -> None:
    folder = _instances_with(tmp_path, PREFIXES + "brski:role-pledge iotkg:sameEntityAs brski:role-jrc .\n")
    out = tmp_path / "dist"
    result = cli("build", "--instances", str(folder), "--out", str(out))
    assert result.returncode == 1, result.stderr
    assert "inconsistent" in result.stderr and "brski:role-pledge iotkg:sameEntityAs brski:role-jrc" in result.stderr
    assert not out.exists()


def test_a_build_leaves_the_cache_entry_that_a_later_query_reads(tmp_path: Path, monkeypatch) -> None:
    """The build's store is not read from the cache; the export's process saves the entry for later commands."""
    from iotkg import store, views
    from iotkg.build import build

    monkeypatch.setenv("IOTKG_CACHE_DIR", str(tmp_path / "cache"))
    build(tmp_path / "dist")
    assert sorted(p.suffix for p in (tmp_path / "cache").iterdir()) == [".json", ".nq"]

    def reasons_again(*_: object) -> None:
        raise AssertionError("the query reasoned again: the build left no cache entry")

    monkeypatch.setattr(store, "_write_cache", reasons_again)
    later = store.open_store()
    players = views.render(views.run_view(views.find_view("players"), later), "csv")
    assert players.encode("utf-8") == (tmp_path / "dist" / "views" / "players.csv").read_bytes()


def test_a_build_without_forked_processes_writes_the_same_files(tmp_path: Path, monkeypatch) -> None:
    """Where fork is missing (or there is one CPU) every stage runs in this process, the export after the verdict:
    the same bytes, and no stage left waiting on a gate only another process could open."""
    from iotkg import build as build_module
    from iotkg import parallel

    monkeypatch.setenv("IOTKG_CACHE_DIR", str(tmp_path / "cache"))
    build_module.build(tmp_path / "forked")
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    monkeypatch.setattr(build_module, "can_fork", lambda: False)
    monkeypatch.setenv("IOTKG_CACHE_DIR", str(tmp_path / "cache-inline"))
    build_module.build(tmp_path / "inline")

    def files(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    forked, inline = files(tmp_path / "forked"), files(tmp_path / "inline")
    assert "graph/manifest.json" in inline and "site/index.html" in inline and "views/players.csv" in inline
    assert inline.keys() == forked.keys()
    assert [name for name in forked if forked[name] != inline[name]] == []
    assert sorted(p.suffix for p in (tmp_path / "cache-inline").iterdir()) == [".json", ".nq"]
