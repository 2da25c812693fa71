"""Assessment pages (issue 4): results, the step-by-step intake and "My assessments"."""
