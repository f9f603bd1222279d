"""What one upload may cost: its size (also unpacked), and how much of a bad cell a message repeats."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
import zipfile
from pathlib import Path

import pandas as pd

from controlling.errors import CONTROL_CHARACTERS, SHOWN_VALUE_LENGTH, InputRejectedError
from controlling.formatting import format_number

DEFAULT_MAX_MB = 50
_CHUNK = 1024 * 1024


def max_upload_bytes() -> int:
    """Size limit for one file (env CONTROLLING_MAX_UPLOAD_MB, default 50 MB), also for a ZIP's unpacked content."""
    return int(float(os.environ.get("CONTROLLING_MAX_UPLOAD_MB", DEFAULT_MAX_MB)) * 1024 * 1024)


def too_large(file_name: str, size: int, *, unpacked: bool = False) -> InputRejectedError:
    """The German refusal of a file over the limit."""
    what = "Der entpackte Inhalt des ZIP-Archivs ist" if unpacked else "Die Datei ist"
    return InputRejectedError.about_file(
        file_name,
        f"{what} größer als die erlaubten {max_upload_bytes() // 1024 // 1024} MB. Teilen Sie die Daten "
        "bitte auf (z. B. nach Jahren) oder erhöhen Sie CONTROLLING_MAX_UPLOAD_MB.",
        value=format_number(size / 1024 / 1024, 1, "MB"),
    )


def check_size(file_name: str, data: bytes) -> None:
    """Refuse a file over the limit before anything reads it."""
    if len(data) > max_upload_bytes():
        raise too_large(file_name, len(data))


def check_archive(file_name: str, archive: zipfile.ZipFile) -> None:
    """Refuse an archive whose members together unpack beyond the limit (as their headers declare; the reader
    never returns more than a member declares)."""
    declared = sum(info.file_size for info in archive.infolist())
    if declared > max_upload_bytes():
        raise too_large(file_name, declared, unpacked=True)


def read_member(file_name: str, archive: zipfile.ZipFile, member: str) -> bytes:
    """One member of a ZIP, unpacked in pieces and refused as soon as it passes the limit."""
    check_archive(file_name, archive)
    limit, pieces, size = max_upload_bytes(), [], 0
    with archive.open(member) as stream:
        while piece := stream.read(_CHUNK):
            size += len(piece)
            if size > limit:
                raise too_large(file_name, size, unpacked=True)
            pieces.append(piece)
    return b"".join(pieces)


def shown_values(values: pd.Series) -> pd.Series:
    """Cells as a problem list shows them (errors.shown_value, column-wise)."""
    text = values.fillna("").astype(str).str.replace(CONTROL_CHARACTERS.pattern, "\ufffd", regex=True)
    long = text.str.len() > SHOWN_VALUE_LENGTH
    return text.where(~long, text.str.slice(0, SHOWN_VALUE_LENGTH - 1) + "…")


def upload_folder() -> Path:
    """The one folder of temporary copies of uploads (controlling_uploads under the system's temp folder)."""
    folder = Path(tempfile.gettempdir()) / "controlling_uploads"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


# A copy lives only while the store reads it (seconds); an older one was left by a killed import.
LEFT_COPY_SECONDS = 600


def sweep_upload_folder(older_than: float = LEFT_COPY_SECONDS) -> int:
    """Delete copies left by an import that was killed (at start); returns how many."""
    removed, now = 0, time.time()
    for path in upload_folder().iterdir():
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime >= older_than:
                path.unlink()
                removed += 1
    return removed
