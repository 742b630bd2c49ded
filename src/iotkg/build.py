"""The main job: load → validate → reason → views → site → export, into one output folder (the export runs beside
the views and the site, ``iotkg.parallel``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF

from iotkg import export, site, views
from iotkg.namespaces import IOTKG
from iotkg.output import prepare, write_text
from iotkg.parallel import Background
from iotkg.pipeline import load_checked
from iotkg.reason import Reasoned
from iotkg.sources import Sources
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


def _export_and_document(reasoned: Reasoned, folder: Path, sources: Sources) -> tuple[list[Path], str]:
    """The files of the export, and pyLODE's page of the ontology (the two need nothing from the views)."""
    return export.export(reasoned, folder, sources), site.pylode_html()


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
    step("export")  # beside the views and the site: the export (under graph/) and pyLODE's page of the ontology
    with Background(_export_and_document, reasoned, out / "graph", sources) as background:
        step("views")
        graph = from_reasoned(reasoned, instances)
        results = {}
        for view in views.list_views():
            rows = results[view.name] = views.run_view(view, graph)
            for fmt, suffix in VIEW_SUFFIX.items():
                summary.files.append(write_text(out / "views" / f"{view.name}.{suffix}", views.render(rows, fmt)))
        step("site")
        exported, ontology_html = background.result()
        summary.files += site.write_site(
            graph, out / "site", step=step, results=results, ontology_html=ontology_html
        ).files
        summary.files += exported
    return summary
