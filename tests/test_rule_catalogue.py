"""docs/RULES.md and the tests' `rule` tags agree: every rule proven, every tag catalogued.

The damage tests below take the real catalogue and the real tags, break one link, and check the
checker names it, so that the first test cannot pass by checking nothing.
"""

import dataclasses

import pytest

from tests.rule_catalogue import Catalogue, catalogue_problems, collect_tags, parse_catalogue, resolves


@pytest.fixture(scope="module")
def catalogue():
    return Catalogue.read()


@pytest.fixture(scope="module")
def tags():
    return collect_tags()


def test_every_rule_has_code_and_a_test_that_names_it_and_every_named_rule_is_catalogued(catalogue, tags):
    problems = catalogue.problems + catalogue_problems(catalogue.rows, tags)
    assert problems == [], "\n".join(problems)


def test_the_catalogue_covers_the_four_sources(catalogue):
    assert len(catalogue.rows) > 100
    assert {source for row in catalogue.rows for source in row.sources} == {"000", "001", "003", "004"}


def test_a_removed_row_is_caught(catalogue, tags):
    tagged = {rule_id for ids in tags.values() for rule_id in ids}
    removed = [row for row in catalogue.rows if row.rule_id in tagged][len(catalogue.rows) // 2]
    rows = [row for row in catalogue.rows if row is not removed]
    problems = catalogue_problems(rows, tags)
    assert any(p.startswith(removed.rule_id) and "not in the catalogue" in p for p in problems), problems


def test_a_removed_tag_is_caught(catalogue, tags):
    row = catalogue.rows[0]
    untagged = {node: ids - {row.rule_id} for node, ids in tags.items()}
    problems = catalogue_problems(catalogue.rows, untagged)
    assert f"{row.rule_id}: no test names this rule" in problems
    assert any(p.startswith(f"{row.rule_id}: test `") and "does not name" in p for p in problems)


def test_a_row_pointing_at_a_missing_function_is_caught(catalogue, tags):
    row = dataclasses.replace(catalogue.rows[0], where=("policies.rules.no_such_rule",))
    problems = catalogue_problems([row, *catalogue.rows[1:]], tags)
    assert f"{row.rule_id}: `policies.rules.no_such_rule` does not exist" in problems


def test_a_row_listing_a_test_that_does_not_exist_is_caught(catalogue, tags):
    row = dataclasses.replace(catalogue.rows[0], tests=("tests/policies/test_rules.py::test_gone",))
    problems = catalogue_problems([row, *catalogue.rows[1:]], tags)
    assert f"{row.rule_id}: test `tests/policies/test_rules.py::test_gone` does not exist" in problems


def test_a_duplicate_id_and_a_short_row_are_caught():
    text = (
        "| R-001 | 001 | «نقل» | does | `policies.rules.cover_window` | `tests/x.py::test_a` |\n"
        "| R-001 | 003 | «نقل» | does | `policies.rules.cover_window` | `tests/x.py::test_a` |\n"
        "| R-002 | 003 | only four cells |\n"
    )
    rows, problems = parse_catalogue(text)
    assert [row.rule_id for row in rows] == ["R-001", "R-001"]
    assert any("R-002 has 3 columns" in p for p in problems)
    assert any("listed twice" in p for p in catalogue_problems(rows, {"tests/x.py::test_a": {"R-001"}}))


def test_resolution_needs_an_attribute_not_just_a_module():
    assert resolves("policies.rules.cover_window")
    assert not resolves("policies.rules")
    assert not resolves("policies.rules.cover_windows")
    assert not resolves("no_such_package.anything")


def test_tags_are_read_from_markers_classes_and_docstrings(tmp_path):
    tests_dir = tmp_path / "tests"
    tests_dir.mkdir()
    (tests_dir / "test_sample.py").write_text(
        "import pytest\n"
        "pytestmark = pytest.mark.rule('R-009')\n"
        "@pytest.mark.rule('R-001', 'R-002')\n"
        "def test_marked(): pass\n"
        "def test_docstring():\n"
        "    '''Proves [R-003].'''\n"
        "@pytest.mark.rule('R-004')\n"
        "class TestGroup:\n"
        "    def test_inner(self): pass\n",
        encoding="utf-8",
    )
    tags = collect_tags(tests_dir)
    assert tags["tests/test_sample.py::test_marked"] == {"R-001", "R-002", "R-009"}
    assert tags["tests/test_sample.py::test_docstring"] == {"R-003", "R-009"}
    assert tags["tests/test_sample.py::TestGroup::test_inner"] == {"R-004", "R-009"}
