"""A process pool for CPU-bound page processing, so Scrapy's reactor keeps downloading meanwhile.

Reads EXTRACT_WORKERS (0 runs the work inline, which is simpler to debug).
"""

from __future__ import annotations

import asyncio
import ctypes
import importlib
import multiprocessing
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any, TypeVar

T = TypeVar("T")
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent() -> None:
    """Linux: a worker is killed when the crawl process dies (even by kill -9), so no orphan
    keeps running, or keeps the crawl's output pipes open."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def start_worker(preload: tuple[str, ...]) -> None:
    """Worker initializer: die with the parent, and import the modules the work needs up front."""
    die_with_parent()
    for module in preload:
        importlib.import_module(module)


class WorkerPool:
    def __init__(self, workers: int, preload: tuple[str, ...] = ()) -> None:
        """`preload`: modules each worker imports as it starts, rather than on its first task."""
        # spawn, not fork: forking a process that runs a reactor and open sockets is unsafe.
        self.workers = workers
        self._executor = (
            ProcessPoolExecutor(
                workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=start_worker,
                initargs=(preload,),
            )
            if workers > 0
            else None
        )
        if self._executor is not None:
            # The executor starts a worker per task submitted while none is idle: start them all now,
            # so their start-up (about half a second of imports each) overlaps the crawl's discovery
            # instead of delaying the first articles.
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
