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


@dataclass(frozen=True)
class WebConfig:
    secrets: list[str]
    pack_dir: Path | None = None
    record: bool = False
    desk: str = "web"
    staff: str = "patient-web"  # records made by patients at home, not by a staff member

    @classmethod
    def from_env(cls) -> WebConfig:
        keys = [k.strip() for k in os.environ.get(ENV_SECRET, "").split(",") if k.strip()]
        pack = os.environ.get(ENV_PACK)
        return cls(secrets=keys or [new_secret()], pack_dir=Path(pack) if pack else None,
                   record=os.environ.get(ENV_RECORD) == "1",
                   desk=os.environ.get(ENV_DESK) or "web")

    def to_env(self) -> dict[str, str]:
        env = {ENV_SECRET: ",".join(self.secrets), ENV_RECORD: "1" if self.record else "0",
               ENV_DESK: self.desk}
        if self.pack_dir is not None:
            env[ENV_PACK] = str(self.pack_dir)
        return env


def new_secret() -> str:
    """A key for one run: sessions then end when the server stops (set TRIAGE_WEB_SECRET to
    keep them, and to share them between servers behind a load balancer)."""
    return secrets.token_urlsafe(32)
