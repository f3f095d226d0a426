"""Make the corpus module importable from the content tests."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
