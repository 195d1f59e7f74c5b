"""Helpers for the hidden kata suites: assertions and seeded data. Not used by the quiz."""
