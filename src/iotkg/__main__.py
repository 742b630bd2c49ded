"""``python -m iotkg``: the same as the ``iotkg`` command."""

from iotkg.cli import main

main(prog_name="iotkg")
