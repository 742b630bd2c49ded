"""Write the expected validation report beside each failing example: ``X_XFAIL.ttl`` → ``X_XFAIL_validation.ttl``.

Each example is validated with ``base_PASS.ttl`` and the ontology (``iotkg.pipeline.validate.validate_files``), and
the report written by ``iotkg.pipeline.report.format_report``. Run it after changing a shape or an example, then
review the diff of the reports: it shows what the shapes now catch.

    .venv/bin/python tests/examples/make_reports.py
"""

from __future__ import annotations

from pathlib import Path

from iotkg.pipeline.report import format_report
from iotkg.pipeline.validate import validate_files

HERE = Path(__file__).resolve().parent
BASE = HERE / "base_PASS.ttl"


def expected_report(example: Path) -> Path:
    """Where the expected report of ``example`` lives."""
    return example.with_name(example.stem + "_validation.ttl")


def main() -> None:
    for example in sorted(HERE.glob("*_XFAIL.ttl")):
        report = format_report(validate_files([BASE, example]), "turtle")
        expected_report(example).write_text(report, encoding="utf-8")
        print(f"wrote {expected_report(example).relative_to(HERE)}")


if __name__ == "__main__":
    main()
