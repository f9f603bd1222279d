"""Beteiligung (issue 27): model (subjects, answers, limits of the public form) and service (open, contribute,
moderate, answer, delete personal data after the period, the trail for the report)."""
