"""The main job, one stage after another: load → validate → reason → views → export → site, into one folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF

from iotkg import editions, export, site, store, views
from iotkg.namespaces import IOTKG
from iotkg.output import refuse_foreign, write_folder, write_text
from iotkg.pipeline.checked import load_checked


@dataclass
class BuildSummary:
    """What a build did, for the summary the CLI prints."""

    protocols: int = 0
    asserted_triples: int = 0
    inferred_triples: int = 0
    validation: str = ""
    files: list[Path] = field(default_factory=list)


def build(
    out: Path, instances: Path | None = None, *, force: bool = False, step: Callable[[str], None] = lambda _: None
) -> BuildSummary:
    """Run the whole pipeline into ``out``; CheckFailed, before anything is written, if a check fails."""
    refuse_foreign(out, force=force)
    checked = load_checked(instances, step)
    reasoned, findings = checked.reasoned, checked.validation.findings
    violations = sum(f.severity == "Violation" for f in findings)
    summary = BuildSummary(
        protocols=len({s for s, p, o in reasoned.asserted_triples if p == RDF.type and o == IOTKG.Protocol}),
        asserted_triples=len(reasoned.asserted_triples),
        inferred_triples=len(reasoned.inferred_triples),
        validation=f"conforms ({violations} violations, {len(findings) - violations} warnings)",
    )
    step("views")
    graph = store.from_reasoned(reasoned, checked.sources.inputs)
    results = {  # each edition's rows of each view
        edition.number: {view.name: views.run_view(view, graph, edition=edition.number) for view in views.list_views()}
        for edition in editions.editions(graph)
    }

    def write(folder: Path) -> list[Path]:
        files = [  # each view's rows in every result format, per edition: views/<edition>/<view>.<format>
            write_text(folder / "views" / number / f"{name}.{result_format.suffix}", views.render(rows, fmt))
            for number, edition_results in results.items()
            for name, rows in edition_results.items()
            for fmt, result_format in views.FORMATS.items()
        ]
        step("export")
        files += export.export(reasoned, folder / "graph", checked.sources)
        step("site")
        return files + site.write_site(graph, folder / "site", results=results, step=step).files

    summary.files = write_folder(out, write, force=force)
    return summary
