"""The intake wing: how a file or a typed note becomes evidence.

``ingest`` is the pipeline (kind from ``filetypes``, dates from ``dating``, skipping ``junk``),
``content`` reads what was stored (OCR, then the ``layout`` stage: line roles, screen type and
extraction per role), ``notes`` and ``annotate`` record what a person says, and ``watch`` with
``watch_tracker`` feeds new files to the same pipeline.

May import: ``ledger``, ``ocr``, ``layout``, ``extract``, ``analysis``, ``models``, ``errors``,
``case``, ``i18n``.
Never ``query``, ``bundle``, ``cli`` or ``web``.
"""
