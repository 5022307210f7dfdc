"""Rammeaftale-overblik: the logic behind the dashboard (data contract, snapshots, queries, formatting)."""

__version__ = "0.1.0"
