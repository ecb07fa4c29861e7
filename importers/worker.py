"""A second process that prepares chunks of a large client table while this one matches the chunks before.

Preparing a chunk (`client_table.prepare_chunk`: cleaning, checks, keys, stored form) needs no other chunk and
no stored card; matching must go in file order. With two cores the two overlap: the helper prepares the chunks
it is given, in order, and hands each back; matching stays here. The helper is only ever a shortcut: if it
cannot start, fails or dies, every chunk it did not hand back is prepared here, with the same result.

The chunks travel through files in a temporary folder, so that neither process waits on the other to read:
each chunk's raw columns as an Arrow IPC file (written by a feeding thread, in one call that needs no Python
lock), each answer as the prepared table (Arrow IPC) followed by the rest pickled. The helper's standard input
and output carry only short pickled notes: first the table's settings, then "chunk i is ready (n rows)";
back, "answer i is ready" or the error. The helper's own prints go to its standard error, never into the notes.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import pickle
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

log = logging.getLogger(__name__)

_ROOT = Path(__file__).resolve().parents[1]
COMMAND = [sys.executable, "-m", "importers.worker"]  # the helper (run with the project on its path)
AHEAD = 3  # chunks written for the helper ahead of the one being taken back: their files are all it keeps on disk


class ChunkWorker:
    """The helper process; `result()` gives what it prepared, in order, or None where it could not.

    Raises OSError when the process cannot be started.
    """

    def __init__(self, settings: tuple, chunks: Iterable[Callable[[], tuple[list, int]]]) -> None:
        """`settings`: `prepare_chunk`'s arguments before the raw columns and row count; `chunks`: for each chunk
        to prepare, a function giving its raw columns (Arrow arrays) and row count, called on a feeding
        thread just before the chunk is written."""
        global _early
        with _early_lock:  # one helper serves one table: two imports at once (two browser tabs) never share it
            process, _early = _early, None
        self._process = process if process is not None and process.poll() is None else _spawn()
        try:
            self._folder = import_folder()
        except OSError:
            self._process.kill()
            raise
        self._broken = self._stopping = False
        self._done = 0
        self._room = threading.Semaphore(AHEAD)  # chunks written and not yet taken back (files on disk)
        self._sent: queue.Queue = queue.Queue()  # the row count of each chunk sent (None: sending stopped)
        self._feeder = threading.Thread(target=self._feed, args=(settings, chunks), daemon=True)
        self._feeder.start()

    def _feed(self, settings: tuple, chunks: Iterable[Callable[[], tuple[list, int]]]) -> None:
        import pyarrow as pa

        try:
            _note(self._process.stdin, (self._folder, settings))
            for i, chunk in enumerate(chunks):
                self._room.acquire()
                if self._stopping:
                    break
                raw, n = chunk()
                _write_table(os.path.join(self._folder, f"chunk-{i}.arrow"),
                             pa.table(raw, names=[str(j) for j in range(len(raw))]))  # fmt: skip
                _note(self._process.stdin, (i, n))
                self._sent.put(n)
            self._process.stdin.close()
        except Exception as exc:  # the helper is gone, or the disk is full: no more chunks go
            log.info("chunk helper: sending stopped (%s)", exc)
        finally:
            self._sent.put(None)

    def result(self):
        """The next chunk the helper prepared, or None if it could not (the caller prepares it then)."""
        if self._broken:
            return None
        try:
            n = self._sent.get()
            if n is None:
                raise EOFError("nothing more was sent")
            status, value = pickle.load(self._process.stdout)
            if status != "ok" or value != self._done:
                raise RuntimeError(value)
            prepared = _read_answer(self._folder, self._done)
            if len(prepared.flagged) != n:
                raise RuntimeError(f"{len(prepared.flagged)} rows prepared of {n}")
            for name in (f"chunk-{self._done}.arrow", f"answer-{self._done}.arrow", f"answer-{self._done}.pickle"):
                os.remove(os.path.join(self._folder, name))
            self._done += 1
            self._room.release()
            return prepared
        except Exception as exc:  # any failure of the helper: this process carries on alone
            log.info("chunk helper failed, preparing here instead: %s", exc)
            self._broken = True
            self.close()
            return None

    def close(self) -> None:
        """Stop the helper (at once: whatever it was doing is no longer wanted) and remove its files."""
        self._stopping = True
        self._room.release()  # a feeder waiting for room sees it must stop
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            with contextlib.suppress(OSError):
                stream.close()
        self._feeder.join(timeout=10)
        shutil.rmtree(self._folder, ignore_errors=True)


_PREFIX = "cartella-import-"
STALE_SECONDS = 3600  # an import's folder this old was left by an import that was killed: its client data goes


def import_folder() -> str:
    """A new private temporary folder for an import's files (client data: its owner removes it when done), the
    folders left by killed imports removed first."""
    _remove_stale()
    return tempfile.mkdtemp(prefix=_PREFIX)


def _remove_stale() -> None:
    """Remove the folders of imports that ended without removing them (the process was killed)."""
    folder = tempfile.gettempdir()
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            with contextlib.suppress(OSError):
                if entry.name.startswith(_PREFIX) and entry.is_dir() and \
                        time.time() - entry.stat().st_mtime > STALE_SECONDS:  # fmt: skip
                    shutil.rmtree(entry.path, ignore_errors=True)


_early: subprocess.Popen | None = None  # a helper started ahead of need (`start_early`), for the next ChunkWorker
_early_lock = threading.Lock()
IDLE_SECONDS = 600  # a helper started early and not given a table within this time ends


def _spawn() -> subprocess.Popen:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT), env.get("PYTHONPATH")]))
    # run from the project's folder: `-m importers.worker` finds this project's package whatever the caller's
    # current folder holds
    return subprocess.Popen([*COMMAND, str(IDLE_SECONDS)], cwd=_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env,
                            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))  # fmt: skip


def start_early() -> None:
    """Start the helper now, so that it has loaded its modules by the time a large table is planned (the next
    ChunkWorker takes it). One never used ends by itself when this process ends and its input closes, or
    after IDLE_SECONDS."""
    global _early
    with _early_lock:
        if _early is not None and _early.poll() is None:
            return
        try:
            _early = _spawn()
        except OSError as exc:  # then the planning starts its own, or prepares every chunk itself
            log.info("chunk helper could not start early: %s", exc)


def _note(stream, value) -> None:
    pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
    stream.flush()


def _write_answer(folder: str, i: int, prepared) -> None:
    _write_table(os.path.join(folder, f"answer-{i}.arrow"), prepared.table)
    with open(os.path.join(folder, f"answer-{i}.pickle"), "wb") as out:
        pickle.dump(prepared.__dict__ | {"table": None}, out, protocol=pickle.HIGHEST_PROTOCOL)


def _read_answer(folder: str, i: int):
    from importers.client_table import PreparedChunk

    with open(os.path.join(folder, f"answer-{i}.pickle"), "rb") as source:
        rest = pickle.load(source)
    return PreparedChunk(**(rest | {"table": _read_table(os.path.join(folder, f"answer-{i}.arrow"))}))


def _write_table(path: str, table) -> None:
    """An Arrow table written as an IPC file (in one call, the Python lock left free)."""
    import pyarrow as pa

    with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, table.schema) as out:
        out.write_table(table)


def _read_table(path: str):
    """An Arrow IPC file read into memory (not mapped: the file can then be removed on any system)."""
    import pyarrow as pa

    with pa.OSFile(path, "rb") as source:
        return pa.ipc.open_file(source).read_all()


def release_memory() -> None:
    """Give back to the system what a chunk's work freed: Arrow's pool keeps freed memory for reuse, and so does
    the C heap (glibc, where `malloc_trim` returns it). At a million rows this takes both processes' peak from
    1.74 to 1.68 GB; elsewhere it only empties Arrow's pool."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


