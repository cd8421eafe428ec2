"""The web page: ``evidence-kit serve`` (Starlette + Jinja templates, assets inside the package).

``app`` builds the application and its routes, ``security`` holds the token, same-origin and
CSRF checks, ``uploads`` stores dropped files content-addressed and runs the ingest pipeline
for them, ``views`` are the pages: each one calls the same library functions as the CLI and
renders a template. Importing this package is cheap; Starlette loads with ``web.app``.

A face: it may import any wing; no wing imports it.
"""
