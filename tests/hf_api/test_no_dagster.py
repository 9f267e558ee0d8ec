"""hf_api is usable without Dagster (and without werkzeug, which only its `testing` needs)."""

from __future__ import annotations

import subprocess
import sys

from papers_settings import REPO_ROOT

IMPORT_ALL = """
import sys
import hf_api, hf_api.body, hf_api.client, hf_api.config, hf_api.defaults, hf_api.errors
import hf_api.limits, hf_api.rate_limit, hf_api.response, hf_api.retry, hf_api.sample_replay
import hf_api.url_redaction, papers_settings
print(sorted({name.split('.')[0] for name in sys.modules} & {'dagster', 'werkzeug', 'tests', 'bench'}))
"""


def test_importing_hf_api_and_settings_loads_no_dagster_werkzeug_tests_or_bench():
    done = subprocess.run([sys.executable, "-c", IMPORT_ALL], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_check_would_see_dagster():
    # A stand-in module is enough: the check reads sys.modules (a real `import dagster` took seconds).
    stand_in = "import sys, types; sys.modules['dagster'] = types.ModuleType('dagster')"
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL.replace("import sys", stand_in, 1)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "['dagster']"
