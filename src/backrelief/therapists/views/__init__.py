"""Therapists: views, one module per area (profile, credentials, reviews, directory, demo)."""
