"""What leaves the product on paper or as a file.

- pdf: the Controlling-Bericht for the Kreisausschuss (A4 PDF printed by the system Chromium) and its Excel
- goals: the report's "Leitbild und Ziele" and "Zielvorschläge" sections
- measures: the report's list of overdue measures
- export: CSV and Excel downloads of what a page shows, safe to open in a spreadsheet
"""
