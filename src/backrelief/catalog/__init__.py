"""Versioned clinical reference data: techniques, evidence-graded claims, conditions and the
technique x condition contraindication rules (DOMAIN.md §3, §5). Reviewable by a clinician."""
