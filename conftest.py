"""Test-wide settings: tasks run inline, mail stays in memory, data lives in a temporary folder."""

import os
import tempfile

os.environ.setdefault("NIRYAT_DATA_DIR", tempfile.mkdtemp(prefix="niryat-test-"))
os.environ.setdefault("NIRYAT_TASK_BACKEND", "immediate")
os.environ.setdefault("NIRYAT_EMAIL_BACKEND", "locmem")
