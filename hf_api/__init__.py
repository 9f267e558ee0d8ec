"""The Hugging Face Daily Papers API, without Dagster.

`client.HFClient` fetches one API day (`GET /api/daily_papers?date=...`) with paging, retries
(`retry`), a client-side rate limit (`rate_limit`), bounded bodies and deadlines (`limits`,
`body`) and clear errors (`errors`); `config` builds a client from the project's `Settings`
(`HF_API_BASE_URL=sample` replays the bundled days of `sample_replay` in-process). `testing`
holds the fake HF server tests and the benchmark use (it needs werkzeug, a dev/bench dependency).

Nothing here imports Dagster (tests/hf_api/test_no_dagster.py guards it).
"""
