"""Course texts in the formats teachers have them: plain text, Markdown, PDF and Word.

One reader per format (:mod:`.text`, :mod:`.markdown`, :mod:`.pdf`, :mod:`.docx`) turns a file's bytes into clean
text with locators (:class:`~.extracted.Extracted`); :mod:`.reading` picks the reader, applies the size limit and
the extraction cache (:mod:`.cache`). Nothing after that knows which format a text came from.
"""
