"""The checked front of the pipeline, shared by build, export and site: load → validate → reason.

Validation and reasoning both read the loaded graph, so they run side by side (``iotkg.parallel``); validation
is reported first, as if it had run first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from iotkg.errors import CheckFailed
from iotkg.parallel import Background
from iotkg.reason import Reasoned, check_consistent, reason
from iotkg.sources import Sources, load
from iotkg.validate import Validation, format_plain, validate


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
    asserted = sources.asserted  # built once, before the fork: both processes read it
    step("validate")
    with Background(_validate_findings, sources) as validating:
        step("reason")
        try:
            reasoned = reason(asserted)
        except Exception:  # data that fails validation may also upset reasoning: say what validation says first
            _raise_if_invalid(validating.result())
            raise
        validation = validating.result()
    _raise_if_invalid(validation)
    check_consistent(reasoned)
    return Checked(sources, validation, reasoned)


def _raise_if_invalid(validation: Validation) -> None:
    if not validation.conforms:
        raise CheckFailed("validation failed:\n" + format_plain(validation), hint="Run 'iotkg validate' for details.")


def _validate_findings(sources: Sources) -> Validation:
    """The validation without its report graph (the findings say it all, and cross between processes quickly)."""
    validation = validate(sources)
    validation.report = Graph()
    return validation
