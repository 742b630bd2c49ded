"""iotkg: a knowledge graph of the protocols that give IoT devices their initial security setup.

The Python API (README.md): ``iotkg.load()`` is a ``KnowledgeGraph`` (``query``, ``equivalent_roles``, ``export``);
``iotkg.validate()`` the SHACL report, without raising."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from iotkg.version import __version__

if TYPE_CHECKING:
    from iotkg.pipeline.checked import Checked
    from iotkg.pipeline.validate import Validation
    from iotkg.store import GraphStore

__all__ = ["KnowledgeGraph", "__version__", "load", "validate"]


class KnowledgeGraph:
    """A loaded, validated and reasoned graph: its views, role equivalences and export."""

    def __init__(self, checked: Checked) -> None:
        from iotkg.store import from_reasoned

        self.checked = checked
        self.store: GraphStore = from_reasoned(checked.reasoned)

    @property
    def validation(self) -> Validation:
        """The SHACL report of the inputs (conforming: warnings only)."""
        return self.checked.validation

    def query(self, view: str, edition: str | None = None, **bindings: str) -> list[dict[str, str | None]]:
        """A view's rows as dicts, for an edition (the latest by default), ``bindings`` given (``<…>``: an IRI)."""
        from iotkg import views

        chosen = views.find_view(view)
        bound = views.parse_bindings([f"{name}={value}" for name, value in bindings.items()])
        return views.run_view(chosen, self.store, bound, edition).records()

    def equivalent_roles(self, role: str, edition: str | None = None) -> list[str]:
        """The roles entailed to play the same part as ``role`` (``PROTOCOL:Name`` or an IRI) in an edition."""
        from iotkg import roles

        found = roles.equivalents(self.store, roles.find_role(self.store, role), edition)
        return [equivalence.other.key for equivalence in found]

    def export(self, folder: str | Path, formats: tuple[str, ...] | None = None, *, force: bool = False) -> list[Path]:
        """Write the graph for other tools into ``folder`` (all formats unless ``formats``); the files written."""
        from iotkg import export
        from iotkg.output import write_folder

        chosen = tuple(formats) if formats else tuple(export.FORMATS)
        write = lambda to: export.export(self.checked.reasoned, to, self.checked.sources, chosen)  # noqa: E731
        return write_folder(Path(folder), write, force=force)


def load(instances: str | Path | None = None) -> KnowledgeGraph:
    """Load, validate and reason the shipped entries or those in ``instances``; CheckFailed, InputError."""
    from iotkg.pipeline.checked import load_checked

    return KnowledgeGraph(load_checked(Path(instances) if instances else None))


def validate(instances: str | Path | None = None) -> Validation:
    """The SHACL validation of the shipped entries, or of those in ``instances`` (never raises for violations)."""
    from iotkg.pipeline.load import load as load_sources
    from iotkg.pipeline.validate import validate as run_validation

    return run_validation(load_sources(Path(instances) if instances else None))
