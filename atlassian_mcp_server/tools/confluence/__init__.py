"""Confluence tools (pages and spaces, search, comments, labels, attachments, history); `tools/catalogue.py` lists them."""
