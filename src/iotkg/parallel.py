"""Run one stage of the pipeline in a forked process while the caller goes on with the next.

The build's validation runs beside reasoning, and its export beside the views and the site: each pair reads the
same loaded graph and writes to different places. A forked child shares the parent's memory (copy on write), so
nothing is pickled but the result. A stage may run a stage of its own beside itself (the export does): the processes
are not daemonic, which multiprocessing would not let fork; each is stopped when its ``Background`` is left, and
dies with its parent. Where ``fork`` is not available, or the machine has one CPU, the stage runs inline, with the
same result and errors.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

T = TypeVar("T")


def _run(unused: Connection, connection: Connection, function: Callable[..., object], args: tuple[object, ...]) -> None:
    unused.close()  # the parent's end: with no copy of it here, a send to a parent that died fails instead of waiting
    _die_with_parent()
    try:
        outcome: tuple[bool, object] = (True, function(*args))
    except BaseException as error:  # handed to the parent, which raises it
        outcome = (False, error)
    try:
        connection.send(outcome)
    except Exception as error:  # an unpicklable result or error
        connection.send((False, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]} ({error})")))
    finally:
        connection.close()


def _die_with_parent() -> None:
    """Ask Linux to stop this process when its parent dies, even by a signal or an abort (no-op elsewhere)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def can_fork() -> bool:
    """True where a stage can run beside another: ``fork`` exists and there is more than one CPU."""
    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1


class Background(Generic[T]):
    """``function(*args)`` started now, in a forked process if possible; ``result()`` waits for it."""

    def __init__(self, function: Callable[..., T], *args: object) -> None:
        self._outcome: tuple[bool, object] | None = None
        self._process = None
        if not can_fork():
            try:
                self._outcome = (True, function(*args))
            except Exception as error:
                self._outcome = (False, error)
            return
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(self._receive, send, function, args))
        self._process.start()
        send.close()

    def result(self) -> T:
        """The function's return value; its exception if it raised one."""
        if self._outcome is None:
            try:
                self._outcome = self._receive.recv()
            except EOFError:
                assert self._process is not None
                self._process.join(timeout=5)
                code = self._process.exitcode
                self._outcome = (False, RuntimeError(f"a background stage ended without a result (exit code {code})"))
            self._stop()
        ok, value = self._outcome
        if not ok:
            raise value  # type: ignore[misc]
        return value  # type: ignore[return-value]

    def _stop(self) -> None:
        if self._process is not None:
            self._process.join(timeout=5)
            if self._process.is_alive():
                self._process.terminate()
            self._process = None

    def __enter__(self) -> Background[T]:
        return self

    def __exit__(self, *_: object) -> None:
        """Leave no process behind, whether or not ``result()`` was asked for."""
        if self._process is not None:
            self._process.terminate()
            self._process.join(timeout=5)
            self._process = None


class Gate:
    """A one-time signal to one forked stage, shut until ``open()``: the build's export waits on the gate that
    validation (another stage) opens once it finds the inputs conforming.

    Only for a stage in a forked process: an inline stage would wait for a signal that can never come."""

    def __init__(self) -> None:
        self._receive, self._send = multiprocessing.get_context("fork").Pipe(duplex=False)
        self._maker = os.getpid()

    def open(self) -> None:
        """Let the waiting stage through (called once, by the process that made the gate or a stage it forked)."""
        self._send.send_bytes(b"open")

    def wait(self) -> None:
        """Return once the gate is open. In a forked stage the sending end is let go first: if every process that
        could open the gate is gone, this raises EOFError instead of waiting for ever."""
        if os.getpid() != self._maker and not self._send.closed:
            self._send.close()
        self._receive.recv_bytes()
