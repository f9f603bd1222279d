"""Measures (Maßnahmen) linked to Kennzahlen and Gemeinden.

- model: the one overdue rule, the checks of a measure before it is saved, reads and filters
"""
