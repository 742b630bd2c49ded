"""A stage run beside another (``iotkg.parallel``): same result and same errors as inline, no process left."""

from __future__ import annotations

import os
import time

import pytest

from iotkg import parallel
from iotkg.errors import CheckFailed
from iotkg.parallel import Background


def _square_and_pid(value: int) -> tuple[int, int]:
    return value * value, os.getpid()


def _fail() -> None:
    raise CheckFailed("the graph is inconsistent", hint="Fix the role.")


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two CPUs")
def test_a_background_stage_runs_in_another_process_and_returns_its_result() -> None:
    with Background(_square_and_pid, 7) as pending:
        value, pid = pending.result()
    assert value == 49
    assert pid != os.getpid()


def _square_beside(value: int) -> tuple[tuple[int, int], int]:
    with Background(_square_and_pid, value) as pending:
        return pending.result(), os.getpid()


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two CPUs")
def test_a_background_stage_can_run_a_stage_beside_itself() -> None:
    with Background(_square_beside, 5) as pending:
        (value, inner), outer = pending.result()
    assert value == 25
    assert len({inner, outer, os.getpid()}) == 3


@pytest.mark.parametrize("forking", [True, False])
def test_an_error_in_a_background_stage_reaches_the_caller_with_its_type_exit_code_and_hint(
    forking: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if forking and not parallel.can_fork():
        pytest.skip("needs fork and two CPUs")
    monkeypatch.setattr(parallel, "can_fork", lambda: forking)
    with Background(_fail) as pending, pytest.raises(CheckFailed) as raised:
        pending.result()
    assert raised.value.hint == "Fix the role."
    assert raised.value.exit_code == 1
    assert str(raised.value) == "the graph is inconsistent\n  Fix the role."


def test_without_fork_the_stage_runs_inline_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    with Background(_square_and_pid, 3) as pending:
        assert pending.result() == (9, os.getpid())


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two CPUs")
def test_leaving_without_asking_for_the_result_stops_the_process() -> None:
    import time

    with Background(time.sleep, 60) as pending:
        process = pending._process
        assert process is not None and process.is_alive()
    process.join(timeout=5)
    assert not process.is_alive()


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two CPUs")
def test_a_background_stage_does_not_outlive_a_parent_killed_by_a_signal(tmp_path) -> None:
    """An abort in the parent (e.g. a native allocation failure) must not leave the stage holding its output open."""
    import subprocess
    import sys

    script = tmp_path / "killed.py"
    marker = tmp_path / "child-pid"
    script.write_text(
        "import os, signal, time\n"
        "from iotkg.parallel import Background\n"
        "def wait():\n"
        f"    open({str(marker)!r}, 'w').write(str(os.getpid()))\n"
        "    time.sleep(120)\n"
        "stage = Background(wait)\n"
        f"while not os.path.exists({str(marker)!r}): time.sleep(0.01)\n"
        "time.sleep(0.2)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n",
        encoding="utf-8",
    )
    # the stage inherits this run's stdout: if it outlived its parent, run() would wait for it (the timeout fires)
    result = subprocess.run([sys.executable, str(script)], capture_output=True, timeout=60)
    assert result.returncode == -9
    child = int(marker.read_text())
    for _ in range(100):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"the background stage {child} is still running after its parent was killed")


def test_when_reasoning_fails_on_invalid_data_the_validation_failure_is_what_is_reported(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    """Validation runs beside reasoning, but is reported as if it had run first."""
    from iotkg import paths
from iotkg.pipeline import checked as pipeline

    folder = tmp_path / "instances"
    folder.mkdir()
    for path in paths.instances_dir().glob("*.ttl"):
        text = path.read_text(encoding="utf-8")
        if path.name == "brski.ttl":  # the BRSKI entry loses its title: a violation
            text = text.replace("dcterms:title", "rdfs:comment", 1)
        (folder / path.name).write_text(text, encoding="utf-8")

    def broken_reasoning(_graph: object) -> None:
        raise RuntimeError("the reasoner fell over")

    monkeypatch.setattr(pipeline, "reason", broken_reasoning)
    with pytest.raises(CheckFailed, match="validation failed") as raised:
        pipeline.load_checked(folder)
    assert "shapes:Protocol-title" in str(raised.value)


def _write_after(gate: parallel.Gate, path: str) -> int:
    gate.wait()
    with open(path, "w") as file:
        file.write("written")
    return os.getpid()


def _open(gate: parallel.Gate) -> int:
    gate.open()
    return os.getpid()


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two CPUs")
@pytest.mark.parametrize("opener", ["the caller", "another stage"])
def test_a_stage_waiting_on_a_gate_writes_only_once_it_is_opened(opener: str, tmp_path) -> None:
    """As in the build, the gate may be opened by another stage: validation opens the one the export waits for."""
    gate = parallel.Gate()
    target = tmp_path / "out"
    with Background(_write_after, gate, str(target)) as waiting:
        time.sleep(0.3)
        assert not target.exists() and waiting._process is not None and waiting._process.is_alive()
        if opener == "the caller":
            gate.open()
        else:
            with Background(_open, gate) as opening:
                assert opening.result() != os.getpid()
        assert waiting.result() != os.getpid()
    assert target.read_text() == "written"


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two CPUs")
def test_a_stage_whose_gate_never_opens_is_stopped_without_writing(tmp_path) -> None:
    gate = parallel.Gate()
    target = tmp_path / "out"
    with Background(_write_after, gate, str(target)) as pending:
        process = pending._process
        time.sleep(0.2)
    assert process is not None
    process.join(timeout=5)
    assert not process.is_alive()
    assert not target.exists()
