"""Error types that the CLI turns into a message and an exit status (never a traceback)."""

from __future__ import annotations

EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2


class IotkgError(Exception):
    """An error a user can act on; ``exit_code`` is what the CLI exits with."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  {self.hint}" if self.hint else self.message

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled with its hint (an error raised in a background stage reaches the parent whole)."""
        return (self.__class__, (self.message,), {"hint": self.hint})


class InputError(IotkgError):
    """Unreadable or malformed input: a file that is missing or does not parse, a bad option value (exit 2)."""


class CheckFailed(IotkgError):
    """The data was read but failed a check (validation, consistency)."""

    exit_code = EXIT_CHECK_FAILED
