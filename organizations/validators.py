"""Password rules of the portal beyond Django's own (length, common words, digits only)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Runs a person types without thinking: the alphabet, the digits and the keyboard rows,
# read either way ("abcd", "4321", "qwer", "lkjh").
SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
)


class NoRepeatOrSequenceValidator:
    """Refuses a password built from repetition or a run: the same character more than
    ``max_repeat`` times in a row (``aaaaaaaaaaaa``), a run of more than ``max_run``
    consecutive letters, digits or keyboard keys (``abcdef``, ``123456``, ``qwerty``), or
    fewer than ``min_unique`` different characters (``abababababab``). Such passwords pass
    a length rule but are among the first an attacker tries (outside test, issue 10)."""

    def __init__(self, max_repeat: int = 3, max_run: int = 3, min_unique: int = 5):
        self.max_repeat = max_repeat
        self.max_run = max_run
        self.min_unique = min_unique
        self._repeat = re.compile(rf"(.)\1{{{max_repeat},}}", re.DOTALL)

    def validate(self, password, user=None):
        repeated = self._repeat.search(password)
        if repeated:
            raise ValidationError(
                _("This password repeats “%(character)s” more than %(max)d times in a row."),
                code="password_repeats",
                params={"character": repeated.group(1), "max": self.max_repeat},
            )
        run = self._run_in(password.lower())
        if run:
            raise ValidationError(
                _("This password contains the run “%(run)s”, which is easy to guess."),
                code="password_sequence",
                params={"run": run},
            )
        if len(set(password)) < self.min_unique:
            raise ValidationError(
                _("This password uses fewer than %(min)d different characters."),
                code="password_too_few_characters",
                params={"min": self.min_unique},
            )

    def _run_in(self, password: str) -> str:
        length = self.max_run + 1
        for sequence in SEQUENCES:
            for line in (sequence, sequence[::-1]):
                for start in range(len(line) - length + 1):
                    if line[start : start + length] in password:
                        return line[start : start + length]
        return ""

    def get_help_text(self):
        return _(
            "Your password can’t repeat a character more than %(max)d times in a row or "
            "contain runs such as “abcd”, “1234” or “qwer”."
        ) % {"max": self.max_repeat}
