"""The browsable report: a static, offline web site of the comparison."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from iotkg import editions, views
from iotkg.output import mark, refuse_foreign, write_folder, write_text
from iotkg.pipeline.checked import load_checked
from iotkg.site import diagrams, pages
from iotkg.site.data import SiteData
from iotkg.site.ontology import ontology_page
from iotkg.store import GraphStore, from_reasoned

ROLES_DIAGRAM = "diagrams/roles.svg"
# The role diagram has a box per protocol in each group: past this many protocols only the roles page lists them.
ROLES_DIAGRAM_PROTOCOLS = 120


@dataclass
class SiteSummary:
    """What ``write_site`` wrote."""

    files: list[Path] = field(default_factory=list)
    pages: int = 0
    diagrams: int = 0


def write_site(
    graph: GraphStore,
    folder: Path,
    *,
    results: dict[str, dict[str, views.Rows]] | None = None,
    step: Callable[[str], None] = lambda _: None,
    warn: Callable[[str], None] = lambda message: print(f"iotkg: warning: {message}", file=sys.stderr),
) -> SiteSummary:
    """Write a site per edition into ``folder``; ``results``: views' rows already run, by edition then view."""
    known = editions.editions(graph)
    unknown = sorted(set(results or {}) - {edition.number for edition in known})
    if unknown:  # rows given for no edition (say, by view name) would be silently ignored
        raise ValueError(f"results for editions the graph does not model: {', '.join(unknown)}")
    summary = SiteSummary()
    mark(folder)
    can_draw = diagrams.dot_program() is not None
    if not can_draw:
        warn("Graphviz's 'dot' is not installed: the site has no diagrams (Debian: apt-get install graphviz)")
    for edition in reversed(known):  # the latest first
        switch = pages.edition_switch(known, edition)
        given = (results or {}).get(edition.number, {})
        folder_of_edition = folder / pages.edition_folder(known, edition)
        _write_edition(graph, folder_of_edition, SiteData(graph, edition), given, switch, can_draw, summary, step)
    return summary


def _write_edition(graph, folder, data, results, switch, can_draw, summary, step) -> None:
    """Write the site of one edition (``data``: a ``SiteData``) into ``folder``, adding to ``summary``."""
    env = pages.environment()
    all_views = views.list_views()
    number = data.edition.number
    known = {view.name: results.get(view.name) or views.run_view(view, graph, edition=number) for view in all_views}
    shared = dict(
        protocols=data.protocols, view_groups=pages.view_groups(all_views), edition=data.edition, switch=switch
    )

    def asset(name: str, text: str) -> None:
        summary.files.append(write_text(folder / name, text))

    def page(name: str, template: str, **context: object) -> None:
        root = "../" if "/" in name else ""
        asset(name, env.get_template(template).render({**shared, "root": root, "page_name": name, **context}))
        summary.pages += 1

    step("site: diagrams")
    contexts = {f"protocols/{p.slug}.html": pages.protocol_context(data, p) for p in data.protocols}
    roles = pages.role_groups(data)
    draw_roles = can_draw and len(data.protocols) <= ROLES_DIAGRAM_PROTOCOLS
    dots = {ROLES_DIAGRAM: diagrams.roles_dot(roles)} if draw_roles else {}
    for protocol, context in zip(data.protocols, contexts.values(), strict=True):
        facts = [row["fact"] or "" for row in data.of("facts", protocol)]
        said = [mention for fact in facts for mention in data.mentions.get(fact, [])]  # what the edition says of them
        context["jsonld"] = pages.statements_jsonld(graph, facts + said)
        text = diagrams.process_dot(protocol, context["processes"]) if can_draw else None  # type: ignore[arg-type]
        if text is not None:
            dots[f"diagrams/process-{protocol.slug}.svg"] = text
            context["diagram"] = f"../diagrams/process-{protocol.slug}.svg"
    for name, svg in zip(dots, diagrams.to_svgs(list(dots.values())), strict=True):
        asset(name, svg)
        summary.diagrams += 1

    step("site: protocols")
    for name, context in contexts.items():
        page(name, "protocol.html", **context)

    step("site: views")
    for view in all_views:
        asset(f"views/{view.name}.rq", view.text)
        asset(f"views/{view.name}.csv", views.render(known[view.name], "csv"))
        asset(f"views/{view.name}.json", views.render(known[view.name], "json"))
        page(f"views/{view.name}.html", "view.html", **pages.view_context(data, view, known[view.name]))
    page("views/index.html", "views.html")
    jsonld = pages.statements_jsonld(graph, [row["fact"] or "" for row in data.tables["inconsistencies"]])
    page("inconsistencies.html", "inconsistencies.html", **pages.inconsistencies_context(data), jsonld=jsonld)
    page("changes.html", "changes.html", **pages.changes_context(graph, number))
    page("index.html", "index.html", comparison=pages.comparison_context(data, known["comparison"]))
    page(
        "roles.html",
        "roles.html",
        groups=roles,
        diagram=ROLES_DIAGRAM if draw_roles else None,
        too_many=len(data.protocols) if can_draw and not draw_roles else None,
        limit=ROLES_DIAGRAM_PROTOCOLS,
    )
    asset("style.css", (pages.TEMPLATES / "style.css").read_text(encoding="utf-8"))

    step("site: ontology")
    name = "ontology/index.html"
    asset(name, ontology_page(env.get_template("nav.html").render(**shared, root="../", page_name=name)))
    asset("ontology/ontology.css", (pages.TEMPLATES / "ontology.css").read_text(encoding="utf-8"))
    summary.pages += 1


def build_site(folder: Path, instances: Path | None = None, *, force: bool = False) -> SiteSummary:
    """Validate and reason, then write the site into ``folder``; CheckFailed if a check fails."""
    refuse_foreign(folder, force=force)
    checked = load_checked(instances)
    graph = from_reasoned(checked.reasoned, checked.sources.inputs)
    written: list[SiteSummary] = []

    def write(staging: Path) -> list[Path]:
        written.append(write_site(graph, staging))
        return written[0].files

    files = write_folder(folder, write, force=force)  # swapped in whole: the previous site stays if this fails
    return replace(written[0], files=files)
