"""Assessment: pain map and duration (DOMAIN.md §1), red-flag triage (§2), questionnaires and
scoring (§4), and the explained recommendation."""
