"""--retain-finished / SANDBOX_RETAIN_FINISHED: flag over env var over the default; `all`
keeps every record; anything else but a count >= 0 is a usage error."""

from __future__ import annotations

import pytest

from booking_sandbox.core.options import from_sources
from booking_sandbox.core.retention import DEFAULT_KEEP, RetentionPolicy


def test_the_flag_wins_over_the_env_var_which_wins_over_the_default() -> None:
    env = {"SANDBOX_RETAIN_FINISHED": "50"}
    assert from_sources(["--retain-finished", "7"], env).retain_finished == 7
    assert from_sources([], env).retain_finished == 50
    assert from_sources([], {}).retain_finished == DEFAULT_KEEP == 10_000


@pytest.mark.parametrize(
    ("argv", "env"), [(["--retain-finished", "all"], {}), ([], {"SANDBOX_RETAIN_FINISHED": "ALL"})]
)
def test_all_keeps_every_record(argv: list[str], env: dict[str, str]) -> None:
    assert from_sources(argv, env).retain_finished is None


def test_zero_keeps_no_finished_record() -> None:
    assert from_sources(["--retain-finished", "0"], {}).retain_finished == 0


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (["--retain-finished", "-1"], {}),
        (["--retain-finished", "many"], {}),
        ([], {"SANDBOX_RETAIN_FINISHED": "1.5"}),
    ],
)
def test_a_bad_value_is_a_usage_error_naming_the_setting(
    argv: list[str], env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        from_sources(argv, env)
    assert exc.value.code == 2
    assert "--retain-finished / SANDBOX_RETAIN_FINISHED" in capsys.readouterr().err


def test_the_policy_runs_a_pass_every_quarter_of_what_it_keeps_and_at_least_every_64() -> None:
    assert RetentionPolicy(10_000).every == 2_500
    assert RetentionPolicy(0).every == RetentionPolicy(2).every == 64
    assert RetentionPolicy(None).to_json() == {"retain_finished": "all"}


def test_the_help_documents_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        from_sources(["--help"], {})
    assert "SANDBOX_RETAIN_FINISHED" in capsys.readouterr().out
