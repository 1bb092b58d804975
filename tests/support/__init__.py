"""Test helpers: local services and fake sites, all on 127.0.0.1."""
