"""Issue 15 point 10: every user-facing string goes through gettext, with Persian source strings.

The rule, as a test: no Python module of the project (migrations, tests and third-party
trees aside) holds a Persian string constant or f-string that is not the literal argument
of a gettext call. Docstrings and other bare string statements are documentation and do
not count; comments are not in the syntax tree at all.

How to write one instead:

    from django.utils.translation import gettext as _          # inside functions (a request is running)
    from django.utils.translation import gettext_lazy as _     # class level: verbose names, choices, form labels

    _("درخواست شماره %(number)s ثبت شد.") % {"number": number}    # never an f-string: one msgid per message

Persian that is data rather than interface text (reference rows written to the database,
the character tables of core.text, a detector's vocabulary, demo records) lives only in
the modules of DATA_MODULES, each with its reason.

The module walks the files itself (ast, no Django import): it takes well under a second.
"""

import ast
import functools
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Directories never scanned: generated schema history, the tests themselves, and trees that
# are not ours (virtualenv, npm, collected static files, build and run outputs).
EXCLUDED_DIRS = {"migrations", "tests", ".venv", "node_modules", "staticfiles", "static", "var", "artifacts", ".git"}

# Persian and Arabic letters, digits and punctuation (Arabic block, presentation forms A and
# B), and a zero-width non-joiner inside a word (as in «بیمه‌نامه»).
PERSIAN = re.compile(r"[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]|\w\u200c|\u200c\w")

# The calls whose literal arguments makemessages extracts.
GETTEXT_CALLS = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "pgettext",
    "pgettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "npgettext",
    "npgettext_lazy",
}

# The ONE allowlist: modules whose Persian is data, not interface text. Each entry says why.
# Anything shown to people as a message, label or title is wrapped instead, even in these
# apps; do not add a module here to silence the test.
DATA_MODULES = {
    # The character tables for reading what Iranians type: Persian and Arabic-Indic digits,
    # Arabic ي/ك, the Persian comma and thousands separator, the words read as yes and no.
    # Punctuation and keyboard letters are not messages to translate.
    "core/text.py": "character tables and input vocabulary",
    # The contact-details detector's vocabulary: how people spell out numbers, «at», «dot»,
    # Telegram or «my agency code» in Persian. Matched against what users type, never shown.
    "core/contact_details.py": "detector patterns matched against typed text",
    # Reference rows (insurers, lines, provinces) a data migration writes into every
    # database; the site shows them from the database like any row staff edit later.
    "insurers/reference.py": "reference rows written to the database",
    # The starting tariffs, car catalogue and their sources, loaded into the database by
    # data migrations; staff edit them in the admin from then on.
    "pricing/reference.py": "reference tariff rows written to the database",
    # Demo records (people's names, agencies, addresses, a car) written by load_demo_data:
    # content of sample rows, not interface text.
    "agents/demo.py": "demo rows written to the database",
    "insurance_requests/demo.py": "demo rows written to the database",
    "policies/demo.py": "demo rows written to the database",
    "portal/management/commands/load_demo_data.py": "demo rows written to the database",
    # Developer tools run from a terminal, outside the site: the load test's sample payload and
    # users, and run_portal's bilingual console banner (printed before Django is set up).
    "scripts/loadtest.py": "load-test payload data",
    "scripts/run_portal.py": "developer console banner, bilingual",
}


def project_modules():
    for directory, subdirectories, files in os.walk(ROOT):
        subdirectories[:] = sorted(name for name in subdirectories if name not in EXCLUDED_DIRS)
        for name in sorted(files):
            if name.endswith(".py"):
                yield Path(directory, name).relative_to(ROOT).as_posix()


@functools.cache
def _parse(source: str) -> ast.Module:
    # each module is parsed once for all the checks of this file
    return ast.parse(source)


