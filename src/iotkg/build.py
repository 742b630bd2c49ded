"""The main job, one stage after another: load → validate → reason → views → export → site, into one folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF

from iotkg import export, site, store, views
from iotkg.namespaces import IOTKG
from iotkg.output import refuse_foreign, write_folder, write_text
from iotkg.pipeline.checked import Checked, load_checked


@dataclass
class BuildSummary:
    """What a build did, for the summary the CLI prints."""

    protocols: int = 0
    asserted_triples: int = 0
    inferred_triples: int = 0
    validation: str = ""
    files: list[Path] = field(default_factory=list)


def write_views(results: dict[str, views.Rows], folder: Path) -> list[Path]:
    """Write each view's rows into ``folder`` in every result format; the files written."""
    return [
        write_text(folder / f"{name}.{result_format.suffix}", views.render(rows, fmt))
        for name, rows in results.items()
        for fmt, result_format in views.FORMATS.items()
    ]


def build(
    out: Path, instances: Path | None = None, *, force: bool = False, step: Callable[[str], None] = lambda _: None
) -> BuildSummary:
    """Run the whole pipeline into ``out`` (views, exported graph, site); CheckFailed if validation or consistency
    fails, before anything is written."""
    refuse_foreign(out, force=force)
    checked = load_checked(instances, step)
    summary = _summary(checked)
    step("views")
    graph = store.from_reasoned(checked.reasoned, checked.sources.inputs)
    results = {view.name: views.run_view(view, graph) for view in views.list_views()}

    def write(folder: Path) -> list[Path]:
        files = write_views(results, folder / "views")
        step("export")
        files += export.export(checked.reasoned, folder / "graph", checked.sources)
        step("site")
        return files + site.write_site(graph, folder / "site", results=results, step=step).files

    summary.files = write_folder(out, write, force=force)
    return summary


def _summary(checked: Checked) -> BuildSummary:
    """The counts of the checked inputs and their findings."""
    reasoned = checked.reasoned
    findings = checked.validation.findings
    violations = sum(f.severity == "Violation" for f in findings)
    return BuildSummary(
        protocols=len({s for s, p, o in reasoned.asserted_triples if p == RDF.type and o == IOTKG.Protocol}),
        asserted_triples=len(reasoned.asserted_triples),
        inferred_triples=len(reasoned.inferred_triples),
        validation=f"conforms ({violations} violations, {len(findings) - violations} warnings)",
    )
