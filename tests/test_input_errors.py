"""Bad input gets a message with file, line and what to do, and exit status 2 — never a traceback."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from iotkg import paths


def copy_instances(tmp_path: Path) -> Path:
    folder = tmp_path / "instances"
    shutil.copytree(paths.instances_dir(), folder)
    return folder


@pytest.mark.slow
def test_malformed_turtle_names_file_and_line(tmp_path: Path, cli) -> None:
    folder = copy_instances(tmp_path)
    target = folder / "brski.ttl"
    lines = target.read_text().splitlines()
    broken_line = next(i for i, line in enumerate(lines) if "iotkg:shortName" in line)
    lines[broken_line] = lines[broken_line].replace('"BRSKI"', '"BRSKI')
    target.write_text("\n".join(lines) + "\n")

    for command in (["validate"], ["build", "--out", str(tmp_path / "out")], ["query", "players"]):
        result = cli(*command, "--instances", str(folder))
        assert result.returncode == 2, (command, result.stderr)
        assert f"brski.ttl:{broken_line + 1}:" in result.stderr
        assert "Turtle syntax error" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists(), "nothing is written when the input does not parse"


@pytest.mark.parametrize(
    ("statement", "named", "hint"),
    [
        ('<http://example.org/a b> rdfs:label "x" .', "Invalid IRI code point ' '", "%20"),
        (
            '<http://example.org/a> rdfs:label "x"@abcdefghi .',
            "A subtag may be eight characters in length at maximum",
            "BCP 47",
        ),
    ],
)
@pytest.mark.slow
def test_term_rdf_forbids_is_a_clear_error(tmp_path: Path, cli, statement: str, named: str, hint: str) -> None:
    # terms that lenient parsers accept (an IRI with a space, a nine-letter subtag) are refused where they are read
    folder = copy_instances(tmp_path)
    (folder / "extra.ttl").write_text(f"@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\n{statement}\n")
    for command in (["validate"], ["build", "--out", str(tmp_path / "out")], ["query", "players"]):
        result = cli(*command, "--instances", str(folder), env={**os.environ, "IOTKG_CACHE_DIR": str(tmp_path)})
        assert result.returncode == 2, (command, result.stderr)
        assert f"extra.ttl:3: Turtle syntax error: {named}" in result.stderr
        assert hint in result.stderr
        assert "Traceback" not in result.stderr
        assert "does not look like a valid URI" not in result.stderr  # (rdflib's warning, as it read the file)
    assert not (tmp_path / "out").exists()


def test_undeclared_prefix_is_a_clear_error(tmp_path: Path, cli) -> None:
    folder = copy_instances(tmp_path)
    (folder / "extra.ttl").write_text("nope:thing a nope:Thing .\n")
    result = cli("validate", "--instances", str(folder))
    assert result.returncode == 2
    assert "extra.ttl:1: Turtle syntax error: The prefix nope: has not been declared" in result.stderr
    assert "@prefix" in result.stderr  # the hint says how to declare it
    assert "Traceback" not in result.stderr


def test_missing_and_empty_instance_folders(tmp_path: Path, cli) -> None:
    missing = cli("validate", "--instances", str(tmp_path / "nowhere"))
    assert missing.returncode == 2
    assert "nowhere" in missing.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("validate", "--instances", str(empty))
    assert result.returncode == 2
    assert "no Turtle (.ttl) files" in result.stderr
    assert "conforms" not in result.stdout


def test_extra_file_that_does_not_exist(cli) -> None:
    result = cli("validate", "no-such-file.ttl")
    assert result.returncode == 2
    assert "no-such-file.ttl" in result.stderr


def test_unknown_command_is_usage_error(cli) -> None:
    result = cli("frobnicate")
    assert result.returncode == 2
    assert "No such command" in result.stderr
