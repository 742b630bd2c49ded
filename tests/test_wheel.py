"""The built wheel works outside the checkout: it carries the ontology, the views and the shipped instances."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from iotkg import paths

pytestmark = pytest.mark.slow


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run a command with this environment less PYTHONPATH and IOTKG_HOME (unless ``env`` says otherwise): the
    installed wheel must find its own code and data."""
    clean = {k: v for k, v in os.environ.items() if k not in {"IOTKG_HOME", "PYTHONPATH"}}
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=env or clean, timeout=600
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment outside the checkout with the wheel installed (its dependencies are taken from
    this environment's site-packages, so nothing is fetched)."""
    work = tmp_path_factory.mktemp("wheel")
    built = _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-w",
        work,
        paths.project_root(),
        cwd=work,
    )
    assert built.returncode == 0, built.stderr
    wheel = next(work.glob("iotkg-*.whl"))
    venv = work / "venv"
    assert _run(sys.executable, "-m", "venv", venv, cwd=work).returncode == 0
    site_packages = Path(
        _run(
            venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=work
        ).stdout.strip()
    )
    # the dependencies, not iotkg: a path listed in a .pth file is added, but its own .pth files (the editable
    # install's) are not read
    (site_packages / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installing = _run(venv / "bin" / "python", "-m", "pip", "install", "--no-deps", "--no-index", wheel, cwd=work)
    assert installing.returncode == 0, installing.stderr
    return venv


def _env(tmp_path: Path, **more: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"IOTKG_HOME", "PYTHONPATH"}}
    return {**env, "IOTKG_CACHE_DIR": str(tmp_path / "cache"), **more}


def test_the_installed_wheel_prints_the_eleven_protocols_from_its_own_data(installed: Path, tmp_path: Path) -> None:
    where = _run(installed / "bin" / "python", "-c", "import iotkg.paths as p; print(p.project_root())", cwd=tmp_path)
    assert where.stdout.strip().startswith(str(installed)), where.stdout + where.stderr
    result = _run(
        installed / "bin" / "iotkg",
        "query",
        "protocols",
        "--edition",
        "02",
        "--format",
        "csv",
        cwd=tmp_path,
        env=_env(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    rows = result.stdout.strip().splitlines()[1:]
    names = sorted(row.split(",")[0] for row in rows)
    entries = [p for p in paths.instances_dir().glob("*.ttl") if "a iotkg:Protocol" in p.read_text(encoding="utf-8")]
    assert len(rows) == len(entries) == 11 and "BRSKI" in names and "Thread" in names, result.stdout
    latest = _run(
        installed / "bin" / "iotkg", "query", "protocols", "--format", "csv", cwd=tmp_path, env=_env(tmp_path)
    )
    names = [row.split(",")[0] for row in latest.stdout.strip().splitlines()[1:]]  # -07 ships in the wheel too
    assert len(names) == 10 and "FDO" in names and "LPWAN" not in names, latest.stdout


def test_iotkg_home_still_points_elsewhere(installed: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    for folder in ("ontology", "queries"):
        shutil.copytree(paths.project_root() / folder, home / folder)
    (home / "instances").mkdir()
    brski = paths.instances_dir() / "brski.ttl"
    for path in paths.instances_dir().glob("*.ttl"):
        if path == brski or not path.read_text(encoding="utf-8").count("a iotkg:Protocol"):
            (home / "instances" / path.name).write_bytes(path.read_bytes())
    env = _env(tmp_path, IOTKG_HOME=str(home))
    result = _run(
        installed / "bin" / "iotkg", "query", "protocols", "--edition", "02", "--format", "csv", cwd=tmp_path, env=env
    )
    assert result.returncode == 0, result.stderr
    assert [row.split(",")[0] for row in result.stdout.strip().splitlines()[1:]] == ["BRSKI"]
