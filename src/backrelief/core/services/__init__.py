"""Core state changes that belong to no single app (today: loading demo data)."""
