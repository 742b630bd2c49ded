"""Issue 22, one test per case: nothing wrong (blank nodes per file, a cache that cannot lie), nothing lost (outputs
swapped in whole, nothing outside the output folder touched), and inputs that would hang or crash get a message."""

from __future__ import annotations

import errno
import importlib
import logging
import os
import shutil
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from iotkg import cache, output, paths, store
from iotkg.cli import main
from iotkg.errors import InputError
from iotkg.export import _declared_prefixes
from iotkg.export.canonical import canonical
from iotkg.pipeline import inputs
from iotkg.pipeline.load import load, read_turtle
from iotkg.terms import to_rdflib
from iotkg.views import parse_bindings, read_view, run_view

PREFIX = "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
ADDRESS = '<urn:ex:{0}> <urn:ex:address> _:addr . _:addr rdfs:label "{0} street" .\n'


def small(tmp_path: Path) -> Path:
    """A folder of two small files that say the same blank node label."""
    folder = tmp_path / "instances"
    folder.mkdir()
    for name, who in (("za.ttl", "alice"), ("zb.ttl", "bob")):
        (folder / name).write_text(PREFIX + ADDRESS.format(who))
    return folder


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


# ---------------------------------------------------------------- silent wrong data


def test_a_blank_node_label_is_scoped_to_its_file(tmp_path: Path) -> None:
    triples = load(small(tmp_path)).instance_triples
    streets = {str(o) for s, p, o in triples if str(p).endswith("label") for s2, _, a in triples if a == s}
    addresses = {o for s, p, o in triples if str(p) == "urn:ex:address"}
    assert len(addresses) == 2  # two nodes, not one shared node with both streets
    assert streets == {"alice street", "bob street"}
    for node in addresses:
        assert len([t for t in triples if t[0] == node]) == 1


def _entry(tmp_path: Path) -> tuple[Path, store.GraphStore]:
    graph = store.open_store(small(tmp_path))
    (path,) = tmp_path.joinpath("cache").glob("*.nq*")
    return path, graph


def _quads(graph: store.GraphStore) -> set[str]:
    """The store's quads, blank nodes relabelled by RDFC-1.0 (each load names them afresh)."""
    dataset = ox.Dataset(graph.store)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(quad) for quad in dataset}


