"""A process pool for CPU-bound page processing, so Scrapy's reactor keeps downloading meanwhile.

Reads EXTRACT_WORKERS (0 runs the work inline, which is simpler to debug).
"""

from __future__ import annotations

import asyncio
import importlib
import multiprocessing
import os
import select
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any, TypeVar

T = TypeVar("T")


def die_with(crawl_pid: int) -> None:
    """A worker exits when the crawl process dies (even by kill -9), so no orphan keeps running, or
    keeps the crawl's output pipes open. Workers fork from the fork server, so the crawl process is
    not their parent and PR_SET_PDEATHSIG cannot watch it: a thread waits on a pidfd for its exit,
    or, where pidfds are missing or refused (old kernels, some seccomp profiles), polls it."""
    try:
        pidfd = os.pidfd_open(crawl_pid)
    except ProcessLookupError:
        os._exit(1)  # gone already
    except (AttributeError, OSError):
        pidfd = None

    def wait_for_crawl() -> None:
        if pidfd is not None:
            select.select([pidfd], [], [])
        else:
            while _alive(crawl_pid):
                time.sleep(1)
        os._exit(1)

    threading.Thread(target=wait_for_crawl, name="die-with-crawl", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    return True


def start_worker(preload: tuple[str, ...], crawl_pid: int) -> None:
    """Worker initializer: die with the crawl process, and import the modules the work needs up front
    (already loaded in the fork server; imported here for any it could not load)."""
    die_with(crawl_pid)
    for module in preload:
        importlib.import_module(module)


def _context(preload: tuple[str, ...]) -> multiprocessing.context.BaseContext:
    """forkserver, not fork: forking a process that runs a reactor and open sockets is unsafe. The
    fork server is a fresh process that imports `preload` once, and every worker forks from it with
    those modules loaded, instead of importing them itself as a spawned one would."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(preload))
    return context


class WorkerPool:
    def __init__(self, workers: int, preload: tuple[str, ...] = ()) -> None:
        """`preload`: modules the fork server imports once, so each worker starts with them loaded."""
        self.workers = workers
        self._executor = (
            ProcessPoolExecutor(
                workers,
                mp_context=_context(preload),
                initializer=start_worker,
                initargs=(preload, os.getpid()),
            )
            if workers > 0
            else None
        )
        if self._executor is not None:
            # The executor starts a worker per task submitted while none is idle: start them all now,
            # so the fork server's imports (about half a second) overlap the crawl's discovery instead
            # of delaying the first articles.
            for _ in range(workers):
                self._executor.submit(int)

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        if self._executor is None:
            return function(*args)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(function, *args))

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
