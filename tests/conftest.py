"""Shared fixtures: the shipped graph loaded and reasoned once per test session, and a CLI runner."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from iotkg import paths
from iotkg.pipeline.load import Sources, load
from iotkg.pipeline.reason import Reasoned, reason
from iotkg.store import GraphStore, from_reasoned

ROOT = paths.project_root()


@pytest.fixture(scope="session")
def shipped() -> Sources:
    """The shipped ontology and instances."""
    return load()


@pytest.fixture(scope="session")
def reasoned(shipped: Sources) -> Reasoned:
    """The shipped graph with its inferred triples."""
    return reason(shipped)  # as the build does


@pytest.fixture(scope="session")
def store(reasoned: Reasoned) -> GraphStore:
    """The shipped graph, asserted and inferred, in the Oxigraph store the views run on."""
    return from_reasoned(reasoned)


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the real ``iotkg`` command in a subprocess (as a user would) and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "iotkg", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="session")
def site(store: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the shipped graph, written once for the test session; tests only read it."""
    from iotkg.site import write_site

    folder = tmp_path_factory.mktemp("site")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IOTKG_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))  # (pyLODE's page is kept there)
        write_site(store, folder)
    return folder


@pytest.fixture
def cli():
    """The ``run_cli`` helper as a fixture."""
    return run_cli
