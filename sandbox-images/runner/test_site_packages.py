"""The runner puts a node's virtualenv (PLINTH_SITE_PACKAGES) on sys.path as a venv would.

Run: python3 -m unittest discover -s sandbox-images/runner   (Vitest runs it too.)
"""

import os
import sys
import tempfile
import unittest
from unittest import mock

import plinth_runner


class SitePackagesTest(unittest.TestCase):
    def setUp(self):
        self.saved_path = list(sys.path)
        self.addCleanup(lambda: sys.path.__setitem__(slice(None), self.saved_path))
        self.venv = tempfile.mkdtemp(prefix="plinth-venv-")
        self.extra = tempfile.mkdtemp(prefix="plinth-pth-")
        with open(os.path.join(self.venv, "extra.pth"), "w") as pth:
            pth.write(self.extra + "\n")

    def test_goes_ahead_of_system_site_packages_behind_stdlib(self):
        sys.path[:] = ["", "/usr/lib/python311.zip", "/usr/lib/python3.11", "/usr/lib/python3/dist-packages"]
        with mock.patch.dict(os.environ, {"PLINTH_SITE_PACKAGES": self.venv}):
            plinth_runner._use_site_packages()
        self.assertEqual(
            sys.path,
            ["", "/usr/lib/python311.zip", "/usr/lib/python3.11", self.venv, self.extra, "/usr/lib/python3/dist-packages"],
        )

    def test_without_the_variable_nothing_changes(self):
        before = list(sys.path)
        with mock.patch.dict(os.environ, {}, clear=False):
            os.environ.pop("PLINTH_SITE_PACKAGES", None)
            plinth_runner._use_site_packages()
        self.assertEqual(sys.path, before)


if __name__ == "__main__":
    unittest.main()
