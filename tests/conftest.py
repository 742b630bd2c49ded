"""Shared fixtures: the shipped graph loaded and reasoned once per test session, one real build (its views, export
and site) per session that tests only read, and a CLI runner."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from iotkg import paths, views
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


@pytest.fixture(scope="session")
def shipped_rows(store: GraphStore) -> Callable[..., views.Rows]:
    """``shipped_rows(name, edition=None)``: a view's rows on the shipped store (``views.run_view``), run once per
    session for each view and edition and shared by the tests that read them (a view takes up to half a second)."""
    cache: dict[tuple[str, str | None], views.Rows] = {}

    def rows(name: str, edition: str | None = None) -> views.Rows:
        if (name, edition) not in cache:
            cache[name, edition] = views.run_view(views.find_view(name), store, edition=edition)
        return cache[name, edition]

    return rows


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
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """The real ``iotkg build`` run once for the test session, as a user runs it (a subprocess): its output folder —
    the views (``views/``), the exported graph (``graph/``) and the site (``site/``) — and the finished process. Tests
    only read them."""
    out = tmp_path_factory.mktemp("build") / "dist"
    result = run_cli("build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out, result


@pytest.fixture(scope="session")
def exported(built: tuple[Path, subprocess.CompletedProcess]) -> Path:
    """Every export format of the shipped graph, as the session's build wrote it (``export`` with the sources)."""
    return built[0] / "graph"


@pytest.fixture(scope="session")
def site(built: tuple[Path, subprocess.CompletedProcess]) -> Path:
    """The site of the shipped graph, as the session's build wrote it (``write_site`` with the build's views)."""
    return built[0] / "site"


@pytest.fixture
def cli():
    """The ``run_cli`` helper as a fixture."""
    return run_cli
