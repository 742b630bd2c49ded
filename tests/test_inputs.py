"""The input files: which are read, and the digests that name the cache entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iotkg import paths, store
from iotkg.errors import InputError
from iotkg.pipeline.inputs import InputFile, Inputs, read_inputs, turtle_files


def test_hidden_files_and_folders_and_non_files_are_not_inputs(tmp_path: Path) -> None:
    (tmp_path / "a.ttl").write_text("")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.ttl").write_text("")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "c.ttl").write_text("")
    (tmp_path / ".#a.ttl").symlink_to(tmp_path / "gone")  # an editor's lock file: a dangling link
    (tmp_path / "d.ttl").mkdir()  # a folder named like a file
    assert turtle_files(tmp_path) == [tmp_path / "a.ttl", tmp_path / "sub" / "b.ttl"]


def test_a_folder_without_turtle_files_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no Turtle"):
        turtle_files(tmp_path)


def _inputs(*files: tuple[str, bytes], where: Path = Path("/data")) -> Inputs:
    first, *rest = [InputFile(where / name, data) for name, data in files]
    return Inputs(first, rest)


def test_the_digest_frames_each_name_and_content() -> None:
    # the same bytes joined differently must not share a digest
    assert _inputs(("a", b"bc"), ("d", b"")).digest != _inputs(("a", b"b"), ("cd", b"")).digest
    assert _inputs(("a", b"x")).digest == _inputs(("a", b"x")).digest
    assert _inputs(("a", b"x")).digest != _inputs(("a", b"y")).digest


def test_where_the_files_are_changes_the_cache_key_but_not_the_content_digest() -> None:
    here, there = _inputs(("a", b"x"), where=Path("/one")), _inputs(("a", b"x"), where=Path("/two"))
    assert here.digest == there.digest  # (the manifest's digest: the same data wherever it is)
    assert store.cache_key(here) != store.cache_key(there)  # relative IRIs resolve against the location


def test_a_changed_view_changes_the_cache_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    for folder in ("ontology", "queries", "instances"):
        shutil.copytree(paths.project_root() / folder, home / folder)
    monkeypatch.setenv("IOTKG_HOME", str(home))
    inputs = read_inputs()
    store._code_digest.cache_clear()
    before = store.cache_key(inputs)
    view = home / "queries" / "protocols.rq"
    view.write_text(view.read_text() + "\n# changed\n")
    store._code_digest.cache_clear()
    assert store.cache_key(inputs) != before
    store._code_digest.cache_clear()


def test_what_is_parsed_is_what_was_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from iotkg.pipeline.load import load

    folder = tmp_path / "instances"
    shutil.copytree(paths.instances_dir(), folder)
    inputs = read_inputs(folder)
    (folder / "brski.ttl").write_text("this is not Turtle\n")  # edited after it was read: the read bytes are parsed
    sources = load(inputs=inputs)
    assert sources.digest == inputs.digest
    assert any("brski" in str(s) for s, _, _ in sources.instance_triples)
