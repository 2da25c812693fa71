"""Scheduling pages (issue 6), one module per area."""
