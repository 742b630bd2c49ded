"""The main job: load → validate → reason → views → site → export, into one output folder (the export, pyLODE's
page of the ontology and the views' plain-text tables are made in forked processes beside the views and the site,
``iotkg.parallel``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF

from iotkg import export, site, views
from iotkg.namespaces import IOTKG
from iotkg.output import prepare, write_text
from iotkg.parallel import Background
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


def write_views(results: dict[str, views.Rows], folder: Path, formats: Iterable[str]) -> list[Path]:
    """Write each view's rows into ``folder`` in each of ``formats`` (keys of ``VIEW_SUFFIX``); the files written."""
    return [
        write_text(folder / f"{name}.{VIEW_SUFFIX[fmt]}", views.render(rows, fmt))
        for name, rows in results.items()
        for fmt in formats
    ]


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
    graph = from_reasoned(reasoned, instances)  # before the forks: the export reuses the statements it makes
    step("export")  # beside the views and the site: the export (under graph/) and pyLODE's page of the ontology
    with (
        Background(export.export, reasoned, out / "graph", sources) as exporting,
        Background(site.pylode_html) as documenting,
    ):
        export.forget()  # the forked export has the statements; this process needs them no more
        step("views")
        results = {view.name: views.run_view(view, graph) for view in views.list_views()}
        # the plain-text tables (tabulate: the slowest format by far) are drawn beside the other formats and the site
        with Background(write_views, results, out / "views", ["table"]) as tables:
            summary.files += write_views(results, out / "views", [fmt for fmt in VIEW_SUFFIX if fmt != "table"])
            step("site")
            summary.files += site.write_site(
                graph, out / "site", step=step, results=results, ontology_html=documenting.result()
            ).files
            summary.files += tables.result()
        summary.files += exporting.result()
    return summary
