"""The checked front of the pipeline: load -> validate -> reason (each its own module)."""
