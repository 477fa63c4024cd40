"""Loaded by pytest before Django starts (`-p tests.testenv`): the test run's environment.

Tests run with DEBUG off, as in production; only the secret key needs a stand-in.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment")
os.environ.setdefault("DEBUG", "false")
# The live test server builds its middleware before per-test settings apply, and it speaks
# plain HTTP: turn the HTTPS redirect off for the whole run.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
