"""Reference data: Handlungsfelder, Gebiete and the Kennzahlen catalogue.

- shipped: the reference data shipped in data/, read and checked
"""
