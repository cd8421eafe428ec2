"""The steps that straighten a photo or scan before OCR, one module each; ``preprocess``
plans which of them an image needs and runs them in order."""
