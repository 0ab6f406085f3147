"""The FAQ page (issue 14 point 8): every question and answer of the source FAQ (seed 000), as
<details>/<summary> that open without JavaScript, grouped as the source groups them."""

import html
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

# A verbatim copy of the source FAQ (shared/seeds/000_a23ccfbd8705b810.txt) travels with the
# tests, so they run on a fresh clone; where the shared seeds are present the copy must match them.
SOURCE_COPY = Path(__file__).with_name("source_000_faq.txt")
SHARED_SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "000_a23ccfbd8705b810.txt"
ZWNJ = "\u200c"
QUESTION = re.compile(r"^([۰-۹0-9]+)\s*-\s*(.+)$")


def _seed_text() -> str:
    text = SOURCE_COPY.read_text(encoding="utf-8")
    for shared in (SHARED_SEED, Path("/work/shared/seeds/000_a23ccfbd8705b810.txt")):
        if shared.is_file():
            assert shared.read_text(encoding="utf-8") == text, "the copy of the source FAQ differs from the seed"
    return text


def _seed_faq():
    """(group, question, [answer paragraphs]) from the seed: a numbered line is a question, the
    paragraphs up to the next one its answer; the line before the first question is its group."""
    paragraphs = [line.strip() for line in _seed_text().splitlines() if line.strip()]
    first = next(i for i, text in enumerate(paragraphs) if QUESTION.match(text))
    group = paragraphs[first - 1]
    entries = []
    for text in paragraphs[first:]:
        match = QUESTION.match(text)
        if match:
            entries.append((group, match.group(2), []))
        else:
            entries[-1][2].append(text)
    return entries


def _normal(text: str) -> str:
    """The seed drops zero-width non-joiners (بیمهمال for بیمه‌مال): compare without them."""
    return re.sub(r"\s+", " ", html.unescape(text).replace(ZWNJ, "")).strip()


def _visible(markup: str) -> str:
    return _normal(re.sub(r"<[^>]+>", " ", markup))


def test_every_question_of_the_source_is_a_summary_on_the_page(client):
    """issue 14 point 8: the FAQ's questions, all of them, each the <summary> of its <details>."""
    page = client.get("/faq/").content.decode()
    summaries = [_visible(text) for text in re.findall(r"<summary[^>]*>(.*?)</summary>", page, re.S)]
    questions = [_normal(question) for _group, question, _answer in _seed_faq()]

    assert questions and sorted(summaries) == sorted(questions)


def test_every_answer_of_the_source_is_inside_its_question(client):
    """issue 14 point 8: each answer paragraph, word for word, inside the <details> of its question."""
    page = client.get("/faq/").content.decode()
    blocks = {
        _visible(re.search(r"<summary[^>]*>(.*?)</summary>", block, re.S).group(1)): _visible(block)
        for block in re.findall(r"<details[^>]*>(.*?)</details>", page, re.S)
    }
    for _group, question, answer in _seed_faq():
        for paragraph in answer:
            assert _normal(paragraph) in blocks[_normal(question)], question


def test_the_questions_sit_under_the_group_the_source_puts_them_in(client):
    """issue 14 point 8: grouped as the source groups them (a heading, then its questions)."""
    page = client.get("/faq/").content.decode()
    for group, question, _answer in _seed_faq():
        sections = re.findall(r"<section[^>]*>\s*<h3[^>]*>(.*?)</h3>(.*?)</section>", page, re.S)
        holding = [_visible(title) for title, body in sections if _normal(question) in _visible(body)]
        assert holding == [_normal(group)], question


def test_the_faq_opens_without_javascript(client):
    """Native <details>: no script is needed to read an answer, and none is closed by a hidden style."""
    page = client.get("/faq/").content.decode()
    assert page.count("<details") == len(_seed_faq())
    assert "display: none" not in page and "d-none" not in re.sub(r"<script.*?</script>", "", page, flags=re.S)
