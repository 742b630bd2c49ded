"""The checked front of the pipeline, shared by build, export and site: load → validate → reason.

Validation and reasoning both read the loaded graph, so they run side by side (``iotkg.parallel``); validation
is reported first, as if it had run first. The build goes on with work that writes nothing (``checking``) until it
needs validation's verdict."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from iotkg.errors import CheckFailed
from iotkg.parallel import Background, Gate
from iotkg.pipeline.load import Sources, load
from iotkg.pipeline.reason import Reasoned, check_consistent, reason
from iotkg.pipeline.validate import Validation, format_plain, validate


@dataclass
class Checked:
    """Inputs that loaded, conform to the shapes and are consistent, with their inferred triples."""

    sources: Sources
    validation: Validation
    reasoned: Reasoned


class Checking:
    """Loaded and reasoned inputs, consistent, whose validation may still be running (``checking``)."""

    def __init__(self, sources: Sources, reasoned: Reasoned, validating: Background[Validation]) -> None:
        self.sources = sources
        self.reasoned = reasoned
        self._validating = validating

    def checked(self) -> Checked:
        """Wait for validation; CheckFailed if the inputs do not conform to the shapes."""
        validation = self._validating.result()
        _raise_if_invalid(validation)
        return Checked(self.sources, validation, self.reasoned)


@contextmanager
def checking(
    instances: Path | None = None, step: Callable[[str], None] = lambda _: None, conforming: Gate | None = None
) -> Iterator[Checking]:
    """Load the inputs and reason, with validation running beside (stopped when the block is left); CheckFailed if
    the graph is inconsistent, or, first, if validation fails. Work done in the block before ``checked()`` writes
    nothing a user sees (the build's view queries): it overlaps validation. Validation opens the ``conforming`` gate,
    if given, the moment it finds that the inputs conform (a stage forked in the block may wait for it)."""
    step("load")
    sources = load(instances)
    sources.prefix_bindings  # noqa: B018 (worked out here, once: validation, forked next, and reasoning read them)
    step("validate")
    with Background(_validate_findings, sources, conforming) as validating:
        step("reason")
        try:
            reasoned = reason(sources)
            check_consistent(reasoned)
        except Exception:  # data that fails validation may also upset reasoning: say what validation says first
            _raise_if_invalid(validating.result())
            raise
        yield Checking(sources, reasoned, validating)


def load_checked(instances: Path | None = None, step: Callable[[str], None] = lambda _: None) -> Checked:
    """Load the inputs, validate them and reason; CheckFailed if validation fails or the graph is inconsistent."""
    with checking(instances, step) as pending:
        return pending.checked()


def _raise_if_invalid(validation: Validation) -> None:
    if not validation.conforms:
        raise CheckFailed("validation failed:\n" + format_plain(validation), hint="Run 'iotkg validate' for details.")


def _validate_findings(sources: Sources, conforming: Gate | None = None) -> Validation:
    """The validation without its report graph (the findings say it all, and cross between processes quickly);
    ``conforming`` opened if the inputs conform."""
    validation = validate(sources)
    if conforming is not None and validation.conforms:
        conforming.open()
    validation.report = Graph()
    return validation
