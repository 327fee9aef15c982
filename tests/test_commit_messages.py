"""The commit-msg check of CONTRIBUTING.md: a short imperative subject and a body that says why."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "check_commit_message.py"
spec = importlib.util.spec_from_file_location("check_commit_message", SCRIPT)
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)

GOOD = "Cap the situation grid's cells\n\nA 50 m grid over a city took 96 s.\n"


def test_it_accepts_a_short_imperative_subject_with_a_body():
    assert check.problems(GOOD) == []
    assert check.problems(GOOD + "# Please enter the commit message\n") == []


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ("A" * 73 + "\n\nWhy.\n", "73 characters"),
        ("Cap the grid.\n\nWhy.\n", "full stop"),
        ("Added a cap\n\nWhy.\n", "imperative"),
        ("Cap the grid\n", "body"),
        ("Cap the grid\nno empty line\n", "body"),
        ("", "empty"),
    ],
)
def test_it_names_what_is_wrong(message, words):
    assert any(words in problem for problem in check.problems(message)), check.problems(message)


def test_the_command_exits_1_and_says_why(tmp_path, capsys):
    path = tmp_path / "COMMIT_EDITMSG"
    path.write_text("Fixed things\n")
    assert check.main(["check", str(path)]) == 1
    assert "imperative" in capsys.readouterr().err
    path.write_text(GOOD)
    assert check.main(["check", str(path)]) == 0
