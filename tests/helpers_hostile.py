"""Hostile text used by the security tests: template, markup and script payloads.

Each script payload sets ``window.__pwned`` (or calls ``alert``) if it ever runs, and several end
in a quote or a backslash to break out of a string that is not escaped. The template payloads run
Python, or break the save, wherever branca's second Jinja pass could see them.
"""

from __future__ import annotations

PWN_DIR, PWN_FILE, PWN_ENV = "SI_PWNED_DIR", "SI_PWNED_FILE", "SI_PWNED_ENV"

#: Jinja payloads: on the old code they ran Python at save() or broke it with TemplateSyntaxError
TEMPLATE_PAYLOADS: tuple[str, ...] = (
    "{% set x = dict(SI_PWNED_DIR=1)|first %}"
    "{{ cycler.__init__.__globals__.os.makedirs(x, exist_ok=true) }}",
    "{{ cycler.__init__.__globals__.os.system('touch SI_PWNED_FILE') }}",
    "{{ cycler.__init__.__globals__.os.environ.update(SI_PWNED_ENV=dict(yes=1)|first) }}",
    "{{ 7*7 }}",
    "{# an open comment {% and an open block",
)
#: markup and script payloads: each one sets window.__pwned (or calls alert) if it ever runs;
#: several end in a quote or a backslash, to break out of a string that is not escaped
SCRIPT_PAYLOADS: tuple[str, ...] = (
    '<img data-pwn src=x onerror="window.__pwned=1;alert(1)">',
    '"><svg data-pwn onload=window.__pwned=2>',
    "</script><script data-pwn>window.__pwned=3</script>",
    "'-(window.__pwned=4)-'",
    '\\";window.__pwned=5;//\\',
    "<!--<script data-pwn>window.__pwned=6</script>-->",
    "`${window.__pwned=7}`\u2028line\u2029para",
    '<a data-pwn href="javascript:window.__pwned=8">&lt;b&gt;</a>"',
)
PAYLOADS: tuple[str, ...] = TEMPLATE_PAYLOADS + SCRIPT_PAYLOADS
MARKUP = ("<img data-pwn", "<svg data-pwn", "<script data-pwn", "<a data-pwn")
PWNED_JS = "typeof window.__pwned === 'undefined' ? null : String(window.__pwned)"
