"""The main job: load → validate → reason → views → site → export, into one output folder.

Forked processes (``iotkg.parallel``) share the work: pyLODE's page of the ontology is made from the start (it
reads only the ontology file); validation runs beside reasoning, the Oxigraph store and the view queries; as soon as
its verdict is in (between two queries), the output folder is made and the export starts (it also saves the cache
entry for later commands); once the queries are done, the views' files are written in two processes (the CSV and
JSON files, which the site copies; the other formats) while this one writes the site."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF

from iotkg import collector, export, site, views
from iotkg.namespaces import IOTKG
from iotkg.output import prepare, refuse_foreign, write_text
from iotkg.parallel import Background
from iotkg.pipeline import Checked, checking
from iotkg.reason import Reasoned
from iotkg.sources import Sources
from iotkg.store import from_reasoned, save_entry

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
    with ExitStack() as stages:
        # pyLODE reads only the ontology file: its page is made while this process loads the inputs
        documenting = stages.enter_context(Background(site.pylode_html))
        exporting: Background[list[Path]] | None = None
        with checking(instances, step) as pending:
            # the store (its statements are the export's, forked below, which saves the cache entry: not this one)
            graph = from_reasoned(pending.reasoned, instances, cache=False)
            step("views")  # the queries write nothing: they run while validation does
            results: dict[str, views.Rows] = {}
            try:
                for view in views.list_views():
                    results[view.name] = views.run_view(view, graph)
                    if exporting is None and pending.ready():  # the export needs no view: start it on the verdict
                        exporting = _start_export(stages, pending.checked(), graph.digest, out, force, summary, step)
            except Exception:  # data that fails validation may also upset a query: say what validation says first
                pending.checked()
                raise
            if exporting is None:
                exporting = _start_export(stages, pending.checked(), graph.digest, out, force, summary, step)
        # the views' files are written beside the site: the CSV and JSON files, which the site copies, apart
        views_folder = out / "views"
        downloads, later = list(site.DOWNLOAD_SUFFIX), [fmt for fmt in VIEW_SUFFIX if fmt not in site.DOWNLOAD_SUFFIX]
        with (
            Background(write_views, results, views_folder, downloads) as writing_downloads,
            Background(write_views, results, views_folder, later) as writing_later,
        ):
            step("site")
            summary.files += site.write_site(
                graph,
                out / "site",
                step=step,
                results=results,
                ontology_html=documenting.result(),
                downloads=views_folder,  # copied, not rendered again
                downloads_ready=writing_downloads.result,
            ).files
            summary.files += writing_downloads.result() + writing_later.result()
        summary.files += exporting.result()
    return summary


def _start_export(
    stages: ExitStack,
    checked: Checked,
    digest: str,
    out: Path,
    force: bool,
    summary: BuildSummary,
    step: Callable[[str], None],
) -> Background[list[Path]]:
    """Once the inputs are checked: count them, make the output folder and start the export (under graph/) in a
    forked process."""
    reasoned = checked.reasoned
    is_protocol = (RDF.type, IOTKG.Protocol)
    summary.protocols = len({s for s, p, o in reasoned.asserted_triples if (p, o) == is_protocol})
    summary.asserted_triples = len(reasoned.asserted_triples)
    violations = sum(f.severity == "Violation" for f in checked.validation.findings)
    warnings = len(checked.validation.findings) - violations
    summary.validation = f"conforms ({violations} violations, {warnings} warnings)"
    summary.inferred_triples = len(reasoned.inferred_triples)
    prepare(out, force=force)
    step("export")
    return stages.enter_context(Background(_export, reasoned, out / "graph", checked.sources, digest))


def _export(reasoned: Reasoned, folder: Path, sources: Sources, digest: str) -> list[Path]:
    """Save the cache entry of the inputs (``digest``, for later queries), then export: the entry's N-Quads, made
    first, are remembered for the export's."""
    save_entry(reasoned, digest)
    return export.export(reasoned, folder, sources)
