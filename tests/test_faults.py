"""Fault injection (issue 22): builds killed at random points leave the previous output whole and consistent with its
manifest; a cache damaged in several ways never changes what a command answers."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from iotkg import paths

pytestmark = pytest.mark.slow


def _consistent(out: Path) -> str:
    """The inputs digest of a whole output folder: every file its manifest and file list name is there and intact."""
    manifest = json.loads((out / "graph" / "manifest.json").read_text())
    for entry in manifest["files"]:
        assert hashlib.sha256((out / "graph" / entry["path"]).read_bytes()).hexdigest() == entry["sha256"]
    listed = (out / ".iotkg-files").read_text().splitlines()
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != ".iotkg-files")
    assert listed == on_disk
    assert all((out / name).stat().st_size > 0 for name in listed if name.startswith("views/"))
    return manifest["inputs_sha256"]


def test_a_build_killed_at_random_points_leaves_the_previous_output(tmp_path: Path) -> None:
    env = {**os.environ, "IOTKG_CACHE_DIR": str(tmp_path / "cache")}
    out = tmp_path / "dist"
    command = [sys.executable, "-m", "iotkg", "build", "--out", str(out)]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
    first = _consistent(out)
    changed = tmp_path / "instances"
    shutil.copytree(paths.instances_dir(), changed)
    (changed / "extra.ttl").write_text("<urn:ex:a> <urn:ex:p> <urn:ex:b> .\n")
    started = time.perf_counter()
    subprocess.run([*command, "--instances", str(changed)], env=env, check=True, capture_output=True, timeout=300)
    duration = time.perf_counter() - started
    second = _consistent(out)
    assert second != first
    rng = random.Random(22)
    seen = set()
    for attempt in range(20):
        instances = [] if attempt % 2 else ["--instances", str(changed)]  # alternate, so each kill can lose a change
        process = subprocess.Popen(
            [*command, *instances], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.05, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait()
        seen.add(_consistent(out))  # whole: the previous output, or the new one if it finished
    assert seen <= {first, second}


def test_two_builds_into_one_folder_each_leave_a_consistent_folder(tmp_path: Path) -> None:
    env = {**os.environ, "IOTKG_CACHE_DIR": str(tmp_path / "cache")}
    out = tmp_path / "dist"
    command = [sys.executable, "-m", "iotkg", "build", "--out", str(out)]
    processes = [
        subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(2)
    ]
    assert [p.wait(timeout=300) for p in processes] == [0, 0]
    _consistent(out)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".dist")] == []


DAMAGES = ["truncate", "garbage", "empty", "wrong checksum", "another folder's entry"]


@pytest.mark.parametrize("how", DAMAGES)
def test_every_command_answers_the_same_from_a_damaged_cache(tmp_path: Path, cli, how: str) -> None:
    env = {**os.environ, "IOTKG_CACHE_DIR": str(tmp_path / "cache")}
    commands = [
        ["query", "protocols", "--format", "csv"],
        ["roles", "BRSKI:Pledge"],
        ["query", "comparison", "--format", "json"],
    ]
    expected = [cli(*c, env=env).stdout for c in commands]
    (entry,) = (tmp_path / "cache").glob("*.nq.iotkg-cache")
    data = entry.read_bytes()
    if how == "another folder's entry":
        other = tmp_path / "other"
        shutil.copytree(paths.instances_dir(), other)
        (other / "extra.ttl").write_text("<urn:ex:a> <urn:ex:p> <urn:ex:b> .\n")
        cli("query", "protocols", "--instances", str(other), env=env)
        data = next(p for p in (tmp_path / "cache").glob("*.nq.iotkg-cache") if p != entry).read_bytes()
    damaged = {
        "truncate": data[: len(data) // 2],
        "garbage": os.urandom(4096),
        "empty": b"",
        "wrong checksum": data.replace(b"sha256=", b"sha256=f", 1),
        "another folder's entry": data,
    }[how]
    for command, answer in zip(commands, expected, strict=True):
        entry.write_bytes(damaged)
        result = cli(*command, env=env)
        assert (result.returncode, result.stdout) == (0, answer), result.stderr
        assert "is damaged: it is made again" in result.stderr and "Traceback" not in result.stderr


def test_a_full_disk_leaves_the_previous_output_and_no_temporary_files(tmp_path: Path, cli) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (not root)")
    try:
        env = {**os.environ, "IOTKG_CACHE_DIR": str(disk / "cache")}
        result = cli("build", "--out", str(disk / "dist"), env=env)
        assert result.returncode == 2 and "No space left on device" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert [p for p in disk.rglob("*") if p.is_file()] == []  # no half-written output, no temporary file
    finally:
        subprocess.run(["umount", str(disk)], check=True)
