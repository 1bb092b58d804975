"""newscrawl's own Scrapy signals."""

# Sent by StorePipeline just before it commits the run, so components can add their final figures
# to the stats that go into the manifest and the run report.
run_committing = object()
