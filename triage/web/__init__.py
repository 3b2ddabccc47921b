"""``triage serve``: the questionnaire as accessible web pages (Starlette, Jinja2, uvicorn).

Needs the ``web`` extra (``pip install '.[web]'`` in the source folder); only the ``serve``
command imports it, inside the command, so every other command starts as fast without it.

- :mod:`triage.web.state`: the sealed (encrypted, authenticated, expiring) client-side state;
- :mod:`triage.web.screening`: one step of the flow per request (no HTTP);
- :mod:`triage.web.pages`: what each screen shows (templates in ``templates/``, CSS in
  ``static/``);
- :mod:`triage.web.app`: routes, forms and their caps, the report, the JSON API;
- :mod:`triage.web.guard`: security headers, no tracebacks;
- :mod:`triage.web.server`: uvicorn, workers.
"""
