"""Property-based API test: schemathesis generates requests from /api/openapi.json; none is a 500,
every answer matches its description."""
import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402

from web.openapi import spec  # noqa: E402

EXAMPLES = 12  # per operation: modest, the suite runs on two shared cores
# A watch's `value` depends on its `kind` (a dnr, a search's arguments ...): some bodies the schema
# allows are 400s by design, so "valid data is accepted" is not asked; everything else is.
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402


def operations():
    loaded = schemathesis.openapi.from_dict(spec())
    return [result.ok() for result in loaded.get_all_operations()]


@pytest.fixture(scope="module")
def api_app(archive_dir, tmp_path_factory):
    """The app on a copy of the archive: generated requests create watches."""
    import shutil

    from web.app import create_app

    copy = tmp_path_factory.mktemp("api-properties") / "archive"
    shutil.copytree(archive_dir, copy)
    return create_app(copy, {"TESTING": True})


@pytest.mark.parametrize("operation", operations(), ids=lambda op: op.label)
def test_no_server_errors_and_answers_as_described(api_app, operation):
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(app=api_app, excluded_checks=[positive_data_acceptance])

    check()
