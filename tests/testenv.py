"""Loaded by pytest before Django starts (`-p tests.testenv`): the test run's environment.

Tests run with DEBUG off, as in production; only the secret key needs a stand-in.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment")
os.environ.setdefault("DEBUG", "false")
