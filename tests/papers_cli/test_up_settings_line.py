"""`papers up` prints the settings it runs with, never a password of HF_API_BASE_URL."""

from papers_cli.cmd_up import settings_line


def test_a_password_in_the_base_url_is_not_printed():
    line = settings_line("/data", "https://alice:s3cret@hf.example")
    assert "s3cret" not in line
    assert "HF_API_BASE_URL=https://***@hf.example" in line


def test_the_sample_and_an_unset_url_print_as_they_are():
    assert settings_line("/data", "sample").endswith("HF_API_BASE_URL=sample")
    assert settings_line("/data", None).endswith("HF_API_BASE_URL=None")
