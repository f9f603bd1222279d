"""Data deliveries (Datenlieferungen): who delivers what, when, and what has arrived.

- state: providers, their areas and Kennzahlen, the state of each expected delivery
- schedule: the delivery calendar of the catalogue (Stichtag, rhythm, deadline)
- service: what the Datenlieferungen page and the CLI ask about deliveries
- templates: a provider's pre-filled Werte template
"""
