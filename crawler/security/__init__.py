"""Keeping the crawler out of the network it runs in: URL checks, a guarded resolver, a middleware."""
