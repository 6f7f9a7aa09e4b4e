"""Who's who for the console and the demo: readable labels for user ids, and ``/as`` lookups.

Slack shows people by name; the console has only the ids of a meeting file, so
each id is labelled with what it is to the bot (事務局, a department's owner, a
department's head), and a person can be chosen by what they are
(``/as 収納課``, ``/as 収納課長``, ``/as 事務局``) instead of by id.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from duediligence import Department, Store
from duediligence.messages import t

from . import console_messages as _messages  # noqa: F401  (registers the labels)

SECRETARIAT_CHANNEL = "secretariat"  # the outbox's recipient for the secretariat's channel
SECRETARIAT_WORDS = frozenset({"事務局", "secretariat", "jimu", "事務局長"})
HEAD_WORDS = frozenset({"head", "課長", "所属長", "部長", "長"})


@dataclass
class Directory:
    """The people of one database, read once (call :meth:`refresh` after an import)."""

    lang: str = "ja"
    secretariat: list[str] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)

    @classmethod
    def load(
        cls, store: Store, lang: str = "ja", extra_secretariat: frozenset[str] = frozenset()
    ) -> Directory:
        directory = cls(lang=lang)
        directory.refresh(store, extra_secretariat)
        return directory

    def refresh(self, store: Store, extra_secretariat: frozenset[str] = frozenset()) -> None:
        self.secretariat = list(dict.fromkeys([*store.secretariat(), *sorted(extra_secretariat)]))
        self.departments = store.departments()

    # -- labels --------------------------------------------------------------

    def label(self, user: str) -> str:
        """``収納課 U02SHUNO001``, ``収納課 所属長 U02SHUNO900``, ``事務局 U01JIMU0001``."""
        if user == SECRETARIAT_CHANNEL:
            return t("bot.console.channel", self.lang)
        if user in self.secretariat:
            return t("bot.console.label.secretariat", self.lang, user=user)
        for department in self.departments:
            if _same(user, department.owners):
                return t(
                    "bot.console.label.owner", self.lang, department=department.name, user=user
                )
        for department in self.departments:
            if department.head and _same(user, (department.head,)):
                return t("bot.console.label.head", self.lang, department=department.name, user=user)
        return t("bot.console.label.other", self.lang, user=user)

    # -- choosing who you are ----------------------------------------------------

    def resolve(self, text: str) -> str | None:
        """The user id meant by *text*: a role word, a department (its first owner), a head, an id.

        None when *text* names nobody (a department or role without people, a
        word that is no department); an unknown id (ASCII, like a Slack id or an
        e-mail) is returned as it is, to try the bot as someone unregistered.
        """
        words = _normalize(text).split()
        if not words:
            return None
        if len(words) == 1 and words[0].lower() in SECRETARIAT_WORDS:
            return self.secretariat[0] if self.secretariat else None
        head = [w for w in words if w.lower() in HEAD_WORDS]
        rest = " ".join(w for w in words if w.lower() not in HEAD_WORDS)
        department = self.department(rest)
        if department is None and not head and len(words) == 1 and words[0].endswith("長"):
            department, head = self.department(words[0][:-1]), ["長"]  # 収納課長 → 収納課
        if department is not None:
            if head:
                return department.head
            return department.owners[0] if department.owners else department.head
        if len(words) == 1 and not head and words[0].isascii():
            return words[0]  # a user id or an e-mail, known or not
        return None

    def department(self, word: str) -> Department | None:
        """A department by its name, or by the one name that contains *word*."""
        word = _normalize(word)
        if not word:
            return None
        exact = [d for d in self.departments if _normalize(d.name) == word]
        if exact:
            return exact[0]
        partial = [d for d in self.departments if word.lower() in _normalize(d.name).lower()]
        return partial[0] if len(partial) == 1 else None

    def known(self, user: str) -> bool:
        return user in self.secretariat or any(
            _same(user, d.owners) or (d.head is not None and _same(user, (d.head,)))
            for d in self.departments
        )

    def everyone(self) -> list[str]:
        """One line per person, for ``/who``."""
        lines = [self.label(u) for u in self.secretariat]
        for department in self.departments:
            lines += [self.label(u) for u in department.owners]
            if department.head:
                lines.append(self.label(department.head))
        return lines


def _same(user: str, names: tuple[str, ...]) -> bool:
    return user in names or user.lower() in {n.lower() for n in names}


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()
