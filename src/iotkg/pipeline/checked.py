"""The checked front of the pipeline, shared by build, export and site: load → validate → reason, in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from iotkg.errors import CheckFailed
from iotkg.pipeline.load import Sources, load
from iotkg.pipeline.reason import Reasoned, check_consistent, reason
from iotkg.pipeline.report import format_plain
from iotkg.pipeline.validate import Validation, validate


@dataclass
class Checked:
    """Inputs that loaded, conform to the shapes and are consistent, with their inferred triples."""

    sources: Sources
    validation: Validation
    reasoned: Reasoned


def load_checked(instances: Path | None = None, step: Callable[[str], None] = lambda _: None) -> Checked:
    """Load the inputs, validate them and reason; CheckFailed if validation fails or the graph is inconsistent."""
    step("load")
    sources = load(instances)
    step("validate")
    if not (validation := validate(sources)).conforms:
        raise CheckFailed("validation failed:\n" + format_plain(validation))
    step("reason")
    reasoned = reason(sources)
    check_consistent(reasoned)
    return Checked(sources, validation, reasoned)
