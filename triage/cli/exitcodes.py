"""Exit codes, in one place (the README's table lists them).

0 success; 1 problems in a rule pack or answers file (among them a warning sign answered to a
question that does not apply: the user corrects the file, so a safety question left without
an answer next to it is listed with it, not reported instead; or failing test cases, or
`diff` found a change); 2 usage errors; 3 a safety question has no answer and nothing else is
wrong (fail closed); 4 the environment refused what the command needs: the result was shown
but could not be saved (`--record`; for `triage records` and `triage config`: the records
store or clinic config could not be used), or `triage serve` cannot listen on its address
(the port in use or not allowed, no such host) or, with --record, keep records, said in one
line; 70 internal error (a bug:
reported without a traceback); 130 interrupted (Ctrl-C or end of input in the
questionnaire: no recommendation made).
"""

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_MISSING_ANSWERS = 3
# the environment, not the answers or a bug: for the person running it to fix (a disk, a
# folder, a port); a port in use was uvicorn's own 3, which means a safety question without
# an answer
EXIT_ENVIRONMENT = 4
EXIT_NOT_SAVED = EXIT_ENVIRONMENT
EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug; never a traceback
EXIT_INTERRUPTED = 130
