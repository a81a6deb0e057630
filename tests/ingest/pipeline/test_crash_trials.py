"""Crash trials (issue 18; tests/ingest/pipeline/crashes.py, benchmarks/crash_trials.py for many):
a real `python -m ingest` stopped by kill -9, SIGTERM and SIGINT at seeded moments part-way, then
the same command again, into one archive: every file once in the catalog and the index, the
count of everything equal to the catalog's, originals whole, no process left, no lock held."""
import random

from tests.ingest.many import text_files
from tests.ingest.pipeline.crashes import Trial, catalogued_under, expected_sources, ingest_command, run_trial

FILES = 160  # per trial, with --batch 16: ten commits, and a background merge after eight
SIGNALS = ["KILL", "TERM", "INT"]


def test_stopped_ingests_lose_and_double_nothing(tmp_path):
    rng = random.Random(18)
    data, logs = tmp_path / "data", tmp_path / "logs"
    logs.mkdir()
    expected: dict[str, str] = {}
    for number, name in enumerate(SIGNALS, start=1):
        folder = tmp_path / f"src-{number}"
        files = text_files(folder, FILES)
        expected |= expected_sources(folder, {p.name for p in files})
        trial = Trial(number, name, round(rng.uniform(0.2, 2.0), 2))
        # The delay counts from the first document of this trial catalogued: part-way, however busy the machine.
        run_trial(trial, data, ingest_command(data, folder, jobs=2, batch=16), expected, logs,
                  wait_for=lambda folder=folder: catalogued_under(data, folder) > 0)
        assert "ended" not in trial.moments, f"trial {number}: the run ended before the signal"
        assert trial.stopped_code == (-9 if name == "KILL" else 130), trial
        assert trial.ok, trial.problems
        assert not trial.rerun_blocked and trial.leftovers == 0
        assert trial.documents == FILES * number
