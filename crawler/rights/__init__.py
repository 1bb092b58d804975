"""Publishers' text-and-data-mining opt-outs: W3C TDMRep signals and robots.txt rules for AI crawlers."""
