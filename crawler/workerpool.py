"""A process pool for CPU-bound page processing, so Scrapy's reactor keeps downloading meanwhile.

Reads EXTRACT_WORKERS (0 runs the work inline, which is simpler to debug).
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any, TypeVar

T = TypeVar("T")


class WorkerPool:
    def __init__(self, workers: int) -> None:
        # spawn, not fork: forking a process that runs a reactor and open sockets is unsafe.
        self.workers = workers
        self._executor = (
            ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
            if workers > 0
            else None
        )

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        if self._executor is None:
            return function(*args)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(function, *args))

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