@functools.cache
def _read(path: str) -> str:
    return (ROOT / path).read_text(encoding="utf-8")


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def bare_persian_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of each Persian string constant or f-string not handed to gettext."""
    tree = _parse(source)
    exempt = set()
    for node in ast.walk(tree):
        # documentation: docstrings and any other bare string statement
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            exempt.add(id(node.value))
        # a literal msgid (implicit concatenation is one constant); an f-string argument is
        # not exempt: its msgid would change with every value
        elif isinstance(node, ast.Call) and _called_name(node) in GETTEXT_CALLS:
            exempt.update(id(argument) for argument in node.args if isinstance(argument, ast.Constant))
        # the pieces of an f-string are judged with the f-string
        elif isinstance(node, ast.JoinedStr):
            exempt.update(id(value) for value in node.values)
    found = []
    for node in ast.walk(tree):
        if id(node) in exempt:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(
                value.value if isinstance(value, ast.Constant) else "{…}"
                for value in node.values
                if isinstance(value, ast.Constant | ast.FormattedValue)
            )
            text = "f" + repr(text)
            if not PERSIAN.search(text):
                continue
        else:
            continue
        if PERSIAN.search(text):
            found.append((node.lineno, text))
    return sorted(found)


# gettext's eager forms: called when a module is imported they translate once, into whatever
# language is active then, and the label never follows the request's language.
EAGER_GETTEXT = {"gettext", "ngettext", "pgettext", "npgettext"}


def _evaluated_at_import(node: ast.AST):
    """The node and every node under it that runs when the module is imported: not function
    bodies, but a function's decorators and default values (they run at definition)."""
    yield node
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        decorators = getattr(node, "decorator_list", [])
        children = [*decorators, *node.args.defaults, *(value for value in node.args.kw_defaults if value)]
    else:
        children = ast.iter_child_nodes(node)
    for child in children:
        yield from _evaluated_at_import(child)


def eager_gettext_at_import(source: str) -> list[tuple[int, str]]:
    """(line, call) of each eager gettext call at module or class level, or in a decorator."""
    tree = _parse(source)
    eager_names = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in EAGER_GETTEXT
    }
    return sorted(
        (node.lineno, ast.unparse(node))
        for node in _evaluated_at_import(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in eager_names
    )


def test_no_bare_persian_literal_outside_gettext():
    """issue 15 point 10: a Persian string in Python is a gettext msgid, or data in DATA_MODULES."""
    problems = []
    for path in project_modules():
        if path in DATA_MODULES:
            continue
        for line, text in bare_persian_literals(_read(path)):
            problems.append(f"{path}:{line}: {text[:70]!r}")
    assert not problems, (
        "Persian text outside gettext (wrap it: _('…'), gettext_lazy at class level, "
        "_('… %(name)s …') % {...} instead of an f-string):\n" + "\n".join(problems)
    )


def test_class_level_strings_are_lazy():
    """issue 15 point 10: verbose names, choices, form labels, admin descriptions use gettext_lazy."""
    problems = []
    for path in project_modules():
        for line, call in eager_gettext_at_import(_read(path)):
            problems.append(f"{path}:{line}: {call[:70]}")
    assert not problems, (
        "gettext called at import time (module or class level, a decorator or a default): "
        "use gettext_lazy there:\n" + "\n".join(problems)
    )


def test_data_modules_exist_and_hold_persian_data():
    """issue 15 point 10: an allowlist entry that no longer matches a Persian-bearing module goes."""
    modules = set(project_modules())
    stale = [path for path in DATA_MODULES if path not in modules or not bare_persian_literals(_read(path))]
    assert not stale, f"remove these from DATA_MODULES: {stale}"


def test_the_scanner_finds_what_the_rule_forbids():
    """issue 15 point 10: the scanner itself: what it flags and what it lets through."""
    source = '''
"""Module docstring: «بیمه‌نامه» is fine here."""
from django.utils.translation import gettext as _, gettext_lazy, ngettext, pgettext


class Form:
    """Class docstring: بیمه."""

    label = gettext_lazy("نام")
    title = "عنوان"


def view(count, name):
    "بیمه"
    ok = _("ثبت شد.")
    plural = ngettext("%(n)s مورد", "%(n)s مورد", count) % {"n": count}
    context = pgettext("month name", "مهر")
    formatted = _("سلام %(name)s") % {"name": name}
    english = f"Hello {name}"
    bad_plain = "ثبت شد."
    bad_fstring = f"سلام {name}"
    bad_in_gettext = _(f"سلام {name}")
    bad_zwnj = "x\u200cy"
    return ok, plural, context, formatted, english, bad_plain, bad_fstring, bad_in_gettext, bad_zwnj, "خطا"
'''
    # when
    found = bare_persian_literals(source)
    # then
    assert [line for line, _text in found] == [10, 20, 21, 22, 23, 24]


def test_the_eager_gettext_check_looks_where_import_time_code_runs():
    """issue 15 point 10: module level, class bodies and decorators count; function bodies do not."""
    source = """
from django.utils.translation import gettext as _, gettext_lazy

TITLE = _("عنوان")
LAZY = gettext_lazy("عنوان")


class Admin:
    label = _("نام")
    lazy_label = gettext_lazy("نام")

    @display(description=_("شماره"))
    def number(self, obj, default=_("هیچ")):
        return _("شماره %(n)s") % {"n": obj.pk}

    callback = staticmethod(lambda: _("بعدا"))
"""
    # when
    found = eager_gettext_at_import(source)
    # then
    assert [line for line, _call in found] == [4, 9, 12, 13]
