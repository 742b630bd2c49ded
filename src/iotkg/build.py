"""The main job: load → validate → reason → views → site → export, into one output folder.

Forked processes (``iotkg.parallel``) share the work: pyLODE's page of the ontology is made from the start (it
reads only the ontology file); validation runs beside reasoning, the Oxigraph store and the queries. Once the store is
loaded, two more are forked: the site's own queries (they need no view) run beside the views' queries, and the
export waits until validation finds the inputs conforming (validation opens a gate, so the export starts then, not
when this process next asks), then makes the output folder and exports (it also saves the cache entry for later
commands; the files made from the merged statements, and the N-Quads, are made in a process of its own). Once the
queries are done, the views' files are written in two processes (the CSV and JSON files, which the site copies; the
other formats) while this one writes the site (which renders its protocol pages in another)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF

from iotkg import collector, export, site, views
from iotkg.namespaces import IOTKG
from iotkg.output import prepare, refuse_foreign, write_text
from iotkg.parallel import Background, Gate, can_fork
from iotkg.pipeline.checked import Checked, Checking, checking
from iotkg.pipeline.load import Sources
from iotkg.pipeline.reason import Reasoned
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
    made: list[object] = field(default_factory=list, repr=False)
    """The loaded, reasoned and queried graph, kept as long as the summary: freeing its objects one by one takes
    time (0.4 s at 100 times the shipped graph) that a command which ends the process next need not spend."""


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
        conforming = Gate() if can_fork() else None  # opened by validation: the export starts the moment it may
        exporting: Background[list[Path]] | None = None
        with checking(instances, step, conforming) as pending:
            graph = from_reasoned(pending.reasoned, instances, cache=False)
            if conforming is not None:  # forked now (it inherits the store's statements, made), it waits for the gate
                exporting = _start_export(stages, pending, graph.digest, out, force, conforming)
            # the site's own queries (they need no view) run beside the views' queries
            querying_site = stages.enter_context(Background(site.site_tables, graph))
            step("views")  # the queries write nothing: they run while validation does
            results: dict[str, views.Rows] = {}
            try:
                for view in views.list_views():
                    results[view.name] = views.run_view(view, graph)
            except Exception:  # data that fails validation may also upset a query: say what validation says first
                pending.checked()
                raise
            _summarize(pending.checked(), summary)
        prepare(out, force=force)  # (the export, if it started first, has made it already: it does the same)
        step("export")
        if exporting is None:  # nothing runs beside: the export runs now, here
            exporting = _start_export(stages, pending, graph.digest, out, force, None)
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
                ontology_html=documenting.result,  # (waited for when the site writes the ontology's page)
                downloads=views_folder,  # copied, not rendered again
                downloads_ready=writing_downloads.result,
                tables=querying_site.result(),
            ).files
            summary.files += writing_downloads.result() + writing_later.result()
        summary.files += exporting.result()
    summary.made = [pending, graph, results]
    return summary


def _summarize(checked: Checked, summary: BuildSummary) -> None:
    """Count the checked inputs and their findings into ``summary``."""
    reasoned = checked.reasoned
    is_protocol = (RDF.type, IOTKG.Protocol)
    summary.protocols = len({s for s, p, o in reasoned.asserted_triples if (p, o) == is_protocol})
    summary.asserted_triples = len(reasoned.asserted_triples)
    violations = sum(f.severity == "Violation" for f in checked.validation.findings)
    warnings = len(checked.validation.findings) - violations
    summary.validation = f"conforms ({violations} violations, {warnings} warnings)"
    summary.inferred_triples = len(reasoned.inferred_triples)


def _start_export(
    stages: ExitStack, pending: Checking, digest: str, out: Path, force: bool, conforming: Gate | None
) -> Background[list[Path]]:
    """The export (under graph/) in a forked process, ended with ``stages``: where the inputs fail their checks, it
    is stopped while it waits for ``conforming``, before it writes anything."""
    return stages.enter_context(Background(_export, pending.reasoned, out, force, pending.sources, digest, conforming))


def _export(
    reasoned: Reasoned, out: Path, force: bool, sources: Sources, digest: str, conforming: Gate | None
) -> list[Path]:
    """Once the inputs conform: make the output folder, save the cache entry of the inputs (``digest``, for later
    queries), then export into graph/ (the entry's N-Quads, made first, are remembered for the export's)."""
    if conforming is not None:
        conforming.wait()
    prepare(out, force=force)
    save_entry(reasoned, digest)
    return export.export(reasoned, out / "graph", sources)
