"""The signal that stopped a command (SIGTERM: a kill; SIGHUP: a closed terminal or ssh
session), noted where it came, so that the entry point ends the process by it (143, 129)
once the clean-up is done and said: what scripts and service managers expect.

A second signal during the clean-up is noted, not acted on: it must not cut short what the
first one started (saving a screening as stopped, removing a temporary file)."""

from __future__ import annotations

STOPPING = ("SIGTERM", "SIGHUP")
stopped_by: list[int] = []


def stop(signum: int, frame: object) -> None:
    """The handler: the command stops as on Ctrl-C (its clean-up runs), the signal noted;
    a second one is only noted."""
    import signal

    note(signum)
    hold()
    raise KeyboardInterrupt(signal.Signals(signum).name)


def note(signum: int, frame: object = None) -> None:
    """A handler too: the signal noted, nothing interrupted."""
    stopped_by.append(signum)


def catch() -> dict[int, object]:
    """From now on these signals stop the command (:func:`stop`); the handlers they had, to
    :func:`restore` them."""
    return _handle_with(stop)


def hold() -> None:
    """From now on these signals are only noted."""
    _handle_with(note)


def restore(previous: dict[int, object]) -> None:
    import signal

    for number, handler in previous.items():
        signal.signal(number, handler)  # type: ignore[arg-type]


def _handle_with(handler: object) -> dict[int, object]:
    """``handler`` for each of these signals that the parent did not ignore (nohup: it stays
    ignored); the handlers they had."""
    import signal  # lazy: not on the way to the first question

    previous: dict[int, object] = {}
    for name in STOPPING:
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) != signal.SIG_IGN:
            previous[number] = signal.signal(number, handler)  # type: ignore[arg-type]
    return previous
