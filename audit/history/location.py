"""Where the history database lives: one file per user, found the same way by the command
line and the app.

    --history PATH (or the app's field)  >  $AUDIT_HISTORY  >  the user's data folder

The user's data folder is the platform's own (``~/.local/share`` on Linux, ``AppData`` on
Windows, ``Library/Application Support`` on macOS), found by platformdirs, so that audits
survive a new version of the tool and never land in the folder it was started from.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = ["APP_FOLDER", "ENV_VAR", "FILE_NAME", "history_path"]

ENV_VAR = "AUDIT_HISTORY"
APP_FOLDER = "auditoria-redes"
FILE_NAME = "historial.sqlite3"


def history_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database to use: ``explicit`` if given (not empty), else the environment
    variable, else the file in the user's data folder. Nothing is created here."""
    chosen = explicit or os.environ.get(ENV_VAR)
    if chosen:
        return Path(chosen).expanduser()
    return platformdirs.user_data_path(APP_FOLDER, appauthor=False) / FILE_NAME