def _damage(path: Path, how: str, tmp_path: Path) -> None:
    data = path.read_bytes()
    if how == "other folder's entry":
        other = tmp_path / "other"
        shutil.copytree(tmp_path / "instances", other)
        (other / "zc.ttl").write_text("<urn:ex:c> <urn:ex:p> <urn:ex:d> .\n")
        store.open_store(other)
        data = next(p for p in path.parent.glob("*.nq*") if p != path).read_bytes()
    path.write_bytes(
        {
            "truncated at a line end": data[: data.rindex(b"\n", 0, len(data) // 2) + 1],
            "cut mid-line": data[: len(data) // 2],
            "empty": b"",
            "garbage": bytes(range(256)) * 20,
            "wrong checksum": data.replace(b"sha256=", b"sha256=0", 1),
            "damaged prefixes": data.replace(b'{"', b"{not", 1),
            "other folder's entry": data,
        }[how]
    )


@pytest.mark.parametrize(
    "how",
    [
        "truncated at a line end",
        "cut mid-line",
        "empty",
        "garbage",
        "wrong checksum",
        "damaged prefixes",
        "other folder's entry",
    ],
)
def test_a_damaged_cache_entry_is_made_again_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    monkeypatch.setenv("IOTKG_CACHE_DIR", str(tmp_path / "cache"))
    path, fresh = _entry(tmp_path)
    _damage(path, how, tmp_path)
    capsys.readouterr()
    again = store.open_store(tmp_path / "instances")
    assert _quads(again) == _quads(fresh) and again.prefixes == fresh.prefixes
    assert "is damaged: it is made again" in capsys.readouterr().err
    assert _quads(store.open_store(tmp_path / "instances")) == _quads(fresh)  # and the entry is whole again
    assert capsys.readouterr().err == ""


def test_an_unwritable_cache_costs_speed_only_and_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv("IOTKG_CACHE_DIR", str(folder))
    real = Path.write_bytes

    def disk_full(self: Path, data: bytes) -> int:  # writes part, then the disk is full
        real(self, data[:10])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    assert len(store.open_store(small(tmp_path)).store) > 0
    assert list(folder.iterdir()) == []
    monkeypatch.undo()
    monkeypatch.setenv("IOTKG_CACHE_DIR", str(tmp_path / "a-file"))
    (tmp_path / "a-file").write_text("not a folder")
    assert len(store.open_store(tmp_path / "instances").store) > 0


def test_the_cache_folder_deleted_during_a_cold_query(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from iotkg.pipeline import reason

    monkeypatch.setenv("IOTKG_CACHE_DIR", str(tmp_path / "cache"))
    store.open_store(small(tmp_path))
    (tmp_path / "instances" / "zc.ttl").write_text("<urn:ex:c> <urn:ex:p> <urn:ex:d> .\n")
    real = reason.reason

    def deleting(*args: object) -> object:
        shutil.rmtree(tmp_path / "cache")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(reason, "reason", deleting)
    # the protocols view reads an edition: the folder names the editions (as the shipped instances do)
    shutil.copy(paths.instances_dir() / "editions.ttl", tmp_path / "instances")
    code, out, err = cli("query", "protocols", "--instances", str(tmp_path / "instances"), "--format", "csv")
    assert code == 0 and out.startswith("protocol")
    assert err.splitlines() == [
        "iotkg: reading edition -07 (draft-irtf-t2trg-security-setup-iot-devices-07, 2026-07-06)"
    ]


def test_old_cache_entries_are_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOTKG_CACHE_DIR", str(tmp_path))
    for number in range(cache.MAX_ENTRIES + 3):
        cache.write(f"entry-{number}", b"x")
        os.utime(tmp_path / f"entry-{number}{cache.SUFFIX}", (number, number))
    cache.write("last", b"y")
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert len(kept) == cache.MAX_ENTRIES and f"last{cache.SUFFIX}" in kept and f"entry-0{cache.SUFFIX}" not in kept
    assert cache.read("last") == b"y"


# ---------------------------------------------------------------- nothing lost


def _previous(tmp_path: Path) -> Path:
    target = tmp_path / "dist"
    output.write_folder(target, lambda f: [output.write_text(f / "site" / "index.html", "old")])
    return target


def test_nothing_outside_the_output_folder_is_deleted_or_written(tmp_path: Path) -> None:
    target = _previous(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("mine")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("mine too")
    with (target / output.FILE_LIST).open("a") as listing:
        listing.write(f"{victim}\n../victim.txt\n")
    for listing in (target / "site" / ".iotkg-site-files",):
        listing.write_text(f"{victim}\n")
    shutil.rmtree(target / "site")
    (target / "site").symlink_to(outside)  # a link out of the folder: never followed
    output.write_folder(target, lambda f: [output.write_text(f / "site" / "index.html", "new")])
    assert victim.read_text() == "mine" and (outside / "index.html").read_text() == "mine too"
    assert (target / "site" / "index.html").read_text() == "new" and not (target / "site").is_symlink()


def test_a_rerun_keeps_the_users_files_and_drops_its_own_stale_ones(tmp_path: Path) -> None:
    target = _previous(tmp_path)
    output.write_folder(target, lambda f: [output.write_text(f / "site" / "gone.html", "stale")])
    (target / "site" / "mine.html").write_text("the user's")
    files = output.write_folder(target, lambda f: [output.write_text(f / "site" / "index.html", "new")])
    assert files == [target / "site" / "index.html"]
    assert not (target / "site" / "gone.html").exists()
    assert (target / "site" / "mine.html").read_text() == "the user's"
    assert "site/mine.html" not in (target / output.FILE_LIST).read_text()


def test_a_failed_write_leaves_the_previous_output_as_it_was(tmp_path: Path) -> None:
    target = _previous(tmp_path)
    before = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}

    def fails(folder: Path) -> list[Path]:
        output.write_text(folder / "site" / "index.html", "half")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(InputError, match="No space left on device"):
        output.write_folder(target, fails)
    assert {p: p.read_bytes() for p in target.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]  # no half-written folder beside it


def test_output_under_a_file_and_reason_into_a_missing_folder_are_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    with pytest.raises(InputError, match="afile/sub: cannot be written"):
        output.write_folder(tmp_path / "afile" / "sub", lambda f: [])
    code, _, err = cli("reason", "--instances", str(small(tmp_path)), "-o", str(tmp_path / "missing" / "x.ttl"))
    assert code == 2 and "missing/x.ttl: cannot be written" in err


# ---------------------------------------------------------------- inputs that hang or crash


def test_a_file_past_the_size_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inputs, "MAX_FILE_BYTES", 200)
    (tmp_path / "big.ttl").write_bytes(b"# pad\n" * 40)
    with pytest.raises(InputError, match=r"big\.ttl: larger than"):
        inputs.read_file(tmp_path / "big.ttl")
    assert inputs.read_file(small(tmp_path) / "za.ttl").data.startswith(b"@prefix")


def test_a_dangling_symlink_or_device_in_the_folder_is_skipped(tmp_path: Path) -> None:
    folder = small(tmp_path)
    (folder / "gone.ttl").symlink_to(tmp_path / "nowhere")
    (folder / "zero.ttl").symlink_to("/dev/zero")
    assert [p.name for p in inputs.turtle_files(folder)] == ["za.ttl", "zb.ttl"]
    with pytest.raises(InputError, match=r"zero\.ttl: not a regular file"):
        inputs.read_file(folder / "zero.ttl")  # given by name (validate FILE): refused, not read for ever


def test_deep_blank_node_nesting_exports_in_linear_time() -> None:
    depth = 1000
    text = "<urn:ex:a> <urn:ex:p> " + "[ <urn:ex:p> " * depth + "<urn:ex:z>" + " ]" * depth + " ."
    triples = [
        tuple(map(to_rdflib, (q.subject, q.predicate, q.object))) for q in ox.parse(text, format=ox.RdfFormat.TURTLE)
    ]
    started = time.perf_counter()
    first = canonical([(triples, None)])
    assert time.perf_counter() - started < 5  # RDFC-1.0 alone: about 30 s at this depth, never at 3,000
    assert len(first) == depth + 1 and canonical([(triples[::-1], None)]).nquads == first.nquads


def test_blank_nodes_rdfc_cannot_tell_apart_past_the_limit_are_refused() -> None:
    MAX_TIED_BLANK_NODES = importlib.import_module("iotkg.export.canonical").MAX_TIED_BLANK_NODES
    n = MAX_TIED_BLANK_NODES + 1  # every node linked to every other: RDFC-1.0's search is exponential
    text = " ".join(f"_:b{i} <urn:ex:p> _:b{j} ." for i in range(n) for j in range(n) if i != j)
    triples = [
        tuple(map(to_rdflib, (q.subject, q.predicate, q.object))) for q in ox.parse(text, format=ox.RdfFormat.TURTLE)
    ]
    with pytest.raises(InputError, match=f"limit: {MAX_TIED_BLANK_NODES}"):
        canonical([(triples, None)])


def test_a_comment_that_is_not_utf8_does_not_crash_the_export(tmp_path: Path) -> None:
    (tmp_path / "c.ttl").write_bytes(b"# caf\xe9\n@prefix ex: <urn:ex:> .\n")
    assert _declared_prefixes([tmp_path / "c.ttl"]) == {"ex": "urn:ex:"}


def test_a_query_file_that_is_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "q.rq").write_bytes(b"# title: x\n# caf\xe9\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(InputError, match=r"q.rq:2: not UTF-8"):
        read_view(tmp_path / "q.rq")


def test_a_relative_iri_bound_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="not an absolute IRI"):
        parse_bindings(["name=<relative>"])
    assert parse_bindings(["name=<urn:ex:a>"])["name"].value == "urn:ex:a"


def test_a_local_view_with_service_is_refused_before_any_request(tmp_path: Path, store: store.GraphStore) -> None:
    (tmp_path / "q.rq").write_text("SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }\n")
    with pytest.raises(InputError, match=r"a federated \(SERVICE\) query"):
        run_view(read_view(tmp_path / "q.rq"), store)


@pytest.mark.parametrize(
    "statement",
    [
        "<< <urn:ex:a> <urn:ex:p> <urn:ex:b> >> <urn:ex:q> <urn:ex:c> .",
        "<urn:ex:a> <urn:ex:p> <<( <urn:ex:a> <urn:ex:p> <urn:ex:b> )>> .",
    ],
)
def test_rdf_star_and_rdf12_triple_terms_are_a_clear_error(tmp_path: Path, statement: str) -> None:
    (tmp_path / "s.ttl").write_text(f"# a quoted triple\n{statement}\n")
    with pytest.raises(InputError, match=r"s.ttl:2: RDF-star / RDF 1.2 triple terms are not supported"):
        read_turtle(tmp_path / "s.ttl")


def test_an_ill_typed_literal_logs_no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    assert str(to_rdflib(ox.Literal("abc", datatype=integer))) == "abc"
    assert not [r for r in caplog.records if r.name.startswith("rdflib") and r.levelno >= logging.WARNING]
