"""Where the project's ontology, instances and queries live."""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The folder holding ``ontology/``: ``$IOTKG_HOME`` if set, else the checkout this package runs from."""
    env = os.environ.get("IOTKG_HOME")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
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