@functools.cache
def _glibc():
    """The C library, loaded the first time memory is given back; None where it has no `malloc_trim`."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:  # another C library (musl): nothing to trim
        return None


def _serve() -> None:
    """The helper's side: read the settings, then prepare each chunk announced until the input ends."""
    import gc

    notes = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints go to standard error
    gc.disable()  # many small acyclic objects a chunk (as `run._no_cyclic_gc` does in the importing process)
    from importers.client_table import prepare_chunk

    requests = sys.stdin.buffer
    idle = threading.Timer(float(sys.argv[1]), os._exit, (0,))  # started early and never needed (IDLE_SECONDS)
    idle.daemon = True
    idle.start()
    try:
        folder, settings = pickle.load(requests)
    except EOFError:  # started early, and the importing process ended
        return
    idle.cancel()
    while True:
        try:
            i, n = pickle.load(requests)
        except EOFError:
            break
        try:
            raw = _read_table(os.path.join(folder, f"chunk-{i}.arrow")).columns
            prepared = prepare_chunk(*settings, raw, n)
            del raw
            _write_answer(folder, i, prepared)
            del prepared
            release_memory()
            answer = ("ok", i)
        except Exception as exc:  # told to the importing process, which prepares the chunk itself
            answer = ("error", f"{type(exc).__name__}: {exc}")
        _note(notes, answer)


if __name__ == "__main__":
    _serve()
