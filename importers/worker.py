"""A second process that prepares chunks of a large client table while this one matches the chunks before.

Preparing a chunk (`client_table.prepare_chunk`: cleaning, checks, keys, stored form) needs no other chunk and
no stored card; matching must go in file order. With two cores the two overlap: the helper prepares the chunks
it is given, in order, and hands each back; matching stays here. The helper is only ever a shortcut: if it
cannot start, fails or dies, every chunk it did not hand back is prepared here, with the same result.

The two processes talk over the helper's standard input and output, one pickled message at a time: first the
table's settings, then the raw columns of each chunk (Arrow arrays copied to their own slice, or lists);
answers come back in the same order as ("ok", PreparedChunk) or ("error", text). The helper's own prints go
to its standard error, never into the answers.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

log = logging.getLogger(__name__)

_ROOT = Path(__file__).resolve().parents[1]
COMMAND = [sys.executable, "-m", "importers.worker"]  # the helper (run with the project on its path)


class ChunkWorker:
    """The helper process; `result()` gives what it prepared, in order, or None where it could not.

    Raises OSError when the process cannot be started.
    """

    def __init__(self, settings: tuple, chunks: Iterable[Callable[[], list]]) -> None:
        """`settings`: `prepare_chunk`'s arguments but the raw columns and row count; `chunks`: for each chunk
        to prepare, a function giving its raw columns (called on a feeding thread, just before sending)."""
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT), env.get("PYTHONPATH")]))
        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console window on Windows
        self._process = subprocess.Popen(COMMAND, stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                                         creationflags=flags)  # fmt: skip
        self._broken = False
        self._sent: queue.Queue = queue.Queue()  # how many rows each chunk sent has (None: sending stopped)
        self._feeder = threading.Thread(target=self._feed, args=(settings, chunks), daemon=True)
        self._feeder.start()

    def _feed(self, settings: tuple, chunks: Iterable[Callable[[], list]]) -> None:
        try:
            pickle.dump(settings, self._process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            for chunk in chunks:
                raw, n = chunk()
                pickle.dump((raw, n), self._process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                self._process.stdin.flush()
                self._sent.put(n)
            self._process.stdin.close()
        except (OSError, ValueError, pickle.PickleError) as exc:  # the helper is gone, or closed under us
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
            if status != "ok":
                raise RuntimeError(value)
            if len(value.flagged) != n:
                raise RuntimeError(f"{len(value.flagged)} rows prepared of {n}")
            return value
        except Exception as exc:
            log.warning("chunk helper failed, preparing here instead: %s", exc)
            self._broken = True
            self.close()
            return None

    def close(self) -> None:
        """Stop the helper (at once: whatever it was doing is no longer wanted)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            with contextlib.suppress(OSError):
                stream.close()


def _serve() -> None:
    """The helper's side: read the settings, then prepare each chunk sent until the input ends."""
    import gc

    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints go to standard error
    gc.disable()  # many small acyclic objects a chunk (as `run._no_cyclic_gc` does in the importing process)
    from importers.client_table import prepare_chunk

    requests = sys.stdin.buffer
    settings = pickle.load(requests)
    header, targets, orders, strict, lang, region, unmapped = settings
    while True:
        try:
            raw, n = pickle.load(requests)
        except EOFError:
            break
        try:
            answer = ("ok", prepare_chunk(header, targets, orders, raw, n, strict, lang, region, unmapped))
        except Exception as exc:
            answer = ("error", f"{type(exc).__name__}: {exc}")
        del raw
        pickle.dump(answer, answers, protocol=pickle.HIGHEST_PROTOCOL)
        answers.flush()
        del answer


if __name__ == "__main__":
    _serve()
