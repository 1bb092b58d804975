"""A process pool for CPU-bound page processing, so Scrapy's reactor keeps downloading meanwhile.

Reads EXTRACT_WORKERS (0 runs the work inline, which is simpler to debug). A task given a `timeout`
that runs past it raises `WorkerTimeout`; its worker is killed and the pool replaced, since a
process pool cannot stop one task (other tasks running then are sent again to the new pool).
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
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")


class WorkerTimeout(Exception):
    """A task ran past its time limit; its worker was killed and replaced."""


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
        self.preload = preload
        self.replaced = 0  # pools replaced after a task ran past its time limit
        self._slots: asyncio.Semaphore | None = None
        self._executor = self._start() if workers > 0 else None

    def _start(self) -> ProcessPoolExecutor:
        executor = ProcessPoolExecutor(
            self.workers,
            mp_context=_context(self.preload),
            initializer=start_worker,
            initargs=(self.preload, os.getpid()),
        )
        # The executor starts a worker per task submitted while none is idle: start them all now,
        # so the fork server's imports (about half a second) overlap the crawl's discovery instead
        # of delaying the first articles.
        for _ in range(self.workers):
            executor.submit(int)
        return executor

    async def run(self, function: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        """`function(*args)` in a worker; WorkerTimeout after `timeout` seconds (inline: no limit)."""
        if self._executor is None:
            return function(*args)
        # No more tasks in the executor than workers, so a task's time limit counts its own run,
        # not its wait behind others.
        async with self._free_worker():
            executor = self._executor
            try:
                return await self._run_in(executor, function, args, timeout)
            except BrokenProcessPool:
                if executor is self._executor:
                    raise
                # Another task's timeout replaced the pool under this one: it did nothing wrong.
                return await self._run_in(self._executor, function, args, timeout)

    def _free_worker(self) -> asyncio.Semaphore:
        # Made on first use, inside the running loop it belongs to.
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        return self._slots

    async def _run_in(
        self,
        executor: ProcessPoolExecutor,
        function: Callable[..., T],
        args: tuple[Any, ...],
        timeout: float | None,
    ) -> T:
        submitted = executor.submit(function, *args)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(submitted), timeout)
        except asyncio.CancelledError:
            if submitted.cancelled() and executor is not self._executor:
                # Still queued when another task's timeout shut its pool down: send it again.
                raise BrokenProcessPool("the pool was replaced before this task started") from None
            raise
        except TimeoutError:
            self._replace(executor)
            raise WorkerTimeout(f"{getattr(function, '__name__', function)} ran past {timeout} s") from None

    def _replace(self, executor: ProcessPoolExecutor) -> None:
        if executor is not self._executor:
            return  # replaced already, by another task that ran too long
        # The executor's own processes: there is no public handle on the one running the task.
        for process in list(getattr(executor, "_processes", {}).values()):
            process.kill()
        executor.shutdown(wait=False, cancel_futures=True)
        self._executor = self._start()
        self.replaced += 1

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
