"""evidence-kit: a tamper-evident evidence ledger and complaint packages for credit disputes.

Importing the package is cheap: heavy libraries (OCR engines, reportlab, watchdog) are imported
only by the modules that need them.
"""

__version__ = "0.1.0"
