"""Tool declarations, one package per product; `catalogue.py` lists them, `registry.py` selects among them."""
