"""The shared crawl frontier for many workers: scrapy-redis's scheduler and dupefilter, with leases.

`frontier_settings(url)` gives the Scrapy settings that switch a crawl to the Redis frontier.
"""
