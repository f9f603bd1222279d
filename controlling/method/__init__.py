"""The method (DESIGN §4): how a value, its target and its history become an Ampel, a Prognose and a Trend.

- status: the target in force, Ampel, Prognose and Trend over whole frames
- explain: the German sentences of every status row, built column-wise
- sentences: one sentence template per reason; target_sentences: the sentence of a transferred target
- presentation: how lights, weather and trends look (label, symbol, colour), German tables of the engine's words
- overview: summaries of a status table for the committee (light matrix, off-track list, changes)
"""
