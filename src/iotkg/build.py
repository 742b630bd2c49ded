"""The main job: load → validate → reason → views → export, into one output folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF

from iotkg import export, site, views
from iotkg.namespaces import IOTKG
from iotkg.output import prepare, write_text
from iotkg.pipeline import load_checked
from iotkg.store import from_reasoned

VIEW_SUFFIX = {"csv": "csv", "tsv": "tsv", "json": "srj", "md": "md", "table": "txt"}


@dataclass
class BuildSummary:
    """What a build did, for the summary the CLI prints."""

    protocols: int = 0
    asserted_triples: int = 0
    inferred_triples: int = 0
    validation: str = ""
    files: list[Path] = field(default_factory=list)


def build(
    out: Path,
    instances: Path | None = None,
    *,
    force: bool = False,
    step: Callable[[str], None] = lambda _: None,
) -> BuildSummary:
    """Run the whole pipeline into ``out`` (views, site, exported graph); CheckFailed if validation or consistency
    fails."""
    summary = BuildSummary()
    checked = load_checked(instances, step)
    sources, validation, reasoned = checked.sources, checked.validation, checked.reasoned
    summary.protocols = len(set(reasoned.asserted.subjects(RDF.type, IOTKG.Protocol)))
    summary.asserted_triples = len(reasoned.asserted)
    violations = sum(f.severity == "Violation" for f in validation.findings)
    warnings = len(validation.findings) - violations
    summary.validation = f"conforms ({violations} violations, {warnings} warnings)"
    summary.inferred_triples = len(reasoned.inferred)
    prepare(out, force=force)
    step("views")
    graph = from_reasoned(reasoned, instances)
    for view in views.list_views():
        rows = views.run_view(view, graph)
        for fmt, suffix in VIEW_SUFFIX.items():
            summary.files.append(write_text(out / "views" / f"{view.name}.{suffix}", views.render(rows, fmt)))
    step("site")
    summary.files += site.write_site(graph, out / "site", step=step).files
    step("export")
    summary.files += export.export(reasoned, out / "graph", sources)
    return summary
