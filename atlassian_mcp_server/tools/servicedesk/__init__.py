"""Jira Service Management and Assets tools (module `service_desk`); `tools/catalogue.py` lists them."""
