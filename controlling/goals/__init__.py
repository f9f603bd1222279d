"""The goal system: Leitbild, Leitziele and Handlungsziele bound to Kennzahlen, and the target drafts.

- tree: the goal tree with its lights rolled up from the Kennzahlen
- files: the goal system's file format (data/zielsystem.csv, data/leitbild.md)
- service: what pages, the report and the CLI ask of the goal system and of target drafts
"""
