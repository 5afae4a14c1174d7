"""Project-wide suites (the API contract fuzzing, and the generated sweeps over every URL)."""
