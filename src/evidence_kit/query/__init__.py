"""The query wing: finding evidence again.

``search`` is the one query model shared by search, timeline and bundle (``querydates`` reads
the dates and amounts a person types), ``timeline`` orders entries with a per-day contact
summary, and ``export`` writes the ledger for a spreadsheet.

May import: ``ledger``, ``intake`` (its date helpers), ``extract``, ``analysis``, ``models``,
``errors``, ``i18n``. Never ``bundle``, ``cli`` or ``web``.
"""
