"""The Dagster definitions of the warehouse. Importing the package first sets the memory
allocators up (pipeline/allocators.py), before Polars is imported or a thread starts."""

from pipeline.allocators import configure_allocators

configure_allocators()
