"""newscrawl's spiders; `NewsSpider` (name "news") is the one crawl and fetch use."""
