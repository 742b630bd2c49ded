"""``python -m iotkg``: the same as the ``iotkg`` command."""

from iotkg.cli import run

run()
