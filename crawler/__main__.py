"""`python -m crawler` runs the newscrawl CLI (what tests use to run the checkout's own code)."""

from crawler.cli.main import run

run()
