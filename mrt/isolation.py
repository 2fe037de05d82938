"""A warm pool of parse processes with a memory limit and a timeout; a dying child costs one file."""

from __future__ import annotations

import atexit
import io
import os
import pickle
import queue
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from mrt.model import Unreadable

T = TypeVar("T")
# Isolated mode (-I): no PYTHON* variables, user site or working directory; the code's own folder
# comes as an argument, so the child runs the same `mrt` as its parent.
_CHILD = (
    "import sys; sys.path.insert(0, sys.argv[3]); "
    "from mrt.isolation import serve; serve(int(sys.argv[1]), int(sys.argv[2]))"
)
_CODE_ROOT = str(Path(__file__).resolve().parents[1])


def child_environment() -> dict[str, str]:
    """All a parse child inherits: a search path and a UTF-8 locale, never the parent's secrets."""
    return {"PATH": os.defpath, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}


def _serve(conn: Connection, memory_limit: int) -> None:
    """Child loop: run one call at a time and send back ("ok", result) or an error."""
    import resource

    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    import mrt.reader  # noqa: F401  (warm the imports once, before the first file)

    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[Any, ...] = ("ok", fn(*args))
        except Unreadable as exc:
            reply = ("unreadable", exc.code, exc.message)
        except MemoryError:
            reply = ("unreadable", "too-large", "Reading the file needs more memory than allowed.")
        except Exception as exc:  # any other parser failure becomes a verdict, not a crash
            reply = ("unreadable", "parser-crashed", f"The file could not be parsed ({type(exc).__name__}).")
        try:
            conn.send(reply)
        except Exception:  # an unpicklable result: report it instead of dying silently
            conn.send(("unreadable", "parser-crashed", "The parse result could not be returned."))


class _ResultUnpickler(pickle.Unpickler):
    """Results come from a process that parsed hostile input: rebuild only declaration types."""

    ALLOWED = ("mrt.model", "mrt.layout", "datetime", "collections")

    def find_class(self, module: str, name: str) -> Any:
        if module in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refused {module}.{name} from a parse child")


def _restricted_loads(data: bytes) -> Any:
    try:
        return _ResultUnpickler(io.BytesIO(data)).load()
    except (pickle.UnpicklingError, AttributeError, EOFError, ValueError) as exc:
        return ("unreadable", "parser-crashed", f"The parse result was refused ({exc}).")


class _Worker:
    """One child: a fresh interpreter (never a fork of a threaded parent) on a socket pair."""

    def __init__(self, memory_limit: int) -> None:
        ours, theirs = socket.socketpair()
        with theirs:
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-c", _CHILD, str(theirs.fileno()), str(memory_limit), _CODE_ROOT],
                pass_fds=(theirs.fileno(),),
                env=child_environment(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
            )
        self.conn = Connection(ours.detach())

    def stop(self) -> None:
        self.conn.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(5)


class ParsePool:
    """Child processes kept warm for parsing untrusted files; thread-safe, replaces dead children."""

    def __init__(self, size: int = 2, memory_limit: int = 1024 * 1024 * 1024, timeout: float = 30.0) -> None:
        self.size = size
        self.memory_limit = memory_limit
        self.timeout = timeout
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._slots = threading.Semaphore(size)
        self._closed = False

    def warm(self) -> None:
        """Start every child now, so the first reads do not pay the start-up."""
        workers = [self._acquire() for _ in range(self.size)]
        for w in workers:
            self._release(w)
        for _ in workers:
            self.call(int, "0")  # returns once a child has finished its imports

    def _acquire(self) -> _Worker:
        self._slots.acquire()
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            if worker.process.poll() is None:
                return worker
            worker.stop()  # died while idle (killed from outside): never blame the next file
        try:
            return _Worker(self.memory_limit)
        except BaseException:
            self._slots.release()
            raise

    def _release(self, worker: _Worker) -> None:
        if self._closed:  # finished after close(): do not keep it
            worker.stop()
        else:
            self._idle.put(worker)
        self._slots.release()

    def _discard(self, worker: _Worker) -> None:
        worker.stop()
        self._slots.release()

    def call(self, fn: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        """Run fn(*args) in a child; Unreadable("timeout"/"parser-crashed") when the child fails."""
        if self._closed:
            raise RuntimeError("the parse pool is closed")
        worker = self._acquire()
        try:
            worker.conn.send((fn, args))
            answered = worker.conn.poll(self.timeout if timeout is None else timeout)
            reply = _restricted_loads(worker.conn.recv_bytes()) if answered else None
        except (EOFError, OSError) as exc:
            self._discard(worker)
            raise Unreadable(
                "parser-crashed",
                f"The spreadsheet parser stopped on this file (exit code {worker.process.returncode}).",
            ) from exc
        except BaseException:  # e.g. an argument that cannot be sent: the child's state is unknown
            self._discard(worker)
            raise
        if reply is None:
            self._discard(worker)
            raise Unreadable("timeout", "Reading the file took too long; it was stopped.")
        self._release(worker)
        if reply[0] == "ok":
            return reply[1]  # type: ignore[no-any-return]
        raise Unreadable(reply[1], reply[2])

    def close(self) -> None:
        """Stop every idle child."""
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return


_default: ParsePool | None = None
_default_lock = threading.Lock()


def default_pool() -> ParsePool:
    """The process-wide pool, created on first use and stopped at exit."""
    global _default
    with _default_lock:
        if _default is None:
            _default = ParsePool()
            atexit.register(_default.close)
        return _default


def serve(fd: int, memory_limit: int) -> None:
    """Entry point of a child process: serve calls on the inherited socket until it closes."""
    # Ctrl-C in a terminal reaches the whole process group: the parent decides what stops (and stops its
    # children); the child would only die mid-file and print its traceback over the command's output.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _serve(Connection(fd), memory_limit)
