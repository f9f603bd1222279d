"""The Integrationsnetzwerk (issue 27): model (kinds, checks, CSV, matrix and map rows) and service (what pages and
the CLI ask of it)."""
