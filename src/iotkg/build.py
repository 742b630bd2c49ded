"""The main job: load → validate → reason → views → site → export, into one output folder (the export, pyLODE's
page of the ontology and the views' plain-text tables are made in forked processes beside the other view formats
and the site; validation runs beside reasoning, the store and the view queries; ``iotkg.parallel``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF

from iotkg import collector, export, site, views
from iotkg.namespaces import IOTKG
from iotkg.output import prepare, refuse_foreign, write_text
from iotkg.parallel import Background
from iotkg.pipeline import checking
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
    with collector.paused():  # (forked stages inherit the pause)
        return _build(out, instances, force, step)


def _build(out: Path, instances: Path | None, force: bool, step: Callable[[str], None]) -> BuildSummary:
    summary = BuildSummary()
    refuse_foreign(out, force=force)  # before the work; the folder is made once the inputs are checked
    with checking(instances, step) as pending:
        graph = from_reasoned(pending.reasoned, instances)  # the export (forked below) reuses the statements it makes
        step("views")  # the queries write nothing: they run while validation does
        try:
            results = {view.name: views.run_view(view, graph) for view in views.list_views()}
        except Exception:  # data that fails validation may also upset a query: say what validation says first
            pending.checked()
            raise
        checked = pending.checked()
    sources, validation, reasoned = checked.sources, checked.validation, checked.reasoned
    is_protocol = (RDF.type, IOTKG.Protocol)
    summary.protocols = len({s for s, p, o in reasoned.asserted_triples if (p, o) == is_protocol})
    summary.asserted_triples = len(reasoned.asserted_triples)
    violations = sum(f.severity == "Violation" for f in validation.findings)
    warnings = len(validation.findings) - violations
    summary.validation = f"conforms ({violations} violations, {warnings} warnings)"
    summary.inferred_triples = len(reasoned.inferred_triples)
    prepare(out, force=force)
    step("export")  # beside the views and the site: the export (under graph/) and pyLODE's page of the ontology
    with (
        Background(export.export, reasoned, out / "graph", sources) as exporting,
        Background(site.pylode_html) as documenting,
    ):
        export.forget()  # the forked export has the statements; this process needs them no more
        # the plain-text tables are drawn beside the other formats and the site
        with Background(write_views, results, out / "views", ["table"]) as tables:
            summary.files += write_views(results, out / "views", [fmt for fmt in VIEW_SUFFIX if fmt != "table"])
            step("site")
            summary.files += site.write_site(
                graph,
                out / "site",
                step=step,
                results=results,
                ontology_html=documenting.result(),
                downloads=out / "views",  # the CSV and JSON files just written: copied, not rendered again
            ).files
            summary.files += tables.result()
        summary.files += exporting.result()
    return summary
