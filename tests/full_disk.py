"""A disk that is really full, for the tests of issue 14 item 5: a small tmpfs mounted for the test
(root, as ./test.sh runs in CI), the database copied onto it, then every free byte taken by a
filler file. `make_room()` deletes the filler: the operator freeing space.

A database copied in as a single file is what SQLite leaves once every connection has closed
(the last one checkpoints and removes the -wal and -shm): a restarted server meets exactly that."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

DB_NAME = "deliberation.db"


class FullDisk:
    def __init__(self, folder: Path):
        self.folder = folder
        self.db = folder / DB_NAME
        self.filler = folder / "filler.bin"

    def place(self, source: Path) -> Path:
        """The database file alone (checkpointed first, so the file is the whole database)."""
        conn = sqlite3.connect(source, timeout=10)
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        conn.close()
        assert busy == 0, "a server using the file kept the checkpoint from finishing"
        shutil.copyfile(source, self.db)
        return self.db

    def free_bytes(self) -> int:
        stats = os.statvfs(self.folder)
        return stats.f_bavail * stats.f_frsize

    def fill(self) -> None:
        """Take every free byte: the last write stops at ENOSPC."""
        # Unbuffered: a buffered file would keep the chunk ENOSPC refused and raise again on close.
        with open(self.filler, "ab", buffering=0) as f:
            chunk = b"\0" * (1 << 16)
            try:
                while f.write(chunk):
                    pass
            except OSError:
                pass
        assert self.free_bytes() == 0

    def make_room(self) -> None:
        self.filler.unlink()
        assert self.free_bytes() > 1024 * 1024

    def companions(self) -> dict[str, int]:
        """The -wal and -shm files present, with their sizes."""
        return {p.name.removeprefix(DB_NAME): p.stat().st_size
                for p in self.folder.glob(f"{DB_NAME}-*")}


@contextmanager
def full_disk_folder(size: str = "4m") -> Iterator[FullDisk]:
    """A fresh tmpfs of `size` (not yet filled), unmounted afterwards."""
    target = Path(tempfile.mkdtemp(prefix="full-disk-"))
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)],
                          check=False, capture_output=True, text=True)
    if done.returncode != 0:
        target.rmdir()
        pytest.fail("a full disk is made with a small tmpfs, which needs root (./test.sh runs as root in CI): "
                    f"mount said {done.stderr.strip()!r}", pytrace=False)
    try:
        yield FullDisk(target)
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False, capture_output=True)
        target.rmdir()
