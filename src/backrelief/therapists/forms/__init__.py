"""Therapists: forms, one module per area (profile, credentials, reviews, directory, demo)."""
