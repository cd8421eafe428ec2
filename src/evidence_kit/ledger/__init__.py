"""The ledger wing: what is kept, and proof that it was not altered.

``events`` is the append-only, hash-chained event list (with ``schema`` for its migrations,
``codec`` for the JSON of its payloads and ``search_sql`` for the derived search tables);
``store`` holds the originals byte-for-byte under their SHA-256; ``verify`` rehashes both.
All of the kit's SQL lives here.

May import: ``models``, ``errors``, ``case``, ``i18n`` (for verify's messages). Nothing else
of the kit.
"""
