"""CPU-bound page processing off the reactor: `pool` runs tasks in worker processes, `page` is the task
(extraction, then the MinHash signature of the text)."""
