"""The Python API (``import iotkg``): what the README's example shows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import OWL, Graph, URIRef

import iotkg
from iotkg import paths
from iotkg.errors import CheckFailed, InputError
from iotkg.export import DATA_IRI


@pytest.fixture(scope="module")
def graph() -> iotkg.KnowledgeGraph:
    return iotkg.load()


def test_a_view_by_name_gives_rows_as_dicts_and_takes_bindings(graph: iotkg.KnowledgeGraph) -> None:
    protocols = graph.query("protocols", edition="02")
    assert len(protocols) == 11 and {"BRSKI", "Thread", "LPWAN"} <= {row["protocol"] for row in protocols}
    latest = graph.query("protocols")  # the latest edition, -07: ten mechanisms, LPWAN gone
    assert len(latest) == 10 and {"BRSKI", "Thread"} <= {row["protocol"] for row in latest}
    assert "LPWAN" not in {row["protocol"] for row in latest} and latest == graph.query("protocols", edition="07")
    meanings = graph.query("term-meanings", name="provisioning")
    everything = graph.query("term-meanings")
    assert meanings and len(meanings) < len(everything)
    assert {row["term"].lower() for row in meanings} == {"provisioning"}
    with pytest.raises(InputError):
        graph.query("no-such-view")


def test_equivalent_roles_are_the_entailed_ones(graph: iotkg.KnowledgeGraph) -> None:
    found = graph.equivalent_roles("BRSKI:Pledge", edition="02")  # -02's Section 3.2 joining-device category
    assert "DPP:Enrollee" in found and "BRSKI:Pledge" not in found
    assert all(":" in key for key in found)
    with pytest.raises(InputError):
        graph.equivalent_roles("BRSKI:Nobody")


def test_export_writes_the_chosen_formats(graph: iotkg.KnowledgeGraph, tmp_path: Path) -> None:
    files = graph.export(tmp_path / "graph", formats=("turtle",))
    names = {path.name for path in files}
    assert "merged.ttl" in names and "iotkg.nt" not in names
    merged = Graph().parse(tmp_path / "graph" / "merged.ttl")
    header = [t for t in merged if t[2] == OWL.NamedIndividual or t[0] == URIRef(DATA_IRI)]  # issue 21 §4
    assert len(merged) - len(header) == len(graph.checked.reasoned.asserted) + len(graph.checked.reasoned.inferred)


@pytest.mark.slow  # validates a copy of the whole graph three times (~2 s): the full suite only
def test_validate_reports_and_load_refuses_an_incomplete_entry(tmp_path: Path) -> None:
    folder = tmp_path / "instances"
    shutil.copytree(paths.instances_dir(), folder)
    (folder / "incomplete.ttl").write_text(
        "@prefix iotkg: <https://w3id.org/iotkg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://example.org/incomplete> a iotkg:Protocol ; rdfs:label "Incomplete" .\n'
    )
    report = iotkg.validate(folder)
    assert not report.conforms and any(f.severity == "Violation" for f in report.findings)
    with pytest.raises(CheckFailed):
        iotkg.load(folder)
    assert iotkg.validate().conforms


@pytest.mark.slow  # a Python process that loads, queries and exports the whole graph: the calls are tested above
def test_the_readmes_example_runs(tmp_path: Path) -> None:
    import subprocess
    import sys

    readme = (paths.project_root() / "README.md").read_text(encoding="utf-8")
    example = readme.split("```python\n", 1)[1].split("```", 1)[0]
    result = subprocess.run([sys.executable, "-c", example], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    meanings = iotkg.load().query("term-meanings", name="provisioning")
    assert lines[: len(meanings)] == [f"{row['protocol']} {row['definition']}" for row in meanings]
    assert "DPP:Enrollee" in result.stdout and lines[-1].startswith("True ")
    assert (tmp_path / "out" / "graph" / "merged.ttl").is_file()
