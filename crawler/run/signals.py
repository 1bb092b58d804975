"""newscrawl's own Scrapy signals."""

# Sent by StorePipeline just before it commits the run, so components can add their final figures
# to the stats that go into the manifest and the run report.
run_committing = object()

# Sent when a politeness middleware pauses a host (Retry-After, backoff on 429), with `request` and
# `seconds`, so a frontier shared by several workers can pause the host for all of them.
host_paused = object()
