"""``triage serve``: the questionnaire as accessible web pages (Starlette, Jinja2, uvicorn).

Needs the ``web`` extra (``pip install 'triage[web]'``); nothing outside this package imports
it, so the command line starts as fast without it.

- :mod:`triage.web.state`: the sealed (encrypted, authenticated, expiring) client-side state;
- :mod:`triage.web.screening`: one step of the flow per request (no HTTP);
- :mod:`triage.web.app`: pages, forms, the report, the JSON API;
- :mod:`triage.web.guard`: security headers, no tracebacks;
- :mod:`triage.web.server`: uvicorn, workers.
"""
