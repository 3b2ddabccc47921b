"""Batch screening: many answer sets in, one result per row out, streaming.

Modules: :mod:`~triage.batch.rows` (results, error kinds, limits), :mod:`~triage.batch.parsers`
(one parser per column), :mod:`~triage.batch.screening` (a row to a result),
:mod:`~triage.batch.reading` (CSV and JSONL streams, one bad row never stops the others) and
:mod:`~triage.batch.writing` (results as JSONL or CSV, and the summary).

Pure: no printing, no rich, no typer. Inputs are read one line at a time and results are
yielded one at a time, so memory stays flat whatever the size of the input.

Input formats
- CSV: the header row names the columns: question ids, plus an optional ``id`` (or ``ref``)
  column that is copied to the output. An empty cell means "not answered". Multiple-choice
  cells list option ids separated by ``;`` or ``|``; ``none`` (unless that is an option id of
  the question) means "answered, none of them". A cell holding only separators (``;``) is a
  bad answer, as in ``triage assess``: it is what joining empty cells makes, and read as
  "none of them" it would answer a safety question nobody answered.
  Cells are stripped of surrounding spaces. A non-empty cell under a column that is not a
  question is an error for that row (its answer would be lost).
- JSONL: one JSON object per line, ``{"question id": answer, ...}`` with the answer forms of
  ``triage assess`` (``true``/``"yes"``, option ids, lists for multiple choice, numbers);
  ``null`` means "not answered". Every key must be a question id (or ``id``/``ref``).
Blank lines are not rows. ``row`` in every result is the line of the input file on which the
row starts (the CSV header is line 1), so it matches a spreadsheet's row number.

Every row gives a result, never nothing: ``status`` is ``ok`` (disposition, main red flag,
fired rule ids) or ``error`` (``error_kind`` and a reason). A red-flag or strike question that
applies and has no answer is never taken as "no": the row is an error that needs a doctor's
review (fail closed, the same rule as :func:`triage.engine.evaluate.evaluate`), naming any red flag
that already applies. A row that answers a question its other answers make not apply, with
a warning sign more urgent than the row's result (a cauda equina sign for a shoulder), is an
``ignored_warning_sign`` error (:func:`triage.engine.hidden.hidden_warning_signs`). An error
row still carries a disposition when its valid answers already make a medical one certain
(chest pain next to a typo in another cell).

Speed: each column gets a parser built once (for CSV, the column loop is generated once per
file); :func:`~triage.engine.evaluate.evaluate` runs the pack's compiled decision function and turns
to three-valued logic only for rows where a question that may apply has no answer. Without
``--fired``, a CSV row whose cells are known answers (or empty) goes from its cells straight to
its disposition and main red flag through code generated for the pack
(:func:`~triage.engine.evaluate.head_of_checked_answers`), with no answers dictionary and no
outcome object; any other row, or one where a question that applies has no answer, or where
an answer to a question that does not apply may state a warning sign more urgent than the
result, is read cell by cell and evaluated as above (answers there that change no red flag,
such as "none", keep a row on the quick path).
"""
