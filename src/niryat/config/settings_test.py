"""Settings for the test suite: the test run's environment defaults, then the real settings.

pytest-django imports the settings before any conftest runs, so the defaults have to be
set here. Anything the environment sets explicitly (DATABASE_URL for the PostgreSQL
run) still wins.
"""

import os
import tempfile

os.environ.setdefault("NIRYAT_DATA_DIR", tempfile.mkdtemp(prefix="niryat-test-"))
os.environ.setdefault("NIRYAT_TASK_BACKEND", "immediate")
os.environ.setdefault("NIRYAT_EMAIL_BACKEND", "locmem")

from niryat.config.settings import *  # noqa: F403  (the usual settings overlay)
