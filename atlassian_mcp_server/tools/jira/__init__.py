"""Jira tools, one module per area; `tools/catalogue.py` lists them in order. Handlers import clients lazily."""
