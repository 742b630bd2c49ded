"""Where the project's ontology, instances and queries live."""

from __future__ import annotations

import os
from pathlib import Path

_BUNDLED = Path(__file__).resolve().parent / "data"
"""Where an installed wheel carries ``ontology/``, ``queries/`` and ``instances/`` (see pyproject.toml)."""


def project_root() -> Path:
    """The folder holding ``ontology/``, ``queries/`` and ``instances/``: ``$IOTKG_HOME``, the wheel's, the checkout."""
    if env := os.environ.get("IOTKG_HOME"):
        return Path(env).resolve()
    if (_BUNDLED / "ontology").is_dir():
        return _BUNDLED
    for parent in _BUNDLED.parents:
        if (parent / "ontology").is_dir() and (parent / "queries").is_dir():
            return parent
    return Path.cwd()


def ontology_dir() -> Path:
    """The folder of the ontology and shapes files."""
    return project_root() / "ontology"


def instances_dir() -> Path:
    """The shipped folder of protocol entries."""
    return project_root() / "instances"


def queries_dir() -> Path:
    """The folder of the SPARQL views."""
    return project_root() / "queries"
