"""WorkerPool: every worker starts with the pool (not on its first task), with its modules imported."""

import asyncio
import multiprocessing
import signal
import subprocess
import sys
import time
from pathlib import Path

from crawler.workers.pool import WorkerPool

ROOT = Path(__file__).resolve().parents[2]


def loaded(module: str) -> bool:
    return module in sys.modules


def test_workers_start_with_the_pool_and_preload_their_modules():
    before = set(multiprocessing.active_children())
    pool = WorkerPool(2, preload=("crawler.workers.page",))
    try:
        deadline = time.monotonic() + 30
        while len(set(multiprocessing.active_children()) - before) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(set(multiprocessing.active_children()) - before) == 2
        # A spawned worker imports only what its task needs; the preload was imported at start-up.
        assert asyncio.run(pool.run(loaded, "crawler.workers.page"))
        assert not asyncio.run(pool.run(loaded, "scrapy"))
    finally:
        pool.close()
    assert not set(multiprocessing.active_children()) - before


def test_no_workers_runs_the_work_inline():
    pool = WorkerPool(0, preload=("crawler.workers.page",))
    assert asyncio.run(pool.run(loaded, "sys"))
    pool.close()


def test_workers_die_with_a_crawl_process_killed_by_sigkill(tmp_path):
    # Workers fork from the fork server, not from the crawl process: when the crawl process is
    # killed, the server sees its pipe close and exits, and the workers die with their parent.
    script = (
        "import asyncio, os, sys, time\n"
        "from crawler.workers.pool import WorkerPool\n"
        "pool = WorkerPool(2, preload=('crawler.workers.page',))\n"
        "pids = {asyncio.run(pool.run(os.getpid)) for _ in range(20)}\n"
        "print(' '.join(map(str, pids)), flush=True)\n"
        "time.sleep(60)\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    ) as crawl:
        try:
            assert crawl.stdout is not None
            workers = [int(pid) for pid in crawl.stdout.readline().split()]
            assert workers and crawl.pid not in workers
        finally:
            crawl.send_signal(signal.SIGKILL)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent has not collected it yet


def test_without_pidfds_a_worker_still_notices_the_crawl_process_die():
    # Old kernels and some container seccomp profiles refuse pidfd_open: the worker polls instead.
    crawl = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    script = (
        "import os, time\n"
        "def refused(pid): raise PermissionError(1, 'Operation not permitted')\n"
        "os.pidfd_open = refused\n"
        "from crawler.workers.pool import die_with\n"
        f"die_with({crawl.pid})\n"
        "time.sleep(60)\n"
    )
    worker = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    try:
        time.sleep(1.5)
        assert worker.poll() is None, "alive while the crawl process is"
        crawl.kill()
        crawl.wait()
        assert worker.wait(timeout=10) == 1
    finally:
        crawl.kill()
        worker.kill()
        crawl.wait()
        worker.wait()
