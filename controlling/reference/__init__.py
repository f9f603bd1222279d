"""Reference data: Handlungsfelder, Gebiete and the Kennzahlen catalogue.

- shipped: the reference data shipped in data/, read and checked
- areas: every Kreis of Germany set up in one command, the outlines for maps, texts said of the chosen Kreis
- build_areas: derives the shipped areas and outlines from BKG VG5000 and GENESIS (needs requirements-dev.txt)
"""
