"""The public page "Unsere Ziele" in the languages the Referat maintains (issue 27): model (languages, direction,
state words, fallback to German) and service (the page's texts, translations kept with their date)."""
