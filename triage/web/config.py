"""How ``triage serve`` is set up. One place reads it from the environment, because with
``--workers N`` each worker process builds its own app from there."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

ENV_PACK = "TRIAGE_WEB_PACK"
ENV_RECORD = "TRIAGE_WEB_RECORD"
ENV_SECRET = "TRIAGE_WEB_SECRET"  # one key, or several separated by commas (newest first)
ENV_DESK = "TRIAGE_WEB_DESK"
# The content hash of the pack `serve` checked: each worker process loads the pack again at
# its own start (uvicorn restarts a worker that died, or all of them on SIGHUP), and one that
# finds other content must refuse, or one server would answer with two packs
ENV_PACK_HASH = "TRIAGE_WEB_PACK_HASH"
# Each key derives the cookie and CSRF keys: a short one would be guessed (token_urlsafe(32),
# what new_secret makes, is 43 characters)
MIN_KEY_CHARS = 32


@dataclass(frozen=True)
class WebConfig:
    secrets: list[str]
    pack_dir: Path | None = None
    record: bool = False
    desk: str = "web"
    staff: str = "patient-web"  # records made by patients at home, not by a staff member
    pack_hash: str | None = None  # the content hash every worker must find (ENV_PACK_HASH)

    @classmethod
    def from_env(cls) -> WebConfig:
        keys = [k.strip() for k in os.environ.get(ENV_SECRET, "").split(",") if k.strip()]
        pack = os.environ.get(ENV_PACK)
        return cls(secrets=keys or [new_secret()], pack_dir=Path(pack) if pack else None,
                   record=os.environ.get(ENV_RECORD) == "1",
                   desk=os.environ.get(ENV_DESK) or "web",
                   pack_hash=os.environ.get(ENV_PACK_HASH) or None)

    def to_env(self) -> dict[str, str]:
        env = {ENV_SECRET: ",".join(self.secrets), ENV_RECORD: "1" if self.record else "0",
               ENV_DESK: self.desk}
        if self.pack_dir is not None:
            env[ENV_PACK] = str(self.pack_dir)
        if self.pack_hash is not None:
            env[ENV_PACK_HASH] = self.pack_hash
        return env

    def key_problem(self) -> str | None:
        """Why the server keys cannot be used (said before anything listens), else None.
        Names a key by its place, never by its text."""
        for place, key in enumerate(self.secrets, 1):
            if len(key) < MIN_KEY_CHARS:
                which = f"key {place} of {len(self.secrets)}" if len(self.secrets) > 1 \
                    else "the key"
                return (f"{ENV_SECRET}: {which} has {len(key)} characters; a server key needs "
                        f"at least {MIN_KEY_CHARS} (make one with: python3 -c 'import secrets; "
                        "print(secrets.token_urlsafe(32))')")
        return None


def new_secret() -> str:
    """A key for one run: sessions then end when the server stops (set TRIAGE_WEB_SECRET to
    keep them, and to share them between servers behind a load balancer)."""
    return secrets.token_urlsafe(32)
