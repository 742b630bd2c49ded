"""Shared fixtures: the shipped graph loaded and reasoned once per test session, and a CLI runner."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from iotkg import paths
from iotkg.pipeline.load import Sources, load
from iotkg.pipeline.reason import Reasoned, reason

ROOT = paths.project_root()


@pytest.fixture(scope="session")
def shipped() -> Sources:
    """The shipped ontology and instances."""
    return load()


@pytest.fixture(scope="session")
def reasoned(shipped: Sources) -> Reasoned:
    """The shipped graph with its inferred triples."""
    return reason(shipped.asserted)


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
def site(reasoned: Reasoned, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the shipped graph, written once for the test session; tests only read it."""
    from iotkg.site import write_site
    from iotkg.store import from_reasoned

    folder = tmp_path_factory.mktemp("site")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IOTKG_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        write_site(from_reasoned(reasoned), folder)
    return folder


@pytest.fixture
def cli():
    """The ``run_cli`` helper as a fixture."""
    return run_cli
