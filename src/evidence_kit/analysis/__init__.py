"""Analysis of a case: the loan's true cost, collection conduct, where to file, the
negotiation record and a repayment plan. Pure functions over the parsed case.toml and the
ledger's entries; ``report.analyze`` ties them together for ``evidence-kit analyze``.

May import: ``models``, ``errors``, ``i18n``. Never storage (``ledger``, ``intake``),
``query`` or a face."""
